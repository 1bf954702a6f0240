package org.postern.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Building pages: escaping, the common layout (one small CSS file, a header with the tabs, a
 * main landmark) and form helpers that always carry the CSRF token.
 */
final class Html {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Html() {}

    /** Escapes text for HTML element content and quoted attribute values. */
    static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    static String when(Long epochMillis) {
        return epochMillis == null || epochMillis == 0 ? "never" : WHEN.format(Instant.ofEpochMilli(epochMillis));
    }

    /** The tabs of a signed-in person; administrators also see "Admin". */
    enum Tab {
        SETTINGS("/settings", "Forwarding and POP/IMAP"),
        SECURITY("/security", "Security"),
        DOCTOR("/doctor", "Connection doctor"),
        SETUP("/setup", "Set up a mail client"),
        ADMIN("/admin", "Admin");

        final String path;
        final String label;

        Tab(String path, String label) {
            this.path = path;
            this.label = label;
        }
    }

    /** A whole page. {@code session} null: a page for someone not signed in. */
    static String page(String title, WebSession session, Tab active, String body) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(title)).append(" – Postern</title>")
                .append("<link rel=\"stylesheet\" href=\"/static/postern.css\"></head><body>")
                .append("<a class=\"skip\" href=\"#main\">Skip to content</a><header><p class=\"brand\">Postern</p>");
        if (session != null && session.signedIn()) {
            sb.append("<nav aria-label=\"Settings\"><ul>");
            for (Tab t : Tab.values()) {
                if (t == Tab.ADMIN && !session.admin()) {
                    continue;
                }
                sb.append("<li><a href=\"").append(t.path).append('"')
                        .append(t == active ? " aria-current=\"page\"" : "").append('>').append(esc(t.label)).append("</a></li>");
            }
            sb.append("</ul></nav><div class=\"who\">").append(esc(session.email()))
                    .append(form(session, "/signout", "<button type=\"submit\" class=\"link\">Sign out</button>"))
                    .append("</div>");
        }
        sb.append("</header><main id=\"main\" tabindex=\"-1\"><h1>").append(esc(title)).append("</h1>");
        if (session != null) {
            String flash = session.takeFlash();
            if (flash != null) {
                sb.append("<p class=\"notice\" role=\"status\">").append(esc(flash)).append("</p>");
            }
        }
        sb.append(body).append("</main></body></html>\n");
        return sb.toString();
    }

    /** A POST form with the session's CSRF token. */
    static String form(WebSession session, String action, String inner) {
        return "<form method=\"post\" action=\"" + esc(action) + "\"><input type=\"hidden\" name=\"csrf\" value=\""
                + esc(session.csrf()) + "\">" + inner + "</form>";
    }

    static String error(String text) {
        return "<p class=\"error\" role=\"alert\">" + esc(text) + "</p>";
    }

    /** A labelled text input. */
    static String input(String id, String label, String type, String value, String extra) {
        return "<p><label for=\"" + id + "\">" + esc(label) + "</label><input id=\"" + id + "\" name=\"" + id
                + "\" type=\"" + type + "\" value=\"" + esc(value) + "\"" + (extra == null ? "" : " " + extra) + "></p>";
    }

    /** One radio button with its label. */
    static String radio(String name, String value, boolean checked, String label) {
        String id = name + "-" + value;
        return "<div class=\"choice\"><input type=\"radio\" id=\"" + esc(id) + "\" name=\"" + esc(name) + "\" value=\""
                + esc(value) + "\"" + (checked ? " checked" : "") + "><label for=\"" + esc(id) + "\">" + esc(label)
                + "</label></div>";
    }

    static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
