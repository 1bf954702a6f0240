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
            long passwordChanged) {}

    record Domain(long id, String name, boolean imapEnabled, boolean popEnabled, Long catchAllAccountId) {}

    /**
     * Settable per-account switches; null leaves a value as it is.
     *
     * @param popSince {@link PopSettings#since()}: 0 for all mail, a time for mail from then on
     * @param popAfter {@link PopSettings#after()}
     */
    record Settings(Boolean imapEnabled, Boolean popEnabled, Long quotaBytes, Long popSince,
                    PopSettings.AfterDownload popAfter) {
        public Settings(Boolean imapEnabled, Boolean popEnabled, Long quotaBytes) {
            this(imapEnabled, popEnabled, quotaBytes, null, null);
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

    Optional<Domain> domain(String name);

    List<Domain> domains();

    void addAlias(String alias, String accountEmail);

    void removeAlias(String alias);

    List<String> aliases(String accountEmail);

    /** Sets (or with null clears) the account that gets mail for unknown addresses of a domain. */
    void setCatchAll(String domain, String accountEmail);

    /** The account that receives mail for {@code address}, if any. */
    Optional<Account> resolve(String address);
}
