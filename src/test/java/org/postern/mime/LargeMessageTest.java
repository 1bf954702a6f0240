package org.postern.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Large messages parse and stream without being held in memory. */
class LargeMessageTest {

    private static final long ATTACHMENT = 20L << 20;

    @Test
    void twentyMegabyteAttachmentFromAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("big.eml");
        GeneratedMessage generator = new GeneratedMessage(ATTACHMENT);
        try (OutputStream out = Files.newOutputStream(file)) {
            generator.transferTo(out);
        }
        long size = GeneratedMessage.totalSize(ATTACHMENT);
        assertThat(Files.size(file)).isEqualTo(size);

        ParsedMessage m;
        try (InputStream in = Files.newInputStream(file)) {
            m = MessageParser.parse(in);
        }
        assertThat(m.status()).isEqualTo(ParsedMessage.Status.COMPLETE);
        assertThat(m.size()).isEqualTo(size);
        BodyPart attachment = m.part(2).orElseThrow();
        assertThat(attachment.span().bodySize()).isEqualTo(GeneratedMessage.base64BodySize(ATTACHMENT));
        assertThat(attachment.span().bodyLines()).isEqualTo(GeneratedMessage.base64LineBreaks(ATTACHMENT));

        MessageSource source = MessageSource.of(file);
        SectionContent decoded = ((BinaryResult.Decoded) Sections.binary(m, source, 2)).content();
        assertThat(decoded.length()).isEqualTo(ATTACHMENT);
        CRC32 crc = new CRC32();
        try (InputStream in = decoded.open()) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                crc.update(buf, 0, n);
            }
        }
        assertThat(crc.getValue()).isEqualTo(generator.attachmentCrc());

        SectionContent tail = Sections.fetch(m, source, SectionSpec.parse("TEXT")).partial(size - m.headerSize() - 11, 100);
        assertThat(new String(StructureChecks.bytes(tail), StandardCharsets.US_ASCII)).isEqualTo(GeneratedMessage.TAIL);
    }

    @Test
    void quarterGigabyteParsesInASmallHeap() throws Exception {
        long attachment = 256L << 20;
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(List.of(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"),
                GeneratedMessage.class.getName(), Long.toString(attachment)))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).isEqualTo("parsed " + GeneratedMessage.totalSize(attachment) + " "
                + GeneratedMessage.base64BodySize(attachment) + " COMPLETE");
    }
}
