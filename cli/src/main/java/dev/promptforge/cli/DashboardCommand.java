package dev.promptforge.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code promptforge dashboard}: the dashboard alone, as its own process on the same database as a
 * server (the seed's two-process layout). It serves the pages, sign-in and live updates (it sees
 * records any process writes); the API and the gateway stay with {@code promptforge serve}.
 */
@Command(
        name = "dashboard",
        mixinStandardHelpOptions = true,
        description = {
            "Run the dashboard as its own process on the same database as a PromptForge server.",
            "Other Spring properties can be passed as --name=value."
        })
final class DashboardCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port (default: 8501)")
    Integer port = 8501;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "The server's data directory (default: ./data, or PROMPTFORGE_DATA_DIR);"
                    + " with PostgreSQL, set PROMPTFORGE_DB_URL like the server's")
    Path dataDir;

    @Unmatched
    List<String> springArguments = new ArrayList<>();

    @Override
    public Integer call() {
        return ServeCommand.start(
                port,
                dataDir,
                springArguments,
                List.of("--promptforge.dashboard.only=true", "--promptforge.demo.enabled=false"));
    }
}
