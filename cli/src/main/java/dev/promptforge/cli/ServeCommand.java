package dev.promptforge.cli;

import dev.promptforge.server.PromptForgeApplication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.boot.SpringApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code promptforge serve}: the server with the API, the dashboard and the embedded database. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Run the PromptForge server (API, dashboard, embedded SQLite unless PROMPTFORGE_DB_URL is set).",
            "Other Spring properties can be passed as --name=value."
        })
final class ServeCommand implements Callable<Integer> {

    private static volatile boolean serving;

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port (default: 8000, or PROMPTFORGE_PORT)")
    Integer port;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Data directory: database, credentials, keys (default: ./data, or PROMPTFORGE_DATA_DIR)")
    Path dataDir;

    @Unmatched
    List<String> springArguments = new ArrayList<>();

    @Override
    public Integer call() {
        return start(port, dataDir, springArguments, List.of());
    }

    /**
     * Starts the application with the given port, data directory, {@code --name=value} settings from
     * the command line and settings of the command itself; returns the exit code when it could not
     * start.
     */
    static int start(Integer port, Path dataDir, List<String> springArguments, List<String> settings) {
        if (port != null && (port < 0 || port > 65535)) {
            throw new IllegalArgumentException("--port must be from 0 to 65535, got " + port);
        }
        for (String argument : springArguments) {
            if (!argument.startsWith("--") || !argument.contains("=")) {
                throw new IllegalArgumentException(
                        "unknown argument '" + argument + "' (extra settings are passed as --name=value)");
            }
        }
        List<String> arguments = new ArrayList<>(settings);
        arguments.addAll(springArguments);
        if (port != null) {
            arguments.add("--server.port=" + port);
        }
        if (dataDir != null) {
            arguments.add("--promptforge.data-dir=" + dataDir);
        }
        serving = true;
        try {
            SpringApplication.run(PromptForgeApplication.class, arguments.toArray(String[]::new));
        } catch (RuntimeException e) {
            serving = false;
            // Spring Boot has already reported why it could not start.
            return 1;
        }
        return 0;
    }

    static boolean serving() {
        return serving;
    }
}
