package org.postern.server;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data DIR}, taken by every command: default {@code $POSTERN_DATA}, else {@code ./data}. */
public final class DataOption {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Data folder; default $POSTERN_DATA, else ./data.")
    Path data;

    public Path dir() {
        if (data != null) {
            return data.toAbsolutePath().normalize();
        }
        String env = System.getenv("POSTERN_DATA");
        return Path.of(env != null && !env.isBlank() ? env : "data").toAbsolutePath().normalize();
    }
}
