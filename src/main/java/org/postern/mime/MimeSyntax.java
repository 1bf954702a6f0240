package org.postern.mime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lenient tokenizer for structured MIME fields: Content-Type and Content-Disposition with their
 * parameters (RFC 2045 §5.1, RFC 2183 §2), Content-Transfer-Encoding (RFC 2045 §6.1) and
 * Content-Language (RFC 3282). Comments (RFC 5322 §3.2.2) are skipped anywhere white space may
 * appear. Nothing here throws on bad input: invalid pieces are dropped.
 */
final class MimeSyntax {

    private static final String TSPECIALS = "()<>@,;:\\\"/[]?=";

    private final String s;
    private int pos;

    private MimeSyntax(String s) {
        this.s = s;
    }

    /** A media type with its raw parameters (before RFC 2231 joining). */
    record TypeAndParams(String type, String subtype, List<Param> params) {
    }

    /** Parses "type/subtype; params"; type and subtype are null when the value is invalid. */
    static TypeAndParams contentType(String value) {
        MimeSyntax p = new MimeSyntax(value);
        p.skipCfws();
        String type = p.token();
        String subtype = null;
        p.skipCfws();
        if (type != null && p.peek() == '/') {
            p.pos++;
            p.skipCfws();
            subtype = p.typeToken();
        }
        List<Param> params = p.params();
        if (type == null || subtype == null) {
            return new TypeAndParams(null, null, params);
        }
        return new TypeAndParams(type.toLowerCase(Locale.ROOT), subtype.toLowerCase(Locale.ROOT), params);
    }

    /** Parses "token; params" (Content-Disposition); the token is null when missing. */
    static TypeAndParams tokenAndParams(String value) {
        MimeSyntax p = new MimeSyntax(value);
        p.skipCfws();
        String token = p.token();
        return new TypeAndParams(token == null ? null : token.toLowerCase(Locale.ROOT), null, p.params());
    }

    /** The single token of a field such as Content-Transfer-Encoding, lower case, or null. */
    static String singleToken(String value) {
        MimeSyntax p = new MimeSyntax(value);
        p.skipCfws();
        String token = p.token();
        p.skipCfws();
        if (token == null || p.pos < p.s.length()) {
            return null;
        }
        return token.toLowerCase(Locale.ROOT);
    }

    /** The comma-separated language tags of Content-Language. */
    static List<String> languages(String value) {
        MimeSyntax p = new MimeSyntax(value);
        List<String> out = new ArrayList<>();
        while (true) {
            p.skipCfws();
            if (p.pos >= p.s.length()) {
                return out;
            }
            if (p.peek() == ',') {
                p.pos++;
                continue;
            }
            String tag = p.token();
            if (tag == null) {
                p.pos++;
            } else {
                out.add(tag);
            }
        }
    }

    /**
     * The URI of Content-Location (RFC 2557 §4.2: [CFWS] URI [CFWS]): comments around it dropped,
     * quotes removed, and the white space that folding left inside removed, as a URI has none.
     * Null when nothing is left.
     */
    static String location(String value) {
        MimeSyntax p = new MimeSyntax(value);
        p.skipCfws();
        String uri;
        if (p.peek() == '"') {
            uri = p.quoted();
        } else {
            String rest = value.substring(p.pos).strip();
            // a trailing comment, e.g. "http://x/y (comment)"
            while (rest.endsWith(")")) {
                int open = trailingCommentStart(rest);
                if (open <= 0 || !isWhite(rest.charAt(open - 1))) {
                    break;
                }
                rest = rest.substring(0, open).strip();
            }
            uri = rest;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < uri.length(); i++) {
            if (!isWhite(uri.charAt(i))) {
                out.append(uri.charAt(i));
            }
        }
        return out.isEmpty() ? null : out.toString();
    }

