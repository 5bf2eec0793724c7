package dev.promptforge.cli;

import dev.promptforge.cli.eval.EvalArguments;
import dev.promptforge.cli.eval.EvalCommand;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
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
        description = "PromptForge: write, test, ship and watch prompts, with PII kept from model providers.")
public final class PromptForgeCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        EvalCommand eval = args.length > 0 && args[0].equals("eval")
                ? EvalArguments.parse(Arrays.asList(args).subList(1, args.length))
                : null;
        int code = eval != null
                ? EvalArguments.execute(eval)
                : commandLine(args.length > 0 ? args[0] : "").execute(args);
        if (!ServeCommand.serving()) {
            System.exit(code);
        }
    }

    /**
     * The subcommands by name; building one reads its annotations, so only the one invoked is built.
     * In a holder class: its method references load picocli's classes, which an {@code eval} that
     * {@link EvalArguments} parses never needs.
     */
    private static final class Subcommands {
        static final Map<String, Supplier<Object>> ALL = subcommands();

        private static Map<String, Supplier<Object>> subcommands() {
            Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
            commands.put("serve", ServeCommand::new);
            commands.put("dashboard", DashboardCommand::new);
            commands.put("pii", PiiCommand::new);
            commands.put("eval", EvalCommand::new);
            commands.put("pipeline", dev.promptforge.cli.pipeline.PipelineCommand::new);
            commands.put("audit", AuditCommand::new);
            commands.put("keys", KeysCommand::new);
            commands.put("user", UserCommand::new);
            commands.put("key", KeyCommand::new);
            commands.put("seed-records", SeedRecordsCommand::new);
            commands.put("help", CommandLine.HelpCommand::new);
            return commands;
        }
    }

    /** The command line with every subcommand and PromptForge's error handling. */
    static CommandLine commandLine() {
        return commandLine("");
    }

    /**
     * The command line with PromptForge's error handling (one line on stderr, no stack trace). When
     * {@code first} (the first argument) names a subcommand, only that one is built: a plain {@code
     * eval} does not pay for reading the annotations of {@code serve} and {@code pii}, nor for the
     * classes they load.
     */
    static CommandLine commandLine(String first) {
        CommandLine cli = new CommandLine(new PromptForgeCli());
        if (Subcommands.ALL.containsKey(first) && !first.equals("help")) {
            cli.addSubcommand(first, Subcommands.ALL.get(first).get());
        } else {
            Subcommands.ALL.forEach((name, command) -> cli.addSubcommand(name, command.get()));
        }
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
