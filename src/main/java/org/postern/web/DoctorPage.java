package org.postern.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The connection doctor for the signed-in person (and, for administrators, any account). */
final class DoctorPage {
    static final List<String> MAIL_LISTENERS = List.of("imaps", "imap", "pop3s", "pop3", "submissions", "submission");

    private DoctorPage() {}

    static void register(RoutesConfig r, Web web) {
        r.get("/doctor", ctx -> show(web, ctx));
    }

    /** What the doctor knows of this running server. */
    static Doctor.Server facts(WebServices sv) {
        Map<String, Boolean> listening = new LinkedHashMap<>();
        Map<String, String> addresses = new LinkedHashMap<>();
        var bound = sv.listening().get();
        for (String l : MAIL_LISTENERS) {
            String configured = sv.configured().getOrDefault(l, "off");
            listening.put(l, bound.containsKey(l));
            addresses.put(l, bound.containsKey(l) ? "port " + bound.get(l).getPort() : configured);
        }
        return new Doctor.Server(sv.hostname(), sv.tls().material().leaf(), sv.requireAppPasswords(), sv.connectionsPerAccount(),
                listening, addresses);
    }

    private static void show(Web web, Context ctx) {
        WebSession s = web.user(ctx);
        if (s == null) {
            return;
        }
        String email = s.email();
        String asked = ctx.queryParam("email");
        if (asked != null && !asked.isBlank() && !asked.equalsIgnoreCase(email)) {
            if (web.admin(ctx) == null) {
                return;
            }
            email = asked.strip();
        }
        Doctor.Report r = Doctor.diagnose(web.sv.directory(), web.sv.security(), facts(web.sv), email, web.sv.clock().millis());
        StringBuilder sb = new StringBuilder("<p>Why a mail client cannot connect to " + Html.esc(r.email()) + ", checked now.</p><ul>");
        for (Doctor.Finding f : r.findings()) {
            String cls = switch (f.level()) {
                case OK -> "ok";
                case WARN -> "warn";
                case PROBLEM -> "bad";
            };
            String word = switch (f.level()) {
                case OK -> "OK";
                case WARN -> "Note";
                case PROBLEM -> "Problem";
            };
            sb.append("<li><span class=\"").append(cls).append("\">").append(word).append(":</span> ").append(Html.esc(f.text())).append("</li>");
        }
        sb.append("</ul><h2>What to change</h2><p class=\"notice\" id=\"advice\">").append(Html.esc(r.advice())).append("</p>");
        if (s.admin()) {
            sb.append("<form method=\"get\" action=\"/doctor\"><div class=\"row\">")
                    .append(Html.input("email", "Check another account", "email", "", "required"))
                    .append("<p><button type=\"submit\" class=\"secondary\">Check</button></p></div></form>");
        }
        ctx.html(Html.page("Connection doctor", s, Html.Tab.DOCTOR, sb.toString()));
    }
}
