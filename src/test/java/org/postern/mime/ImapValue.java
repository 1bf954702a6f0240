package org.postern.mime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal reader of IMAP response values for tests: NIL, numbers, atoms, quoted strings,
 * literals and parenthesised lists. It knows nothing of what the values mean.
 */
sealed interface ImapValue {

    record Nil() implements ImapValue {
    }

    record Str(String value) implements ImapValue {
    }

    record Num(long value) implements ImapValue {
    }

    record Atom(String value) implements ImapValue {
    }

    record ListValue(List<ImapValue> items) implements ImapValue {
        ImapValue get(int i) {
            return items.get(i);
        }

        int size() {
            return items.size();
        }
    }

    /** Parses exactly one value; throws IllegalArgumentException on any syntax error. */
    static ImapValue parse(byte[] bytes) {
        Reader r = new Reader(bytes);
        ImapValue v = r.value();
        if (r.pos != bytes.length) {
            throw new IllegalArgumentException("trailing data at " + r.pos);
        }
        return v;
    }

    final class Reader {
        private final byte[] b;
        int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        ImapValue value() {
            if (pos >= b.length) {
                throw new IllegalArgumentException("unexpected end");
            }
            byte c = b[pos];
            if (c == '(') {
                pos++;
                List<ImapValue> items = new ArrayList<>();
                boolean first = true;
                while (true) {
                    if (pos >= b.length) {
                        throw new IllegalArgumentException("unclosed list");
                    }
                    if (b[pos] == ')') {
                        pos++;
                        return new ListValue(items);
                    }
                    if (!first && b[pos] == ' ') {
                        pos++;
                    } else if (!first && b[pos] != '(') {
                        throw new IllegalArgumentException("missing space at " + pos);
                    }
                    items.add(value());
                    first = false;
                }
            }
            if (c == '"') {
                pos++;
                StringBuilder s = new StringBuilder();
                java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
                while (true) {
                    if (pos >= b.length) {
                        throw new IllegalArgumentException("unclosed quoted string");
                    }
                    byte d = b[pos++];
                    if (d == '"') {
                        break;
                    }
                    if (d == '\r' || d == '\n' || d == 0) {
                        throw new IllegalArgumentException("CR/LF/NUL in quoted string");
                    }
                    if (d == '\\') {
                        d = b[pos++];
                        if (d != '"' && d != '\\') {
                            throw new IllegalArgumentException("bad escape");
                        }
                    }
                    raw.write(d);
                }
                s.append(raw.toString(StandardCharsets.UTF_8));
                return new Str(s.toString());
            }
            if (c == '{') {
                int close = pos;
                while (b[close] != '}') {
                    close++;
                }
                int n = Integer.parseInt(new String(b, pos + 1, close - pos - 1, StandardCharsets.US_ASCII));
                if (b[close + 1] != '\r' || b[close + 2] != '\n') {
                    throw new IllegalArgumentException("literal without CRLF");
                }
                int start = close + 3;
                for (int i = start; i < start + n; i++) {
                    if (b[i] == 0) {
                        throw new IllegalArgumentException("NUL in literal");
                    }
                }
                pos = start + n;
                return new Str(new String(b, start, n, StandardCharsets.UTF_8));
            }
            int start = pos;
            while (pos < b.length && b[pos] != ' ' && b[pos] != ')' && b[pos] != '(') {
                pos++;
            }
            String atom = new String(b, start, pos - start, StandardCharsets.US_ASCII);
            if (atom.isEmpty()) {
                throw new IllegalArgumentException("empty atom at " + start);
            }
            if (atom.equals("NIL")) {
                return new Nil();
            }
            if (atom.chars().allMatch(Character::isDigit)) {
                return new Num(Long.parseLong(atom));
            }
            return new Atom(atom);
        }
    }
}
