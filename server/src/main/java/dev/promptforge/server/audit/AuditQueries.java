package dev.promptforge.server.audit;

import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Page;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads of the audit log: filtered pages (newest first), the export (oldest first), verification. */
@Component
class AuditQueries {

    static final int MAX_PAGE = 200;
    static final int DEFAULT_PAGE = 50;
    static final int MAX_FILTER = 500;

    /** Filters of the listing and the export; every one is optional. */
    record Filter(
            @Nullable String actor,
            @Nullable String action,
            @Nullable String target,
            @Nullable Instant from,
            @Nullable Instant to) {
        Filter {
            check(actor, "actor");
            check(action, "action");
            check(target, "target");
            if (from != null && to != null && !from.isBefore(to)) {
                throw ApiException.badRequest("Parameter 'from' must be before 'to'.");
            }
        }

        private static void check(@Nullable String value, String name) {
            if (value != null && (value.isBlank() || value.length() > MAX_FILTER)) {
                throw ApiException.badRequest(
                        "Parameter '" + name + "' must be 1 to " + MAX_FILTER + " characters when given.");
            }
        }
    }

    private final JdbcClient jdbc;
    private final DataSource dataSource;

    AuditQueries(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    Page<AuditEntry> list(Filter filter, @Nullable String cursor, @Nullable Integer limit) {
        int size = limit == null ? DEFAULT_PAGE : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw ApiException.badRequest("Parameter 'limit' must be from 1 to " + MAX_PAGE + ", got " + size + ".");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE 1 = 1").append(where(filter, params));
        if (cursor != null && !cursor.isEmpty()) {
            sql.append(" AND seq < :cursor");
            params.put("cursor", decodeCursor(cursor));
        }
        sql.append(" ORDER BY seq DESC LIMIT :limit");
        params.put("limit", size + 1);
        List<AuditEntry> rows = jdbc.sql(sql.toString())
                .params(params)
                .query((rs, i) -> AuditEntry.from(rs))
                .list();
        if (rows.size() <= size) {
            return new Page<>(rows, null);
        }
        List<AuditEntry> page = rows.subList(0, size);
        return new Page<>(page, encodeCursor(page.getLast().seq()));
    }

    /** Every matching entry, oldest first, one at a time (the export streams them). */
    void export(Filter filter, Consumer<AuditEntry> sink) {
        Map<String, Object> params = new LinkedHashMap<>();
        jdbc.sql("SELECT * FROM audit_log WHERE 1 = 1" + where(filter, params) + " ORDER BY seq")
                .params(params)
                .query(rs -> {
                    sink.accept(AuditEntry.from(rs));
                });
    }

    AuditChain.Verification verify() {
        try (Connection connection = dataSource.getConnection()) {
            return AuditChain.verify(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the audit log: " + e.getMessage(), e);
        }
    }

    private static String where(Filter filter, Map<String, Object> params) {
        StringBuilder sql = new StringBuilder();
        if (filter.actor() != null) {
            sql.append(" AND actor = :actor");
            params.put("actor", filter.actor());
        }
        if (filter.action() != null) {
            sql.append(" AND action = :action");
            params.put("action", filter.action());
        }
        if (filter.target() != null) {
            // The target itself and everything under it: project/retail matches project/retail/prompt/x.
            String target = filter.target().endsWith("/")
                    ? filter.target().substring(0, filter.target().length() - 1)
                    : filter.target();
            sql.append(" AND (target = :target OR target LIKE :under ESCAPE '!')");
            params.put("target", target);
            params.put("under", target.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "/%");
        }
        if (filter.from() != null) {
            sql.append(" AND occurred_at >= :from");
            params.put("from", filter.from().toEpochMilli());
        }
        if (filter.to() != null) {
            sql.append(" AND occurred_at < :to");
            params.put("to", filter.to().toEpochMilli());
        }
        return sql.toString();
    }

    private static String encodeCursor(long seq) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Long.toString(seq).getBytes(StandardCharsets.UTF_8));
    }

    private static long decodeCursor(String cursor) {
        try {
            return Long.parseLong(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(
                    "Parameter 'cursor' is not valid: pass the 'nextCursor' of the previous page unchanged.");
        }
    }
}
