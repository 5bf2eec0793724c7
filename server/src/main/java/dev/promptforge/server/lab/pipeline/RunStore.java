package dev.promptforge.server.lab.pipeline;

import dev.promptforge.server.shared.Json;
import dev.promptforge.server.shared.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;

/** The runs, stage results and item results in the database. */
@Repository
class RunStore {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    RunStore(JdbcClient jdbc, TransactionTemplate transactions, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** A run's row: its plan and state. */
    record Row(
            String id,
            String pipelineId,
            String projectId,
            String status,
            String planJson,
            @Nullable String reason,
            int itemsDone,
            int itemsTotal,
            int resumes,
            @Nullable String owner,
            @Nullable Long heartbeatAt,
            String createdBy,
            Instant createdAt,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt) {

        Plan plan() {
            return Json.read(planJson, Plan.class);
        }
    }

    private static Row row(ResultSet rs, int i) throws SQLException {
        Long started = Rows.nullableLong(rs, "started_at");
        Long finished = Rows.nullableLong(rs, "finished_at");
        return new Row(
                rs.getString("id"),
                rs.getString("pipeline_id"),
                rs.getString("project_id"),
                rs.getString("status"),
                rs.getString("plan"),
                rs.getString("reason"),
                rs.getInt("items_done"),
                rs.getInt("items_total"),
                rs.getInt("resumes"),
                rs.getString("owner"),
                Rows.nullableLong(rs, "heartbeat_at"),
                rs.getString("created_by"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                started == null ? null : Instant.ofEpochMilli(started),
                finished == null ? null : Instant.ofEpochMilli(finished));
    }

    void insert(String id, Plan plan, String owner, String createdBy, int itemsTotal) {
        long now = clock.millis();
        transactions.executeWithoutResult(status -> {
            jdbc.sql("INSERT INTO pipeline_runs (id, pipeline_id, project_id, status, plan, items_total, owner,"
                            + " heartbeat_at, created_by, created_at) VALUES (:id, :pl, :p, :s, :plan, :total, :owner,"
                            + " :now, :by, :now)")
                    .param("id", id)
                    .param("pl", plan.pipelineId())
                    .param("p", plan.projectId())
                    .param("s", PipelineRun.QUEUED)
                    .param("plan", Json.write(plan))
                    .param("total", itemsTotal)
                    .param("owner", owner)
                    .param("now", now)
                    .param("by", createdBy)
                    .update();
            for (int i = 0; i < plan.stages().size(); i++) {
                StageSpec stage = plan.stages().get(i);
                jdbc.sql("INSERT INTO stage_results (run_id, position, name, type, status) VALUES (:r, :i, :n, :t,"
                                + " :s)")
                        .param("r", id)
                        .param("i", i)
                        .param("n", stage.label())
                        .param("t", stage.type() == null ? "" : stage.type().id())
                        .param("s", PipelineRun.StageResult.PENDING)
                        .update();
            }
        });
    }

    Optional<Row> find(String id) {
        if (id.length() > 64) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT * FROM pipeline_runs WHERE id = :id")
                .param("id", id)
                .query(RunStore::row)
                .optional();
    }

    List<Row> list(String pipelineId, int limit) {
        return jdbc.sql("SELECT * FROM pipeline_runs WHERE pipeline_id = :p ORDER BY id DESC LIMIT :limit")
                .param("p", pipelineId)
                .param("limit", limit)
                .query(RunStore::row)
                .list();
    }

    List<PipelineRun.StageResult> stages(String runId) {
        return jdbc.sql("SELECT * FROM stage_results WHERE run_id = :r ORDER BY position")
                .param("r", runId)
                .query((rs, i) -> {
                    Long started = Rows.nullableLong(rs, "started_at");
                    Long finished = Rows.nullableLong(rs, "finished_at");
                    String metrics = rs.getString("metrics");
                    String details = rs.getString("details");
                    return new PipelineRun.StageResult(
                            rs.getInt("position"),
                            rs.getString("name"),
                            rs.getString("type"),
                            rs.getString("status"),
                            metrics == null ? null : Json.read(metrics, MAP),
                            details == null ? null : Json.read(details, MAP),
                            started == null ? null : Instant.ofEpochMilli(started),
                            finished == null ? null : Instant.ofEpochMilli(finished));
                })
                .list();
    }

    void stageStarted(String runId, int position) {
        jdbc.sql("UPDATE stage_results SET status = :s, started_at = :now, metrics = NULL, details = NULL,"
                        + " finished_at = NULL WHERE run_id = :r AND position = :i")
                .param("s", PipelineRun.StageResult.RUNNING)
                .param("now", clock.millis())
                .param("r", runId)
                .param("i", position)
                .update();
    }

    void stageFinished(
            String runId,
            int position,
            String status,
            @Nullable Map<String, Object> metrics,
            @Nullable Map<String, Object> details) {
        jdbc.sql("UPDATE stage_results SET status = :s, metrics = :m, details = :d, finished_at = :now"
                        + " WHERE run_id = :r AND position = :i")
                .param("s", status)
                .param("m", metrics == null ? null : Json.write(metrics))
                .param("d", details == null ? null : Json.write(details))
                .param("now", clock.millis())
                .param("r", runId)
                .param("i", position)
                .update();
    }

    void skipPending(String runId, String why) {
        jdbc.sql("UPDATE stage_results SET status = :s, details = :d, finished_at = :now"
                        + " WHERE run_id = :r AND status IN ('PENDING', 'RUNNING')")
                .param("s", PipelineRun.StageResult.SKIPPED)
                .param("d", Json.write(Map.of("reason", why)))
                .param("now", clock.millis())
                .param("r", runId)
                .update();
    }

    void started(String runId) {
        jdbc.sql("UPDATE pipeline_runs SET status = :s, started_at = COALESCE(started_at, :now), heartbeat_at = :now"
                        + " WHERE id = :id AND status IN ('QUEUED', 'RUNNING')")
                .param("s", PipelineRun.RUNNING)
                .param("now", clock.millis())
                .param("id", runId)
                .update();
    }

    /** Ends a run unless it has already ended (a cancel wins over a late finish). */
    boolean finish(String runId, String status, @Nullable String reason) {
        return jdbc.sql("UPDATE pipeline_runs SET status = :s, reason = :reason, finished_at = :now"
                                + " WHERE id = :id AND status IN ('QUEUED', 'RUNNING')")
                        .param("s", status)
                        .param("reason", reason)
                        .param("now", clock.millis())
                        .param("id", runId)
                        .update()
                == 1;
    }

    void progress(String runId, int done, int total) {
        jdbc.sql("UPDATE pipeline_runs SET items_done = :d, items_total = :t, heartbeat_at = :now WHERE id = :id")
                .param("d", done)
                .param("t", total)
                .param("now", clock.millis())
                .param("id", runId)
                .update();
    }

    void heartbeat(List<String> runIds, String owner) {
        for (String id : runIds) {
            jdbc.sql("UPDATE pipeline_runs SET heartbeat_at = :now WHERE id = :id AND owner = :owner")
                    .param("now", clock.millis())
                    .param("id", id)
                    .param("owner", owner)
                    .update();
        }
    }

    String status(String runId) {
        return jdbc.sql("SELECT status FROM pipeline_runs WHERE id = :id")
                .param("id", runId)
                .query(String.class)
                .optional()
                .orElse(PipelineRun.FAILED);
    }

    /** Runs still QUEUED or RUNNING whose owner has not written a heartbeat since {@code before}. */
    List<Row> stale(long before) {
        return jdbc.sql("SELECT * FROM pipeline_runs WHERE status IN ('QUEUED', 'RUNNING')"
                        + " AND (heartbeat_at IS NULL OR heartbeat_at < :before) ORDER BY id")
                .param("before", before)
                .query(RunStore::row)
                .list();
    }

    /** Takes over an interrupted run; false when another instance took it first. */
    boolean claim(Row run, String owner) {
        return jdbc.sql("UPDATE pipeline_runs SET owner = :owner, heartbeat_at = :now, resumes = resumes + 1"
                                + " WHERE id = :id AND status IN ('QUEUED', 'RUNNING')"
                                + " AND (heartbeat_at IS NULL OR heartbeat_at = :hb)")
                        .param("owner", owner)
                        .param("now", clock.millis())
                        .param("id", run.id())
                        .param("hb", run.heartbeatAt() == null ? -1L : run.heartbeatAt())
                        .update()
                == 1;
    }

    Map<String, PipelineRun.ItemResult> items(String runId, String variant) {
        Map<String, PipelineRun.ItemResult> out = new HashMap<>();
        jdbc.sql("SELECT * FROM pipeline_item_results WHERE run_id = :r AND variant = :v")
                .param("r", runId)
                .param("v", variant)
                .query(RunStore::item)
                .list()
                .forEach(r -> out.put(r.itemId(), r));
        return out;
    }

    List<PipelineRun.ItemResult> allItems(String runId) {
        return jdbc.sql("SELECT * FROM pipeline_item_results WHERE run_id = :r ORDER BY variant, created_at, item_id")
                .param("r", runId)
                .query(RunStore::item)
                .list();
    }

    int countItems(String runId) {
        return jdbc.sql("SELECT COUNT(*) FROM pipeline_item_results WHERE run_id = :r")
                .param("r", runId)
                .query(Integer.class)
                .single();
    }

    private static PipelineRun.ItemResult item(ResultSet rs, int i) throws SQLException {
        double latency = rs.getDouble("latency_ms");
        boolean noLatency = rs.wasNull();
        double cost = rs.getDouble("cost");
        boolean noCost = rs.wasNull();
        return new PipelineRun.ItemResult(
                rs.getString("variant"),
                rs.getString("item_id"),
                rs.getString("status"),
                rs.getString("output"),
                rs.getString("error"),
                noLatency ? null : latency,
                Rows.nullableInt(rs, "input_tokens"),
                Rows.nullableInt(rs, "output_tokens"),
                noCost ? null : cost,
                rs.getString("record_id"));
    }

    /** Stores one item's result; false when it was already stored (by an earlier attempt). */
    boolean saveItem(String runId, PipelineRun.ItemResult result) {
        try {
            jdbc.sql("INSERT INTO pipeline_item_results (run_id, variant, item_id, status, output, error, latency_ms,"
                            + " input_tokens, output_tokens, cost, record_id, created_at) VALUES (:r, :v, :i, :s, :o,"
                            + " :e, :l, :in, :out, :c, :rec, :now)")
                    .param("r", runId)
                    .param("v", result.variant())
                    .param("i", result.itemId())
                    .param("s", result.status())
                    .param("o", result.output())
                    .param("e", result.error())
                    .param("l", result.latencyMs())
                    .param("in", result.inputTokens())
                    .param("out", result.outputTokens())
                    .param("c", result.cost())
                    .param("rec", result.recordId())
                    .param("now", clock.millis())
                    .update();
            return true;
        } catch (DataIntegrityViolationException e) {
            return false;
        }
    }
}
