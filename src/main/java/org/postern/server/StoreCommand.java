package org.postern.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.postern.auth.Passwords;
import org.postern.store.StoreException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Base of the commands that work on a data folder's store (account, alias, domain, deliver):
 * opens it, runs, closes it, and turns store errors into one clear line.
 */
abstract class StoreCommand implements Callable<Integer> {
    @Mixin
    DataOption data;

    @Spec
    CommandSpec spec;

    /** The work of the command. */
    abstract int run(Services services, PrintWriter out) throws Exception;

    @Override
    public final Integer call() throws Exception {
        Config config = Config.load(data.dir());
        try (Services services = Services.open(config, Clock.systemUTC())) {
            PrintWriter out = spec.commandLine().getOut();
            int code = run(services, out);
            out.flush();
            return code;
        } catch (StoreException e) {
            throw new CommandFailed(e.getMessage());
        }
    }

    /** A password from standard input (first line), or asked for, or made up and shown. */
    static Password readPassword(boolean fromStdin, PrintWriter out) throws IOException {
        String pw;
        if (fromStdin) {
            BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            pw = r.readLine();
            if (pw == null || pw.isEmpty()) {
                throw new CommandFailed("--password-stdin: standard input had no password on its first line", 2);
            }
        } else if (System.console() != null) {
            char[] first = System.console().readPassword("New password (empty: make one up): ");
            if (first == null || first.length == 0) {
                return new Password(Passwords.generate(), true);
            }
            char[] second = System.console().readPassword("Same password again: ");
            if (second == null || !new String(first).equals(new String(second))) {
                throw new CommandFailed("the two passwords differ; nothing changed");
            }
            pw = new String(first);
        } else {
            return new Password(Passwords.generate(), true);
        }
        String weakness = Passwords.weakness(pw);
        if (weakness != null) {
            throw new CommandFailed(weakness + "; nothing changed", 2);
        }
        return new Password(pw, false);
    }

    /** A password and whether Postern made it up (then it is shown once). */
    record Password(String value, boolean generated) {}
}
