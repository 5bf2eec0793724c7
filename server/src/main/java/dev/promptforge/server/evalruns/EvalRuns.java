package dev.promptforge.server.evalruns;

import dev.promptforge.server.registry.Project;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Ids;
import dev.promptforge.server.shared.Json;
import dev.promptforge.server.shared.Validation;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;

/** Stores the evaluation runs sent by the CLI, lists them, and compares one with a baseline. */
@Service
public class EvalRuns {

    public static final int MAX_CELLS = 5_000;
    static final int MAX_LIST = 200;
    static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
    static final Set<String> STATUSES = Set.of("PASS", "FAIL", "ERROR");

    private final JdbcClient jdbc;
    private final Clock clock;

    EvalRuns(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A run as the CLI sends it; the server counts passes and failures from its cells. */
    public record NewRun(
            @Nullable String runId,
            @Nullable String suite,
            @Nullable String description,
            @Nullable Instant startedAt,
            @Nullable Instant finishedAt,
            @Nullable List<EvalRun.@Nullable Cell> cells) {}

    /** Checks and stores a run of {@code project}; a run id the project already has is a conflict. */
    public EvalRun save(Project project, NewRun run, String createdBy) {
        Validation v = Validation.start();
        String runId = run.runId();
        v.require(
                runId != null && RUN_ID.matcher(runId).matches(),
                "runId",
                "is required: 1 to 100 letters, digits, '.', '_', ':' or '-'");
        String suite = run.suite();
        v.require(
                suite != null && !suite.isBlank() && suite.length() <= 200,
                "suite",
                "is required, at most 200 characters");
        v.require(
                run.description() == null || run.description().length() <= 2_000,
                "description",
                "at most 2000 characters");
        v.require(run.startedAt() != null, "startedAt", "is required (ISO-8601 instant)");
        v.require(run.finishedAt() != null, "finishedAt", "is required (ISO-8601 instant)");
        v.require(
                run.startedAt() == null
                        || run.finishedAt() == null
                        || !run.finishedAt().isBefore(run.startedAt()),
                "finishedAt",
                "must not be before startedAt");
        List<EvalRun.@Nullable Cell> cells = run.cells();
        v.require(
                cells != null && !cells.isEmpty() && cells.size() <= MAX_CELLS,
                "cells",
                "are required: 1 to " + MAX_CELLS + " cells");
        if (cells != null && cells.size() <= MAX_CELLS) {
            for (int i = 0; i < cells.size() && !v.hasErrors(); i++) {
                check(cells.get(i), "cells[" + i + "]", v);
            }
        }
        v.throwIfInvalid();
        List<EvalRun.Cell> checked = new ArrayList<>();
        int passed = 0;
        int failed = 0;
        int errors = 0;
        for (EvalRun.@Nullable Cell cell : cells) {
            if (cell == null) {
                continue;
            }
            checked.add(cell.repeat() == null ? cell.withRepeat(0) : cell);
            switch (cell.status()) {
                case "PASS" -> passed++;
                case "FAIL" -> failed++;
                default -> errors++;
            }
        }
        if (exists(project.id(), runId)) {
            throw duplicate(project, runId);
        }
        Instant now = Instant.ofEpochMilli(clock.millis());
        EvalRun stored = new EvalRun(
                runId,
                project.name(),
                suite.strip(),
                run.description(),
                run.startedAt(),
                run.finishedAt(),
                (double) passed / checked.size(),
                passed,
                failed,
                errors,
                checked,
                createdBy,
                now);
        try {
            jdbc.sql("""
                            INSERT INTO eval_runs (id, project_id, run_id, suite, description, started_at, finished_at,
                                                   pass_rate, passed, failed, errors, cells, created_by, created_at)
                            VALUES (:id, :project, :run, :suite, :description, :started, :finished,
                                    :passRate, :passed, :failed, :errors, :cells, :by, :at)
                            """)
                    .param("id", Ids.newId(clock))
                    .param("project", project.id())
                    .param("run", runId)
                    .param("suite", stored.suite())
                    .param("description", stored.description())
                    .param("started", stored.startedAt().toEpochMilli())
                    .param("finished", stored.finishedAt().toEpochMilli())
                    .param("passRate", stored.passRate())
                    .param("passed", passed)
                    .param("failed", failed)
                    .param("errors", errors)
                    .param("cells", Json.write(checked))
                    .param("by", createdBy)
                    .param("at", now.toEpochMilli())
                    .update();
        } catch (DataIntegrityViolationException e) {
            // sent twice at the same moment
            throw duplicate(project, runId);
        }
        return stored;
    }

    private boolean exists(String projectId, String runId) {
        return !jdbc.sql("SELECT 1 FROM eval_runs WHERE project_id = :project AND run_id = :run")
                .param("project", projectId)
                .param("run", runId)
                .query(Integer.class)
                .list()
                .isEmpty();
    }

    private static ApiException duplicate(Project project, String runId) {
        return ApiException.conflict("Project '" + project.name() + "' already has a run '" + runId
                + "': a run is sent once; run the suite again for a new run id.");
    }

    private static void check(EvalRun.@Nullable Cell cell, String field, Validation v) {
        if (cell == null) {
            v.require(false, field, "must be an object");
            return;
        }
        text(cell.test(), field + ".test", 500, v);
        text(cell.prompt(), field + ".prompt", 500, v);
        text(cell.provider(), field + ".provider", 500, v);
        v.require(
                cell.repeat() == null || (cell.repeat() >= 0 && cell.repeat() < 10_000),
                field + ".repeat",
                "must be from 0 to 9999");
        v.require(
                cell.status() != null && STATUSES.contains(cell.status()),
                field + ".status",
                "must be PASS, FAIL or ERROR");
        v.require(
                cell.score() == null || (cell.score() >= 0 && cell.score() <= 1),
                field + ".score",
                "must be from 0 to 1");
        v.require(
                cell.latencyMs() == null || (cell.latencyMs() >= 0 && cell.latencyMs() < 1e9),
                field + ".latencyMs",
                "must be a duration in milliseconds");
        v.require(cell.error() == null || cell.error().length() <= 2_000, field + ".error", "at most 2000 characters");
    }

    private static void text(@Nullable String value, String field, int max, Validation v) {
        v.require(
                value != null && !value.isEmpty() && value.length() <= max,
                field,
                "is required, at most " + max + " characters");
    }

    /** The project's runs, newest first, without their cells. */
    public List<EvalRun> list(String projectId, String projectName, int limit) {
        if (limit < 1 || limit > MAX_LIST) {
            throw ApiException.badRequest("Parameter 'limit' must be from 1 to " + MAX_LIST + ", got " + limit + ".");
        }
        return jdbc.sql("""
                        SELECT run_id, suite, description, started_at, finished_at, pass_rate, passed, failed, errors,
                               created_by, created_at
                          FROM eval_runs WHERE project_id = :project ORDER BY started_at DESC, id DESC LIMIT :limit
                        """)
                .param("project", projectId)
                .param("limit", limit)
                .query((rs, i) -> run(rs, projectName, List.of()))
                .list();
    }

    /** One run of the project with its cells. */
    public Optional<EvalRun> get(String projectId, String projectName, String runId) {
        if (!RUN_ID.matcher(runId).matches()) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT * FROM eval_runs WHERE project_id = :project AND run_id = :run")
                .param("project", projectId)
                .param("run", runId)
                .query((rs, i) -> run(
                        rs, projectName, Json.read(rs.getString("cells"), new TypeReference<List<EvalRun.Cell>>() {})))
                .optional();
    }

    private static EvalRun run(ResultSet rs, String project, List<EvalRun.Cell> cells) throws SQLException {
        return new EvalRun(
                rs.getString("run_id"),
                project,
                rs.getString("suite"),
                rs.getString("description"),
                Instant.ofEpochMilli(rs.getLong("started_at")),
                Instant.ofEpochMilli(rs.getLong("finished_at")),
                rs.getDouble("pass_rate"),
                rs.getInt("passed"),
                rs.getInt("failed"),
                rs.getInt("errors"),
                cells,
                rs.getString("created_by"),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    /** A run against a baseline: the pass-rate change and the cells that flipped. */
    public record Comparison(double passRateDelta, List<Flip> passToFail, List<Flip> failToPass, int common) {}

    /** A test × prompt × provider whose outcome changed. */
    public record Flip(
            String test,
            String prompt,
            String provider,
            @Nullable Double baselineScore,
            @Nullable Double score) {}

    /**
     * Compares {@code run} with {@code baseline} cell by cell (test, prompt, provider); a cell with
     * repetitions passes when all of them pass.
     */
    public static Comparison compare(EvalRun run, EvalRun baseline) {
        Map<String, Outcome> now = outcomes(run);
        Map<String, Outcome> before = outcomes(baseline);
        List<Flip> passToFail = new ArrayList<>();
        List<Flip> failToPass = new ArrayList<>();
        int common = 0;
        for (Map.Entry<String, Outcome> entry : now.entrySet()) {
            Outcome old = before.get(entry.getKey());
            if (old == null) {
                continue;
            }
            common++;
            Outcome current = entry.getValue();
            EvalRun.Cell cell = current.cell();
            if (old.passed() && !current.passed()) {
                passToFail.add(new Flip(cell.test(), cell.prompt(), cell.provider(), old.score(), current.score()));
            } else if (!old.passed() && current.passed()) {
                failToPass.add(new Flip(cell.test(), cell.prompt(), cell.provider(), old.score(), current.score()));
            }
        }
        return new Comparison(run.passRate() - baseline.passRate(), passToFail, failToPass, common);
    }

    private record Outcome(
            EvalRun.Cell cell, boolean passed, @Nullable Double score) {}

    private static Map<String, Outcome> outcomes(EvalRun run) {
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (EvalRun.Cell cell : run.cells()) {
            outcomes.merge(
                    cell.key(),
                    new Outcome(cell, cell.passed(), cell.score()),
                    (a, b) -> new Outcome(a.cell(), a.passed() && b.passed(), min(a.score(), b.score())));
        }
        return outcomes;
    }

    private static @Nullable Double min(@Nullable Double a, @Nullable Double b) {
        return a == null ? b : b == null ? a : Math.min(a, b);
    }
}
