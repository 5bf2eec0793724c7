package dev.promptforge.server.records;

import dev.promptforge.server.registry.Project;
import dev.promptforge.server.registry.PromptRegistry;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Ids;
import dev.promptforge.server.shared.Json;
import dev.promptforge.server.shared.Page;
import dev.promptforge.server.shared.Rows;
import dev.promptforge.server.shared.Validation;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** The records API: store an execution (group commit), list and get records, add feedback. */
@Service
public class Records {

    static final int MAX_PAGE = 200;
    static final Set<String> SOURCES = Set.of("auto", "judge", "human");

    private static final Logger log = LoggerFactory.getLogger(Records.class);

    private final RecordWriter writer;
    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate transactions;
    private final PromptRegistry registry;
    private final Clock clock;
    private final ObjectProvider<RecordScorer> scorers;
    private volatile @Nullable List<RecordScorer> resolvedScorers;

    Records(
            RecordWriter writer,
            JdbcClient jdbc,
            JdbcTemplate template,
            TransactionTemplate transactions,
            PromptRegistry registry,
            Clock clock,
            ObjectProvider<RecordScorer> scorers) {
        this.writer = writer;
        this.jdbc = jdbc;
        this.template = template;
        this.transactions = transactions;
        this.registry = registry;
        this.clock = clock;
        this.scorers = scorers;
    }

    /**
     * Stores the record; returns once it is committed (concurrent callers share commits). The {@link
     * RecordScorer}s' inline scores are committed with it; then they hear that it is committed.
     */
    public void save(ExecutionRecord record) {
        List<RecordView.Feedback> feedback = new ArrayList<>();
        Instant now = Instant.ofEpochMilli(clock.millis());
        scorers().forEach(scorer -> {
            try {
                for (RecordScorer.Score score : scorer.inline(record)) {
                    feedback.add(new RecordView.Feedback(
                            Ids.newId(clock),
                            score.name(),
                            score.value(),
                            score.passed(),
                            score.reason(),
                            score.source(),
                            score.evaluatorVersion(),
                            EVALUATOR,
                            now));
                }
            } catch (RuntimeException e) {
                log.warn("Could not score record {} inline", record.id(), e);
            }
        });
        writer.write(record, feedback);
        scorers().forEach(scorer -> {
            try {
                scorer.committed(record);
            } catch (RuntimeException e) {
                log.warn("Could not start scoring record {}", record.id(), e);
            }
        });
    }

    /** The scorers, looked up once on first use (they may depend on this service). */
    private List<RecordScorer> scorers() {
        List<RecordScorer> resolved = resolvedScorers;
        if (resolved == null) {
            resolved = scorers.orderedStream().toList();
            resolvedScorers = resolved;
        }
        return resolved;
    }

    /** Tokens (input and output) and cost spent by one project or key. */
    public record Spent(long tokens, double cost) {}

    /** What a deletion removed. */
    public record Deleted(int records, int feedback) {}

    /**
     * Tokens and cost of the records created since {@code since}, per project, or per API key when
     * {@code byKey}. One grouped query; the budgets refresh their counters with it.
     */
    public Map<String, Spent> spentSince(Instant since, boolean byKey) {
        String column = byKey ? "api_key_id" : "project_id";
        Map<String, Spent> spent = new HashMap<>();
        jdbc.sql("SELECT " + column + " AS scope,"
                        + " COALESCE(SUM(COALESCE(input_tokens, 0) + COALESCE(output_tokens, 0)), 0) AS tokens,"
                        + " COALESCE(SUM(cost), 0) AS cost FROM records"
                        + " WHERE created_at >= :since AND " + column + " IS NOT NULL GROUP BY " + column)
                .param("since", since.toEpochMilli())
                .query(rs -> {
                    spent.put(rs.getString("scope"), new Spent(rs.getLong("tokens"), rs.getDouble("cost")));
                });
        return spent;
    }

