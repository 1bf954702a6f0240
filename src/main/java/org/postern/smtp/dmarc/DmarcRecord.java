package org.postern.smtp.dmarc;

import java.util.Locale;
import java.util.Optional;

/**
 * A DMARC policy record (RFC 7489 §6.3): the policy for the domain and for its subdomains, the
 * sampling rate and the alignment modes. Reporting tags (rua, ruf) are read past: Postern sends
 * no reports.
 */
record DmarcRecord(Policy p, Policy sp, int pct, boolean strictDkim, boolean strictSpf) {
    enum Policy {
        NONE, QUARANTINE, REJECT;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** §6.6.4: a message outside pct= gets the next less strict policy. */
        Policy weaker() {
            return this == REJECT ? QUARANTINE : NONE;
        }
    }

    static boolean isDmarc(String txt) {
        return txt.startsWith("v=DMARC1") && (txt.length() == 8 || txt.charAt(8) == ';' || txt.charAt(8) == ' ');
    }

    /** Parses a record; empty when it is not usable (§6.6.3: then there is no policy). */
    static Optional<DmarcRecord> parse(String txt) {
        Policy p = null;
        Policy sp = null;
        int pct = 100;
        boolean adkim = false;
        boolean aspf = false;
        boolean rua = false;
        String[] specs = txt.split(";");
        if (!specs[0].strip().equals("v=DMARC1")) {
            return Optional.empty();
        }
        for (int i = 1; i < specs.length; i++) {
            String s = specs[i].strip();
            int eq = s.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String tag = s.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = s.substring(eq + 1).strip().toLowerCase(Locale.ROOT);
            switch (tag) {
                case "p" -> p = policy(value);
                case "sp" -> sp = policy(value);
                case "pct" -> {
                    if (value.matches("[0-9]{1,3}")) {
                        pct = Math.min(100, Integer.parseInt(value));
                    }
                }
                case "adkim" -> adkim = value.equals("s");
                case "aspf" -> aspf = value.equals("s");
                case "rua" -> rua = true;
                default -> {
                    // ruf, fo, rf, ri: reports, not sent by Postern
                }
            }
        }
        if (p == null) {
            if (!rua) {
                return Optional.empty();
            }
            p = Policy.NONE; // §6.6.3: a record with rua but a bad or missing p is p=none
        }
        return Optional.of(new DmarcRecord(p, sp == null ? p : sp, pct, adkim, aspf));
    }

    private static Policy policy(String v) {
        return switch (v) {
            case "none" -> Policy.NONE;
            case "quarantine" -> Policy.QUARANTINE;
            case "reject" -> Policy.REJECT;
            default -> null;
        };
    }
}
