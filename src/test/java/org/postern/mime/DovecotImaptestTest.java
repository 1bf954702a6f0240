package org.postern.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The FETCH expectations of Dovecot's imaptest scripts (fetch-bodystructure, fetch-envelope,
 * fetch-body*, fetch-binary-mime*) for the messages of their mbox fixtures, which imaptest
 * appends with CRLF line ends. Literal contents below are the scripts' {{{...}}} blocks with
 * CRLF line ends; partial ranges follow RFC 3501 §6.4.5.
 */
class DovecotImaptestTest {

    private ParsedMessage parsed;
    private byte[] raw;

    private ParsedMessage load(String mbox, int index) {
        byte[] file = Conformance.read(Conformance.root().resolve("dovecot-imaptest/tests/" + mbox));
        List<byte[]> messages = Conformance.splitMbox(file, true);
        raw = Conformance.crlf(messages.get(index));
        parsed = StructureChecks.parse(raw);
        return parsed;
    }

    private String section(String spec) throws IOException {
        return text(Sections.fetch(parsed, MessageSource.of(raw), SectionSpec.parse(spec)));
    }

    private String partial(String spec, long origin, long count) throws IOException {
        return text(Sections.fetch(parsed, MessageSource.of(raw), SectionSpec.parse(spec)).partial(origin, count));
    }

    private SectionContent binary(int... path) {
        BinaryResult r = Sections.binary(parsed, MessageSource.of(raw), path);
        assertThat(r).isInstanceOf(BinaryResult.Decoded.class);
        return ((BinaryResult.Decoded) r).content();
    }

