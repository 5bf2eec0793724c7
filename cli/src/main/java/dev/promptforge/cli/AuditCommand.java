package dev.promptforge.cli;

import dev.promptforge.server.audit.AuditChain;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/** {@code promptforge audit verify}: re-computes the audit log's hash chain, reading the database directly. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Check the tamper-evident audit log.",
        subcommands = {AuditCommand.Verify.class})
final class AuditCommand implements Runnable {

    /** The exit code when the chain is broken (1 is a command that could not run). */
    static final int BROKEN = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = {
                "Re-compute the audit log's hash chain and report the first broken entry (edited, deleted,"
                        + " inserted or reordered).",
                "Exit code: 0 intact, 3 broken, 1 could not check. Reads the database of 'serve' (the data"
                        + " directory's promptforge.db, or PROMPTFORGE_DB_URL); the server may keep running."
            })
    static final class Verify implements Callable<Integer> {

        private static final JsonMapper JSON = JsonMapper.builder().build();

        @Mixin
        DatabaseOptions database;

        @Option(names = "--json", description = "Print the result as one JSON object")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            DatabaseOptions.quietLogging();
            AuditChain.Verification result;
            try (Connection connection = database.connect()) {
                result = AuditChain.verify(connection);
            } catch (SQLException e) {
                throw new IllegalStateException(DatabaseOptions.explain(e, "audit log"), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("valid", result.valid());
                body.put("entries", result.entries());
                body.put("headHash", result.headHash());
                body.put("firstBroken", result.firstBroken());
                out.println(JSON.writeValueAsString(body));
            } else if (result.valid()) {
                out.println("audit log intact: " + result.entries() + " entries, last hash " + result.headHash() + " ("
                        + database.describe() + ")");
            } else {
                AuditChain.Broken broken = result.firstBroken();
                out.println("audit log BROKEN at entry " + broken.seq()
                        + (broken.id() == null ? "" : " (id " + broken.id() + ")") + ": " + broken.reason());
                out.println("entries 1 to " + result.entries() + " check out (" + database.describe() + ")");
            }
            out.flush();
            return result.valid() ? 0 : BROKEN;
        }
    }
}
