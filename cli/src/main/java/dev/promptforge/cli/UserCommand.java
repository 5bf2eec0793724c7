package dev.promptforge.cli;

import dev.promptforge.server.security.Accounts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code promptforge user create | role}: users and their project roles, straight in the database. */
@Command(
        name = "user",
        mixinStandardHelpOptions = true,
        description = "Manage users and their roles in projects (directly in the database, no server needed).",
        subcommands = {UserCommand.Create.class, UserCommand.SetRole.class})
final class UserCommand implements Runnable {

    /** Where the password comes from when PROMPTFORGE_USER_PASSWORD is not set; tests replace it. */
    static java.util.function.Supplier<java.io.InputStream> stdin = () -> System.in;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static String actor() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Create a user. The password is read from PROMPTFORGE_USER_PASSWORD, else from the first line of"
                        + " standard input (never from the command line)."
            })
    static final class Create implements Callable<Integer> {

        @Mixin
        DatabaseOptions database;

        @Parameters(index = "0", paramLabel = "NAME", description = "The username")
        String username;

        @Option(names = "--server-admin", description = "Make the user a server admin (manages users and projects)")
        boolean serverAdmin;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws SQLException {
            DatabaseOptions.quietLogging();
            String password = DatabaseOptions.env("PROMPTFORGE_USER_PASSWORD");
            if (password == null) {
                password = firstLine();
            }
            try (Connection connection = database.connect()) {
                Accounts.createUser(connection, username, password, serverAdmin, actor(), System.currentTimeMillis());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("created user " + username + (serverAdmin ? " (server admin)" : ""));
            out.flush();
            return 0;
        }

        private static String firstLine() {
            try {
                String line = new BufferedReader(new InputStreamReader(stdin.get(), StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) {
                    throw new IllegalArgumentException(
                            "no password: set PROMPTFORGE_USER_PASSWORD or pipe it on standard input");
                }
                return line;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Command(
            name = "role",
            mixinStandardHelpOptions = true,
            description = "Give a user a role (OWNER, ADMIN, MEMBER, VIEWER) in a project, adding them as a member.")
    static final class SetRole implements Callable<Integer> {

        @Mixin
        DatabaseOptions database;

        @Parameters(index = "0", paramLabel = "NAME", description = "The username")
        String username;

        @Parameters(index = "1", paramLabel = "ROLE", description = "OWNER, ADMIN, MEMBER or VIEWER")
        String role;

        @Option(names = "--project", required = true, paramLabel = "PROJECT", description = "The project's name")
        String project;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws SQLException {
            DatabaseOptions.quietLogging();
            try (Connection connection = database.connect()) {
                Accounts.setRole(connection, project, username, role, actor(), System.currentTimeMillis());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(username + " is " + role + " in " + project);
            out.flush();
            return 0;
        }
    }
}
