package org.postern.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * The stored form of a {@link ParsedMessage}: magic "PMS", a version byte, a payload of varints
 * and length-prefixed UTF-8 strings, and a CRC-32C of all that. Offsets are stored as deltas so a
 * typical message takes a few hundred bytes. Decoding checks everything (magic, version, checksum,
 * bounds, span invariants) and fails with {@link StructureDecodeException}.
 */
final class StructureCodec {

    static final int VERSION = 1;
    private static final byte[] MAGIC = {'P', 'M', 'S'};
    private static final int MAX_DEPTH = 10_000;

    private StructureCodec() {
    }

    static byte[] encode(ParsedMessage m) {
        Writer w = new Writer();
        w.out.writeBytes(MAGIC);
        w.out.write(VERSION);
        w.varlong(m.size());
        w.out.write(m.status().ordinal());
        w.string(m.subject());
        w.varlong(m.sentDate().isPresent() ? 1 : 0);
        if (m.sentDate().isPresent()) {
            w.varlong(zigzag(m.sentDate().getAsLong()));
        }
        w.varlong(m.from() == null ? 0 : 1);
        if (m.from() != null) {
            w.mailbox(m.from());
        }
        w.string(m.messageId());
        w.strings(m.inReplyTo());
        w.strings(m.references());
        w.envelope(m.envelope());
        w.part(m.root());
        CRC32C crc = new CRC32C();
        byte[] body = w.out.toByteArray();
        crc.update(body);
        long c = crc.getValue();
        w.out.write((int) (c >>> 24));
        w.out.write((int) (c >>> 16));
        w.out.write((int) (c >>> 8));
        w.out.write((int) c);
        return w.out.toByteArray();
    }

