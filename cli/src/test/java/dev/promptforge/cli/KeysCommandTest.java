package dev.promptforge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.promptforge.server.audit.AuditChain;
import dev.promptforge.server.secrets.MasterKey;
import dev.promptforge.server.secrets.MasterKeyStore;
import dev.promptforge.server.secrets.SecretEnvelope;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code promptforge keys rotate} on both databases: all secrets move to the new key, or none. */
class KeysCommandTest {

    private static final Map<String, String> VALUES = Map.of(
            "provider/openai", "sk-openai-rotate-test",
            "integration/jira", "jira-token-rotate-test",
            "webhook/github", "whsec-rotate-test");

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void restoreEnvironment() {
        DatabaseOptions.environment = System::getenv;
    }

    private int run(Map<String, String> env, String... args) {
        DatabaseOptions.environment = env::get;
        CommandLine cli = PromptForgeCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    /** Stores the test secrets under {@code key}, as the server does. */
    private static void seed(TestDatabase db, MasterKey key) throws Exception {
        try (Connection c = db.connect()) {
            try (PreparedStatement keyring =
                    c.prepareStatement("INSERT INTO secret_keyring (id, key_id, updated_at) VALUES (1, ?, 0)")) {
                keyring.setString(1, key.id());
                keyring.executeUpdate();
            }
            for (var entry : VALUES.entrySet()) {
                SecretEnvelope.Sealed sealed = SecretEnvelope.seal(key, entry.getKey(), entry.getValue());
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO secrets (name, key_id, wrapped_key,"
                        + " ciphertext, created_by, created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, 'admin', 0,"
                        + " 'admin', 0)")) {
                    insert.setString(1, entry.getKey());
                    insert.setString(2, key.id());
                    insert.setString(3, sealed.wrappedKey());
                    insert.setString(4, sealed.ciphertext());
                    insert.executeUpdate();
                }
            }
        }
    }

