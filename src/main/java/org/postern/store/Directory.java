package org.postern.store;

import java.util.List;
import java.util.Optional;

/**
 * Domains, accounts and aliases, and how an address finds its account.
 *
 * <p>Addresses are case-insensitive. Resolution (RFC 5233 subaddressing as Gmail does it):
 * {@code alice+tag@example.org} delivers to {@code alice@example.org}; then aliases; then the
 * domain's catch-all account.
 */
public interface Directory {

    record Account(
            long id,
            String email,
            String passwordHash,
            boolean imapEnabled,
            boolean popEnabled,
            long quotaBytes,
            long created,
            long passwordChanged,
            boolean admin) {}

    record Domain(long id, String name, boolean imapEnabled, boolean popEnabled, Long catchAllAccountId) {}

    /**
     * Settable per-account switches; null leaves a value as it is.
     *
     * @param popSince {@link PopSettings#since()}: 0 for all mail, a time for mail from then on
     * @param popAfter {@link PopSettings#after()}
     */
    record Settings(Boolean imapEnabled, Boolean popEnabled, Long quotaBytes, Long popSince,
                    PopSettings.AfterDownload popAfter, Boolean admin) {
        public Settings(Boolean imapEnabled, Boolean popEnabled, Long quotaBytes) {
            this(imapEnabled, popEnabled, quotaBytes, null, null, null);
        }

        public Settings(Boolean imapEnabled, Boolean popEnabled, Long quotaBytes, Long popSince,
                        PopSettings.AfterDownload popAfter) {
            this(imapEnabled, popEnabled, quotaBytes, popSince, popAfter, null);
        }
    }

    /**
     * Creates an account (and its domain if new) with the default mailboxes: INBOX, Sent,
     * Drafts, Trash, Junk, Archive. EXISTS when the address is taken (also as an alias).
     */
    Account addAccount(String email, String passwordHash);

    Optional<Account> account(String email);

    Optional<Account> account(long id);

    List<Account> accounts();

    /** Removes an account with all its mail and aliases. NOT_FOUND when there is none. */
    void removeAccount(String email);

    void setPassword(String email, String passwordHash);

    Account update(String email, Settings settings);

    /** An account's POP settings (Gmail's "Forwarding and POP/IMAP"); NOT_FOUND when there is no such account. */
    PopSettings popSettings(long accountId);

    /** An account's IMAP settings (Gmail's "Forwarding and POP/IMAP"); NOT_FOUND when there is no such account. */
    ImapOptions imapOptions(long accountId);

    /** Saves an account's IMAP settings; they apply from the next command of every IMAP session. */
    void setImapOptions(long accountId, ImapOptions options);

    // --- forwarding (issue 8)

    Forwarding forwarding(long accountId);

    /**
     * Adds a forwarding address waiting for confirmation, or renews the link of one still
     * waiting; {@code tokenHash} is the SHA-256 of the link's token. EXISTS when the address is
     * already confirmed; NOT_ALLOWED for the account's own address.
     */
    void requestForwarding(long accountId, String address, String tokenHash);

    /**
     * Follows a confirmation link: marks its address confirmed. Empty when no address waits for
     * this token (unknown, already used, or older than {@code maxAgeMillis}).
     */
    Optional<Forwarding.Confirmed> confirmForwarding(String tokenHash, long maxAgeMillis);

    /** Removes a forwarding address; forwarding to it stops. NOT_FOUND when there is none. */
    void removeForwardingAddress(long accountId, String address);

    /**
     * Turns forwarding on to a confirmed address ({@code to} null: off) and says what happens to
     * Postern's copy. NOT_ALLOWED when {@code to} is not a confirmed address of the account.
     */
    void setForwarding(long accountId, String to, PopSettings.AfterDownload keep);

    Optional<Domain> domain(String name);

    List<Domain> domains();

    void addAlias(String alias, String accountEmail);

    void removeAlias(String alias);

    List<String> aliases(String accountEmail);

    /** Sets (or with null clears) the account that gets mail for unknown addresses of a domain. */
    void setCatchAll(String domain, String accountEmail);

    /**
     * Switches IMAP and POP for a whole domain (null leaves a switch as it is) and returns the
     * domain as it is now. With a switch off, no account of the domain may use that protocol,
     * whatever its own switch says. NOT_FOUND when there is no such domain.
     */
    Domain setDomainAccess(String domain, Boolean imapEnabled, Boolean popEnabled);

    /** The account that receives mail for {@code address}, if any. */
    Optional<Account> resolve(String address);
}
