package org.postern.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content-addressed message files: {@code blobs/ab/abcd...} named by the SHA-256 of their
 * bytes, so a message delivered to many accounts or copied to many mailboxes is stored once.
 *
 * <p>Durability (DESIGN.md): {@link #put} writes to a temporary file, fsyncs it, renames it into
 * place and fsyncs the folder, so when it returns the blob survives a crash. A crash before the
 * rename leaves only a temporary file, removed by {@link #cleanTemporaryFiles} once it is old.
 *
 * <p>One level of 256 folders: each new folder costs fsyncs of its parent on the delivery that
 * creates it, and with two levels (65,536 folders, the layout before) nearly every delivery to a
 * store of fewer than a few hundred thousand messages created one, three directory fsyncs where
 * one will do. ext4 and XFS index large folders, so a million messages (4,000 files a folder)
 * are no burden. A store in the old layout is flattened once when it is opened.
 */
public final class BlobStore {
    private static final Logger log = LoggerFactory.getLogger(BlobStore.class);
    /** Present once the folder holds the one-level layout (written after a migration completes). */
    public static final String FLAT_MARKER = "layout-flat";

    private final Path root;
    private final Path tmp;

    public BlobStore(Path root) {
        this.root = root;
        this.tmp = root.resolve("tmp");
        try {
            Files.createDirectories(tmp);
            if (!Files.exists(root.resolve(FLAT_MARKER))) {
                flattenLegacyLayout();
            }
        } catch (IOException e) {
            throw StoreException.temporary("cannot prepare the blob folder " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Moves every {@code ab/cd/abcd...} file of the two-level layout to {@code ab/abcd...}, fsyncs
     * the folders it filled and removes the emptied ones, then writes the marker. Each move is a
     * rename within one filesystem, so a crash part-way leaves every blob in one place or the
     * other, and the next open finishes the work (nothing reads blobs before this returns).
     */
    private void flattenLegacyLayout() throws IOException {
        int moved = 0;
        try (DirectoryStream<Path> top = Files.newDirectoryStream(root, BlobStore::isHexPairFolder)) {
            for (Path first : top) {
                try (DirectoryStream<Path> second = Files.newDirectoryStream(first, BlobStore::isHexPairFolder)) {
                    for (Path legacy : second) {
                        try (DirectoryStream<Path> files = Files.newDirectoryStream(legacy)) {
                            for (Path f : files) {
                                Path target = first.resolve(f.getFileName());
                                if (Files.exists(target)) {
                                    Files.delete(f); // the same content (the same name) is already in place
                                } else {
                                    Files.move(f, target, StandardCopyOption.ATOMIC_MOVE);
                                }
                                moved++;
                            }
                        }
                        fsyncDirectory(first); // the moved names are durable before the old folder goes
                        Files.delete(legacy);
                    }
                }
            }
        }
        if (moved > 0) {
            log.info("blob folder {}: {} message files moved to the one-level layout", root, moved);
        }
        Path marker = root.resolve(FLAT_MARKER);
        try (FileChannel ch = FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap("blobs/ab/<sha-256>\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        fsyncDirectory(root);
    }

    private static boolean isHexPairFolder(Path p) {
        String n = p.getFileName().toString();
        return n.length() == 2 && HexFormat.isHexDigit(n.charAt(0)) && HexFormat.isHexDigit(n.charAt(1))
                && Files.isDirectory(p);
    }

    /** A stored blob: its SHA-256 in lowercase hex and its size in bytes. */
    public record Blob(String sha256, long size) {}

    /** Thrown when the input is larger than the limit given to {@link #put}. */
    public static final class TooLargeException extends IOException {
        public TooLargeException(long limit) {
            super("message larger than " + limit + " bytes");
        }
    }

    public Path root() {
        return root;
    }

    /** Stores the bytes of {@code in} durably; refuses (and removes) more than {@code maxBytes}. */
    public Blob put(InputStream in, long maxBytes) throws IOException {
        Path temp = tmp.resolve(UUID.randomUUID() + ".tmp");
        MessageDigest sha = sha256();
        long size = 0;
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = new DigestOutputStream(Channels.newOutputStream(ch), sha)) {
                byte[] buf = new byte[16 * 1024];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    size += n;
                    if (size > maxBytes) {
                        throw new TooLargeException(maxBytes);
                    }
                    out.write(buf, 0, n);
                }
                out.flush();
                ch.force(true);
            }
            String hex = HexFormat.of().formatHex(sha.digest());
            Path target = path(hex);
            if (Files.exists(target)) {
                Files.delete(temp);
                return new Blob(hex, size);
            }
            Path dir = target.getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                fsyncDirectory(root); // the new folder's name, before a file in it is counted on
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                Files.deleteIfExists(temp);
                if (!Files.exists(target)) {
                    throw e;
                }
            }
            fsyncDirectory(dir);
            return new Blob(hex, size);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** Stores {@code bytes} durably. */
    public Blob put(byte[] bytes) throws IOException {
        return put(new java.io.ByteArrayInputStream(bytes), Long.MAX_VALUE);
    }

    /** The file holding a blob; it may not exist. */
    public Path path(String sha256) {
        if (sha256.length() != 64 || !HexFormat.isHexDigit(sha256.charAt(0))) {
            throw new IllegalArgumentException("not a SHA-256: " + sha256);
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    public boolean exists(String sha256) {
        return Files.isRegularFile(path(sha256));
    }

    /** Opens a blob for reading; a missing blob is a temporary store error, named in the log by the caller. */
    public FileChannel open(String sha256) {
        Path p = path(sha256);
        try {
            return FileChannel.open(p, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw StoreException.temporary("message file missing: " + p, e);
        } catch (IOException e) {
            throw StoreException.temporary("cannot read message file " + p + ": " + e.getMessage(), e);
        }
    }

    /**
     * The file of a blob that must hold exactly {@code size} bytes; a missing or damaged file is
     * a temporary store error naming it (the caller logs it; the client hears "try later").
     */
    public Path verifiedPath(String sha256, long size) {
        Path p = path(sha256);
        long actual;
        try {
            actual = Files.size(p);
        } catch (NoSuchFileException e) {
            throw StoreException.temporary("message file missing: " + p, e);
        } catch (IOException e) {
            throw StoreException.temporary("cannot read message file " + p + ": " + e.getMessage(), e);
        }
        if (actual != size) {
            throw StoreException.temporary("message file damaged: " + p + " has " + actual + " bytes, the store recorded " + size, null);
        }
        return p;
    }

    /** Removes a blob that no message refers to any more. */
    public void delete(String sha256) throws IOException {
        Files.deleteIfExists(path(sha256));
    }

    /**
     * Removes temporary files older than {@code age}: what a crash left behind. Files younger
     * than that may belong to a delivery in progress, in this process or another (a command
     * run while the server runs), and stay.
     */
    public int cleanTemporaryFiles(java.time.Duration age) throws IOException {
        return removeOlderThan(tmp, age);
    }

    /** Deletes the regular files of {@code dir} last modified more than {@code age} ago. */
    public static int removeOlderThan(Path dir, java.time.Duration age) throws IOException {
        long before = System.currentTimeMillis() - age.toMillis();
        int n = 0;
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p) && Files.getLastModifiedTime(p).toMillis() < before && Files.deleteIfExists(p)) {
                    n++;
                }
            }
        }
        return n;
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** A SHA-256 digest, as blob names are made. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
