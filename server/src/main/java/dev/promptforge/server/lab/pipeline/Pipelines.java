package dev.promptforge.server.lab.pipeline;

import dev.promptforge.eval.Assertion;
import dev.promptforge.eval.Evaluators;
import dev.promptforge.eval.InvalidAssertionException;
import dev.promptforge.server.audit.AuditLog;
import dev.promptforge.server.gateway.Gateway;
import dev.promptforge.server.lab.dataset.Datasets;
import dev.promptforge.server.registry.Project;
import dev.promptforge.server.shared.Actors;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Ids;
import dev.promptforge.server.shared.Json;
import dev.promptforge.server.shared.Page;
import dev.promptforge.server.shared.Validation;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;

/** The test pipelines of the projects: create, list, get, update (each update a new revision). */
@Service
public class Pipelines {

    static final int MAX_STAGES = 20;
    private static final TypeReference<List<StageSpec>> STAGES = new TypeReference<>() {};

    /** What a client sends to create or update a pipeline. */
    public record PipelineRequest(
            @Nullable String name,
            @Nullable String description,
            @Nullable PipelineConfig config,
            @Nullable List<StageSpec> stages) {}

    /** A pipeline with the id of its project. */
    record Stored(Pipeline pipeline, String projectId) {}

    static final Set<String> PERFORMANCE_LIMITS = Set.of(
            "maxP50Ms",
            "maxP95Ms",
            "maxP99Ms",
            "maxErrorRate",
            "maxCostPerCall",
            "maxMonthlyCost",
            "maxInputTokens",
            "maxOutputTokens");
    static final Set<String> QUALITY_LIMITS = Set.of("minPassRate", "minMeanScore");

    /** Each stage type's config keys and the kind of value each takes. */
    private static final Map<StageType, Map<String, String>> STAGE_KEYS = Map.of(
            StageType.VALIDATION, Map.of("contextWindows", "map", "allowSystemVariables", "boolean"),
            StageType.PERFORMANCE, withGate(PERFORMANCE_LIMITS),
            StageType.QUALITY, withGate(QUALITY_LIMITS),
            StageType.COMPARISON,
                    Map.of("baseline", "string", "resamples", "integer", "seed", "integer", "failOn", "string"),
            StageType.OPTIMIZATION,
                    Map.of("rewriteModel", "string", "rewrites", "integer", "scoreTolerance", "number"));

    private static Map<String, String> withGate(Set<String> limits) {
        Map<String, String> keys = new java.util.HashMap<>();
        limits.forEach(k -> keys.put(k, "number"));
        keys.put("gate", "string");
        return Map.copyOf(keys);
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final Clock clock;
    private final Gateway gateway;
    private final Datasets datasets;
    private final LabProperties properties;
    private final Evaluators evaluators = Evaluators.deterministic();

    Pipelines(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            AuditLog audit,
            Clock clock,
            Gateway gateway,
            Datasets datasets,
            LabProperties properties) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.audit = audit;
        this.clock = clock;
        this.gateway = gateway;
        this.datasets = datasets;
        this.properties = properties;
    }

    static String target(String project, String pipeline) {
        return "project/" + project + "/pipeline/" + pipeline;
    }

    private static Stored row(ResultSet rs, String projectName) throws SQLException {
        return new Stored(
                new Pipeline(
                        rs.getString("id"),
                        projectName,
                        rs.getString("name"),
                        rs.getString("description"),
                        Json.read(rs.getString("config"), PipelineConfig.class),
                        Json.read(rs.getString("stages"), STAGES),
                        rs.getInt("revision"),
                        rs.getString("created_by"),
                        Instant.ofEpochMilli(rs.getLong("created_at")),
                        Instant.ofEpochMilli(rs.getLong("updated_at"))),
                rs.getString("project_id"));
    }

