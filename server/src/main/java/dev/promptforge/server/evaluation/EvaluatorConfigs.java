package dev.promptforge.server.evaluation;

import dev.promptforge.eval.Assertion;
import dev.promptforge.eval.CompiledAssertion;
import dev.promptforge.eval.Evaluators;
import dev.promptforge.eval.InvalidAssertionException;
import dev.promptforge.eval.Judge;
import dev.promptforge.eval.PiiDetector;
import dev.promptforge.pii.PiiAnalyzer;
import dev.promptforge.server.gateway.Providers;
import dev.promptforge.server.registry.Project;
import dev.promptforge.server.registry.PromptRegistry;
import dev.promptforge.server.shared.Actors;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;

/**
 * Stores the evaluator configurations (each change a new revision), checks them with the eval
 * module's {@link Evaluators} before they are stored, and keeps them compiled for the records they
 * score: cached per project and prompt, dropped on a change here and reloaded after {@value
 * #CACHE_MILLIS} ms so other instances see changes too.
 */
@Service
public class EvaluatorConfigs {

    static final int MAX_EVALUATORS = 50;
    static final long CACHE_MILLIS = 10_000;

    /** The eval engine's version, part of every evaluator version. */
    static final String ENGINE = engineVersion();

    private static final Logger log = LoggerFactory.getLogger(EvaluatorConfigs.class);
    private static final String PROJECT_WIDE = "";
    private static final Set<String> NEEDS_EMBEDDINGS = Set.of("similar", "similar:cosine", "answer-relevance");
    private static final Set<String> PROVIDER_KINDS = Set.of("text", "embedding", "moderation");

    /** A configuration ready to grade: deterministic evaluators and model-graded ones apart. */
    record Compiled(String version, List<Entry> inline, List<Entry> judged) {}

    record Entry(String name, CompiledAssertion assertion) {}

    private record Cached(Optional<Compiled> compiled, long loadedAt) {}

    private record Row(int revision, @Nullable String judge, List<EvaluatorSpec> evaluators, String by, long at) {}

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final PromptRegistry registry;
    private final Providers providers;
    private final PiiDetector pii;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    EvaluatorConfigs(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            PromptRegistry registry,
            Providers providers,
            PiiAnalyzer analyzer,
            Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.registry = registry;
        this.providers = providers;
        this.pii = PiiDetector.engine(() -> analyzer);
        this.clock = clock;
    }

    EvaluatorConfig get(String projectName, @Nullable String promptName) {
        Project project = project(projectName, promptName);
        return load(project.id(), key(promptName))
                .map(row -> view(project, promptName, row))
                .orElseGet(() -> new EvaluatorConfig(project.name(), promptName, 0, null, List.of(), null, null));
    }

    public EvaluatorConfig put(
            String projectName,
            @Nullable String promptName,
            @Nullable String judge,
            @Nullable List<EvaluatorSpec> evaluators) {
        Project project = project(projectName, promptName);
        if (evaluators == null) {
            throw ApiException.invalid(List.of(new ApiException.FieldError(
                    "evaluators",
                    "is required: a list of assertions such as {\"type\": \"contains\", \"value\":"
                            + " \"refund\"} (an empty list removes them all)")));
        }
        if (evaluators.size() > MAX_EVALUATORS) {
            throw ApiException.unprocessable("evaluators: at most " + MAX_EVALUATORS + ", got " + evaluators.size());
        }
        if (judge != null && judge.isBlank()) {
            throw ApiException.invalid(List.of(new ApiException.FieldError("judge", "must not be blank")));
        }
        compile(0, judge, evaluators);
        String by = Actors.current();
        long at = clock.millis();
        String prompt = key(promptName);
        Row row = transactions.execute(status -> {
            jdbc.sql("""
                            INSERT INTO evaluator_configs
                                (project_id, prompt_name, revision, judge, evaluators, updated_by, updated_at)
                            VALUES (:project, :prompt, 1, :judge, :evaluators, :by, :at)
                            ON CONFLICT (project_id, prompt_name) DO UPDATE SET
                                revision = evaluator_configs.revision + 1, judge = excluded.judge,
                                evaluators = excluded.evaluators, updated_by = excluded.updated_by,
                                updated_at = excluded.updated_at
                            """)
                    .param("project", project.id())
                    .param("prompt", prompt)
                    .param("judge", judge)
                    .param("evaluators", Json.write(evaluators))
                    .param("by", by)
                    .param("at", at)
                    .update();
            return load(project.id(), prompt).orElseThrow();
        });
        cache.remove(cacheKey(project.id(), prompt));
        return view(project, promptName, row);
    }

