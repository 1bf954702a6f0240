package org.postern.imap;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.postern.delivery.LocalDelivery;
import org.postern.testing.ImapClient;
import org.postern.testing.TestServer;

/** Small steps the IMAP extension tests share: mail delivered to INBOX, a logged-in client. */
final class ImapFixture {
    private ImapFixture() {}

    /** Delivers one short message per subject to the INBOX of {@code to}. */
    static void deliver(TestServer server, String to, String... subjects) throws Exception {
        for (String subject : subjects) {
            server.services().delivery().deliver(new ByteArrayInputStream(("Subject: " + subject + "\r\n\r\nHi\r\n")
                    .getBytes(StandardCharsets.UTF_8)), List.of(to), LocalDelivery.Folder.INBOX);
        }
    }

    /** A client on the imaps port, greeting read, logged in as {@code user}. */
    static ImapClient login(TestServer server, String user) throws Exception {
        ImapClient c = ImapClient.tls(server.imapsPort());
        c.readLine();
        c.login(user, TestServer.PASSWORD);
        return c;
    }
}
