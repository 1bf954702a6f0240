package org.postern.server;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Postern's entry point. Exit codes: 0 success, 1 the command failed (its message says why),
 * 2 a bad flag or value (one line naming the problem).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** Runs the command line with its output going to {@code out} and {@code err} (for tests). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new PosternCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(Main::badUsage);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof CommandFailed f) {
                err.println(qualifiedName(commandLine) + ": " + f.getMessage());
                err.flush();
                return f.exitCode();
            }
            if (e instanceof org.postern.store.StoreException s) {
                err.println(qualifiedName(commandLine) + ": " + s.getMessage());
                err.flush();
                return 1;
            }
            if (e instanceof ConfigException c) {
                err.println(qualifiedName(commandLine) + ": " + c.getMessage());
                err.flush();
                return 1;
            }
            err.println(qualifiedName(commandLine) + ": unexpected failure: " + e);
            e.printStackTrace(err);
            err.flush();
            return 1;
        });
        return cl;
    }

    /** One line naming the problem, then a hint (DESIGN.md: exit code 2). */
    private static int badUsage(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            message += " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
        }
        err.println(qualifiedName(cl) + ": " + message + " — see '" + qualifiedName(cl) + " --help'");
        err.flush();
        return 2;
    }

    static String qualifiedName(CommandLine cl) {
        return cl.getCommandSpec().qualifiedName();
    }
}
