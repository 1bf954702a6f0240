package org.postern.server;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "serve", mixinStandardHelpOptions = true, abbreviateSynopsis = true,
        description = "Run the server on a data folder made by 'postern init'. It runs until stopped (Ctrl+C or"
                + " SIGTERM). Listener flags replace the listeners of postern.conf: with --imaps "
                + "127.0.0.1:1993 alone, only that listener starts.")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    DataOption data;

    @Mixin
    ListenerOptions listenerOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Config config = Config.load(data.dir());
        var protocols = Server.builtIn();
        var given = listenerOptions.given();
        for (var e : given.entrySet()) {
            if (!e.getValue().isOff() && !protocols.containsKey(e.getKey()) && !Server.isWeb(e.getKey())) {
                throw new CommandFailed("--" + e.getKey().word() + ": the " + e.getKey().word() + " listener ("
                        + e.getKey().purpose() + ") is not in this version yet");
            }
        }
        // Listeners named on the command line replace those of postern.conf: tests and
        // benchmarks get exactly the ports they ask for, and nothing else is bound.
        if (!given.isEmpty()) {
            for (ListenerName n : ListenerName.values()) {
                config.overrideListener(n, given.getOrDefault(n, ListenAddress.OFF));
            }
        }
        Logging.setLevel(config.logLevel());
        Server server = Server.start(config, protocols);
        PrintWriter out = spec.commandLine().getOut();
        printStarted(out, server);
        awaitShutdown(server);
        return 0;
    }

    static void printStarted(PrintWriter out, Server server) {
        out.println("Postern " + Version.current() + " serving " + server.services().config().dataDir()
                + " as " + server.services().config().hostname());
        server.bound().forEach((name, addr) -> out.println("  " + name.word() + " on " + addr));
        if (!server.notBuilt().isEmpty()) {
            out.println("  not in this version yet: " + String.join(", ", server.notBuilt().stream().map(ListenerName::word).toList()));
        }
        out.flush();
    }

    /** Blocks until the JVM is asked to stop, then closes the server. */
    static void awaitShutdown(Server server) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
