package dev.promptforge.cli;

import dev.promptforge.server.security.Accounts;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code promptforge key create | list | revoke}: API keys, straight in the database. */
@Command(
        name = "key",
        mixinStandardHelpOptions = true,
        description = "Manage API keys (directly in the database, no server needed).",
        subcommands = {KeyCommand.Create.class, KeyCommand.ListKeys.class, KeyCommand.Revoke.class})
final class KeyCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create an API key for a user; the key is printed once and only its hash is stored.")
    static final class Create implements Callable<Integer> {

        @Mixin
        DatabaseOptions database;

        @Option(
                names = "--project",
                paramLabel = "PROJECT",
                description = "The project the key is bound to (omit only for a server admin's server-wide key)")
        String project;

        @Option(names = "--user", required = true, paramLabel = "USER", description = "The key's user")
        String user;

        @Option(
                names = "--scopes",
                required = true,
                split = ",",
                paramLabel = "SCOPE",
                description = "Comma-separated: execute, read, write, admin")
        List<String> scopes;

        @Option(names = "--name", paramLabel = "NAME", description = "A name to tell keys apart (default: cli)")
        String name = "cli";

        @Option(names = "--expires-at", paramLabel = "INSTANT", description = "ISO-8601, e.g. 2027-01-01T00:00:00Z")
        String expiresAt;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws SQLException {
            DatabaseOptions.quietLogging();
            Long expiry = null;
            if (expiresAt != null) {
                try {
                    expiry = Instant.parse(expiresAt).toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException(
                            "--expires-at must be an ISO-8601 instant such as 2027-01-01T00:00:00Z", e);
                }
            }
            Accounts.CreatedKey key;
            try (Connection connection = database.connect()) {
                key = Accounts.createKey(
                        connection,
                        project,
                        user,
                        name,
                        new LinkedHashSet<>(scopes),
                        expiry,
                        UserCommand.actor(),
                        System.currentTimeMillis());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(key.key());
            out.flush();
            PrintWriter err = spec.commandLine().getErr();
            err.println("created key " + key.id() + " (" + key.prefix() + "…) for " + user
                    + (project == null ? "" : " in " + project) + "; it is shown only now");
            err.flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never the keys themselves).")
    static final class ListKeys implements Callable<Integer> {

        @Mixin
        DatabaseOptions database;

        @Option(names = "--project", paramLabel = "PROJECT", description = "Only this project's keys")
        String project;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws SQLException {
            DatabaseOptions.quietLogging();
            List<Accounts.KeyRow> rows;
            try (Connection connection = database.connect()) {
                rows = Accounts.keys(connection, project);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf(
                    "%-36s  %-10s  %-16s  %-16s  %-16s  %-24s  %-24s  %s%n",
                    "ID", "PREFIX", "NAME", "USER", "PROJECT", "SCOPES", "LAST USED", "STATE");
            for (Accounts.KeyRow row : rows) {
                out.printf(
                        "%-36s  %-10s  %-16s  %-16s  %-16s  %-24s  %-24s  %s%n",
                        row.id(),
                        row.prefix(),
                        row.name(),
                        row.user(),
                        row.project() == null ? "(server-wide)" : row.project(),
                        row.scopes(),
                        row.lastUsedAt() == null ? "never" : row.lastUsedAt().toString(),
                        row.revokedAt() != null
                                ? "revoked " + row.revokedAt()
                                : row.expiresAt() == null ? "active" : "expires " + row.expiresAt());
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revoke a key; running servers refuse it within 5 seconds (their key cache).")
    static final class Revoke implements Callable<Integer> {

        @Mixin
        DatabaseOptions database;

        @Parameters(index = "0", paramLabel = "ID", description = "The key's id (see 'key list')")
        String id;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws SQLException {
            DatabaseOptions.quietLogging();
            boolean changed;
            try (Connection connection = database.connect()) {
                changed = Accounts.revokeKey(connection, id, UserCommand.actor(), System.currentTimeMillis());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(changed ? "revoked key " + id : "key " + id + " was already revoked");
            out.flush();
            return 0;
        }
    }
}