    /** A pipeline by id with its project's id, whatever the project. */
    Optional<Stored> find(String id) {
        if (id.length() > 64) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT pl.*, p.name AS project_name FROM pipelines pl JOIN projects p ON p.id = pl.project_id"
                        + " WHERE pl.id = :id")
                .param("id", id)
                .query((rs, i) -> row(rs, rs.getString("project_name")))
                .optional();
    }

    static ApiException notFound(String id) {
        return ApiException.notFound("Pipeline '" + Validation.abbreviate(id) + "' does not exist.");
    }

    public Pipeline get(Project project, String id) {
        return find(id).filter(s -> s.projectId().equals(project.id()))
                .map(Stored::pipeline)
                .orElseThrow(() -> notFound(id));
    }

    public Page<Pipeline> list(Project project) {
        return new Page<>(
                jdbc.sql("SELECT * FROM pipelines WHERE project_id = :p ORDER BY name")
                        .param("p", project.id())
                        .query((rs, i) -> row(rs, project.name()).pipeline())
                        .list(),
                null);
    }

    public Pipeline create(Project project, PipelineRequest request) {
        PipelineConfig config = validate(project, request);
        String id = Ids.newId(clock);
        long now = clock.millis();
        transactions.executeWithoutResult(status -> {
            if (exists(project.id(), request.name(), null)) {
                throw ApiException.conflict(
                        "Project '" + project.name() + "' already has a pipeline '" + request.name() + "'.");
            }
            jdbc.sql("INSERT INTO pipelines (id, project_id, name, description, config, stages, revision, created_by,"
                            + " created_at, updated_at) VALUES (:id, :p, :n, :d, :c, :s, 1, :by, :now, :now)")
                    .param("id", id)
                    .param("p", project.id())
                    .param("n", request.name())
                    .param("d", request.description())
                    .param("c", Json.write(config))
                    .param("s", Json.write(request.stages()))
                    .param("by", Actors.current())
                    .param("now", now)
                    .update();
            audit.append("pipeline.create", target(project.name(), id), null, summary(request));
        });
        return get(project, id);
    }

    public Pipeline update(Project project, String id, PipelineRequest request) {
        Pipeline before = get(project, id);
        PipelineConfig config = validate(project, request);
        transactions.executeWithoutResult(status -> {
            if (exists(project.id(), request.name(), id)) {
                throw ApiException.conflict(
                        "Project '" + project.name() + "' already has a pipeline '" + request.name() + "'.");
            }
            int updated = jdbc.sql("UPDATE pipelines SET name = :n, description = :d, config = :c, stages = :s,"
                            + " revision = revision + 1, updated_at = :now WHERE id = :id AND revision = :r")
                    .param("n", request.name())
                    .param("d", request.description())
                    .param("c", Json.write(config))
                    .param("s", Json.write(request.stages()))
                    .param("now", clock.millis())
                    .param("id", id)
                    .param("r", before.revision())
                    .update();
            if (updated == 0) {
                throw ApiException.conflict("Pipeline '" + id + "' changed meanwhile; reload and try again.");
            }
            audit.append(
                    "pipeline.update",
                    target(project.name(), id),
                    Map.of("revision", before.revision(), "name", before.name()),
                    summary(request));
        });
        return get(project, id);
    }

    private static Map<String, Object> summary(PipelineRequest request) {
        return Map.of(
                "name",
                String.valueOf(request.name()),
                "stages",
                request.stages() == null
                        ? List.of()
                        : request.stages().stream().map(StageSpec::label).toList());
    }

    private boolean exists(String projectId, @Nullable String name, @Nullable String exceptId) {
        return jdbc.sql("SELECT COUNT(*) FROM pipelines WHERE project_id = :p AND name = :n"
                                + (exceptId == null ? "" : " AND id <> :id"))
                        .param("p", projectId)
                        .param("n", name)
                        .params(exceptId == null ? Map.of() : Map.of("id", exceptId))
                        .query(Integer.class)
                        .single()
                > 0;
    }

    /** Checks the whole request, every problem at once; gives the config back. */
    private PipelineConfig validate(Project project, @Nullable PipelineRequest request) {
        if (request == null) {
            throw ApiException.badRequest("The request body must be a JSON object.");
        }
        PipelineConfig config = request.config() == null ? PipelineConfig.empty() : request.config();
        Validation v =
                Validation.start().slug(request.name(), "name").maxLength(request.description(), 2000, "description");
        v.require(config.models().size() <= 10, "config.models", "at most 10 models");
        for (int i = 0; i < config.models().size(); i++) {
            String model = config.models().get(i);
            if (model == null || model.isBlank() || model.length() > 250) {
                v.require(false, "config.models[" + i + "]", "must be a model name, provider/model");
                continue;
            }
            try {
                gateway.validateModels(List.of(model));
            } catch (ApiException e) {
                v.require(false, "config.models[" + i + "]", e.getMessage());
            }
        }
        v.require(
                new HashSet<>(config.models()).size() == config.models().size(),
                "config.models",
                "lists a model twice");
        if (config.dataset() != null) {
            v.require(
                    datasets.exists(project, config.dataset()),
                    "config.dataset",
                    "project '" + project.name() + "' has no dataset '" + Validation.abbreviate(config.dataset())
                            + "'");
        }
        v.require(
                config.datasetVersion() == null || config.datasetVersion() >= 1,
                "config.datasetVersion",
                "must be at least 1");
        v.require(
                config.effectiveConcurrency() >= 1 && config.effectiveConcurrency() <= properties.maxConcurrency(),
                "config.concurrency",
                "must be from 1 to " + properties.maxConcurrency());
        v.require(
                config.threshold() == null || config.threshold() >= 0 && config.threshold() <= 1,
                "config.threshold",
                "must be from 0 to 1");
        v.require(
                config.monthlyVolume() == null || config.monthlyVolume() >= 0,
                "config.monthlyVolume",
                "must not be negative");
        Evaluators evaluators = this.evaluators;
        if (config.judge() != null) {
            try {
                gateway.validateModels(List.of(config.judge()));
                evaluators = Evaluators.builder()
                        .judge(LabJudge.placeholder(config.judge()))
                        .build();
            } catch (ApiException e) {
                v.require(false, "config.judge", e.getMessage());
            }
        }
        v.require(config.assertions().size() <= 50, "config.assert", "at most 50 assertions");
        for (int i = 0; i < config.assertions().size(); i++) {
            try {
                evaluators.compile(assertion(config.assertions().get(i)));
            } catch (InvalidAssertionException | IllegalArgumentException e) {
                v.require(false, "config.assert[" + i + "]", String.valueOf(e.getMessage()));
            }
        }
        Set<String> criteria = new HashSet<>(PERFORMANCE_LIMITS);
        criteria.addAll(QUALITY_LIMITS);
        config.successCriteria().forEach((key, value) -> {
            v.require(criteria.contains(key), "config.successCriteria." + key, "is not a criterion " + criteria);
            v.require(value instanceof Number, "config.successCriteria." + key, "must be a number");
        });
        List<StageSpec> stages = request.stages();
        if (stages == null || stages.isEmpty()) {
            v.require(false, "stages", "give at least one stage");
        } else {
            v.require(stages.size() <= MAX_STAGES, "stages", "at most " + MAX_STAGES + " stages");
            Set<String> names = new HashSet<>();
            for (int i = 0; i < stages.size(); i++) {
                StageSpec stage = stages.get(i);
                String at = "stages[" + i + "]";
                if (stage == null || stage.type() == null) {
                    v.require(
                            false,
                            at + ".type",
                            "is required: validation, performance, quality, comparison or" + " optimization");
                    continue;
                }
                v.require(
                        stage.name() == null
                                || !stage.name().isBlank() && stage.name().length() <= 100,
                        at + ".name",
                        "must be 1 to 100 characters");
                v.require(
                        names.add(stage.label()),
                        at + ".name",
                        "two stages are named '" + Validation.abbreviate(stage.label()) + "'");
                checkStageConfig(stage, at, v);
            }
        }
        v.throwIfInvalid();
        return config;
    }

    private void checkStageConfig(StageSpec stage, String at, Validation v) {
        Map<String, String> keys = STAGE_KEYS.get(stage.type());
        stage.config().forEach((key, value) -> {
            String kind = keys.get(key);
            String field = at + ".config." + key;
            if (kind == null) {
                v.require(false, field, "is not an option of a " + stage.label() + " stage " + keys.keySet());
                return;
            }
            boolean ok = switch (kind) {
                case "number" -> value instanceof Number n && n.doubleValue() >= 0;
                case "integer" -> value instanceof Integer || value instanceof Long;
                case "boolean" -> value instanceof Boolean;
                case "string" -> value instanceof String s && !s.isBlank() && s.length() <= 250;
                case "map" ->
                    value instanceof Map<?, ?> m && m.values().stream().allMatch(x -> x instanceof Integer i && i > 0);
                default -> false;
            };
            v.require(
                    ok,
                    field,
                    "must be "
                            + switch (kind) {
                                case "number" -> "a non-negative number";
                                case "integer" -> "a whole number";
                                case "boolean" -> "true or false";
                                case "map" -> "an object of model → tokens";
                                default -> "text";
                            });
            if (!ok) {
                return;
            }
            switch (key) {
                case "gate" -> v.require(Set.of("primary", "all").contains(value), field, "must be 'primary' or 'all'");
                case "failOn" ->
                    v.require(
                            Set.of("regression", "any-regressed-item", "never").contains(value),
                            field,
                            "must be 'regression', 'any-regressed-item' or 'never'");
                case "resamples" -> {
                    long n = ((Number) value).longValue();
                    v.require(n >= 100 && n <= 100_000, field, "must be from 100 to 100000");
                }
                case "rewrites" -> {
                    long n = ((Number) value).longValue();
                    v.require(n >= 0 && n <= 3, field, "must be from 0 to 3");
                }
                case "rewriteModel" -> {
                    try {
                        gateway.validateModels(List.of((String) value));
                    } catch (ApiException e) {
                        v.require(false, field, e.getMessage());
                    }
                }
                case "baseline" -> v.require(PromptRef.parse((String) value) != null, field, PromptRef.FORMAT);
                default -> {}
            }
        });
    }

    /** A config assertion ({@code type}, {@code value}, {@code threshold}, {@code weight}, {@code metric}). */
    static Assertion assertion(@Nullable Map<String, Object> map) {
        if (map == null || !(map.get("type") instanceof String type) || type.isBlank()) {
            throw new IllegalArgumentException("needs a 'type', e.g. {\"type\": \"icontains\", \"value\": \"refund\"}");
        }
        for (String key : map.keySet()) {
            if (!Set.of("type", "value", "threshold", "weight", "metric").contains(key)) {
                throw new IllegalArgumentException(
                        "unknown key '" + Validation.abbreviate(key) + "' (type, value, threshold, weight, metric)");
            }
        }
        Double threshold = number(map.get("threshold"), "threshold");
        Double weight = number(map.get("weight"), "weight");
        Object metric = map.get("metric");
        if (metric != null && !(metric instanceof String)) {
            throw new IllegalArgumentException("metric must be text");
        }
        return new Assertion(type, map.get("value"), threshold, weight, (String) metric, null, List.of(), null);
    }

    private static @Nullable Double number(@Nullable Object value, String name) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(name + " must be a number");
    }

    static List<Assertion> assertions(PipelineConfig config) {
        List<Assertion> out = new ArrayList<>();
        config.assertions().forEach(a -> out.add(assertion(a)));
        return out;
    }
}
