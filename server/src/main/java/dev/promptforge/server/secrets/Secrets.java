package dev.promptforge.server.secrets;

import static java.util.Objects.requireNonNull;

import dev.promptforge.server.audit.AuditLog;
import dev.promptforge.server.shared.Actors;
import dev.promptforge.server.shared.DataDirectory;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Secrets at rest: provider API keys, integration credentials, webhook secrets. Each value is
 * envelope-encrypted ({@link SecretEnvelope}) under the master key and stored in {@code secrets};
 * every change is audited with the secret's name and times, never its value. Names are paths such
 * as {@code provider/openai} or {@code webhook/github-sync}.
 *
 * <p>At start the master key is loaded ({@link MasterKeyStore}; generated into the data directory on
 * the first start) and checked against the key id the database names, so a wrong key stops the start
 * instead of failing later. After {@code promptforge keys rotate} the running server picks up the
 * rotated key file by itself.
 */
@Service
public class Secrets implements SmartInitializingSingleton {

    static final int MAX_NAME = 200;
    static final int MAX_VALUE = 65_536;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*");
    private static final Logger log = LoggerFactory.getLogger(Secrets.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final Clock clock;
    private final MasterKeyStore store;
    private final boolean embedded;
    private volatile @Nullable MasterKey key;

    Secrets(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            AuditLog audit,
            Clock clock,
            SecretsProperties properties,
            DataDirectory dataDirectory,
            Environment environment) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.audit = audit;
        this.clock = clock;
        this.store = new MasterKeyStore(properties.masterKey(), properties.masterKeyFile(), dataDirectory.path());
        String url = environment.getProperty("promptforge.db.url");
        this.embedded = url == null || url.isBlank() || url.startsWith("jdbc:sqlite:");
    }

    @Override
    public void afterSingletonsInstantiated() {
        boolean existed = store.fromEnvironment() || Files.exists(store.file());
        String stored = keyringId();
        MasterKey loaded = store.load(stored, true);
        if (!existed) {
            if (embedded) {
                log.info("First start: generated the master key of secrets at rest in {} (owner-only)", store.file());
            } else {
                log.warn(
                        "Generated a master key in {}: every instance that shares this database needs the same key;"
                                + " set PROMPTFORGE_MASTER_KEY (or PROMPTFORGE_MASTER_KEY_FILE) on each",
                        store.file());
            }
        }
        if (stored == null) {
            transactions.executeWithoutResult(status -> jdbc.sql("""
                            INSERT INTO secret_keyring (id, key_id, updated_at) VALUES (1, :key, :now)
                            ON CONFLICT (id) DO NOTHING
                            """)
                    .param("key", loaded.id())
                    .param("now", clock.millis())
                    .update());
            stored = keyringId();
        }
        if (!loaded.id().equals(stored)) {
            throw mismatch(loaded, stored);
        }
        key = loaded;
    }

    /** Stores (or replaces) a secret, encrypted, in the caller's transaction or a new one. */
    public void put(String name, String value) {
        checkName(name);
        requireNonNull(value, "value");
        if (value.length() > MAX_VALUE) {
            throw new IllegalArgumentException("A secret is at most " + MAX_VALUE + " characters");
        }
        String actor = Actors.current();
        transactions.executeWithoutResult(status -> {
            MasterKey current = lockedKey();
            Map<String, Object> before = metadata(name).orElse(null);
            SecretEnvelope.Sealed sealed = SecretEnvelope.seal(current, name, value);
            long now = clock.millis();
            jdbc.sql("""
                            INSERT INTO secrets (name, key_id, wrapped_key, ciphertext, created_by, created_at,
                                                 updated_by, updated_at)
                            VALUES (:name, :key, :wrapped, :ciphertext, :by, :now, :by, :now)
                            ON CONFLICT (name) DO UPDATE SET key_id = excluded.key_id,
                                wrapped_key = excluded.wrapped_key, ciphertext = excluded.ciphertext,
                                updated_by = excluded.updated_by, updated_at = excluded.updated_at
                            """)
                    .param("name", name)
                    .param("key", current.id())
                    .param("wrapped", sealed.wrappedKey())
                    .param("ciphertext", sealed.ciphertext())
                    .param("by", actor)
                    .param("now", now)
                    .update();
            audit.append(
                    actor,
                    "secret.put",
                    "secret/" + name,
                    before,
                    metadata(name).orElseThrow());
        });
    }

