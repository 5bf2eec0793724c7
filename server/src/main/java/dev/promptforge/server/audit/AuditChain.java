package dev.promptforge.server.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hash chain of the {@code audit_log} table in plain JDBC, so the server and the command line
 * ({@code promptforge audit verify}, which does not start Spring) compute and check it the same way.
 *
 * <p>An entry's hash is the SHA-256 of the JSON array {@code ["promptforge-audit-v1", seq, id,
 * occurredAt (epoch ms), actor, action, target, sourceIp, correlationId, beforeHash, afterHash,
 * prevHash]}, as lower-case hex. {@code prevHash} is the hash of entry {@code seq - 1}, or {@link
 * #GENESIS} for entry 1. The {@code audit_head} row holds the last position and hash; an append locks
 * it first, so concurrent appends are ordered by that lock on PostgreSQL and by SQLite's single
 * writer.
 */
public final class AuditChain {

    /** The previous-entry hash of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    static final String VERSION = "promptforge-audit-v1";

    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private AuditChain() {}

    /** What a caller records; the chain adds the position, the link to the previous entry and the hash. */
    public record NewEntry(
            String id,
            long occurredAt,
            String actor,
            String action,
            String target,
            @Nullable String sourceIp,
            @Nullable String correlationId,
            @Nullable String beforeHash,
            @Nullable String afterHash) {}

    /**
     * Appends one entry on this connection, inside the caller's transaction (the connection must not
     * be in auto-commit mode, or concurrent appends could interleave).
     */
    public static AuditEntry append(Connection connection, NewEntry entry) throws SQLException {
        if (connection.getAutoCommit()) {
            throw new IllegalStateException("An audit entry must be appended inside the transaction of its change");
        }
        // Lock the head first: the row lock (PostgreSQL) orders concurrent appends.
        try (PreparedStatement lock = connection.prepareStatement("UPDATE audit_head SET seq = seq + 1 WHERE id = 1")) {
            if (lock.executeUpdate() != 1) {
                throw new IllegalStateException("The audit log's head row is missing: the audit log was tampered with"
                        + " (run 'promptforge audit verify')");
            }
        }
        long seq;
        String prev;
        try (PreparedStatement head =
                        connection.prepareStatement("SELECT seq, entry_hash FROM audit_head WHERE id = 1");
                ResultSet rs = head.executeQuery()) {
            rs.next();
            seq = rs.getLong(1);
            prev = rs.getString(2);
        }
        String hash = entryHash(
                seq,
                entry.id(),
                entry.occurredAt(),
                entry.actor(),
                entry.action(),
                entry.target(),
                entry.sourceIp(),
                entry.correlationId(),
                entry.beforeHash(),
                entry.afterHash(),
                prev);
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO audit_log (seq, id, occurred_at, actor, action, target, source_ip, correlation_id,
                                       before_hash, after_hash, prev_hash, entry_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)) {
            int i = 1;
            insert.setLong(i++, seq);
            insert.setString(i++, entry.id());
            insert.setLong(i++, entry.occurredAt());
            insert.setString(i++, entry.actor());
            insert.setString(i++, entry.action());
            insert.setString(i++, entry.target());
            insert.setString(i++, entry.sourceIp());
            insert.setString(i++, entry.correlationId());
            insert.setString(i++, entry.beforeHash());
            insert.setString(i++, entry.afterHash());
            insert.setString(i++, prev);
            insert.setString(i, hash);
            insert.executeUpdate();
        }
        try (PreparedStatement advance =
                connection.prepareStatement("UPDATE audit_head SET entry_hash = ? WHERE id = 1")) {
            advance.setString(1, hash);
            advance.executeUpdate();
        }
        return new AuditEntry(
                seq,
                entry.id(),
                Instant.ofEpochMilli(entry.occurredAt()),
                entry.actor(),
                entry.action(),
                entry.target(),
                entry.sourceIp(),
                entry.correlationId(),
                entry.beforeHash(),
                entry.afterHash(),
                prev,
                hash);
    }

    /** The hash of one entry from its stored fields (see the class comment for the exact input). */
    public static String entryHash(
            long seq,
            String id,
            long occurredAt,
            String actor,
            String action,
            String target,
            @Nullable String sourceIp,
            @Nullable String correlationId,
            @Nullable String beforeHash,
            @Nullable String afterHash,
            String prevHash) {
        Object[] fields = {
            VERSION,
            seq,
            id,
            occurredAt,
            actor,
            action,
            target,
            sourceIp,
            correlationId,
            beforeHash,
            afterHash,
            prevHash
        };
        return sha256(CANONICAL.writeValueAsString(Arrays.asList(fields)));
    }

    /**
     * The hash of a state (before or after a change): SHA-256 of its JSON with sorted keys, or null
     * for no state (a creation has no before, a deletion no after). Callers pass only what may be
     * known: never a secret value.
     */
    public static @Nullable String stateHash(@Nullable Object state) {
        return state == null ? null : sha256(CANONICAL.writeValueAsString(state));
    }

    /** Where the chain first breaks, and why. */
    public record Broken(long seq, @Nullable String id, String reason) {}

    /**
     * The outcome of a verification.
     *
     * @param valid whether every entry and the head check out
     * @param entries the entries checked
     * @param headHash the hash of the last entry (record it elsewhere to anchor the log)
     * @param firstBroken the first entry that does not check out, or null
     */
    public record Verification(
            boolean valid,
            long entries,
            String headHash,
            @Nullable Broken firstBroken) {}

    /**
     * Re-computes the chain and reports the first broken entry: an edited entry (its hash no longer
     * matches), a deleted, inserted or reordered one (a gap in the positions, or a previous-entry
     * hash that does not match), and entries removed from or added after the end (the head
     * disagrees). Reads without locking; appends committed meanwhile are not mistaken for tampering.
     */
    public static Verification verify(Connection connection) throws SQLException {
        return verify(connection, entry -> {});
    }

    /** As {@link #verify(Connection)}, handing each checked entry to {@code progress}. */
    public static Verification verify(Connection connection, Consumer<AuditEntry> progress) throws SQLException {
        long headSeq;
        String headHash;
        try (PreparedStatement head =
                        connection.prepareStatement("SELECT seq, entry_hash FROM audit_head WHERE id = 1");
                ResultSet rs = head.executeQuery()) {
            if (!rs.next()) {
                return new Verification(
                        false, 0, GENESIS, new Broken(1, null, "the audit log's head row is missing (deleted)"));
            }
            headSeq = rs.getLong(1);
            headHash = rs.getString(2);
        }
        long expected = 1;
        String prev = GENESIS;
        try (PreparedStatement rows = connection.prepareStatement(
                "SELECT * FROM audit_log WHERE seq <= ? ORDER BY seq", ResultSet.TYPE_FORWARD_ONLY)) {
            rows.setLong(1, headSeq);
            rows.setFetchSize(500);
            try (ResultSet rs = rows.executeQuery()) {
                while (rs.next()) {
                    AuditEntry entry = AuditEntry.from(rs);
                    if (entry.seq() != expected) {
                        return broken(
                                expected - 1,
                                prev,
                                entry.seq() > expected
                                        ? new Broken(
                                                expected,
                                                null,
                                                "entry " + expected + " is missing: it was deleted or renumbered")
                                        : new Broken(
                                                entry.seq(),
                                                entry.id(),
                                                "entry " + entry.seq() + " is out of order: positions start at 1"));
                    }
                    String recomputed = entryHash(
                            entry.seq(),
                            entry.id(),
                            entry.time().toEpochMilli(),
                            entry.actor(),
                            entry.action(),
                            entry.target(),
                            entry.sourceIp(),
                            entry.correlationId(),
                            entry.beforeHash(),
                            entry.afterHash(),
                            entry.prevHash());
                    if (!recomputed.equals(entry.hash())) {
                        return broken(
                                expected - 1,
                                prev,
                                new Broken(
                                        entry.seq(),
                                        entry.id(),
                                        "entry " + entry.seq() + " does not match its hash: it was edited"));
                    }
                    if (!entry.prevHash().equals(prev)) {
                        return broken(
                                expected - 1,
                                prev,
                                new Broken(
                                        entry.seq(),
                                        entry.id(),
                                        "entry " + entry.seq() + " does not link to entry " + (entry.seq() - 1)
                                                + ": an entry before it was edited, inserted, deleted or reordered"));
                    }
                    progress.accept(entry);
                    prev = entry.hash();
                    expected++;
                }
            }
        }
        long count = expected - 1;
        if (count < headSeq) {
            return broken(
                    count,
                    prev,
                    new Broken(
                            count + 1,
                            null,
                            "entry " + (count + 1) + " is missing: the log ends at entry " + count + " but " + headSeq
                                    + " were written (entries at the end were deleted)"));
        }
        if (!prev.equals(headHash)) {
            return broken(
                    count,
                    prev,
                    new Broken(
                            count,
                            null,
                            "the last entry (" + count + ") is not the one the head recorded: it was replaced"));
        }
        // Rows after the head: appended outside PromptForge, unless an append committed meanwhile (then the
        // head, read after them, covers them).
        Long after = null;
        try (PreparedStatement extra = connection.prepareStatement("SELECT MIN(seq) FROM audit_log WHERE seq > ?")) {
            extra.setLong(1, headSeq);
            try (ResultSet rs = extra.executeQuery()) {
                if (rs.next()) {
                    long value = rs.getLong(1);
                    after = rs.wasNull() ? null : value;
                }
            }
        }
        if (after != null) {
            long currentHead;
            try (PreparedStatement head = connection.prepareStatement("SELECT seq FROM audit_head WHERE id = 1");
                    ResultSet rs = head.executeQuery()) {
                currentHead = rs.next() ? rs.getLong(1) : -1;
            }
            if (after > currentHead) {
                return broken(
                        count,
                        prev,
                        new Broken(
                                after,
                                null,
                                "entry " + after + " was added after the last entry PromptForge wrote (" + currentHead
                                        + ")"));
            }
        }
        return new Verification(true, count, prev, null);
    }

    private static Verification broken(long checked, String prev, Broken broken) {
        return new Verification(false, checked, prev, broken);
    }

    static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