    /**
     * The compiled evaluators of a record of the project (and prompt): the prompt's own when it has
     * them, else the project's; null when neither has any.
     */
    @Nullable
    Compiled forRecord(String projectId, @Nullable String promptName) {
        if (promptName != null) {
            Compiled own = cached(projectId, promptName);
            if (own != null) {
                return own;
            }
        }
        return cached(projectId, PROJECT_WIDE);
    }

    private @Nullable Compiled cached(String projectId, String prompt) {
        String key = cacheKey(projectId, prompt);
        long now = clock.millis();
        Cached entry = cache.get(key);
        if (entry == null || now - entry.loadedAt() >= CACHE_MILLIS) {
            Optional<Compiled> compiled = load(projectId, prompt).flatMap(row -> {
                try {
                    return Optional.of(compile(row.revision(), row.judge(), row.evaluators()));
                } catch (RuntimeException e) {
                    log.warn(
                            "The evaluators of project {} prompt '{}' no longer compile; they do not run: {}",
                            projectId,
                            prompt,
                            e.getMessage());
                    return Optional.empty();
                }
            });
            entry = new Cached(compiled, now);
            cache.put(key, entry);
        }
        return entry.compiled().orElse(null);
    }

    /** Compiles every evaluator; a problem (422) names the first that does not compile. */
    private Compiled compile(int revision, @Nullable String judge, List<EvaluatorSpec> specs) {
        Judge configJudge = judge == null ? null : judge("judge", judge);
        Evaluators.Builder builder =
                Evaluators.builder().piiDetector(pii).judgeFactory(named -> judgeOf("provider", named));
        if (configJudge != null) {
            builder.judge(configJudge);
        }
        Evaluators evaluators = builder.build();
        List<Entry> inline = new ArrayList<>();
        List<Entry> judged = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            EvaluatorSpec spec = specs.get(i);
            String field = "evaluators[" + i + "]";
            if (spec == null || spec.type() == null || spec.type().isBlank()) {
                throw ApiException.invalid(List.of(new ApiException.FieldError(
                        field + ".type", "is required, e.g. \"contains\", \"is-json\" or \"llm-rubric\"")));
            }
            if (spec.metric() != null
                    && (spec.metric().isBlank() || spec.metric().length() > 100)) {
                throw ApiException.invalid(
                        List.of(new ApiException.FieldError(field + ".metric", "must be 1 to 100 characters")));
            }
            if (!names.add(spec.name())) {
                throw ApiException.invalid(List.of(new ApiException.FieldError(
                        field, "a second evaluator named '" + spec.name() + "': give one a \"metric\" name")));
            }
            Assertion assertion = new Assertion(
                    spec.type(),
                    spec.value(),
                    spec.threshold(),
                    null,
                    spec.metric(),
                    spec.provider(),
                    List.of(),
                    field);
            checkJudge(field, assertion, configJudge);
            CompiledAssertion compiled;
            try {
                compiled = evaluators.compile(assertion);
            } catch (InvalidAssertionException e) {
                throw ApiException.invalid(List.of(new ApiException.FieldError(field, e.getMessage())));
            }
            (Evaluators.isModelGraded(assertion) ? judged : inline).add(new Entry(spec.name(), compiled));
        }
        return new Compiled("r" + revision + "/eval-" + ENGINE, List.copyOf(inline), List.copyOf(judged));
    }

    /** Problems of model-graded evaluators, in the API's words rather than a suite's. */
    private void checkJudge(String field, Assertion assertion, @Nullable Judge configJudge) {
        if (!Evaluators.isModelGraded(assertion)) {
            return;
        }
        if (configJudge == null && assertion.provider() == null) {
            throw ApiException.invalid(List.of(new ApiException.FieldError(
                    field,
                    "'" + assertion.type() + "' is model-graded and needs a judge: set \"judge\" (a model such as"
                            + " openai/gpt-4o-mini) or the evaluator's \"provider\"")));
        }
        Judge judge = assertion.provider() != null ? judgeOf(field + ".provider", assertion.provider()) : configJudge;
        String base = assertion.baseType();
        if (NEEDS_EMBEDDINGS.contains(base) && !judge.supportsEmbeddings()) {
            throw ApiException.invalid(List.of(new ApiException.FieldError(
                    field,
                    "'" + base + "' compares embeddings, and " + judge.id() + " has none: set the evaluator's"
                            + " \"provider\" to an embeddings model of an OpenAI-compatible provider, e.g."
                            + " \"openai/text-embedding-3-small\""
                            + (base.equals("answer-relevance")
                                    ? ", with the chat model beside it: {\"text\": \"openai/gpt-4o-mini\","
                                            + " \"embedding\": \"openai/text-embedding-3-small\"}"
                                    : ""))));
        }
        if (base.equals("moderation") && !judge.supportsModeration()) {
            throw ApiException.invalid(List.of(new ApiException.FieldError(
                    field,
                    "'moderation' needs a moderation endpoint, and " + judge.id() + " has none: set the"
                            + " evaluator's \"provider\" to a moderation model of an OpenAI-compatible provider,"
                            + " e.g. \"openai/omni-moderation-latest\"")));
        }
    }

    /**
     * The judge an evaluator's {@code provider} names: a gateway model, or one per kind of call
     * ({@code text}, {@code embedding}, {@code moderation}).
     */
    private Judge judgeOf(String field, Object provider) {
        if (provider instanceof String model && !model.isBlank()) {
            return judge(field, model);
        }
        if (provider instanceof Map<?, ?> kinds && !kinds.isEmpty()) {
            Map<String, Judge> judges = new java.util.HashMap<>();
            for (Map.Entry<?, ?> kind : kinds.entrySet()) {
                String name = String.valueOf(kind.getKey());
                if (!PROVIDER_KINDS.contains(name)) {
                    throw ApiException.invalid(List.of(new ApiException.FieldError(
                            field, "has an unknown kind '" + name + "' (kinds: text, embedding, moderation)")));
                }
                if (!(kind.getValue() instanceof String model) || model.isBlank()) {
                    throw ApiException.invalid(List.of(new ApiException.FieldError(
                            field + "." + name, "must be a model name such as \"openai/text-embedding-3-small\"")));
                }
                judges.put(name, judge(field + "." + name, model));
            }
            return Judge.combine(judges.get("text"), judges.get("embedding"), judges.get("moderation"));
        }
        throw ApiException.invalid(List.of(new ApiException.FieldError(
                field,
                "must be a model name (\"openai/text-embedding-3-small\") or one per kind of call ({\"text\": …,"
                        + " \"embedding\": …, \"moderation\": …})")));
    }

    private GatewayJudge judge(String field, String model) {
        try {
            return new GatewayJudge(providers, model);
        } catch (ApiException e) {
            throw ApiException.invalid(List.of(new ApiException.FieldError(
                    field, e.getMessage() == null ? "is not a model of this server" : e.getMessage())));
        }
    }

    private Project project(String projectName, @Nullable String promptName) {
        Project project = registry.project(projectName);
        if (promptName != null) {
            registry.prompt(project.name(), promptName);
        }
        return project;
    }

    private Optional<Row> load(String projectId, String prompt) {
        return jdbc.sql("SELECT * FROM evaluator_configs WHERE project_id = :project AND prompt_name = :prompt")
                .param("project", projectId)
                .param("prompt", prompt)
                .query((rs, i) -> new Row(
                        rs.getInt("revision"),
                        rs.getString("judge"),
                        Json.read(rs.getString("evaluators"), new TypeReference<List<EvaluatorSpec>>() {}),
                        rs.getString("updated_by"),
                        rs.getLong("updated_at")))
                .optional();
    }

    private static EvaluatorConfig view(Project project, @Nullable String promptName, Row row) {
        return new EvaluatorConfig(
                project.name(),
                promptName,
                row.revision(),
                row.judge(),
                row.evaluators(),
                row.by(),
                Instant.ofEpochMilli(row.at()));
    }

    private static String key(@Nullable String promptName) {
        return promptName == null ? PROJECT_WIDE : promptName;
    }

    private static String cacheKey(String projectId, String prompt) {
        return projectId + "\u0000" + prompt;
    }

    private static String engineVersion() {
        String version = Evaluators.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
