package org.postern.imap.parse;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One FETCH data item ({@code fetch-att}, RFC 9051 §6.4.5, §9). The macros ALL, FAST and FULL
 * are expanded by the parser. New items (such as Gmail's {@code X-GM-MSGID}) are added as
 * constants of {@link Item} or as records here, and to {@code FetchSyntax}.
 */
public sealed interface FetchAttribute {

    /** The data items without arguments. */
    enum Item implements FetchAttribute {
        ENVELOPE, FLAGS, INTERNALDATE,
        /** RFC822 and its parts: IMAP4rev1 (RFC 3501 §6.4.5), kept by RFC 9051 for compatibility. */
        RFC822, RFC822_HEADER, RFC822_SIZE, RFC822_TEXT,
        /** BODY without a section: BODYSTRUCTURE without extension data. */
        BODY, BODYSTRUCTURE, UID,
        /** RFC 7162 §3.1.4.1 (CONDSTORE). */
        MODSEQ,
        /** RFC 8474 §5.1, §5.2 (OBJECTID). */
        EMAILID, THREADID,
        /** RFC 8514 §4 (SAVEDATE). */
        SAVEDATE;

        /** The name on the wire, such as {@code RFC822.SIZE}. */
        public String wireName() {
            return name().replace('_', '.');
        }

        static Item byWireName(String upper) {
            for (Item i : values()) {
                if (i.wireName().equals(upper)) {
                    return i;
                }
            }
            return null;
        }
    }

    /**
     * {@code BODY[section]<partial>} or {@code BODY.PEEK[section]<partial>} (RFC 9051 §6.4.5).
     *
     * @param peek whether {@code .PEEK}: the message is not marked \Seen
     */
    record BodySection(Section section, boolean peek, Optional<Partial> partial) implements FetchAttribute {
        public BodySection {
            Objects.requireNonNull(section, "section");
            Objects.requireNonNull(partial, "partial");
        }
    }

    /**
     * {@code BINARY[part]<partial>} or {@code BINARY.PEEK[part]<partial>} (RFC 3516 §4.2): the part
     * with its content-transfer-encoding removed.
     *
     * @param part the part number, empty for the whole message
     */
    record Binary(List<Integer> part, boolean peek, Optional<Partial> partial) implements FetchAttribute {
        public Binary {
            part = List.copyOf(part);
            Objects.requireNonNull(partial, "partial");
        }
    }

    /** {@code BINARY.SIZE[part]} (RFC 3516 §4.2): the decoded size. */
    record BinarySize(List<Integer> part) implements FetchAttribute {
        public BinarySize {
            part = List.copyOf(part);
        }
    }

    /**
     * A body section (RFC 9051 §6.4.5 {@code section}): a part number, then optionally what of it.
     * {@code BODY[]} is the empty part and no text: the whole message.
     *
     * @param part   {@code section-part}: 1-based part numbers, empty for the message itself
     * @param text   which piece of the part, or empty for all of it
     * @param fields the header field names of {@code HEADER.FIELDS} and {@code HEADER.FIELDS.NOT},
     *               as the client wrote them (compare them case-insensitively); otherwise empty
     */
    record Section(List<Integer> part, Optional<Text> text, List<String> fields) {
        public static final Section WHOLE = new Section(List.of(), Optional.empty(), List.of());

        /** {@code section-msgtext} and {@code MIME}. */
        public enum Text {
            HEADER, HEADER_FIELDS, HEADER_FIELDS_NOT, TEXT,
            /** Only after a part number: the part's own MIME header. */
            MIME;

            public String wireName() {
                return name().replace('_', '.');
            }
        }

        public Section {
            part = List.copyOf(part);
            Objects.requireNonNull(text, "text");
            fields = List.copyOf(fields);
            boolean hasFields = text.isPresent()
                    && (text.get() == Text.HEADER_FIELDS || text.get() == Text.HEADER_FIELDS_NOT);
            if (hasFields == fields.isEmpty()) {
                throw new IllegalArgumentException("header fields go with HEADER.FIELDS and HEADER.FIELDS.NOT only");
            }
        }

        public static Section of(List<Integer> part, Text text, String... fields) {
            return new Section(part, Optional.ofNullable(text), List.of(fields));
        }

        /** The specifier between the brackets, as in a FETCH response: {@code 1.2.HEADER.FIELDS (FROM)}. */
        public String wireForm() {
            StringBuilder b = new StringBuilder();
            for (int p : part) {
                if (!b.isEmpty()) {
                    b.append('.');
                }
                b.append(p);
            }
            text.ifPresent(t -> {
                if (!b.isEmpty()) {
                    b.append('.');
                }
                b.append(t.wireName());
            });
            if (!fields.isEmpty()) {
                // The field names as the client wrote them: clients find the answer to their
                // request by this text, so it is echoed as sent, not upper-cased.
                b.append(" (").append(String.join(" ", fields.stream().map(Section::astring).toList())).append(')');
            }
            return b.toString();
        }

        /** A header field name as an atom, or quoted when it has characters an atom cannot hold. */
        private static String astring(String name) {
            for (int i = 0; i < name.length(); i++) {
                if ("(){ %*\"\\]".indexOf(name.charAt(i)) >= 0) {
                    return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
                }
            }
            return name;
        }
    }

    /**
     * {@code <offset.length>} (RFC 9051 §6.4.5 {@code partial}).
     *
     * @param offset the first octet, from 0
     * @param length how many octets, at least 1
     */
    record Partial(long offset, long length) {
        public Partial {
            if (offset < 0 || length < 1) {
                throw new IllegalArgumentException("partial <" + offset + "." + length + "> out of range");
            }
        }
    }
}