    /**
     * Deletes a subject's records of a project and their feedback. Runs in the caller's transaction,
     * so the caller can audit it in the same one.
     */
    public Deleted deleteSubject(String projectId, String subjectHash) {
        List<Long> hours = java.util.Objects.requireNonNull(
                rollups(c -> RecordRollups.hoursOf(c, projectId, "subject_hash = ?", subjectHash)));
        int feedback = jdbc.sql("DELETE FROM feedback WHERE record_id IN (SELECT id FROM records"
                        + " WHERE project_id = :project AND subject_hash = :subject)")
                .param("project", projectId)
                .param("subject", subjectHash)
                .update();
        int records = jdbc.sql("DELETE FROM records WHERE project_id = :project AND subject_hash = :subject")
                .param("project", projectId)
                .param("subject", subjectHash)
                .update();
        rollups(c -> {
            for (long hour : hours) {
                RecordRollups.recompute(c, projectId, hour);
            }
            return null;
        });
        return new Deleted(records, feedback);
    }

    /**
     * Moves a project's records in time — the demo data spreads executions made at start-up over the
     * last days — and rebuilds the rollups of every hour a record left or entered, in one transaction.
     * Give the new times in the records' id order, so ids still grow with time.
     */
    public void backdate(String projectId, Map<String, Instant> createdAt) {
        transactions.executeWithoutResult(status -> {
            java.util.SortedSet<Long> hours = new java.util.TreeSet<>();
            createdAt.forEach((id, at) -> {
                jdbc.sql("SELECT created_at FROM records WHERE id = :id AND project_id = :project")
                        .param("id", id)
                        .param("project", projectId)
                        .query(Long.class)
                        .optional()
                        .ifPresent(old -> {
                            hours.add(RecordRollups.hourOf(old));
                            hours.add(RecordRollups.hourOf(at.toEpochMilli()));
                            jdbc.sql("UPDATE records SET created_at = :at, finished_at = :at + CAST(latency_ms AS"
                                            + " INTEGER) WHERE id = :id")
                                    .param("at", at.toEpochMilli())
                                    .param("id", id)
                                    .update();
                        });
            });
            rollups(c -> {
                for (long hour : hours) {
                    RecordRollups.recompute(c, projectId, hour);
                }
                return null;
            });
        });
    }

    /** Deletes a project's records created before {@code before}, with their feedback (caller's transaction). */
    public Deleted deleteBefore(String projectId, Instant before) {
        int feedback = jdbc.sql("DELETE FROM feedback WHERE record_id IN (SELECT id FROM records"
                        + " WHERE project_id = :project AND created_at < :before)")
                .param("project", projectId)
                .param("before", before.toEpochMilli())
                .update();
        int records = jdbc.sql("DELETE FROM records WHERE project_id = :project AND created_at < :before")
                .param("project", projectId)
                .param("before", before.toEpochMilli())
                .update();
        // whole hours before the cut go with their rollups; the hour it cuts is rebuilt
        long partial = RecordRollups.hourOf(before.toEpochMilli());
        for (String table : List.of("record_rollups", "record_rollup_feedback", "record_rollup_errors")) {
            jdbc.sql("DELETE FROM " + table + " WHERE project_id = :project AND hour < :hour")
                    .param("project", projectId)
                    .param("hour", partial)
                    .update();
        }
        if (partial < before.toEpochMilli()) {
            rollups(c -> {
                RecordRollups.recompute(c, projectId, partial);
                return null;
            });
        }
        return new Deleted(records, feedback);
    }

    private volatile @Nullable Boolean postgres;

    private boolean postgres() {
        Boolean known = postgres;
        if (known == null) {
            known = Boolean.TRUE.equals(template.execute((ConnectionCallback<Boolean>) c -> c.getMetaData()
                    .getDatabaseProductName()
                    .toLowerCase(java.util.Locale.ROOT)
                    .contains("postgres")));
            postgres = known;
        }
        return known;
    }

    /** Runs {@code action} on the connection of the current transaction (the rollups are plain JDBC). */
    private <T> @Nullable T rollups(ConnectionCallback<T> action) {
        return template.execute(action);
    }

    /** Who gave the feedback of evaluators. */
    public static final String EVALUATOR = "evaluator";

