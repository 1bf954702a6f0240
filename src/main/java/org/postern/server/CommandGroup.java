package org.postern.server;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code postern queue list}, {@code postern dkim show}):
 * run without one, it exits with code 2 and one line naming the choices.
 */
abstract class CommandGroup implements Runnable {
    @Spec
    CommandSpec spec;

    private final String choices;

    /** {@code choices}: the subcommands in words, e.g. "add, list or remove". */
    CommandGroup(String choices) {
        this.choices = choices;
    }

    @Override
    public final void run() {
        throw new ParameterException(spec.commandLine(), "say what to do: " + choices);
    }
}
