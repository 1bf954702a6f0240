package org.postern.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/**
 * ENVELOPE and BODYSTRUCTURE of hand-made tricky messages, with the expected strings worked out
 * from RFC 3501 §7.4.2 / RFC 9051 §7.5.2 (sizes counted by hand, CRLF line ends).
 */
class TrickyMessagesTest {

    /** Text with LF line ends turned into CRLF. */
    static byte[] crlf(String text) {
        return text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static String section(ParsedMessage m, byte[] raw, String spec) throws IOException {
        return utf8(StructureChecks.bytes(Sections.fetch(m, MessageSource.of(raw), SectionSpec.parse(spec))));
    }

    static final String NESTED = """
            From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@example.de>
            To: "Smith, John" <john@example.com>, undisclosed-recipients:;
            Cc: Team: alice@example.org, "Bob B." <bob@example.org>;
            Subject: =?ISO-8859-1?Q?Gr=FC=DFe?= aus Berlin
            Date: Tue, 1 Jul 2003 10:52:37 +0200
            Message-ID: <outer@example.de>
            In-Reply-To: <parent@example.com>
            References: <root@example.com>
             <parent@example.com>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="outer"

            preamble
            --outer
            Content-Type: multipart/alternative; boundary="inner"

            --inner
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 8bit

            Grüße
            --inner
            Content-Type: text/html; charset=utf-8

            <p>Hi</p>
            --inner--
            --outer
            Content-Type: message/rfc822
            Content-Disposition: inline

            From: bob@example.org
            Subject: inner
            Date: Mon, 30 Jun 2003 09:00:00 +0000

            Hello
            --outer
            Content-Type: application/pdf; name="=?UTF-8?B?4oKsIHJhdGVzLnBkZg==?="
            Content-Disposition: attachment; filename*0*=UTF-8''%E2%82%AC%20rates; filename*1=".pdf"
            Content-Transfer-Encoding: base64

            JVBERi0=
            --outer--
            """;

    @Test
    void nestedMultipartsWithEmbeddedMessage() throws IOException {
        byte[] raw = crlf(NESTED);
        ParsedMessage m = StructureChecks.parse(raw);
        StructureChecks.checkSpans(m, raw);

        String alternative = "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"8BIT\" 7 0 NIL NIL NIL NIL)"
                + "(\"TEXT\" \"HTML\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 9 0 NIL NIL NIL NIL)"
                + " \"ALTERNATIVE\" (\"BOUNDARY\" \"inner\") NIL NIL NIL)";
        String innerEnvelope = "(\"Mon, 30 Jun 2003 09:00:00 +0000\" \"inner\" ((NIL NIL \"bob\" \"example.org\"))"
                + " ((NIL NIL \"bob\" \"example.org\")) ((NIL NIL \"bob\" \"example.org\")) NIL NIL NIL NIL NIL)";
        String message = "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 85 " + innerEnvelope
                + " (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 5 0 NIL NIL NIL NIL) 4"
                + " NIL (\"INLINE\" NIL) NIL NIL)";
        String pdf = "(\"APPLICATION\" \"PDF\" (\"NAME\" \"=?UTF-8?B?4oKsIHJhdGVzLnBkZg==?=\") NIL NIL \"BASE64\" 8"
                + " NIL (\"ATTACHMENT\" (\"FILENAME*\" \"UTF-8''%E2%82%AC%20rates.pdf\")) NIL NIL)";
        assertThat(utf8(ImapRender.bodyStructure(m, true)))
                .isEqualTo("(" + alternative + message + pdf + " \"MIXED\" (\"BOUNDARY\" \"outer\") NIL NIL NIL)");
        assertThat(utf8(ImapRender.bodyStructure(m, false))).isEqualTo("((("
                + "\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"8BIT\" 7 0)"
                + "(\"TEXT\" \"HTML\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 9 0) \"ALTERNATIVE\")"
                + "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 85 " + innerEnvelope
                + " (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 5 0) 4)"
                + "(\"APPLICATION\" \"PDF\" (\"NAME\" \"=?UTF-8?B?4oKsIHJhdGVzLnBkZg==?=\") NIL NIL \"BASE64\" 8)"
                + " \"MIXED\")");

        assertThat(utf8(ImapRender.envelope(m))).isEqualTo("(\"Tue, 1 Jul 2003 10:52:37 +0200\""
                + " \"=?ISO-8859-1?Q?Gr=FC=DFe?= aus Berlin\""
                + " ((\"=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?=\" NIL \"juergen\" \"example.de\"))"
                + " ((\"=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?=\" NIL \"juergen\" \"example.de\"))"
                + " ((\"=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?=\" NIL \"juergen\" \"example.de\"))"
                + " ((\"Smith, John\" NIL \"john\" \"example.com\")(NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL))"
                + " ((NIL NIL \"Team\" NIL)(NIL NIL \"alice\" \"example.org\")(\"Bob B.\" NIL \"bob\" \"example.org\")(NIL NIL NIL NIL))"
                + " NIL \"<parent@example.com>\" \"<outer@example.de>\")");

        assertThat(m.subject()).isEqualTo("Grüße aus Berlin");
        assertThat(m.from().decodedName()).isEqualTo("Jürgen Müller");
        assertThat(m.from().address()).isEqualTo("juergen@example.de");
        assertThat(m.sentDate().getAsLong()).isEqualTo(Instant.parse("2003-07-01T08:52:37Z").toEpochMilli());
        assertThat(m.messageId()).isEqualTo("outer@example.de");
        assertThat(m.inReplyTo()).containsExactly("parent@example.com");
        assertThat(m.references()).containsExactly("root@example.com", "parent@example.com");
        assertThat(m.status()).isEqualTo(ParsedMessage.Status.COMPLETE);

        BodyPart pdfPart = m.part(3).orElseThrow();
        assertThat(pdfPart.fields().filename()).isEqualTo("€ rates.pdf");
        assertThat(pdfPart.fields().param("name")).isEqualTo("€ rates.pdf");
        assertThat(m.part(1, 1).orElseThrow().fields().charset()).isEqualTo("utf-8");
        assertThat(m.part(2, 1).orElseThrow().fields().charset()).isEqualTo("us-ascii");

        assertThat(section(m, raw, "1.1")).isEqualTo("Grüße");
        assertThat(section(m, raw, "1")).startsWith("--inner\r\n").endsWith("<p>Hi</p>\r\n--inner--");
        assertThat(section(m, raw, "2.MIME")).isEqualTo("Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n");
        assertThat(section(m, raw, "2.HEADER")).isEqualTo("From: bob@example.org\r\nSubject: inner\r\nDate: Mon, 30 Jun 2003 09:00:00 +0000\r\n\r\n");
        assertThat(section(m, raw, "2.1")).isEqualTo("Hello");
        assertThat(section(m, raw, "2.TEXT")).isEqualTo("Hello");
        assertThat(section(m, raw, "3")).isEqualTo("JVBERi0=");
        assertThat(section(m, raw, "HEADER.FIELDS (References)")).isEqualTo("References: <root@example.com>\r\n <parent@example.com>\r\n\r\n");
        BinaryResult pdfBytes = Sections.binary(m, MessageSource.of(raw), 3);
        assertThat(utf8(StructureChecks.bytes(((BinaryResult.Decoded) pdfBytes).content()))).isEqualTo("%PDF-");
    }

    @Test
    void eightBitHeadersBecomeLiteralsUnlessUtf8Accept() {
        byte[] raw = crlf("From: Jürgen <j@example.de>\nSubject: Grüße\n\nx\n");
        ParsedMessage m = StructureChecks.parse(raw);
        assertThat(utf8(ImapRender.envelope(m.envelope(), false))).isEqualTo(
                "(NIL {7}\r\nGrüße (({7}\r\nJürgen NIL \"j\" \"example.de\")) (({7}\r\nJürgen NIL \"j\" \"example.de\"))"
                        + " (({7}\r\nJürgen NIL \"j\" \"example.de\")) NIL NIL NIL NIL NIL)");
        assertThat(utf8(ImapRender.envelope(m.envelope(), true))).isEqualTo(
                "(NIL \"Grüße\" ((\"Jürgen\" NIL \"j\" \"example.de\")) ((\"Jürgen\" NIL \"j\" \"example.de\"))"
                        + " ((\"Jürgen\" NIL \"j\" \"example.de\")) NIL NIL NIL NIL NIL)");
        assertThat(m.subject()).isEqualTo("Grüße");
    }

    @Test
    void latin1HeaderBytesAreReadAsLatin1() {
        byte[] raw = "Subject: Gr\u00fc\u00dfe\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        ParsedMessage m = StructureChecks.parse(raw);
        assertThat(m.subject()).isEqualTo("Grüße");
        assertThat(m.envelope().subject()).isEqualTo("Grüße");
        assertThat(utf8(ImapRender.envelope(m.envelope(), false))).startsWith("(NIL {7}\r\nGrüße NIL");
    }

    @Test
    void missingCloseDelimiterRunsToTheEnd() {
        byte[] raw = crlf("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\none\n"
                + "--b\nContent-Type: text/plain\n\ntwo\n");
        ParsedMessage m = StructureChecks.parse(raw);
        StructureChecks.checkSpans(m, raw);
        assertThat(utf8(ImapRender.bodyStructure(m, false))).isEqualTo(
                "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3 0)"
                        + "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 5 1) \"MIXED\")");
    }

    @Test
    void multipartWithoutBoundaryParameterIsText() {
        byte[] raw = crlf("Content-Type: multipart/mixed\n\nhello\n");
        ParsedMessage m = StructureChecks.parse(raw);
        assertThat(utf8(ImapRender.bodyStructure(m, true)))
                .isEqualTo("(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 7 1 NIL NIL NIL NIL)");
    }

    @Test
    void bareLineFeedsCountAsLines() throws IOException {
        byte[] raw = "Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nline1\nline2\n--b--\n"
                .getBytes(StandardCharsets.US_ASCII);
        ParsedMessage m = StructureChecks.parse(raw);
        StructureChecks.checkSpans(m, raw);
        assertThat(utf8(ImapRender.bodyStructure(m, false)))
                .isEqualTo("((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 11 1) \"MIXED\")");
        assertThat(section(m, raw, "1")).isEqualTo("line1\nline2");
        assertThat(section(m, raw, "1.MIME")).isEqualTo("\n");
        assertThat(m.headerSize()).isEqualTo(54); // 11 + 42 + 1
    }

    @Test
    void mixedLineEnds() throws IOException {
        byte[] raw = "Content-Type: multipart/mixed; boundary=b\r\n\n--b\r\nContent-Type: text/plain\n\r\na\r\nb\n--b--\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        ParsedMessage m = StructureChecks.parse(raw);
        StructureChecks.checkSpans(m, raw);
        assertThat(section(m, raw, "1")).isEqualTo("a\r\nb");
        assertThat(section(m, raw, "1.MIME")).isEqualTo("Content-Type: text/plain\n\r\n");
    }

    @Test
    void singlePartFieldsAndExtensionData() {
        byte[] raw = crlf("""
                Content-Type: text/plain; charset="iso-8859-1"; format=flowed; x-note="say \\"hi\\""
                Content-ID: <id1@example.com>
                Content-Description: A note
                Content-Transfer-Encoding: Quoted-Printable
                Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==
                Content-Disposition: inline; filename=note.txt
                Content-Language: en, de-CH (Swiss German)
                Content-Location: http://example.com/note.txt

                caf=E9
                """);
        ParsedMessage m = StructureChecks.parse(raw);
        assertThat(utf8(ImapRender.bodyStructure(m, true))).isEqualTo(
                "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"iso-8859-1\" \"FORMAT\" \"flowed\" \"X-NOTE\" \"say \\\"hi\\\"\")"
                        + " \"<id1@example.com>\" \"A note\" \"QUOTED-PRINTABLE\" 8 1 \"Q2hlY2sgSW50ZWdyaXR5IQ==\""
                        + " (\"INLINE\" (\"FILENAME\" \"note.txt\")) (\"en\" \"de-CH\") \"http://example.com/note.txt\")");
    }

    @Test
    void unquotedParameterValuesWithSpacesAndParentheses() {
        byte[] raw = crlf("Content-Type: application/pdf; name=report(1).pdf\n"
                + "Content-Disposition: attachment; filename=My Report.pdf (draft); size=42\n\nx\n");
        ParsedMessage m = StructureChecks.parse(raw);
        assertThat(m.root().fields().param("name")).isEqualTo("report(1).pdf");
        assertThat(m.root().fields().filename()).isEqualTo("My Report.pdf");
        assertThat(m.root().fields().disposition().params())
                .containsExactly(new Param("filename", "My Report.pdf"), new Param("size", "42"));
    }

    @Test
    void topLevelMessageRfc822AndGlobal() throws IOException {
        byte[] raw = crlf("Content-Type: message/global\n\nFrom: a@b\nSubject: Grüße\n\nbody\n");
        ParsedMessage m = StructureChecks.parse(raw);
        assertThat(m.root()).isInstanceOf(BodyPart.Message.class);
        assertThat(utf8(ImapRender.bodyStructure(m, false))).isEqualTo(
                "(\"MESSAGE\" \"GLOBAL\" NIL NIL NIL \"7BIT\" 37 (NIL {7}\r\nGrüße ((NIL NIL \"a\" \"b\"))"
                        + " ((NIL NIL \"a\" \"b\")) ((NIL NIL \"a\" \"b\")) NIL NIL NIL NIL NIL)"
                        + " (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 6 1) 4)");
        assertThat(section(m, raw, "1")).isEqualTo("From: a@b\r\nSubject: Grüße\r\n\r\nbody\r\n");
        assertThat(section(m, raw, "1.1")).isEqualTo("body\r\n");
        assertThat(section(m, raw, "1.HEADER")).isEqualTo("From: a@b\r\nSubject: Grüße\r\n\r\n");
    }

    @Test
    void digestPartsDefaultToMessages() {
        byte[] raw = crlf("Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: one\n\n1\n--d\n"
                + "Content-Type: text/plain\n\n2\n--d--\n");
        ParsedMessage m = StructureChecks.parse(raw);
        assertThat(utf8(ImapRender.bodyStructure(m, false))).isEqualTo(
                "((\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 17 (NIL \"one\" NIL NIL NIL NIL NIL NIL NIL NIL)"
                        + " (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 1 0) 2)"
                        + "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 1 0) \"DIGEST\")");
    }

    @Test
    void emptyMessage() {
        ParsedMessage m = StructureChecks.parse(new byte[0]);
        assertThat(utf8(ImapRender.bodyStructure(m, true)))
                .isEqualTo("(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 0 0 NIL NIL NIL NIL)");
        assertThat(utf8(ImapRender.envelope(m))).isEqualTo("(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)");
        assertThat(m.subject()).isEmpty();
        assertThat(m.sentDate()).isEmpty();
    }

    @Test
    void stringsThatCannotBeQuoted() {
        String longSubject = "x".repeat(2000);
        byte[] raw = crlf("Subject: " + longSubject + "\nIn-Reply-To: a\"b\\c\n\n");
        ParsedMessage m = StructureChecks.parse(raw);
        assertThat(utf8(ImapRender.envelope(m))).isEqualTo("(NIL {2000}\r\n" + longSubject
                + " NIL NIL NIL NIL NIL NIL \"a\\\"b\\\\c\" NIL)");
        byte[] cr = "Subject: a\rb\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(utf8(ImapRender.envelope(StructureChecks.parse(cr)))).startsWith("(NIL {3}\r\na\rb NIL");
    }

    @Test
    void sourceRoutesAndCommentNames() {
        byte[] raw = crlf("From: <@relay1,@relay2:joe@example.com>\nSender: joe@example.com (Joe Q)\n"
                + "Reply-To: \"Joe \\\"Q\\\" Public\" <joe@example.com>\nTo: root\nCc: <>\n\n");
        ParsedMessage m = StructureChecks.parse(raw);
        assertThat(utf8(ImapRender.envelope(m))).isEqualTo("(NIL NIL"
                + " ((NIL \"@relay1,@relay2\" \"joe\" \"example.com\"))"
                + " ((\"Joe Q\" NIL \"joe\" \"example.com\"))"
                + " ((\"Joe \\\"Q\\\" Public\" NIL \"joe\" \"example.com\"))"
                + " ((NIL NIL \"root\" \"\"))"
                + " ((NIL NIL \"\" \"\")) NIL NIL NIL)");
    }
}