    private static String text(SectionContent c) {
        return new String(StructureChecks.bytes(c), StandardCharsets.ISO_8859_1);
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void fetchBodystructure() {
        load("fetch-bodystructure.mbox", 0);
        assertThat(utf8(ImapRender.bodyStructure(parsed, false)))
                .isEqualToIgnoringCase("((\"TEXT\" \"x-MYOWN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 7 1) \"MIXED\")");
    }

    @Test
    void fetchEnvelope() {
        String[] expected = {
            "(\"Thu, 15 Feb 2007 01:02:03 +0200\" \"subject header\" ((\"From Real\" NIL \"fromuser\" \"fromdomain.org\")) ((\"Sender Real\" NIL \"senderuser\" \"senderdomain.org\")) ((\"ReplyTo Real\" NIL \"replytouser\" \"replytodomain.org\")) ((\"To Real\" NIL \"touser\" \"todomain.org\")) ((\"Cc Real\" NIL \"ccuser\" \"ccdomain.org\")) ((\"Bcc Real\" NIL \"bccuser\" \"bccdomain.org\")) \"<reply@to.id>\" \"<msg@id>\")",
            "(\"Thu, 15 Feb 2007 01:02:03 +0200\" NIL ((NIL NIL \"user\" \"domain\")) ((NIL NIL \"user\" \"domain\")) ((NIL NIL \"user\" \"domain\")) NIL NIL NIL NIL NIL)",
            "(\"Thu, 15 Feb 2007 01:02:03 +0200\" NIL ((NIL NIL \"user\" \"domain\")) ((NIL NIL \"user\" \"domain\")) ((NIL NIL \"user\" \"domain\")) NIL NIL NIL NIL NIL)",
            "(\"Thu, 15 Feb 2007 01:02:03 +0200\" NIL ((\"Real Name\" NIL \"user\" \"domain\")) ((\"Real Name\" NIL \"user\" \"domain\")) ((\"Real Name\" NIL \"user\" \"domain\")) ((NIL NIL \"group\" NIL)(NIL NIL \"g1\" \"d1.org\")(NIL NIL \"g2\" \"d2.org\")(NIL NIL NIL NIL)(NIL NIL \"group2\" NIL)(NIL NIL \"g3\" \"d3.org\")(NIL NIL NIL NIL)) ((NIL NIL \"group\" NIL)(NIL NIL NIL NIL)(NIL NIL \"group2\" NIL)(NIL NIL NIL NIL)) NIL NIL NIL)",
            "(\"Thu, 15 Feb 2007 01:02:03 +0200\" NIL ((\"Real Name\" NIL \"user\" \"domain\")) ((\"Real Name\" NIL \"user\" \"domain\")) ((\"Real Name\" NIL \"user\" \"domain\")) NIL NIL NIL NIL NIL)",
            "(\"Thu, 15 Feb 2007 01:02:03 +0200\" NIL ((NIL \"@route\" \"user\" \"domain\")) ((NIL \"@route\" \"user\" \"domain\")) ((NIL \"@route\" \"user\" \"domain\")) NIL NIL NIL NIL NIL)",
        };
        for (int i = 0; i < expected.length; i++) {
            load("fetch-envelope.mbox", i);
            assertThat(utf8(ImapRender.envelope(parsed))).as("message %d", i + 1).isEqualTo(expected[i]);
        }
    }

    @Test
    void fetchBodyHeaderFieldsTextAndPartials() throws IOException {
        load("fetch-body.mbox", 0);
        String header = "From: User1 <user1@domain.org>\r\nDate: Sat, 24 Mar 2007 23:00:00 +0200\r\nSubject: s1\r\n\r\n";
        assertThat(section("HEADER")).isEqualTo(header);
        assertThat(section("TEXT")).isEqualTo("body1\r\n\r\n");
        assertThat(section("HEADER.FIELDS (from)")).isEqualTo("From: User1 <user1@domain.org>\r\n\r\n");
        assertThat(section("HEADER.FIELDS (from from)")).isEqualTo("From: User1 <user1@domain.org>\r\n\r\n");
        assertThat(section("HEADER.FIELDS (from subject)")).isEqualTo("From: User1 <user1@domain.org>\r\nSubject: s1\r\n\r\n");
        assertThat(section("HEADER.FIELDS.NOT (date)")).isEqualTo("From: User1 <user1@domain.org>\r\nSubject: s1\r\n\r\n");
        assertThat(section("HEADER.FIELDS.NOT (date date)")).isEqualTo("From: User1 <user1@domain.org>\r\nSubject: s1\r\n\r\n");
        assertThat(section("HEADER.FIELDS (xyz)")).isEqualTo("\r\n");

        load("fetch-body.mbox", 1);
        assertThat(partial("TEXT", 0, 3)).isEqualTo("bod");
        assertThat(partial("TEXT", 3, 3)).isEqualTo("y22");

        load("fetch-body.mbox", 2);
        assertThat(section("TEXT")).isEqualTo("body33\r\n\r\n");
        assertThat(partial("TEXT", 0, 1)).isEqualTo("b");
        assertThat(partial("TEXT", 5, 1)).isEqualTo("3");
        assertThat(partial("TEXT", 5, 2)).isEqualTo("3\r");
        assertThat(partial("TEXT", 6, 2)).isEqualTo("\r\n");
        assertThat(partial("TEXT", 7, 1)).isEqualTo("\n");
        assertThat(partial("TEXT", 100, 5)).isEmpty();
    }

    @Test
    void fetchBodyMime() throws IOException {
        load("fetch-body-mime.mbox", 0);
        assertThat(section("1")).isEqualTo("hello\r\n");
        assertThat(section("1.MIME")).isEqualTo("Content-Type: text/x-myown; charset=us-ascii\r\n\r\n");
        String sub = "From: sub@domain.org\r\nDate: Sun, 12 Aug 2012 12:34:56 +0300\r\nSubject: submsg\r\n"
                + "Content-Type: multipart/alternative; boundary=\"sub1\"\r\n\r\n";
        String subText = "Sub MIME prologue\r\n--sub1\r\nContent-Type: text/html\r\n\r\n<p>Hello world</p>\r\n\r\n"
                + "--sub1\r\nContent-Type: text/plain\r\n\r\nHello another world\r\n\r\n--sub1--\r\nSub MIME epilogue\r\n";
        assertThat(section("2")).isEqualTo(sub + subText);
        assertThat(section("2.MIME")).isEqualTo("Content-Type: message/rfc822\r\n\r\n");
        assertThat(section("2.HEADER")).isEqualTo(sub);
        assertThat(section("2.HEADER.FIELDS (from subject X-foo)")).isEqualTo("From: sub@domain.org\r\nSubject: submsg\r\n\r\n");
        assertThat(section("2.HEADER.FIELDS.NOT (from subject X-foo)"))
                .isEqualTo("Date: Sun, 12 Aug 2012 12:34:56 +0300\r\nContent-Type: multipart/alternative; boundary=\"sub1\"\r\n\r\n");
        assertThat(section("2.TEXT")).isEqualTo(subText);
        assertThat(section("2.1.MIME")).isEqualTo("Content-Type: text/html\r\n\r\n");
        assertThat(section("2.1")).isEqualTo("<p>Hello world</p>\r\n");
        assertThat(section("2.2.MIME")).isEqualTo("Content-Type: text/plain\r\n\r\n");
        assertThat(section("2.2")).isEqualTo("Hello another world\r\n");
        assertThat(section("TEXT")).startsWith("Root MIME prologue\r\n\r\n--foo bar\r\n").endsWith("--foo bar--\r\nRoot MIME epilogue\r\n");
    }

    @Test
    void fetchBodyMessageRfc822() throws IOException {
        load("fetch-body-message-rfc822.mbox", 0);
        String sub = "From: sub@domain.org\r\nDate: Sun, 12 Aug 2012 12:34:56 +0300\r\nSubject: submsg\r\n\r\n";
        assertThat(section("TEXT")).isEqualTo(sub + "Hello world\r\n");
        assertThat(section("1")).isEqualTo(sub + "Hello world\r\n");
        assertThat(section("1.1")).isEqualTo("Hello world\r\n");
        assertThat(section("1.HEADER")).isEqualTo(sub);
        assertThat(section("1.HEADER.FIELDS (from subject X-foo)")).isEqualTo("From: sub@domain.org\r\nSubject: submsg\r\n\r\n");
        assertThat(section("1.HEADER.FIELDS.NOT (from subject X-foo)")).isEqualTo("Date: Sun, 12 Aug 2012 12:34:56 +0300\r\n\r\n");
        assertThat(section("1.TEXT")).isEqualTo("Hello world\r\n");
    }

    @Test
    void fetchBodyMessageRfc822Digest() throws IOException {
        load("fetch-body-message-rfc822-mime.mbox", 0);
        assertThat(section("1.1")).isEqualTo("From: m1@example.com\r\nSubject: m1\r\n\r\nm1 body\r\n");
        assertThat(section("1.1.MIME")).isEqualTo("\r\n");
        assertThat(section("1.1.HEADER")).isEqualTo("From: m1@example.com\r\nSubject: m1\r\n\r\n");
        assertThat(section("1.1.TEXT")).isEqualTo("m1 body\r\n");
        assertThat(section("1.2")).isEqualTo("From: m2@example.com\r\nSubject: m2\r\n\r\nm2 body\r\n");
        assertThat(section("1.2.MIME")).isEqualTo("X-Mime: m2 header\r\n\r\n");
        assertThat(section("1.2.HEADER")).isEqualTo("From: m2@example.com\r\nSubject: m2\r\n\r\n");
        assertThat(section("1.2.TEXT")).isEqualTo("m2 body\r\n");
        assertThat(section("1.TEXT")).startsWith("prologue\r\n\r\n--foo \r\n\r\nFrom: m1").endsWith("--foo--\r\n\r\nepilogue\r\n");
    }

    @Test
    void fetchBodyMessageRfc822Twice() throws IOException {
        load("fetch-body-message-rfc822-x2.mbox", 0);
        String inner = "From: sub@domain.org\r\nDate: Sun, 12 Aug 2012 12:34:56 +0300\r\nSubject: submsg\r\n\r\n";
        String middle = "From: user2@domain.org\r\nDate: Fri, 23 Mar 2007 11:22:33 +0200\r\nMime-Version: 1.0\r\n"
                + "Content-Type: message/rfc822\r\n\r\n";
        assertThat(section("1")).isEqualTo(middle + inner + "Hello world\r\n");
        assertThat(section("1.1")).isEqualTo(inner + "Hello world\r\n");
        assertThat(section("1.HEADER")).isEqualTo(middle);
        assertThat(section("1.TEXT")).isEqualTo(inner + "Hello world\r\n");
        assertThat(section("1.1.1")).isEqualTo("Hello world\r\n");
        assertThat(section("1.1.HEADER")).isEqualTo(inner);
        assertThat(section("1.1.TEXT")).isEqualTo("Hello world\r\n");
    }

    @Test
    void fetchBinaryIdentity() throws IOException {
        load("fetch-binary-mime.mbox", 0);
        assertThat(binary().length()).isEqualTo(602);
        assertThat(binary(1).length()).isEqualTo(7);
        assertThat(text(binary(1))).isEqualTo("hello\r\n");
        assertThat(binary(2).length()).isEqualTo(298);
        assertThat(binary(2, 1).length()).isEqualTo(20);
        assertThat(text(binary(2, 1))).isEqualTo("<p>Hello world</p>\r\n");
        assertThat(binary(2, 2).length()).isEqualTo(21);
        assertThat(text(binary(2, 2))).isEqualTo("Hello another world\r\n");
    }

    @Test
    void fetchBinaryBase64() throws IOException {
        load("fetch-binary-mime-base64.mbox", 0);
        assertThat(text(binary(1))).isEqualTo("hello world");
        assertThat(text(binary(2))).isEqualTo("hello world");
        assertThat(text(binary(3))).isEqualTo("hello to you too");
        assertThat(text(binary(4))).isEqualTo("hello to everyone!");
        assertThat(text(binary(5))).isEqualTo("abcdefg\rhijkl\r\nmno\npqrstuvqxyz");
        assertThat(binary(1).length()).isEqualTo(11);
        assertThat(binary(3).length()).isEqualTo(16);
        assertThat(binary(4).length()).isEqualTo(18);
        assertThat(binary(5).length()).isEqualTo(30);
        assertThat(text(binary(5).partial(0, 7))).isEqualTo("abcdefg");
        assertThat(text(binary(5).partial(0, 8))).isEqualTo("abcdefg\r");
        assertThat(text(binary(5).partial(10, 10))).isEqualTo("jkl\r\nmno\np");
        assertThat(text(binary(5).partial(15, 100))).isEqualTo("mno\npqrstuvqxyz");
        assertThat(binary(5).containsNul()).isFalse();
    }

    @Test
    void fetchBinaryQuotedPrintable() throws IOException {
        load("fetch-binary-mime-qp.mbox", 0);
        String decoded = "hello\r\nbar\r\nfoo\tbar\r\nfoo\t \tb\r\nfoo bar\r\nfoo b\r\nfoo\r\nbar\r\nfoo_bar\r\n";
        assertThat(binary(1).length()).isEqualTo(65);
        assertThat(text(binary(1))).isEqualTo(decoded);
        assertThat(text(binary(1).partial(0, 10))).isEqualTo("hello\r\nbar");
        assertThat(text(binary(1).partial(40, 100))).isEqualTo("oo b\r\nfoo\r\nbar\r\nfoo_bar\r\n");
    }
}
