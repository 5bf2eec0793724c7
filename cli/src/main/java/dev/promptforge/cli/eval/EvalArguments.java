package dev.promptforge.cli.eval;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The everyday {@code promptforge eval} command lines, parsed without picocli. Building picocli's
 * model of a command costs ≈ 0.15 s of CPU per run (its classes, pre-Java-6 class files, never
 * come from the class-data archive; then reflection over the annotations and its converters), a
 * sixth of a 1,000-test eval. This parser knows {@link EvalCommand}'s options in their plain forms
 * ({@code --name value}, {@code --name=value}, {@code -c}/{@code -o}/{@code -j value}) and values
 * that convert unambiguously; for anything else (help, version, {@code compare}, an unknown or
 * repeated option, a value that starts with a dash or does not convert) it returns null and
 * picocli parses the command line, and reports its errors, as always. {@code EvalArgumentsTest}
 * checks that both give the same command.
 */
public final class EvalArguments {

    private EvalArguments() {}

    /** The command the arguments after {@code eval} ask for, or null when picocli must parse them. */
    public static @Nullable EvalCommand parse(List<String> args) {
        EvalCommand command = new EvalCommand();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            String option = canonical(name);
            if (option == null || (!option.equals("--output") && !seen.add(option))) {
                return null;
            }
            if (option.equals("--no-cache") || option.equals("--no-progress-bar")) {
                if (value != null) {
                    return null;
                }
                if (option.equals("--no-cache")) {
                    command.noCache = true;
                } else {
                    command.noProgressBar = true;
                }
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    return null;
                }
                value = args.get(++i);
            }
            if (value.isEmpty() || value.startsWith("-") || !set(command, option, value)) {
                return null;
            }
        }
        return command;
    }

    /**
     * Runs a command that {@link #parse} built, with picocli's error handling for plain commands:
     * one line on stderr and exit code 1.
     */
    public static int execute(EvalCommand command) {
        try {
            return command.call();
        } catch (RuntimeException e) {
            command.err.println(
                    "promptforge: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            command.err.flush();
            return 1;
        }
    }

    /** A writer on stdout or stderr as picocli makes it (default charset, autoflush). */
    static PrintWriter writer(PrintStream stream) {
        String encoding = System.getProperty("sun.stdout.encoding");
        Charset charset = encoding != null && Charset.isSupported(encoding)
                ? Charset.forName(encoding)
                : Charset.defaultCharset();
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset)), true);
    }

    private static @Nullable String canonical(String name) {
        return switch (name) {
            case "-c", "--config" -> "--config";
            case "-o", "--output" -> "--output";
            case "-j", "--max-concurrency" -> "--max-concurrency";
            case "--no-cache",
                    "--cache-dir",
                    "--repeat",
                    "--delay",
                    "--pass-rate-threshold",
                    "--no-progress-bar",
                    "--grader",
                    "--server",
                    "--project",
                    "--run-id" -> name;
            default -> null;
        };
    }

    /** Sets one option; false when the value is not one this parser converts the way picocli does. */
    private static boolean set(EvalCommand command, String option, String value) {
        try {
            switch (option) {
                case "--config" -> command.config = Path.of(value);
                case "--output" -> command.outputs.add(Path.of(value));
                case "--cache-dir" -> command.cacheDir = Path.of(value);
                case "--repeat" -> command.repeat = integer(value);
                case "--max-concurrency" -> command.maxConcurrency = integer(value);
                case "--delay" -> {
                    if (!value.matches("[0-9]{1,18}")) {
                        return false;
                    }
                    command.delay = Long.valueOf(value);
                }
                case "--pass-rate-threshold" -> {
                    if (!value.matches("[0-9]{1,3}(\\.[0-9]{1,6})?")) {
                        return false;
                    }
                    command.passRateThreshold = Double.parseDouble(value);
                }
                case "--grader" -> command.grader = value;
                case "--server" -> command.server = value;
                case "--project" -> command.project = value;
                default -> command.runId = value;
            }
            return true;
        } catch (RuntimeException e) { // a path that is not valid here, a number out of range
            return false;
        }
    }

    private static Integer integer(String value) {
        if (!value.matches("[0-9]{1,9}")) {
            throw new NumberFormatException(value);
        }
        return Integer.valueOf(value);
    }
}
