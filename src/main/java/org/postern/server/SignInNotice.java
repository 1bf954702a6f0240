package org.postern.server;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.postern.auth.Authenticator;
import org.postern.delivery.LocalDelivery;
import org.postern.store.Directory.Account;
import org.postern.store.Security;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "new sign-in" notice Gmail sends: the first time a device (a credential used by a client)
 * signs in, a message in the account's INBOX says when, from where, with what — and what to do if
 * it was not the owner. Delivered on its own virtual thread, so the sign-in does not wait.
 */
final class SignInNotice implements Authenticator.NewDeviceNotice {
    private static final Logger log = LoggerFactory.getLogger(SignInNotice.class);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm 'UTC'", java.util.Locale.ENGLISH);

    private final LocalDelivery delivery;
    private final String hostname;

    SignInNotice(LocalDelivery delivery, String hostname) {
        this.delivery = delivery;
        this.hostname = hostname;
    }

    @Override
    public void announce(Account account, Security.Event e) {
        String message = message(account, e);
        Thread.ofVirtual().name("sign-in-notice").start(() -> {
            try {
                delivery.deliver(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)), List.of(account.email()),
                        LocalDelivery.Folder.INBOX);
            } catch (Exception ex) {
                log.warn("cannot deliver the new sign-in notice to {}: {}", account.email(), ex.getMessage());
            }
        });
    }

    String message(Account account, Security.Event e) {
        String when = WHEN.format(Instant.ofEpochMilli(e.time()).atZone(ZoneOffset.UTC));
        String client = e.client() == null || e.client().isEmpty() ? "a mail client that did not give its name" : e.client();
        String credential = e.credential().startsWith("app:") ? "an app password"
                : e.credential().startsWith("oauth:") || e.credential().startsWith("grant:") ? "an OAuth token" : "your account password";
        return "From: Postern security <postmaster@" + hostname + ">\r\n"
                + "To: <" + account.email() + ">\r\n"
                + "Subject: Security alert: new sign-in to " + account.email() + "\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(Instant.ofEpochMilli(e.time()), ZoneOffset.UTC)) + "\r\n"
                + "Message-ID: <signin." + e.time() + "." + account.id() + "@" + hostname + ">\r\n"
                + "Auto-Submitted: auto-generated\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + "Your account " + account.email() + " was just signed in to from a new device.\r\n"
                + "\r\n"
                + "  When:      " + when + "\r\n"
                + "  How:       " + e.protocol() + ", with " + credential + "\r\n"
                + "  Client:    " + client + "\r\n"
                + "  From:      " + (e.ip() == null ? "an unknown address" : e.ip()) + "\r\n"
                + "\r\n"
                + "If this was you, there is nothing to do.\r\n"
                + "\r\n"
                + "If it was not, change your password now and sign the device out: the\r\n"
                + "administrator can do both with 'postern account passwd' and\r\n"
                + "'postern account devices " + account.email() + " --sign-out ID'.\r\n";
    }
}