    /** Every secret row: name → (key_id, wrapped_key, ciphertext). */
    private static Map<String, String> rows(TestDatabase db) throws Exception {
        Map<String, String> rows = new LinkedHashMap<>();
        try (Connection c = db.connect();
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT name, key_id, wrapped_key, ciphertext FROM secrets ORDER BY name")) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
            }
        }
        return rows;
    }

    private static SecretEnvelope.Sealed sealed(TestDatabase db, String name) throws Exception {
        try (Connection c = db.connect();
                PreparedStatement select =
                        c.prepareStatement("SELECT wrapped_key, ciphertext FROM secrets WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return new SecretEnvelope.Sealed(rs.getString(1), rs.getString(2));
            }
        }
    }

    private static String keyring(TestDatabase db) throws Exception {
        try (Connection c = db.connect();
                ResultSet rs = c.createStatement().executeQuery("SELECT key_id FROM secret_keyring")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static AuditChain.Verification audit(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            return AuditChain.verify(c);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void rotates_the_key_file_and_every_secret_with_it(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, dir)) {
            // given secrets under the generated key file
            MasterKey old = new MasterKeyStore(null, null, dir).load(null, true);
            seed(db, old);
            // when
            int code = run(db.env, "keys", "rotate");
            // then
            assertThat(code).as(err.toString()).isZero();
            MasterKey next = new MasterKeyStore(null, null, dir).load(null, false);
            assertThat(next.id()).isNotEqualTo(old.id());
            assertThat(Files.getPosixFilePermissions(dir.resolve(MasterKeyStore.FILE)))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(dir.resolve(MasterKeyStore.FILE + ".new")).doesNotExist();
            assertThat(keyring(db)).isEqualTo(next.id());
            for (var entry : VALUES.entrySet()) {
                SecretEnvelope.Sealed sealed = sealed(db, entry.getKey());
                assertThat(SecretEnvelope.open(next, entry.getKey(), sealed)).isEqualTo(entry.getValue());
                assertThatThrownBy(() -> SecretEnvelope.open(old, entry.getKey(), sealed))
                        .isInstanceOf(java.security.GeneralSecurityException.class);
            }
            AuditChain.Verification audit = audit(db);
            assertThat(audit.valid()).isTrue();
            assertThat(audit.entries()).isEqualTo(1);
            assertThat(out.toString())
                    .contains("re-encrypted 3 secrets under master key " + next.id() + " (was " + old.id() + ")");
            String key = Files.readString(dir.resolve(MasterKeyStore.FILE)).strip();
            for (String shown : new String[] {out.toString(), err.toString()}) {
                assertThat(shown).doesNotContain(key);
                VALUES.values().forEach(value -> assertThat(shown).doesNotContain(value));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void changes_nothing_when_one_secret_cannot_be_decrypted(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, dir)) {
            // given one damaged secret among good ones
            MasterKey old = new MasterKeyStore(null, null, dir).load(null, true);
            seed(db, old);
            String damaged = Base64.getEncoder().encodeToString("not a ciphertext at all".getBytes());
            db.execute("UPDATE secrets SET ciphertext = '" + damaged + "' WHERE name = 'webhook/github'");
            Map<String, String> before = rows(db);
            String keyFile = Files.readString(dir.resolve(MasterKeyStore.FILE));
            // when
            int code = run(db.env, "keys", "rotate");
            // then nothing moved: rows, keyring, key file, audit log
            assertThat(code).isEqualTo(1);
            assertThat(err.toString().strip().lines()).hasSize(1);
            assertThat(err.toString())
                    .contains("Secret 'webhook/github' does not decrypt")
                    .contains("nothing was rotated");
            assertThat(rows(db)).isEqualTo(before);
            assertThat(keyring(db)).isEqualTo(old.id());
            assertThat(Files.readString(dir.resolve(MasterKeyStore.FILE))).isEqualTo(keyFile);
            assertThat(dir.resolve(MasterKeyStore.FILE + ".new")).doesNotExist();
            assertThat(audit(db).entries()).isZero();
            assertThat(SecretEnvelope.open(old, "provider/openai", sealed(db, "provider/openai")))
                    .isEqualTo(VALUES.get("provider/openai"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void rotates_a_key_from_the_environment_to_the_one_given(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, dir)) {
            // given
            MasterKey old = MasterKey.generate();
            MasterKey next = MasterKey.generate();
            seed(db, old);
            Map<String, String> env = new HashMap<>(db.env);
            env.put("PROMPTFORGE_MASTER_KEY", base64(old));
            // when no new key is given, it refuses
            assertThat(run(env, "keys", "rotate")).isEqualTo(1);
            assertThat(err.toString()).contains("put the new key in PROMPTFORGE_NEW_MASTER_KEY");
            // when a wrong current key is given, it refuses
            Map<String, String> wrong = new HashMap<>(env);
            wrong.put("PROMPTFORGE_MASTER_KEY", base64(MasterKey.generate()));
            wrong.put("PROMPTFORGE_NEW_MASTER_KEY", base64(next));
            assertThat(run(wrong, "keys", "rotate")).isEqualTo(1);
            assertThat(err.toString()).contains("not with the current one");
            assertThat(keyring(db)).isEqualTo(old.id());
            // when the new key is given
            env.put("PROMPTFORGE_NEW_MASTER_KEY", base64(next));
            assertThat(run(env, "keys", "rotate")).as(err.toString()).isZero();
            // then
            assertThat(keyring(db)).isEqualTo(next.id());
            assertThat(SecretEnvelope.open(next, "integration/jira", sealed(db, "integration/jira")))
                    .isEqualTo(VALUES.get("integration/jira"));
            assertThat(out.toString()).contains("now set PROMPTFORGE_MASTER_KEY");
            assertThat(dir.resolve(MasterKeyStore.FILE)).doesNotExist();
        }
    }

    /** The base64 text of a key, as an operator puts it in the environment (MasterKey keeps it private). */
    private static String base64(MasterKey key) throws Exception {
        Path file = Files.createTempDirectory("pf-key-");
        MasterKeyStore store = new MasterKeyStore(null, null, file);
        store.writePending(key);
        store.commitPending();
        return Files.readString(file.resolve(MasterKeyStore.FILE)).strip();
    }
}
