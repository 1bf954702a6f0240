package org.postern.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StructureCacheTest {
    private static byte[] stored(String subject) throws IOException {
        String raw = "From: a@example.org\r\nSubject: " + subject + "\r\n\r\nbody\r\n";
        return MessageParser.parse(new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII))).encode();
    }

    @Test
    void aCachedStructureIsNotReadAgain() throws IOException {
        StructureCache cache = new StructureCache(1 << 20);
        byte[] one = stored("one");
        AtomicInteger reads = new AtomicInteger();
        ParsedMessage first = cache.get("blob1", () -> {
            reads.incrementAndGet();
            return one;
        });
        ParsedMessage again = cache.get("blob1", () -> {
            reads.incrementAndGet();
            return one;
        });
        assertThat(first.subject()).isEqualTo("one");
        assertThat(again).isSameAs(first);
        assertThat(reads).hasValue(1);
    }

    @Test
    void theLeastRecentlyUsedGoWhenTheBoundIsReached() throws IOException {
        byte[] s = stored("x");
        int each = s.length + 64;
        StructureCache cache = new StructureCache(each * 16L);
        for (int i = 0; i < 40; i++) {
            cache.get("blob" + i, () -> s);
        }
        assertThat(cache.size()).isEqualTo(16);
        assertThat(cache.cost()).isLessThanOrEqualTo(each * 16L);
        AtomicInteger reads = new AtomicInteger();
        cache.get("blob0", () -> {
            reads.incrementAndGet();
            return s;
        });
        cache.get("blob39", () -> {
            reads.incrementAndGet();
            return s;
        });
        assertThat(reads).as("blob0 was evicted, blob39 is kept").hasValue(1);
    }

    @Test
    void aLargeStructureIsDecodedButNotKept() throws IOException {
        byte[] s = stored("a subject long enough to be over a sixteenth of a tiny bound");
        StructureCache cache = new StructureCache(16L * 40);
        assertThat(cache.get("big", () -> s).subject()).startsWith("a subject");
        assertThat(cache.size()).isZero();
    }

    @Test
    void aCorruptStructureFailsAndIsNotKept() {
        StructureCache cache = new StructureCache(1 << 20);
        assertThatThrownBy(() -> cache.get("bad", () -> new byte[] {'P', 'M', 'S', 1, 0, 0, 0, 0, 0}))
                .isInstanceOf(StructureDecodeException.class);
        assertThat(cache.size()).isZero();
    }

    @Test
    void aRenderingIsKeptWithItsStructureOncePerKindAndUtf8Choice() throws IOException {
        StructureCache cache = new StructureCache(1 << 20);
        byte[] one = stored("one");
        ParsedMessage parsed = cache.get("blob1", () -> one);
        AtomicInteger renders = new AtomicInteger();
        java.util.function.Function<ParsedMessage, byte[]> envelope = m -> {
            renders.incrementAndGet();
            return ImapRender.envelope(m.envelope(), false);
        };
        long before = cache.cost();
        byte[] first = cache.rendering("blob1", parsed, StructureCache.Rendering.ENVELOPE, false, envelope);
        byte[] again = cache.rendering("blob1", parsed, StructureCache.Rendering.ENVELOPE, false, envelope);
        assertThat(again).isSameAs(first);
        assertThat(new String(first, StandardCharsets.UTF_8)).contains("\"one\"");
        assertThat(renders).hasValue(1);
        assertThat(cache.cost()).as("the rendering counts against the bound").isEqualTo(before + first.length);
        cache.rendering("blob1", parsed, StructureCache.Rendering.ENVELOPE, true, envelope);
        cache.rendering("blob1", parsed, StructureCache.Rendering.BODYSTRUCTURE, false, envelope);
        assertThat(renders).hasValue(3);
    }

    @Test
    void aRenderingOfAStructureNoLongerCachedIsNotKept() throws IOException {
        StructureCache cache = new StructureCache(1 << 20);
        byte[] one = stored("one");
        ParsedMessage uncached = ParsedMessage.decode(one);
        AtomicInteger renders = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            cache.rendering("blob1", uncached, StructureCache.Rendering.BODY, false, m -> {
                renders.incrementAndGet();
                return new byte[] {1};
            });
        }
        assertThat(renders).hasValue(2);
        assertThat(cache.size()).isZero();
    }
}