    /** The decrypted secret, or empty when there is none by that name. */
    public Optional<SecretValue> get(String name) {
        checkName(name);
        record Row(String keyId, SecretEnvelope.Sealed sealed) {}
        Optional<Row> row = jdbc.sql("SELECT key_id, wrapped_key, ciphertext FROM secrets WHERE name = :name")
                .param("name", name)
                .query((rs, i) -> new Row(
                        rs.getString("key_id"),
                        new SecretEnvelope.Sealed(rs.getString("wrapped_key"), rs.getString("ciphertext"))))
                .optional();
        if (row.isEmpty()) {
            return Optional.empty();
        }
        MasterKey current = key(row.get().keyId());
        try {
            return Optional.of(
                    new SecretValue(SecretEnvelope.open(current, name, row.get().sealed())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Secret '" + name + "' does not decrypt with master key " + current.id()
                    + ": its stored value was altered, or copied from another secret or installation");
        }
    }

    /** Deletes a secret; false when there was none. */
    public boolean delete(String name) {
        checkName(name);
        String actor = Actors.current();
        return Boolean.TRUE.equals(transactions.execute(status -> {
            Optional<Map<String, Object>> before = metadata(name);
            if (before.isEmpty()) {
                return false;
            }
            jdbc.sql("DELETE FROM secrets WHERE name = :name")
                    .param("name", name)
                    .update();
            audit.append(actor, "secret.delete", "secret/" + name, before.get(), null);
            return true;
        }));
    }

    /** The names of the stored secrets under a prefix (e.g. {@code provider/}), sorted; never values. */
    public List<String> names(String prefix) {
        return jdbc.sql("SELECT name FROM secrets ORDER BY name").query(String.class).list().stream()
                .filter(n -> n.startsWith(prefix))
                .toList();
    }

    /** What the audit log may know of a secret: its name and who changed it when. */
    private Optional<Map<String, Object>> metadata(String name) {
        return jdbc.sql("SELECT name, created_by, created_at, updated_by, updated_at FROM secrets WHERE name = :name")
                .param("name", name)
                .query((rs, i) -> {
                    Map<String, Object> meta = new LinkedHashMap<>();
                    meta.put("name", rs.getString("name"));
                    meta.put("createdBy", rs.getString("created_by"));
                    meta.put(
                            "createdAt",
                            Instant.ofEpochMilli(rs.getLong("created_at")).toString());
                    meta.put("updatedBy", rs.getString("updated_by"));
                    meta.put(
                            "updatedAt",
                            Instant.ofEpochMilli(rs.getLong("updated_at")).toString());
                    return meta;
                })
                .optional();
    }

    /** The master key, with the keyring row locked for the transaction (a rotation waits for it). */
    private MasterKey lockedKey() {
        int locked = jdbc.sql("UPDATE secret_keyring SET updated_at = updated_at WHERE id = 1")
                .update();
        if (locked != 1) {
            throw new IllegalStateException("The secret keyring row is missing; restart the server to recreate it");
        }
        return key(keyringId());
    }

    /** The master key with this id: the loaded one, or the key file re-read after a rotation. */
    private MasterKey key(@Nullable String id) {
        MasterKey current = key;
        if (current == null) {
            throw new IllegalStateException("Secrets are not ready yet (the master key loads at start)");
        }
        if (id == null || current.id().equals(id)) {
            return current;
        }
        synchronized (this) {
            MasterKey reloaded = store.load(id, false);
            if (!reloaded.id().equals(id)) {
                throw mismatch(reloaded, id);
            }
            key = reloaded;
            log.info("Secrets: now using the rotated master key {}", reloaded.id());
            return reloaded;
        }
    }

    private @Nullable String keyringId() {
        return jdbc.sql("SELECT key_id FROM secret_keyring WHERE id = 1")
                .query(String.class)
                .optional()
                .orElse(null);
    }

    private IllegalStateException mismatch(MasterKey loaded, @Nullable String expected) {
        return new IllegalStateException("The master key from " + store.origin() + " (id " + loaded.id()
                + ") is not the key the secrets in this database are encrypted with (id " + expected
                + "): set PROMPTFORGE_MASTER_KEY or PROMPTFORGE_MASTER_KEY_FILE to that key");
    }

    private static void checkName(String name) {
        requireNonNull(name, "name");
        if (name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + (name.length() > 80 ? name.substring(0, 77) + "..." : name)
                    + "' is not a secret name: use lower-case path segments such as provider/openai");
        }
    }
}
