package org.postern.web;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a mail client needs to know — server, port, security, user name — taken from the
 * listeners that run now, for the settings page, autoconfiguration and the doctor.
 */
final class ClientSettings {
    private ClientSettings() {}

    enum Kind { IMAP, POP3, SMTP }

    /** One way in: {@code security} is {@code SSL} (TLS from the start) or {@code STARTTLS}. */
    record Endpoint(Kind kind, String listener, String host, int port, boolean implicitTls) {
        String security() {
            return implicitTls ? "SSL/TLS" : "STARTTLS";
        }
    }

    /** The listeners clients use, in order of preference: TLS from the start first (RFC 8314). */
    private static final String[][] LISTENERS = {
        {"imaps", "IMAP", "true"}, {"imap", "IMAP", "false"},
        {"pop3s", "POP3", "true"}, {"pop3", "POP3", "false"},
        {"submissions", "SMTP", "true"}, {"submission", "SMTP", "false"}};

    static List<Endpoint> endpoints(WebServices sv) {
        Map<String, InetSocketAddress> listening = sv.listening().get();
        List<Endpoint> out = new ArrayList<>();
        for (String[] l : LISTENERS) {
            InetSocketAddress a = listening.get(l[0]);
            if (a != null) {
                out.add(new Endpoint(Kind.valueOf(l[1]), l[0], sv.hostname(), a.getPort(), Boolean.parseBoolean(l[2])));
            }
        }
        return out;
    }

    static Optional<Endpoint> preferred(WebServices sv, Kind kind) {
        return endpoints(sv).stream().filter(e -> e.kind() == kind).findFirst();
    }

    /** The table for a signed-in person (or anyone who knows the address). */
    static String table(WebServices sv, String email) {
        StringBuilder sb = new StringBuilder("<div class=\"scroll\"><table><caption class=\"hint\">Settings for ")
                .append(Html.esc(email)).append("</caption><thead><tr><th scope=\"col\">Server</th><th scope=\"col\">Host name</th>")
                .append("<th scope=\"col\">Port</th><th scope=\"col\">Security</th><th scope=\"col\">User name</th></tr></thead><tbody>");
        for (Endpoint e : endpoints(sv)) {
            String what = switch (e.kind()) {
                case IMAP -> "Incoming mail (IMAP)";
                case POP3 -> "Incoming mail (POP3)";
                case SMTP -> "Outgoing mail (SMTP)";
            };
            sb.append("<tr><td>").append(what).append("</td><td><code>").append(Html.esc(e.host())).append("</code></td><td>")
                    .append(e.port()).append("</td><td>").append(e.security()).append("</td><td><code>").append(Html.esc(email))
                    .append("</code></td></tr>");
        }
        sb.append("</tbody></table></div><p class=\"hint\">Password: your account password, or an ")
                .append("<a href=\"/security#app-passwords\">app password</a> when 2-Step Verification is on. ")
                .append("Authentication: normal password. Most clients find all of this by themselves from the email address.</p>");
        return sb.toString();
    }
}
