package dev.promptforge.cli;

import dev.promptforge.cli.eval.EvalCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code promptforge} executable. {@code serve} boots the Spring server; every other subcommand
 * runs in plain Java, without Spring.
 */
@Command(
        name = "promptforge",
        mixinStandardHelpOptions = true,
        versionProvider = PromptForgeCli.Version.class,
        description = "PromptForge: write, test, ship and watch prompts, with PII kept from model providers.",
        subcommands = {
            ServeCommand.class,
            PiiCommand.class,
            EvalCommand.class,
            AuditCommand.class,
            KeysCommand.class,
            CommandLine.HelpCommand.class
        })
public final class PromptForgeCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (!ServeCommand.serving()) {
            System.exit(code);
        }
    }

    /** The command line with PromptForge's error handling: one line on stderr, no stack trace. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new PromptForgeCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("promptforge: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            err.flush();
            return 1;
        });
        cli.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("promptforge: " + e.getMessage() + " (see '"
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return 2;
        });
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = PromptForgeCli.class.getPackage().getImplementationVersion();
            return new String[] {"promptforge " + (version == null ? "development build" : version)};
        }
    }
}
