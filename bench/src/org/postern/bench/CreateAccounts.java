package org.postern.bench;

import java.nio.file.Path;
import java.time.Clock;
import org.postern.auth.Passwords;
import org.postern.server.Config;
import org.postern.server.Services;

/**
 * Adds the benchmark's accounts to a data folder in one JVM, the way {@code postern account add}
 * does (the same Config, Services and Directory calls), instead of one JVM start per account.
 * Every account has the same password, so one Argon2id hash serves them all (a hash takes a
 * good part of a second on a busy two-core machine; a hundred would take most of a minute).
 * Needs target/postern.jar on the class path; only bench/run uses it.
 *
 * <pre>java -cp target/postern.jar:bench/target/classes org.postern.bench.CreateAccounts DIR FIRST LAST DOMAIN PASSWORD</pre>
 */
public final class CreateAccounts {
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: CreateAccounts DATA-DIR FIRST LAST DOMAIN PASSWORD");
            System.exit(2);
        }
        Path data = Path.of(args[0]).toAbsolutePath().normalize();
        int first = Integer.parseInt(args[1]);
        int last = Integer.parseInt(args[2]);
        String domain = args[3];
        String password = args[4];
        String hash = Passwords.hash(password);
        Config config = Config.load(data);
        try (Services s = Services.open(config, Clock.systemUTC())) {
            for (int i = first; i <= last; i++) {
                String email = "user" + i + "@" + domain;
                if (s.directory().account(email).isEmpty()) {
                    s.directory().addAccount(email, hash);
                }
            }
        }
        System.out.println("accounts user" + first + "..user" + last + "@" + domain + " ready in " + data);
    }
}