    /** Filters of {@code GET /api/v1/records}; every one is optional. */
    public record Filter(
            @Nullable String project,
            @Nullable String prompt,
            @Nullable Integer version,
            @Nullable String model,
            @Nullable String status,
            @Nullable Instant from,
            @Nullable Instant to,
            @Nullable String run,
            @Nullable String text,
            @Nullable String feedback,
            @Nullable Double minScore,
            @Nullable Double maxScore) {}

    /** Below this many matches of a text search, SQLite reads the matches first (see select). */
    static final int FEW_MATCHES = 5_000;

    /** The longest text a search may look for. */
    static final int MAX_SEARCH = 200;

    public Page<RecordView> list(Filter filter, @Nullable String cursor, @Nullable Integer limit) {
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw ApiException.badRequest("Parameter 'limit' must be from 1 to " + MAX_PAGE + ", got " + size + ".");
        }
        if (filter.status() != null && !Set.of("ok", "error").contains(filter.status())) {
            throw ApiException.badRequest("Parameter 'status' must be 'ok' or 'error'.");
        }
        if (filter.version() != null && filter.prompt() == null) {
            throw ApiException.badRequest("Parameter 'version' needs 'prompt' too.");
        }
        StringBuilder sql = new StringBuilder();
        Map<String, Object> params = new LinkedHashMap<>();
        select(filter, sql, params);
        if (cursor != null && !cursor.isEmpty()) {
            sql.append(" AND r.id < :cursor");
            params.put("cursor", decodeCursor(cursor));
        }
        sql.append(" ORDER BY r.id DESC LIMIT :limit");
        params.put("limit", size + 1);
        List<RecordView> rows = jdbc.sql(sql.toString())
                .params(params)
                .query((rs, i) -> view(rs, null))
                .list();
        if (rows.size() <= size) {
            return new Page<>(rows, null);
        }
        List<RecordView> page = rows.subList(0, size);
        return new Page<>(page, encodeCursor(page.getLast().id()));
    }

    /**
     * The records matching {@code filter} that were committed after the record {@code afterId} (ids
     * grow with time), oldest first, at most {@code limit}; for live views.
     */
    public List<RecordView> newer(Filter filter, String afterId, int limit) {
        StringBuilder sql = new StringBuilder();
        Map<String, Object> params = new LinkedHashMap<>();
        select(filter, sql, params);
        sql.append(" AND r.id > :after ORDER BY r.id LIMIT :limit");
        params.put("after", afterId);
        params.put("limit", limit);
        return jdbc.sql(sql.toString())
                .params(params)
                .query((rs, i) -> view(rs, null))
                .list();
    }

    // Package-private: the streamed export (RecordExport) selects with the same filters.
    void select(Filter filter, StringBuilder sql, Map<String, Object> params) {
        sql.append(
                "SELECT r.*, p.name AS project_name FROM records r JOIN projects p ON p.id = r.project_id WHERE 1 = 1");
        // A rare word on SQLite: read its few records through the FTS index and sort them, rather
        // than walk the project's records newest first until enough of them match.
        boolean fewMatches = filter.text() != null
                && !filter.text().isBlank()
                && filter.text().length() <= MAX_SEARCH
                && !postgres()
                && !ftsQuery(filter.text().strip()).isEmpty()
                && jdbc.sql("SELECT COUNT(*) FROM (SELECT 1 FROM records_text WHERE records_text MATCH :text LIMIT "
                                        + FEW_MATCHES + ") hits")
                                .param("text", ftsQuery(filter.text().strip()))
                                .query(Long.class)
                                .single()
                        < FEW_MATCHES;
        if (filter.project() != null) {
            Project project = registry.project(filter.project());
            sql.append(fewMatches ? " AND +r.project_id = :project" : " AND r.project_id = :project");
            params.put("project", project.id());
        }
        if (filter.prompt() != null) {
            sql.append(" AND r.prompt_name = :prompt");
            params.put("prompt", filter.prompt());
        }
        if (filter.version() != null) {
            sql.append(" AND r.prompt_version = :version");
            params.put("version", filter.version());
        }
        if (filter.model() != null) {
            sql.append(" AND r.model = :model");
            params.put("model", filter.model());
        }
        if (filter.status() != null) {
            sql.append(" AND r.status = :status");
            params.put("status", filter.status());
        }
        if (filter.run() != null) {
            sql.append(" AND r.run_id = :run");
            params.put("run", filter.run());
        }
        if (filter.from() != null) {
            sql.append(" AND r.created_at >= :from");
            params.put("from", filter.from().toEpochMilli());
        }
        if (filter.to() != null) {
            sql.append(" AND r.created_at < :to");
            params.put("to", filter.to().toEpochMilli());
        }
        if (filter.text() != null && !filter.text().isBlank()) {
            if (filter.text().length() > MAX_SEARCH) {
                throw ApiException.badRequest("Parameter 'q' may have at most " + MAX_SEARCH + " characters.");
            }
            // Searches the stored (anonymized) text. PostgreSQL: substrings, LIKE's wildcards taken
            // literally, with the trigram index from three characters. SQLite: the words of the text
            // (each one also as a prefix) through the FTS5 index.
            String text = filter.text().strip();
            String words = ftsQuery(text);
            if (postgres()) {
                sql.append(" AND (r.input || ' ' || COALESCE(r.output, '')) LIKE :text ESCAPE '!'");
                params.put("text", "%" + likeLiteral(text) + "%");
            } else if (words.isEmpty()) {
                sql.append(" AND (r.input LIKE :text ESCAPE '!' OR r.output LIKE :text ESCAPE '!')");
                params.put("text", "%" + likeLiteral(text) + "%");
            } else {
                sql.append(" AND r.rowid IN (SELECT rowid FROM records_text WHERE records_text MATCH :text)");
                params.put("text", words);
            }
        }
        if (filter.minScore() != null || filter.maxScore() != null || filter.feedback() != null) {
            double min = filter.minScore() == null ? 0 : filter.minScore();
            double max = filter.maxScore() == null ? 1 : filter.maxScore();
            if (!(min >= 0 && max <= 1 && min <= max)) {
                throw ApiException.badRequest(
                        "Parameters 'minScore' and 'maxScore' must be from 0 to 1, with minScore <= maxScore.");
            }
            sql.append(" AND EXISTS (SELECT 1 FROM feedback f WHERE f.record_id = r.id"
                    + " AND f.value >= :minScore AND f.value <= :maxScore");
            params.put("minScore", min);
            params.put("maxScore", max);
            if (filter.feedback() != null) {
                sql.append(" AND f.name = :feedbackName");
                params.put("feedbackName", filter.feedback());
            }
            sql.append(")");
        }
    }

    /** The id of the project's newest record, or empty when it has none. */
    public String newestId(String projectId) {
        return jdbc
                .sql("SELECT MAX(id) FROM records WHERE project_id = :project")
                .param("project", projectId)
                .query(String.class)
                .list()
                .stream()
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .orElse("");
    }

    /** An FTS5 query: every word of {@code text}, each as a quoted prefix; empty when it has no word. */
    static String ftsQuery(String text) {
        StringBuilder query = new StringBuilder();
        for (String word : text.split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                query.append(query.isEmpty() ? "" : " ")
                        .append('"')
                        .append(word)
                        .append("\"*");
            }
        }
        return query.toString();
    }

    private static String likeLiteral(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    public RecordView get(String id) {
        if (id.length() > 64) {
            throw ApiException.notFound("Record '" + Validation.abbreviate(id) + "' does not exist.");
        }
        List<RecordView.Feedback> feedback = jdbc.sql(
                        "SELECT * FROM feedback WHERE record_id = :id ORDER BY created_at, id")
                .param("id", id)
                .query(Records::feedback)
                .list();
        return jdbc.sql("SELECT r.*, p.name AS project_name FROM records r JOIN projects p ON p.id = r.project_id"
                        + " WHERE r.id = :id")
                .param("id", id)
                .query((rs, i) -> view(rs, feedback))
                .optional()
                .orElseThrow(() -> ApiException.notFound("Record '" + Validation.abbreviate(id) + "' does not exist."));
    }

    /** Adds one feedback score (0..1) to a record. */
    public RecordView.Feedback addFeedback(
            String recordId,
            String name,
            double value,
            @Nullable Boolean passed,
            @Nullable String reason,
            String source,
            @Nullable String evaluatorVersion,
            @Nullable String createdBy) {
        if (!SOURCES.contains(source)) {
            throw ApiException.unprocessable("source must be one of auto, judge, human");
        }
        RecordView record = get(recordId);
        RecordView.Feedback feedback = new RecordView.Feedback(
                Ids.newId(clock),
                name,
                value,
                passed,
                reason,
                source,
                evaluatorVersion,
                createdBy,
                Instant.ofEpochMilli(clock.millis()));
        String projectId = jdbc.sql("SELECT project_id FROM records WHERE id = :id")
                .param("id", recordId)
                .query(String.class)
                .single();
        RecordRollups.Key key = RecordRollups.Key.of(
                projectId, record.createdAt().toEpochMilli(), record.prompt(), record.version(), record.model());
        transactions.executeWithoutResult(status -> insertFeedback(recordId, feedback, key));
        return feedback;
    }

    private void insertFeedback(String recordId, RecordView.Feedback feedback, RecordRollups.Key key) {
        jdbc.sql("""
                        INSERT INTO feedback (id, record_id, name, value, passed, reason, source, evaluator_version,
                                              created_by, created_at)
                        VALUES (:id, :record, :name, :value, :passed, :reason, :source, :version, :by, :at)
                        """)
                .param("id", feedback.id())
                .param("record", recordId)
                .param("name", feedback.name())
                .param("value", feedback.value())
                .param("passed", feedback.passed())
                .param("reason", feedback.reason())
                .param("source", feedback.source())
                .param("version", feedback.evaluatorVersion())
                .param("by", feedback.createdBy())
                .param("at", feedback.createdAt().toEpochMilli())
                .update();
        rollups(c -> {
            RecordRollups.apply(
                    c,
                    new RecordRollups.Delta()
                            .feedback(key, feedback.name(), feedback.source(), feedback.value(), feedback.passed()));
            return null;
        });
    }

    private static RecordView view(ResultSet rs, @Nullable List<RecordView.Feedback> feedback) throws SQLException {
        String errorType = rs.getString("error_type");
        return new RecordView(
                rs.getString("id"),
                rs.getString("project_name"),
                rs.getString("prompt_name"),
                Rows.nullableInt(rs, "prompt_version"),
                rs.getString("endpoint"),
                rs.getString("provider"),
                rs.getString("model"),
                rs.getString("status"),
                errorType == null
                        ? null
                        : new RecordView.Error(
                                errorType, rs.getString("error_message"), Rows.nullableInt(rs, "http_status")),
                Json.read(rs.getString("input"), Object.class),
                rs.getString("output"),
                rs.getString("finish_reason"),
                rs.getDouble("latency_ms"),
                new RecordView.Usage(
                        Rows.nullableInt(rs, "input_tokens"),
                        Rows.nullableInt(rs, "output_tokens"),
                        rs.getBoolean("tokens_estimated")),
                nullableDouble(rs, "cost"),
                rs.getInt("attempts"),
                rs.getBoolean("streamed"),
                rs.getString("correlation_id"),
                rs.getString("trace_id"),
                rs.getString("pii_counts") == null ? null : Json.read(rs.getString("pii_counts"), Object.class),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("finished_at")),
                rs.getString("run_id"),
                rs.getString("subject_hash"),
                rs.getString("injection") == null ? null : Json.read(rs.getString("injection"), Object.class),
                feedback);
    }

    private static RecordView.Feedback feedback(ResultSet rs, int row) throws SQLException {
        return new RecordView.Feedback(
                rs.getString("id"),
                rs.getString("name"),
                rs.getDouble("value"),
                nullableBoolean(rs, "passed"),
                rs.getString("reason"),
                rs.getString("source"),
                rs.getString("evaluator_version"),
                rs.getString("created_by"),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    private static @Nullable Boolean nullableBoolean(ResultSet rs, String column) throws SQLException {
        boolean value = rs.getBoolean(column);
        return rs.wasNull() ? null : value;
    }

    private static @Nullable Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    private static String encodeCursor(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeCursor(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(
                    "Parameter 'cursor' is not valid: pass the 'nextCursor' of the previous page unchanged.");
        }
    }
}
