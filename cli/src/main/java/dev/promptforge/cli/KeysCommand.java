package dev.promptforge.cli;

import dev.promptforge.server.secrets.KeyRotation;
import dev.promptforge.server.secrets.MasterKey;
import dev.promptforge.server.secrets.MasterKeyStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code promptforge keys rotate}: re-encrypts every secret under a new master key. */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Manage the master key of secrets at rest.",
        subcommands = {KeysCommand.Rotate.class})
final class KeysCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "rotate",
            mixinStandardHelpOptions = true,
            description = {
                "Re-encrypt every secret under a new master key, in one database transaction (all or nothing).",
                "Key file (default): a new key is generated (or taken from PROMPTFORGE_NEW_MASTER_KEY) and replaces"
                        + " the file once the database has committed; a running server follows by itself.",
                "PROMPTFORGE_MASTER_KEY: give the new key in PROMPTFORGE_NEW_MASTER_KEY, then set"
                        + " PROMPTFORGE_MASTER_KEY to it on every instance and restart them."
            })
    static final class Rotate implements Callable<Integer> {

        @Mixin
        DatabaseOptions database;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            DatabaseOptions.quietLogging();
            String keyFile = DatabaseOptions.env("PROMPTFORGE_MASTER_KEY_FILE");
            MasterKeyStore store = new MasterKeyStore(
                    DatabaseOptions.env("PROMPTFORGE_MASTER_KEY"),
                    keyFile == null ? null : Path.of(keyFile),
                    database.dataDir());
            String given = DatabaseOptions.env("PROMPTFORGE_NEW_MASTER_KEY");
            if (store.fromEnvironment() && given == null) {
                throw new IllegalArgumentException("the master key comes from PROMPTFORGE_MASTER_KEY: put the new"
                        + " key in PROMPTFORGE_NEW_MASTER_KEY (e.g. from 'openssl rand -base64 32')");
            }
            String actor = "cli:" + System.getProperty("user.name", "unknown");
            PrintWriter out = spec.commandLine().getOut();
            try (Connection connection = database.connect()) {
                MasterKey current = store.load(keyringId(connection), false);
                MasterKey next = given == null
                        ? MasterKey.generate()
                        : MasterKey.fromBase64(given, "PROMPTFORGE_NEW_MASTER_KEY");
                int count;
                if (store.fromEnvironment()) {
                    count = KeyRotation.rotate(connection, current, next, actor, System.currentTimeMillis());
                } else {
                    store.writePending(next);
                    try {
                        count = KeyRotation.rotate(connection, current, next, actor, System.currentTimeMillis());
                    } catch (SQLException | RuntimeException e) {
                        store.discardPending();
                        throw e;
                    }
                    store.commitPending();
                }
                out.println("re-encrypted " + count + " secret" + (count == 1 ? "" : "s") + " under master key "
                        + next.id() + " (was " + current.id() + ")");
                out.println(
                        store.fromEnvironment()
                                ? "now set PROMPTFORGE_MASTER_KEY to the value of PROMPTFORGE_NEW_MASTER_KEY on every"
                                        + " instance and restart them"
                                : "the key file " + store.file() + " holds the new key; back it up");
            } catch (SQLException e) {
                throw new IllegalStateException(DatabaseOptions.explain(e, "secrets"), e);
            }
            out.flush();
            return 0;
        }

        private static String keyringId(Connection connection) throws SQLException {
            try (PreparedStatement select =
                            connection.prepareStatement("SELECT key_id FROM secret_keyring WHERE id = 1");
                    ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
