package org.postern.smtp;

import java.time.Clock;
import org.postern.auth.Authenticator;
import org.postern.delivery.LocalDelivery;
import org.postern.store.Directory;
import org.postern.store.MailStore;
import org.postern.store.OutboundQueue;

/** Everything an SMTP session works with (STYLE.md 9: a context, not singletons). */
public record SmtpServices(
        MailStore store,
        Directory directory,
        Authenticator authenticator,
        LocalDelivery delivery,
        OutboundQueue queue,
        SmtpSettings settings,
        Clock clock) {}
