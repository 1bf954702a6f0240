package org.postern.smtp;

import java.time.Clock;
import org.postern.auth.Authenticator;
import org.postern.delivery.LocalDelivery;
import org.postern.smtp.dkim.DkimSigner;
import org.postern.smtp.dmarc.InboundChecks;
import org.postern.smtp.outbound.Doorbell;
import org.postern.store.Directory;
import org.postern.store.MailStore;
import org.postern.store.OutboundQueue;

/**
 * Everything an SMTP session works with (STYLE.md 9: a context, not singletons).
 *
 * @param checks   SPF, DKIM and DMARC for the MX
 * @param signer   DKIM signing of submitted mail before it is queued
 * @param doorbell tells the delivery engine a message was queued
 */
public record SmtpServices(
        MailStore store,
        Directory directory,
        Authenticator authenticator,
        LocalDelivery delivery,
        OutboundQueue queue,
        SmtpSettings settings,
        Clock clock,
        InboundChecks checks,
        DkimSigner signer,
        Doorbell doorbell) {}
