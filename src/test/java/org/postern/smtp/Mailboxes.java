package org.postern.smtp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.postern.store.Directory;
import org.postern.store.MailStore;
import org.postern.store.Mailbox;
import org.postern.store.SpecialUse;
import org.postern.store.StoredMessage;
import org.postern.testing.TestServer;

/** Reads what a test server's store holds, to check what SMTP stored (and what it did not). */
final class Mailboxes {
    private Mailboxes() {}

    static List<String> inbox(TestServer t, String email) throws IOException {
        return texts(t, email, null);
    }

    static List<String> sent(TestServer t, String email) throws IOException {
        return texts(t, email, SpecialUse.SENT);
    }

    static List<StoredMessage> rows(TestServer t, String email, SpecialUse use) {
        MailStore store = t.services().store();
        Directory.Account a = t.services().directory().account(email).orElseThrow();
        Mailbox m = use == null ? store.mailbox(a.id(), Mailbox.INBOX).orElseThrow()
                : store.mailboxes(a.id()).stream().filter(x -> x.specialUse() == use).findFirst().orElseThrow();
        return store.messages(m.id());
    }

    static List<String> texts(TestServer t, String email, SpecialUse use) throws IOException {
        List<String> out = new ArrayList<>();
        for (StoredMessage m : rows(t, email, use)) {
            out.add(Files.readString(t.services().store().blobs().path(m.blob()), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    /** Files left in the spool folder (temporary DATA/BDAT files). */
    static List<Path> spoolFiles(TestServer t) throws IOException {
        try (var s = Files.list(t.services().spoolDir())) {
            return s.toList();
        }
    }
}
