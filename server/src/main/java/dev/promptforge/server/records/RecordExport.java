package dev.promptforge.server.records;

import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Json;
import dev.promptforge.server.shared.Rows;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The records matching a filter, written as CSV or JSON Lines while they are read: the query runs
 * with a fetch size and each row goes to the output as it arrives, so an export of a million records
 * holds one row in memory at a time. On PostgreSQL the query runs in a transaction, without which its
 * driver ignores the fetch size; SQLite steps through the rows by itself, and there a transaction
 * would take the write lock (transactions are IMMEDIATE) for the whole download.
 */
@Service
public class RecordExport {

    static final int FETCH_SIZE = 500;

    /** The columns of an export, in order. */
    public static final List<String> COLUMNS = List.of(
            "id",
            "created_at",
            "project",
            "prompt",
            "version",
            "endpoint",
            "provider",
            "model",
            "status",
            "error_type",
            "error_message",
            "latency_ms",
            "input_tokens",
            "output_tokens",
            "cost",
            "run_id",
            "trace_id",
            "correlation_id",
            "input",
            "output");

    public enum Format {
        CSV,
        JSONL
    }

    private final Records records;
    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final DataSource dataSource;
    private volatile @Nullable Boolean postgres;

    RecordExport(Records records, DataSource dataSource, TransactionTemplate transactions) {
        this.records = records;
        this.dataSource = dataSource;
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setFetchSize(FETCH_SIZE);
        this.jdbc = new NamedParameterJdbcTemplate(template);
        this.transactions = transactions;
    }

    /** A checked export, ready to write; checking the filter before any byte is written. */
    public final class Prepared {
        private final String sql;
        private final Map<String, Object> params;

        private Prepared(String sql, Map<String, Object> params) {
            this.sql = sql;
            this.params = params;
        }

        /** Writes every matching record to {@code out}, newest first; returns how many. */
        public long write(Format format, OutputStream out) {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
            long[] count = {0};
            Csv csv = new Csv(writer);
            try {
                if (format == Format.CSV) {
                    for (String column : COLUMNS) {
                        csv.text(column);
                    }
                    csv.end();
                }
                RowCallbackHandler handler = rs -> {
                    try {
                        if (format == Format.CSV) {
                            csvRow(rs, csv);
                        } else {
                            writer.write(Json.write(jsonRow(rs)));
                            writer.write('\n');
                        }
                        count[0]++;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                };
                if (postgres()) {
                    transactions.executeWithoutResult(status -> jdbc.query(sql, params, handler));
                } else {
                    jdbc.query(sql, params, handler);
                }
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return count[0];
        }
    }

    private boolean postgres() {
        Boolean known = postgres;
        if (known == null) {
            try (Connection connection = dataSource.getConnection()) {
                known = "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot reach the database: " + e.getMessage(), e);
            }
            postgres = known;
        }
        return known;
    }

    /** Checks the filter (as the records list does) and builds the query. */
    public Prepared prepare(Records.Filter filter) {
        if (filter.status() != null && !Set.of("ok", "error").contains(filter.status())) {
            throw ApiException.badRequest("Parameter 'status' must be 'ok' or 'error'.");
        }
        if (filter.version() != null && filter.prompt() == null) {
            throw ApiException.badRequest("Parameter 'version' needs 'prompt' too.");
        }
        StringBuilder sql = new StringBuilder();
        Map<String, Object> params = new LinkedHashMap<>();
        records.select(filter, sql, params);
        sql.append(" ORDER BY r.id DESC");
        return new Prepared(sql.toString(), params);
    }

    private static void csvRow(ResultSet rs, Csv csv) throws SQLException, IOException {
        csv.text(rs.getString("id"))
                .text(Instant.ofEpochMilli(rs.getLong("created_at")).toString())
                .text(rs.getString("project_name"))
                .text(rs.getString("prompt_name"))
                .number(Rows.nullableInt(rs, "prompt_version"))
                .text(rs.getString("endpoint"))
                .text(rs.getString("provider"))
                .text(rs.getString("model"))
                .text(rs.getString("status"))
                .text(rs.getString("error_type"))
                .text(rs.getString("error_message"))
                .number(rs.getDouble("latency_ms"))
                .number(Rows.nullableInt(rs, "input_tokens"))
                .number(Rows.nullableInt(rs, "output_tokens"))
                .number(nullableDouble(rs, "cost"))
                .text(rs.getString("run_id"))
                .text(rs.getString("trace_id"))
                .text(rs.getString("correlation_id"))
                .text(rs.getString("input"))
                .text(rs.getString("output"))
                .end();
    }

    private static Map<String, @Nullable Object> jsonRow(ResultSet rs) throws SQLException {
        Map<String, @Nullable Object> row = new LinkedHashMap<>();
        row.put("id", rs.getString("id"));
        row.put("created_at", Instant.ofEpochMilli(rs.getLong("created_at")).toString());
        row.put("project", rs.getString("project_name"));
        row.put("prompt", rs.getString("prompt_name"));
        row.put("version", Rows.nullableInt(rs, "prompt_version"));
        row.put("endpoint", rs.getString("endpoint"));
        row.put("provider", rs.getString("provider"));
        row.put("model", rs.getString("model"));
        row.put("status", rs.getString("status"));
        row.put("error_type", rs.getString("error_type"));
        row.put("error_message", rs.getString("error_message"));
        row.put("latency_ms", rs.getDouble("latency_ms"));
        row.put("input_tokens", Rows.nullableInt(rs, "input_tokens"));
        row.put("output_tokens", Rows.nullableInt(rs, "output_tokens"));
        row.put("cost", nullableDouble(rs, "cost"));
        row.put("run_id", rs.getString("run_id"));
        row.put("trace_id", rs.getString("trace_id"));
        row.put("correlation_id", rs.getString("correlation_id"));
        String input = rs.getString("input");
        row.put("input", input == null ? null : Json.read(input, Object.class));
        row.put("output", rs.getString("output"));
        return row;
    }

    private static @Nullable Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }
}
