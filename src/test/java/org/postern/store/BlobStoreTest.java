package org.postern.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {
    @TempDir
    Path dir;

    @Test
    void aBlobLivesOneFolderDownNamedByItsSha256() throws IOException {
        BlobStore blobs = new BlobStore(dir);
        BlobStore.Blob b = blobs.put("Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));

        Path file = dir.resolve(b.sha256().substring(0, 2)).resolve(b.sha256());
        assertThat(blobs.path(b.sha256())).isEqualTo(file);
        assertThat(Files.readString(file)).isEqualTo("Subject: hi\r\n\r\nbody\r\n");
        assertThat(Files.exists(dir.resolve(BlobStore.FLAT_MARKER))).isTrue();
        assertThat(blobs.put("Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo(b);
    }

    @Test
    void aStoreInTheTwoLevelLayoutIsFlattenedWhenOpened() throws IOException {
        String a = legacy("first message");
        String b = legacy("second message");
        // a crash part-way through an earlier flattening: the file is in both places
        String c = legacy("third message");
        Files.createDirectories(dir.resolve(c.substring(0, 2)));
        Files.writeString(dir.resolve(c.substring(0, 2)).resolve(c), "third message");

        BlobStore blobs = new BlobStore(dir);

        for (String[] blob : new String[][] {{a, "first message"}, {b, "second message"}, {c, "third message"}}) {
            assertThat(blobs.exists(blob[0])).isTrue();
            try (FileChannel ch = blobs.open(blob[0])) {
                ByteBuffer buf = ByteBuffer.allocate(64);
                ch.read(buf);
                assertThat(new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII)).isEqualTo(blob[1]);
            }
        }
        try (var all = Files.walk(dir)) {
            assertThat(all.filter(p -> dir.relativize(p).getNameCount() == 3)).isEmpty(); // no ab/cd/ folder left
        }
        assertThat(Files.exists(dir.resolve(BlobStore.FLAT_MARKER))).isTrue();
    }

    @Test
    void anOpenWithTheMarkerDoesNotWalkTheFolders() throws IOException {
        new BlobStore(dir);
        String late = legacy("written in the old layout after the marker");

        new BlobStore(dir);

        assertThat(Files.exists(dir.resolve(late.substring(0, 2)).resolve(late.substring(2, 4)).resolve(late))).isTrue();
    }

    /** Writes {@code text} where the two-level layout kept it and returns its name. */
    private String legacy(String text) throws IOException {
        String sha = HexFormat.of().formatHex(BlobStore.sha256().digest(text.getBytes(StandardCharsets.US_ASCII)));
        Path folder = dir.resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4));
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(sha), text);
        return sha;
    }
}
