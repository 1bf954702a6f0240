package org.postern.server;

import picocli.CommandLine.Command;

@Command(name = "postern",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Postern: a self-hosted mail service (IMAP, SMTP, POP3) with Gmail-style account security.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            InitCommand.class,
            ServeCommand.class,
            DemoCommand.class,
            AccountCommand.class,
            AppPasswordCommand.class,
            OAuthCommand.class,
            AliasCommand.class,
            DomainCommand.class,
            DnsCommand.class,
            DoctorCommand.class,
            DeliverCommand.class,
            CheckCommand.class,
            QueueCommand.class,
            DkimCommand.class
        },
        footer = {"", "Every command takes --data DIR (default: $POSTERN_DATA, else ./data) and works while the server runs.",
            "Run 'postern COMMAND --help' for the options of a command."})
public final class PosternCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is required (init, serve, demo, account, ...)");
    }
}
