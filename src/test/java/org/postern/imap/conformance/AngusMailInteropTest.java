package org.postern.imap.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.BodyPart;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.event.MessageCountAdapter;
import jakarta.mail.event.MessageCountEvent;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.AndTerm;
import jakarta.mail.search.BodyTerm;
import jakarta.mail.search.FlagTerm;
import jakarta.mail.search.FromStringTerm;
import jakarta.mail.search.SubjectTerm;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.delivery.LocalDelivery;
import org.postern.testing.TestServer;

/**
 * Angus Mail (Jakarta Mail), as Java applications use it, against Postern's IMAP over TLS:
 * listing, selecting, fetching envelopes, bodies and attachments, searching, flags, APPEND with
 * APPENDUID, COPY with COPYUID, MOVE, EXPUNGE, and IDLE woken by another session's APPEND.
 */
class AngusMailInteropTest {
    @TempDir
    static Path dir;
    static TestServer server;

    private static final byte[] ATTACHMENT = "PDF-ish \u0000\u0001\u0002 bytes".getBytes(StandardCharsets.ISO_8859_1);

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false, "ann@example.org", "ben@example.org", "cid@example.org", "dee@example.org",
                "eva@example.org");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A store as an application would open it: imaps, the self-signed certificate trusted. */
    private static Store connect(String user) throws Exception {
        Properties p = new Properties();
        p.put("mail.store.protocol", "imaps");
        p.put("mail.imaps.host", "127.0.0.1");
        p.put("mail.imaps.port", Integer.toString(server.imapsPort()));
        p.put("mail.imaps.ssl.trust", "*");
        p.put("mail.imaps.ssl.checkserveridentity", "false");
        p.put("mail.imaps.connectiontimeout", "5000");
        p.put("mail.imaps.timeout", "10000");
        p.put("mail.debug", System.getProperty("angus.debug", "false"));
        Store store = Session.getInstance(p).getStore("imaps");
        store.connect(user, TestServer.PASSWORD);
        return store;
    }

    private static void deliver(String to, String message) throws Exception {
        server.services().delivery().deliver(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)),
                List.of(to), LocalDelivery.Folder.INBOX);
    }

    private static String withAttachment(String subject) {
        return "From: =?UTF-8?Q?Ren=C3=A9e?= <renee@example.net>\r\nTo: someone@example.org\r\nSubject: " + subject + "\r\n"
                + "Date: Tue, 1 Dec 2026 09:30:00 +0100\r\nMessage-ID: <" + subject.hashCode() + "@example.net>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "Voil=C3=A0 the report.\r\n"
                + "--b1\r\nContent-Type: application/pdf; name=\"report.pdf\"\r\nContent-Disposition: attachment; filename=\"report.pdf\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(ATTACHMENT) + "\r\n--b1--\r\n";
    }

    @Test
    void listsTheMailboxesAndSelectsOne() throws Exception {
        try (Store store = connect("ann@example.org")) {
            Folder[] all = store.getDefaultFolder().list("*");
            assertThat(Arrays.stream(all).map(Folder::getFullName))
                    .contains("INBOX", "Sent", "Drafts", "Trash", "Junk", "Archive");
            assertThat(store.getDefaultFolder().getSeparator()).isEqualTo('/');
            Folder projects = store.getFolder("Projects/2027");
            assertThat(projects.create(Folder.HOLDS_MESSAGES)).isTrue();
            assertThat(store.getFolder("Projects").list().length).isEqualTo(1);
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessageCount()).isZero();
            assertThat(((UIDFolder) inbox).getUIDValidity()).isPositive();
            inbox.close();
        }
    }

    @Test
    void fetchesEnvelopeBodyPartsAndAttachments() throws Exception {
        deliver("ben@example.org", withAttachment("Quarterly report"));
        try (Store store = connect("ben@example.org")) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message[] msgs = inbox.getMessages();
            FetchProfile fp = new FetchProfile();
            fp.add(FetchProfile.Item.ENVELOPE);
            fp.add(FetchProfile.Item.CONTENT_INFO);
            fp.add(FetchProfile.Item.FLAGS);
            fp.add(UIDFolder.FetchProfileItem.UID);
            inbox.fetch(msgs, fp);
            Message m = msgs[0];
            assertThat(m.getSubject()).isEqualTo("Quarterly report");
            InternetAddress from = (InternetAddress) m.getFrom()[0];
            assertThat(from.getAddress()).isEqualTo("renee@example.net");
            assertThat(from.getPersonal()).isEqualTo("Renée");
            assertThat(m.getSentDate()).isNotNull();
            assertThat(m.isMimeType("multipart/mixed")).isTrue();
            assertThat(m.getFlags().contains(Flags.Flag.SEEN)).isFalse(); // READ_ONLY: BODY.PEEK

            Multipart mp = (Multipart) m.getContent();
            assertThat(mp.getCount()).isEqualTo(2);
            BodyPart text = mp.getBodyPart(0);
            assertThat(text.isMimeType("text/plain")).isTrue();
            assertThat(((String) text.getContent()).strip()).isEqualTo("Voilà the report.");
            BodyPart attachment = mp.getBodyPart(1);
            assertThat(attachment.getDisposition()).isEqualToIgnoringCase(Part.ATTACHMENT);
            assertThat(attachment.getFileName()).isEqualTo("report.pdf");
            try (InputStream in = attachment.getInputStream()) {
                assertThat(in.readAllBytes()).isEqualTo(ATTACHMENT);
            }
            assertThat(m.getHeader("Message-ID")).containsExactly("<" + "Quarterly report".hashCode() + "@example.net>");
            assertThat(m.getSize()).isPositive();
            inbox.close();
        }
    }

    @Test
    void searchesAndStoresFlags() throws Exception {
        deliver("cid@example.org", "From: Bob <bob@example.net>\r\nSubject: Lunch on Friday\r\n\r\nShall we meet at noon?\r\n");
        deliver("cid@example.org", "From: Carol <carol@example.net>\r\nSubject: Minutes\r\n\r\nNotes from today.\r\n");
        try (Store store = connect("cid@example.org")) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            assertThat(inbox.search(new SubjectTerm("lunch"))).extracting(Message::getMessageNumber).containsExactly(1);
            assertThat(inbox.search(new FromStringTerm("carol@example.net"))).extracting(Message::getMessageNumber).containsExactly(2);
            assertThat(inbox.search(new BodyTerm("noon"))).extracting(Message::getMessageNumber).containsExactly(1);

            Message lunch = inbox.getMessage(1);
            lunch.setFlag(Flags.Flag.FLAGGED, true);
            lunch.setFlags(new Flags("$Work"), true);
            Message[] flagged = inbox.search(new AndTerm(new FlagTerm(new Flags(Flags.Flag.FLAGGED), true),
                    new FlagTerm(new Flags("$Work"), true)));
            assertThat(flagged).extracting(Message::getMessageNumber).containsExactly(1);
            assertThat(inbox.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false))).hasSize(2);
            inbox.close(false);

            // The flags were stored, not just remembered by this session.
            inbox.open(Folder.READ_ONLY);
            Flags now = inbox.getMessage(1).getFlags();
            assertThat(now.contains(Flags.Flag.FLAGGED)).isTrue();
            assertThat(now.contains("$Work")).isTrue();
            inbox.close();
        }
    }

    @Test
    void appendsCopiesMovesAndExpunges() throws Exception {
        try (Store store = connect("dee@example.org")) {
            IMAPFolder drafts = (IMAPFolder) store.getFolder("Drafts");
            MimeMessage draft = new MimeMessage(Session.getInstance(new Properties()));
            draft.setFrom(new InternetAddress("dee@example.org"));
            draft.setRecipients(Message.RecipientType.TO, "eve@example.net");
            draft.setSubject("Draft one");
            draft.setText("Not yet.");
            draft.setFlag(Flags.Flag.DRAFT, true);
            MimeMessage second = new MimeMessage(draft);
            second.setSubject("Draft two");
            AppendUID[] appended = drafts.appendUIDMessages(new Message[] {draft, second});
            assertThat(appended).hasSize(2).allSatisfy(a -> assertThat(a).isNotNull());
            assertThat(appended[1].uid).isEqualTo(appended[0].uid + 1);

            drafts.open(Folder.READ_WRITE);
            assertThat(drafts.getMessageCount()).isEqualTo(2);
            assertThat(drafts.getMessageByUID(appended[0].uid).getSubject()).isEqualTo("Draft one");
            assertThat(drafts.getMessage(1).isSet(Flags.Flag.DRAFT)).isTrue();

            AppendUID[] copied = drafts.copyUIDMessages(new Message[] {drafts.getMessage(1)}, store.getFolder("Trash"));
            assertThat(copied).hasSize(1);
            assertThat(copied[0]).isNotNull();
            Folder trash = store.getFolder("Trash");
            assertThat(trash.getMessageCount()).isEqualTo(1);

            Message moving = drafts.getMessage(2);
            drafts.moveMessages(new Message[] {moving}, store.getFolder("Archive"));
            // MOVE answers with EXPUNGE (RFC 6851): Jakarta Mail marks the message expunged.
            assertThat(moving.isExpunged()).isTrue();
            assertThat(store.getFolder("Archive").getMessageCount()).isEqualTo(1);

            Message first = drafts.getMessage(1);
            first.setFlag(Flags.Flag.DELETED, true);
            assertThat(drafts.expunge()).contains(first);
            drafts.close();
            assertThat(store.getFolder("Drafts").getMessageCount()).as("STATUS after EXPUNGE").isZero();

            Folder archive = store.getFolder("Archive");
            archive.open(Folder.READ_ONLY);
            assertThat(archive.getMessage(1).getSubject()).isEqualTo("Draft two");
            archive.close();
        }
    }

    @Test
    void idleWakesUpWhenAnotherSessionAppends() throws Exception {
        try (Store watcher = connect("eva@example.org"); Store writer = connect("eva@example.org")) {
            IMAPFolder inbox = (IMAPFolder) watcher.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            CountDownLatch added = new CountDownLatch(1);
            AtomicReference<String> subject = new AtomicReference<>();
            inbox.addMessageCountListener(new MessageCountAdapter() {
                @Override
                public void messagesAdded(MessageCountEvent e) {
                    try {
                        subject.set(e.getMessages()[0].getSubject());
                    } catch (jakarta.mail.MessagingException ex) {
                        subject.set("failed: " + ex);
                    }
                    added.countDown();
                }
            });
            AtomicReference<Throwable> idleFailure = new AtomicReference<>();
            Thread idler = Thread.ofPlatform().name("idle").start(() -> {
                try {
                    inbox.idle(true); // returns after the first notification
                } catch (Throwable t) {
                    idleFailure.set(t);
                }
            });
            // Give IDLE a moment to start; a message that arrives earlier is announced at once anyway.
            Thread.sleep(300);
            MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
            m.setFrom(new InternetAddress("eva@example.org"));
            m.setSubject("Sent while idling");
            m.setText("Hello");
            writer.getFolder("INBOX").appendMessages(new Message[] {m});

            idler.join(10_000);
            assertThat(idler.isAlive()).as("IDLE returned after the new message").isFalse();
            assertThat(idleFailure.get()).isNull();
            assertThat(added.await(10, TimeUnit.SECONDS)).as("messagesAdded fired").isTrue();
            assertThat(subject.get()).isEqualTo("Sent while idling");
            assertThat(inbox.getMessageCount()).isEqualTo(1);
            assertThat(((IMAPStore) watcher).hasCapability("IDLE")).isTrue();
            inbox.close();
        }
    }
}
