package dev.promptforge.server.secrets;

import dev.promptforge.server.audit.AuditChain;
import dev.promptforge.server.shared.Ids;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Re-encrypts every secret under a new master key in one transaction (plain JDBC, for {@code
 * promptforge keys rotate}): each value gets a fresh data key wrapped by the new master key. Any
 * failure rolls the whole transaction back, so no secret is left under the old key while others
 * moved. The rotation is appended to the audit log in the same transaction (key ids only).
 */
public final class KeyRotation {

    private KeyRotation() {}

    /**
     * Rotates. The connection's auto-commit is turned off for the duration and restored after.
     *
     * @return how many secrets were re-encrypted
     * @throws IllegalStateException when {@code current} is not the key the database names, or a
     *     secret does not decrypt with it (nothing is changed then)
     */
    public static int rotate(Connection connection, MasterKey current, MasterKey next, String actor, long now)
            throws SQLException {
        if (current.id().equals(next.id())) {
            throw new IllegalArgumentException("The new master key is the current one");
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            int count = rotateInTransaction(connection, current, next, actor, now);
            connection.commit();
            return count;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static int rotateInTransaction(
            Connection connection, MasterKey current, MasterKey next, String actor, long now) throws SQLException {
        // Lock the keyring row first, so a running server cannot write a secret under the old key meanwhile.
        String keyringId;
        try (PreparedStatement lock =
                connection.prepareStatement("UPDATE secret_keyring SET updated_at = ? WHERE id = 1")) {
            lock.setLong(1, now);
            keyringId = lock.executeUpdate() == 1 ? keyringId(connection) : null;
        }
        if (keyringId != null && !keyringId.equals(current.id())) {
            throw new IllegalStateException("The secrets are encrypted with master key " + keyringId
                    + ", not with the current one (" + current.id() + "): set PROMPTFORGE_MASTER_KEY or the key file"
                    + " to the key in use");
        }
        record Row(String name, SecretEnvelope.Sealed sealed) {}
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement select =
                        connection.prepareStatement("SELECT name, key_id, wrapped_key, ciphertext FROM secrets");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (!current.id().equals(rs.getString(2))) {
                    throw new IllegalStateException("Secret '" + name + "' is encrypted with master key "
                            + rs.getString(2) + ", not with the current one (" + current.id() + ")");
                }
                rows.add(new Row(name, new SecretEnvelope.Sealed(rs.getString(3), rs.getString(4))));
            }
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE secrets SET key_id = ?, wrapped_key = ?, ciphertext = ? WHERE name = ?")) {
            for (Row row : rows) {
                String value;
                try {
                    value = SecretEnvelope.open(current, row.name(), row.sealed());
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("Secret '" + row.name() + "' does not decrypt with the current"
                            + " master key (was it altered?); nothing was rotated");
                }
                SecretEnvelope.Sealed sealed = SecretEnvelope.seal(next, row.name(), value);
                update.setString(1, next.id());
                update.setString(2, sealed.wrappedKey());
                update.setString(3, sealed.ciphertext());
                update.setString(4, row.name());
                update.executeUpdate();
            }
        }
        if (keyringId == null) {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO secret_keyring (id, key_id, updated_at) VALUES (1, ?, ?)")) {
                insert.setString(1, next.id());
                insert.setLong(2, now);
                insert.executeUpdate();
            }
        } else {
            try (PreparedStatement update =
                    connection.prepareStatement("UPDATE secret_keyring SET key_id = ? WHERE id = 1")) {
                update.setString(1, next.id());
                update.executeUpdate();
            }
        }
        AuditChain.append(
                connection,
                new AuditChain.NewEntry(
                        Ids.newId(Clock.systemUTC()),
                        now,
                        actor,
                        "master-key.rotate",
                        "master-key",
                        null,
                        null,
                        AuditChain.stateHash(Map.of("keyId", current.id())),
                        AuditChain.stateHash(Map.of("keyId", next.id(), "secrets", rows.size()))));
        return rows.size();
    }

    private static @Nullable String keyringId(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT key_id FROM secret_keyring WHERE id = 1");
                ResultSet rs = select.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
