package org.postern.server;

import java.io.PrintWriter;
import org.postern.auth.TwoStepVerification;
import org.postern.store.Directory.Account;
import org.postern.store.Security;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code postern account 2sv | activity | devices}: an account's security, as Gmail shows it. */
final class AccountSecurityCommands {
    private AccountSecurityCommands() {}

    @Command(name = "2sv", mixinStandardHelpOptions = true,
            description = "2-Step Verification: on (prints the otpauth:// URI to scan and ten backup codes), off, "
                    + "or status. While it is on, mail clients sign in only with app passwords (postern "
                    + "app-password add).")
    static final class TwoStep extends StoreCommand {
        @Parameters(index = "0", paramLabel = "EMAIL")
        String email;

        @Parameters(index = "1", paramLabel = "on|off|status")
        String action;

        @Override
        int run(Services s, PrintWriter out) {
            Account a = AppPasswordCommand.account(s, email);
            TwoStepVerification tsv = s.twoStep();
            switch (action.toLowerCase(java.util.Locale.ROOT)) {
                case "on" -> {
                    TwoStepVerification.Enrolment e = tsv.enable(a.id(), a.email());
                    out.println("2-Step Verification is on for " + a.email() + ".");
                    out.println();
                    out.println("Scan this with an authenticator app (or type the secret " + e.secret() + "):");
                    out.println("    " + e.uri());
                    out.println();
                    out.println("Backup codes, each usable once, if the phone is lost (shown only now):");
                    for (int i = 0; i < e.backupCodes().size(); i += 2) {
                        out.println("    " + e.backupCodes().get(i) + "    " + e.backupCodes().get(i + 1));
                    }
                    out.println();
                    out.println("Mail clients now need app passwords: postern app-password add " + a.email() + " NAME");
                }
                case "off" -> {
                    tsv.disable(a.id());
                    out.println("2-Step Verification is off for " + a.email() + "; the account password works in mail clients again.");
                }
                case "status" -> {
                    if (tsv.isOn(a.id())) {
                        out.println(a.email() + ": 2-Step Verification on, " + tsv.backupCodesLeft(a.id()) + " backup codes left, "
                                + s.security().appPasswords(a.id()).size() + " app passwords");
                    } else {
                        out.println(a.email() + ": 2-Step Verification off");
                    }
                }
                default -> throw new CommandFailed("say on, off or status (not '" + action + "')", 2);
            }
            return 0;
        }
    }

    @Command(name = "activity", mixinStandardHelpOptions = true,
            description = "Recent security activity: every sign-in and every refusal, with the reason.")
    static final class Activity extends StoreCommand {
        @Parameters(paramLabel = "EMAIL")
        String email;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "How many events (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        int run(Services s, PrintWriter out) {
            Account a = AppPasswordCommand.account(s, email);
            var events = s.security().events(a.id(), Math.max(1, Math.min(limit, 1000)));
            if (events.isEmpty()) {
                out.println("no sign-ins or refusals recorded for " + a.email());
                return 0;
            }
            String format = "%-20s %-8s %-6s %-16s %-20s %s%n";
            out.printf(format, "WHEN", "RESULT", "HOW", "FROM", "CLIENT", "WHAT HAPPENED");
            for (Security.Event e : events) {
                out.printf(format, AppPasswordCommand.when(e.time()), e.success() ? "ok" : "refused", e.protocol(),
                        AppPasswordCommand.nz(e.ip()), AppPasswordCommand.nz(e.client()), e.reason());
            }
            return 0;
        }
    }

    @Command(name = "devices", mixinStandardHelpOptions = true,
            description = "Connected devices (a credential used by a client) with their last use; --sign-out ID ends one.")
    static final class Devices extends StoreCommand {
        @Parameters(paramLabel = "EMAIL")
        String email;

        @Option(names = "--sign-out", paramLabel = "ID", description = "Sign this device out: its sessions end within seconds.")
        Long signOut;

        @Override
        int run(Services s, PrintWriter out) {
            Account a = AppPasswordCommand.account(s, email);
            if (signOut != null) {
                s.security().signOutDevice(a.id(), signOut);
                out.println("signed out device " + signOut + "; its sessions end within seconds");
                return 0;
            }
            var devices = s.security().devices(a.id());
            if (devices.isEmpty()) {
                out.println("no devices have signed in to " + a.email());
                return 0;
            }
            var names = new java.util.HashMap<String, String>();
            for (Security.AppPassword p : s.security().appPasswords(a.id())) {
                names.put(Security.app(p.id()), "app password \"" + p.name() + "\"");
            }
            for (var g : s.security().oauth().grants(a.id())) {
                names.put(Security.grant(g.id()), "access given to \"" + g.clientName() + "\"");
            }
            String format = "%-5s %-24s %-28s %-20s %-16s %s%n";
            out.printf(format, "ID", "CLIENT", "SIGNED IN WITH", "LAST USE", "FROM", "HOW");
            for (Security.Device d : devices) {
                String cred = d.credential().equals(Security.PASSWORD) ? "account password"
                        : names.getOrDefault(d.credential(), d.credential());
                out.printf(format, d.id(), d.client().isEmpty() ? "(unnamed client)" : d.client(), cred,
                        AppPasswordCommand.when(d.lastSeen()), AppPasswordCommand.nz(d.lastIp()), AppPasswordCommand.nz(d.lastProtocol()));
            }
            return 0;
        }
    }
}