    private static int trailingCommentStart(String s) {
        int depth = 0;
        for (int i = s.length() - 1; i >= 0; i--) {
            char c = s.charAt(i);
            if (c == ')') {
                depth++;
            } else if (c == '(' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private List<Param> params() {
        List<Param> out = new ArrayList<>();
        while (pos < s.length()) {
            skipCfws();
            if (pos >= s.length()) {
                break;
            }
            char c = peek();
            if (c == ';') {
                pos++;
                continue;
            }
            int save = pos;
            String name = paramName();
            skipCfws();
            if (name == null || peek() != '=') {
                // Not "name=": skip to the next ';'.
                pos = Math.max(pos, save + 1);
                skipTo(';');
                continue;
            }
            pos++;
            skipCfws();
            String value = value();
            if (value != null) {
                out.add(new Param(name, value));
            }
        }
        return out;
    }

    private String paramName() {
        int from = pos;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '=' || c == ';' || c == '"' || c == '(' || isWhite(c)) {
                break;
            }
            pos++;
        }
        return pos > from ? s.substring(from, pos) : null;
    }

    /** A quoted string, or an unquoted run up to ';' (several words kept, a "name=" word not). */
    private String value() {
        if (peek() == '"') {
            String quoted = quoted();
            skipTo(';');
            return quoted;
        }
        StringBuilder out = new StringBuilder();
        while (pos < s.length()) {
            int from = pos;
            // '(' inside a word is kept: "name=report(1).pdf" is common, a comment glued to a
            // value is not; a comment after white space is skipped below
            while (pos < s.length() && s.charAt(pos) != ';' && !isWhite(s.charAt(pos))
                    && !(s.charAt(pos) == '(' && pos == from)) {
                pos++;
            }
            String word = s.substring(from, pos);
            if (!out.isEmpty() && looksLikeParam(word)) {
                pos = from;
                break;
            }
            if (!word.isEmpty()) {
                if (!out.isEmpty()) {
                    out.append(' ');
                }
                out.append(word);
            }
            skipCfws();
            if (pos >= s.length() || s.charAt(pos) == ';') {
                break;
            }
            if (s.charAt(pos) == '"') {
                break;
            }
        }
        return out.isEmpty() ? null : out.toString();
    }

    private static boolean looksLikeParam(String word) {
        int eq = word.indexOf('=');
        if (eq <= 0) {
            return false;
        }
        for (int i = 0; i < eq; i++) {
            char c = word.charAt(i);
            if (c != '*' && (TSPECIALS.indexOf(c) >= 0 || c <= ' ')) {
                return false;
            }
        }
        return true;
    }

    private String quoted() {
        StringBuilder out = new StringBuilder();
        pos++;
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\' && pos < s.length()) {
                c = s.charAt(pos++);
            }
            out.append(c);
        }
        return out.toString();
    }

    private String token() {
        int from = pos;
        while (pos < s.length() && isTokenChar(s.charAt(pos))) {
            pos++;
        }
        return pos > from ? s.substring(from, pos) : null;
    }

    /** A subtype: a token, where a stray '/' is kept ("plain/format"). */
    private String typeToken() {
        int from = pos;
        while (pos < s.length() && (isTokenChar(s.charAt(pos)) || s.charAt(pos) == '/')) {
            pos++;
        }
        return pos > from ? s.substring(from, pos) : null;
    }

    private static boolean isTokenChar(char c) {
        return c > ' ' && c != 0x7f && TSPECIALS.indexOf(c) < 0;
    }

    private static boolean isWhite(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : 0;
    }

    private void skipTo(char stop) {
        while (pos < s.length() && s.charAt(pos) != stop) {
            if (s.charAt(pos) == '"') {
                quoted();
            } else {
                pos++;
            }
        }
    }

    /** Skips white space and comments, which nest and may contain quoted pairs. */
    private void skipCfws() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (isWhite(c)) {
                pos++;
            } else if (c == '(') {
                int depth = 0;
                while (pos < s.length()) {
                    char d = s.charAt(pos++);
                    if (d == '\\') {
                        pos++;
                    } else if (d == '(') {
                        depth++;
                    } else if (d == ')' && --depth == 0) {
                        break;
                    }
                }
            } else {
                return;
            }
        }
    }
}