    static ParsedMessage decode(byte[] bytes) {
        if (bytes == null || bytes.length < MAGIC.length + 1 + 4) {
            throw new StructureDecodeException("stored structure is truncated");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new StructureDecodeException("not a stored message structure (bad magic)");
            }
        }
        int version = bytes[MAGIC.length] & 0xff;
        if (version != VERSION) {
            throw new StructureDecodeException("unsupported stored structure version " + version);
        }
        int end = bytes.length - 4;
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, end);
        long stored = ((bytes[end] & 0xffL) << 24) | ((bytes[end + 1] & 0xffL) << 16)
                | ((bytes[end + 2] & 0xffL) << 8) | (bytes[end + 3] & 0xffL);
        if (stored != crc.getValue()) {
            throw new StructureDecodeException("stored structure is corrupt (checksum mismatch)");
        }
        Reader r = new Reader(bytes, MAGIC.length + 1, end);
        try {
            long size = r.varlong();
            int statusOrdinal = r.u8();
            ParsedMessage.Status[] statuses = ParsedMessage.Status.values();
            if (statusOrdinal >= statuses.length) {
                throw new StructureDecodeException("bad status " + statusOrdinal);
            }
            String subject = r.requiredString();
            OptionalLong sentDate = r.varlong() == 1 ? OptionalLong.of(unzigzag(r.varlong())) : OptionalLong.empty();
            Address.Mailbox from = r.varlong() == 1 ? r.mailbox() : null;
            String messageId = r.string();
            List<String> inReplyTo = r.strings();
            List<String> references = r.strings();
            Envelope envelope = r.envelope();
            BodyPart root = r.part(0);
            if (r.pos != end) {
                throw new StructureDecodeException("trailing bytes in stored structure");
            }
            if (root.span().headerStart() != 0 || root.span().bodyEnd() != size) {
                throw new StructureDecodeException("root does not cover the message");
            }
            return new ParsedMessage(size, root, envelope, subject, sentDate, from, messageId,
                    inReplyTo, references, statuses[statusOrdinal]);
        } catch (StructureDecodeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StructureDecodeException("stored structure is corrupt: " + e.getMessage(), e);
        }
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static final class Writer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

        void varlong(long v) {
            while ((v & ~0x7fL) != 0) {
                out.write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        void string(String s) {
            if (s == null) {
                varlong(0);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varlong(b.length + 1L);
            out.writeBytes(b);
        }

        void strings(List<String> list) {
            varlong(list.size());
            for (String s : list) {
                string(s);
            }
        }

        void params(List<Param> params) {
            varlong(params.size());
            for (Param p : params) {
                string(p.name());
                string(p.value());
            }
        }

        void mailbox(Address.Mailbox m) {
            string(m.name());
            string(m.adl());
            string(m.mailbox());
            string(m.host());
        }

        void addresses(List<Address> list) {
            varlong(list.size());
            for (Address a : list) {
                switch (a) {
                    case Address.Mailbox m -> {
                        out.write(0);
                        mailbox(m);
                    }
                    case Address.Group g -> {
                        out.write(1);
                        string(g.name());
                        varlong(g.members().size());
                        g.members().forEach(this::mailbox);
                    }
                }
            }
        }

        void envelope(Envelope e) {
            string(e.date());
            string(e.subject());
            addresses(e.from());
            addresses(e.sender());
            addresses(e.replyTo());
            addresses(e.to());
            addresses(e.cc());
            addresses(e.bcc());
            string(e.inReplyTo());
            string(e.messageId());
        }

        void fields(MimeFields f) {
            string(f.type());
            string(f.subtype());
            params(f.params());
            string(f.id());
            string(f.description());
            string(f.encoding());
            string(f.md5());
            if (f.disposition() == null) {
                string(null);
            } else {
                string(f.disposition().type());
                params(f.disposition().params());
            }
            strings(f.language());
            string(f.location());
        }

        void part(BodyPart p) {
            Span s = p.span();
            switch (p) {
                case BodyPart.Leaf l -> out.write(0);
                case BodyPart.Multipart m -> out.write(1);
                case BodyPart.Message m -> out.write(2);
            }
            fields(p.fields());
            varlong(s.headerStart());
            varlong(s.bodyStart() - s.headerStart());
            varlong(s.bodyEnd() - s.bodyStart());
            varlong(s.bodyLines());
            switch (p) {
                case BodyPart.Leaf l -> {
                }
                case BodyPart.Multipart m -> {
                    varlong(m.children().size());
                    m.children().forEach(this::part);
                }
                case BodyPart.Message m -> {
                    envelope(m.envelope());
                    part(m.body());
                }
            }
        }
    }

    private static final class Reader {
        private final byte[] b;
        private final int end;
        int pos;

        Reader(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        int u8() {
            if (pos >= end) {
                throw new StructureDecodeException("stored structure is truncated");
            }
            return b[pos++] & 0xff;
        }

        long varlong() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int x = u8();
                v |= (long) (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    if (v < 0 && shift < 63) {
                        throw new StructureDecodeException("varint out of range");
                    }
                    return v;
                }
            }
            throw new StructureDecodeException("varint too long");
        }

        /** A count of items each taking at least one byte. */
        int count() {
            long n = varlong();
            if (n < 0 || n > end - pos) {
                throw new StructureDecodeException("bad count " + n);
            }
            return (int) n;
        }

        String string() {
            long n = varlong();
            if (n == 0) {
                return null;
            }
            if (n - 1 > end - pos || n < 0) {
                throw new StructureDecodeException("string runs past the end");
            }
            String s = new String(b, pos, (int) (n - 1), StandardCharsets.UTF_8);
            pos += (int) (n - 1);
            return s;
        }

        String requiredString() {
            String s = string();
            if (s == null) {
                throw new StructureDecodeException("missing required string");
            }
            return s;
        }

        List<String> strings() {
            int n = count();
            List<String> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(requiredString());
            }
            return out;
        }

        List<Param> params() {
            int n = count();
            List<Param> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new Param(requiredString(), requiredString()));
            }
            return out;
        }

        Address.Mailbox mailbox() {
            return new Address.Mailbox(string(), string(), requiredString(), requiredString());
        }

        List<Address> addresses() {
            int n = count();
            List<Address> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int tag = u8();
                if (tag == 0) {
                    out.add(mailbox());
                } else if (tag == 1) {
                    String name = requiredString();
                    int members = count();
                    List<Address.Mailbox> list = new ArrayList<>(members);
                    for (int k = 0; k < members; k++) {
                        list.add(mailbox());
                    }
                    out.add(new Address.Group(name, list));
                } else {
                    throw new StructureDecodeException("bad address tag " + tag);
                }
            }
            return out;
        }

        Envelope envelope() {
            return new Envelope(string(), string(), addresses(), addresses(), addresses(), addresses(),
                    addresses(), addresses(), string(), string());
        }

        MimeFields fields() {
            String type = requiredString();
            String subtype = requiredString();
            List<Param> params = params();
            String id = string();
            String description = string();
            String encoding = string();
            String md5 = string();
            String dispositionType = string();
            Disposition disposition = dispositionType == null ? null : new Disposition(dispositionType, params());
            List<String> language = strings();
            String location = string();
            return new MimeFields(type, subtype, params, id, description, encoding, md5, disposition, language, location);
        }

        BodyPart part(int depth) {
            if (depth > MAX_DEPTH) {
                throw new StructureDecodeException("stored structure nests too deep");
            }
            int tag = u8();
            MimeFields fields = fields();
            long headerStart = varlong();
            long bodyStart = Math.addExact(headerStart, varlong());
            long bodyEnd = Math.addExact(bodyStart, varlong());
            Span span = new Span(headerStart, bodyStart, bodyEnd, varlong());
            return switch (tag) {
                case 0 -> {
                    if (fields.isMultipart() || fields.isMessage()) {
                        throw new StructureDecodeException("leaf part of type " + fields.type() + "/" + fields.subtype());
                    }
                    yield new BodyPart.Leaf(fields, span);
                }
                case 1 -> {
                    int n = count();
                    List<BodyPart> children = new ArrayList<>(n);
                    long at = span.bodyStart();
                    for (int i = 0; i < n; i++) {
                        BodyPart child = part(depth + 1);
                        if (child.span().headerStart() < at || child.span().bodyEnd() > span.bodyEnd()) {
                            throw new StructureDecodeException("part outside its multipart");
                        }
                        at = child.span().bodyEnd();
                        children.add(child);
                    }
                    yield new BodyPart.Multipart(fields, span, children);
                }
                case 2 -> {
                    Envelope envelope = envelope();
                    BodyPart body = part(depth + 1);
                    if (body.span().headerStart() != span.bodyStart() || body.span().bodyEnd() != span.bodyEnd()) {
                        throw new StructureDecodeException("embedded message does not fill its part");
                    }
                    yield new BodyPart.Message(fields, span, envelope, body);
                }
                default -> throw new StructureDecodeException("bad part tag " + tag);
            };
        }
    }
}
