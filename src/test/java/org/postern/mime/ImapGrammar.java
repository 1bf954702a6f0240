package org.postern.mime;

import java.util.List;
import java.util.Locale;

/** Checks rendered values against the grammar of RFC 3501 §9 / RFC 9051 §9 (body, envelope). */
final class ImapGrammar {

    private ImapGrammar() {
    }

    static void checkBody(ImapValue v, boolean ext) {
        ImapValue.ListValue l = list(v, "body");
        if (l.size() == 0) {
            fail("empty body");
        }
        if (l.get(0) instanceof ImapValue.ListValue) {
            int i = 0;
            while (i < l.size() && l.get(i) instanceof ImapValue.ListValue) {
                checkBody(l.get(i), ext);
                i++;
            }
            string(l.get(i++), "media-subtype");
            if (ext) {
                params(l.get(i++));
                disposition(l.get(i++));
                language(l.get(i++));
                nstring(l.get(i++), "body-fld-loc");
            }
            if (i != l.size()) {
                fail("extra items in multipart: " + l);
            }
            return;
        }
        String type = string(l.get(0), "media type").toUpperCase(Locale.ROOT);
        String subtype = string(l.get(1), "media subtype").toUpperCase(Locale.ROOT);
        params(l.get(2));
        nstring(l.get(3), "body-fld-id");
        nstring(l.get(4), "body-fld-desc");
        string(l.get(5), "body-fld-enc");
        number(l.get(6), "body-fld-octets");
        int i = 7;
        if (type.equals("TEXT")) {
            number(l.get(i++), "body-fld-lines");
        } else if (type.equals("MESSAGE") && (subtype.equals("RFC822") || subtype.equals("GLOBAL"))) {
            checkEnvelope(l.get(i++));
            checkBody(l.get(i++), ext);
            number(l.get(i++), "body-fld-lines");
        }
        if (ext) {
            nstring(l.get(i++), "body-fld-md5");
            disposition(l.get(i++));
            language(l.get(i++));
            nstring(l.get(i++), "body-fld-loc");
        }
        if (i != l.size()) {
            fail("wrong number of items in " + type + "/" + subtype + ": " + l.size());
        }
    }

    static void checkEnvelope(ImapValue v) {
        ImapValue.ListValue l = list(v, "envelope");
        if (l.size() != 10) {
            fail("envelope has " + l.size() + " items");
        }
        nstring(l.get(0), "env-date");
        nstring(l.get(1), "env-subject");
        for (int i = 2; i < 8; i++) {
            addresses(l.get(i));
        }
        nstring(l.get(8), "env-in-reply-to");
        nstring(l.get(9), "env-message-id");
    }

    private static void addresses(ImapValue v) {
        if (v instanceof ImapValue.Nil) {
            return;
        }
        ImapValue.ListValue l = list(v, "address list");
        if (l.size() == 0) {
            fail("empty address list must be NIL");
        }
        int openGroups = 0;
        for (ImapValue a : l.items()) {
            ImapValue.ListValue addr = list(a, "address");
            if (addr.size() != 4) {
                fail("address has " + addr.size() + " items");
            }
            for (ImapValue x : addr.items()) {
                nstring(x, "address field");
            }
            if (addr.get(3) instanceof ImapValue.Nil) {
                if (addr.get(2) instanceof ImapValue.Nil) {
                    openGroups--;
                } else {
                    openGroups++;
                }
                if (openGroups < 0 || openGroups > 1) {
                    fail("unbalanced group syntax");
                }
            }
        }
        if (openGroups != 0) {
            fail("group not closed");
        }
    }

    private static void params(ImapValue v) {
        if (v instanceof ImapValue.Nil) {
            return;
        }
        ImapValue.ListValue l = list(v, "body-fld-param");
        if (l.size() == 0 || l.size() % 2 != 0) {
            fail("parameter list must hold pairs: " + l);
        }
        for (ImapValue x : l.items()) {
            string(x, "parameter");
        }
    }

    private static void disposition(ImapValue v) {
        if (v instanceof ImapValue.Nil) {
            return;
        }
        ImapValue.ListValue l = list(v, "body-fld-dsp");
        if (l.size() != 2) {
            fail("disposition needs 2 items");
        }
        string(l.get(0), "disposition type");
        params(l.get(1));
    }

    private static void language(ImapValue v) {
        if (v instanceof ImapValue.Nil || v instanceof ImapValue.Str) {
            return;
        }
        ImapValue.ListValue l = list(v, "body-fld-lang");
        for (ImapValue x : l.items()) {
            string(x, "language");
        }
    }

    private static ImapValue.ListValue list(ImapValue v, String what) {
        if (v instanceof ImapValue.ListValue l) {
            return l;
        }
        throw new AssertionError(what + " must be a list: " + v);
    }

    private static String string(ImapValue v, String what) {
        if (v instanceof ImapValue.Str s) {
            return s.value();
        }
        throw new AssertionError(what + " must be a string: " + v);
    }

    private static void nstring(ImapValue v, String what) {
        if (!(v instanceof ImapValue.Nil) && !(v instanceof ImapValue.Str)) {
            throw new AssertionError(what + " must be a string or NIL: " + v);
        }
    }

    private static void number(ImapValue v, String what) {
        if (!(v instanceof ImapValue.Num)) {
            throw new AssertionError(what + " must be a number: " + v);
        }
    }

    private static void fail(String message) {
        throw new AssertionError(message);
    }

    static List<ImapValue> items(ImapValue v) {
        return ((ImapValue.ListValue) v).items();
    }
}
