package org.postern.mime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Decoded structures of recently read messages, by blob (the SHA-256 of the message's bytes, so
 * an entry can never belong to another message: the structure is a function of the content).
 * Clients FETCH the envelopes and structures of the same messages again and again — every
 * device, every resync — and decoding them is most of a FETCH's CPU.
 *
 * <p>Bounded by the size of the stored forms it holds (a proxy for the decoded size); a message
 * whose stored form is larger than a sixteenth of the bound is decoded and not kept.
 */
public final class StructureCache {
    /** The one cache of the process; 4 MiB of stored forms is some thousands of messages. */
    public static final StructureCache SHARED = new StructureCache(4L << 20);

    /** What FETCH writes from a structure, kept beside it once rendered. */
    public enum Rendering {
        ENVELOPE, BODY, BODYSTRUCTURE
    }

    private static final class Entry {
        final ParsedMessage parsed;
        int cost;
        /** By {@link Rendering} and UTF8=ACCEPT or not: ordinal * 2 + (utf8 ? 1 : 0). */
        byte[][] renderings;

        Entry(ParsedMessage parsed, int cost) {
            this.parsed = parsed;
            this.cost = cost;
        }

        int cost() {
            return cost;
        }

        ParsedMessage parsed() {
            return parsed;
        }
    }

    private final long maxCost;
    private long cost;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(256, 0.75f, true);

    StructureCache(long maxCost) {
        this.maxCost = maxCost;
    }

    /**
     * The decoded structure of the message stored as {@code blob}; {@code stored} reads its
     * stored form when it is not cached.
     *
     * @throws StructureDecodeException as {@link ParsedMessage#decode(byte[])}
     */
    public ParsedMessage get(String blob, Supplier<byte[]> stored) {
        synchronized (this) {
            Entry e = entries.get(blob);
            if (e != null) {
                return e.parsed();
            }
        }
        byte[] bytes = stored.get();
        ParsedMessage parsed = ParsedMessage.decode(bytes);
        int c = bytes.length + 64;
        if (c <= maxCost / 16) {
            synchronized (this) {
                Entry old = entries.put(blob, new Entry(parsed, c));
                cost += c - (old == null ? 0 : old.cost());
                evict();
            }
        }
        return parsed;
    }

    /**
     * {@code render} applied to {@code parsed} (the structure {@link #get} gave for {@code blob}),
     * kept with the cached structure so that the next FETCH of the same message writes the same
     * bytes without rendering them again. The rendering is a function of the content, like the
     * structure itself.
     */
    public byte[] rendering(String blob, ParsedMessage parsed, Rendering kind, boolean utf8,
                            Function<ParsedMessage, byte[]> render) {
        int slot = kind.ordinal() * 2 + (utf8 ? 1 : 0);
        synchronized (this) {
            Entry e = entries.get(blob);
            if (e != null && e.parsed == parsed && e.renderings != null && e.renderings[slot] != null) {
                return e.renderings[slot];
            }
        }
        byte[] bytes = render.apply(parsed);
        synchronized (this) {
            Entry e = entries.get(blob);
            if (e != null && e.parsed == parsed) {
                if (e.renderings == null) {
                    e.renderings = new byte[Rendering.values().length * 2][];
                }
                if (e.renderings[slot] == null) {
                    e.renderings[slot] = bytes;
                    e.cost += bytes.length;
                    cost += bytes.length;
                    evict();
                }
            }
        }
        return bytes;
    }

    private void evict() {
        var it = entries.entrySet().iterator();
        while (cost > maxCost && it.hasNext()) {
            Map.Entry<String, Entry> eldest = it.next();
            cost -= eldest.getValue().cost();
            it.remove();
        }
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized long cost() {
        return cost;
    }
}
