package org.postern.imap;

import java.time.Clock;
import org.postern.auth.Authenticator;
import org.postern.auth.LiveSessions;
import org.postern.delivery.LocalDelivery;
import org.postern.store.Directory;
import org.postern.store.MailStore;

/** Everything an IMAP session works with (STYLE.md 9: a context, not singletons). */
public record ImapServices(
        MailStore store,
        Directory directory,
        Authenticator authenticator,
        LocalDelivery delivery,
        LiveSessions sessions,
        ImapSettings settings,
        Clock clock) {}
