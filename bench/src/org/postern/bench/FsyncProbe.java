package org.postern.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The physical reference of issue 7: how many fsyncs a second the data folder's disk does, with
 * one writer (each fsync waits for the one before) and with many at once (the filesystem's
 * journal may carry several in one flush). Each fsync follows a 4 KiB append, the size of a small
 * message's blob.
 */
final class FsyncProbe {
    record Result(int threads, double seconds, long fsyncs) {
        double perSecond() {
            return fsyncs / seconds;
        }
    }

    static Result measure(Path folder, int threads, double seconds) throws Exception {
        Path dir = Files.createTempDirectory(folder, "fsync-probe");
        AtomicLong count = new AtomicLong();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Thread> workers = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            Path file = dir.resolve("f" + i);
            workers.add(Thread.ofPlatform().start(() -> {
                ByteBuffer block = ByteBuffer.allocate(4096);
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                    while (System.nanoTime() < end) {
                        block.clear();
                        ch.write(block);
                        ch.force(true);
                        count.incrementAndGet();
                    }
                } catch (IOException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }));
        }
        for (Thread t : workers) {
            t.join();
        }
        double took = (System.nanoTime() - t0) / 1e9;
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
        return new Result(threads, took, count.get());
    }
}
