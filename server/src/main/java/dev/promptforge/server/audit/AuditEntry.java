package dev.promptforge.server.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the audit log.
 *
 * @param seq its position in the chain (1, 2, 3 …)
 * @param id a unique, time-ordered id
 * @param time when the change happened
 * @param actor who made it (a user name, or {@code system})
 * @param action what happened, e.g. {@code label.move}
 * @param target what it happened to, as a path, e.g. {@code project/retail/prompt/greeting/label/production}
 * @param sourceIp the client's address, when the change came through the API
 * @param correlationId the request's correlation id ({@code X-Request-Id}), when there was a request
 * @param beforeHash SHA-256 of the state before the change (null when it was created)
 * @param afterHash SHA-256 of the state after the change (null when it was deleted)
 * @param prevHash the hash of the previous entry
 * @param hash this entry's hash
 */
public record AuditEntry(
        long seq,
        String id,
        Instant time,
        String actor,
        String action,
        String target,
        @Nullable String sourceIp,
        @Nullable String correlationId,
        @Nullable String beforeHash,
        @Nullable String afterHash,
        String prevHash,
        String hash) {

    static AuditEntry from(ResultSet rs) throws SQLException {
        return new AuditEntry(
                rs.getLong("seq"),
                rs.getString("id"),
                Instant.ofEpochMilli(rs.getLong("occurred_at")),
                rs.getString("actor"),
                rs.getString("action"),
                rs.getString("target"),
                rs.getString("source_ip"),
                rs.getString("correlation_id"),
                rs.getString("before_hash"),
                rs.getString("after_hash"),
                rs.getString("prev_hash"),
                rs.getString("entry_hash"));
    }
}
