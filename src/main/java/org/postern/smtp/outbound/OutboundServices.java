package org.postern.smtp.outbound;

import java.time.Clock;
import org.postern.delivery.LocalDelivery;
import org.postern.dns.Dns;
import org.postern.net.ClientTls;
import org.postern.net.WriteWatchdog;
import org.postern.store.BlobStore;
import org.postern.store.Directory;
import org.postern.store.MtaStsCache;
import org.postern.store.OutboundQueue;

/**
 * What the delivery engine works with (STYLE.md 9).
 *
 * @param verifiedTls TLS that checks certificates, for MTA-STS hosts and policy fetches
 * @param delivery    local delivery, for notices to local senders (bounces come back home this way)
 * @param mtaSts      the durable cache of the MTA-STS policies of recipient domains
 */
public record OutboundServices(
        OutboundSettings settings,
        OutboundQueue queue,
        BlobStore blobs,
        Directory directory,
        LocalDelivery delivery,
        Dns dns,
        ClientTls verifiedTls,
        MtaStsCache mtaSts,
        WriteWatchdog watchdog,
        Clock clock) {}
