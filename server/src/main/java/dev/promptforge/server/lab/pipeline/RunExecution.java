package dev.promptforge.server.lab.pipeline;

import dev.promptforge.eval.Assertion;
import dev.promptforge.eval.AssertionContext;
import dev.promptforge.eval.CompiledAssertion;
import dev.promptforge.eval.EvaluationException;
import dev.promptforge.eval.Evaluators;
import dev.promptforge.eval.GradingResult;
import dev.promptforge.eval.ProviderResponse;
import dev.promptforge.eval.TokenUsage;
import dev.promptforge.eval.suite.SuiteLoader;
import dev.promptforge.server.gateway.ChatMessage;
import dev.promptforge.server.gateway.Gateway;
import dev.promptforge.server.lab.dataset.DatasetItem;
import dev.promptforge.server.registry.PromptMessage;
import dev.promptforge.server.registry.PromptRegistry;
import dev.promptforge.server.registry.PromptVersion;
import dev.promptforge.server.registry.RenderedPrompt;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a pipeline on this instance: the stages in order, each executing what it needs through
 * the gateway (items already done by an earlier attempt are read back, not executed again).
 */
final class RunExecution {

    private static final Logger log = LoggerFactory.getLogger(RunExecution.class);

    /** Everything a run needs from the application. */
    record Services(
            RunStore store,
            RunEvents events,
            Gateway gateway,
            PromptRegistry registry,
            ProviderLimits limits,
            Evaluators evaluators,
            dev.promptforge.pii.PiiAnalyzer analyzer,
            LabProperties properties,
            Clock clock) {}

    /**
     * What is executed: a prompt version (possibly changed by a suggestion) on one model.
     *
     * @param key the name its item results are stored under
     * @param label how reports name it
     */
    record Variant(String key, String label, PromptVersion version, String model, boolean changed) {}

    /** One item's result with its grade. */
    record Graded(
            DatasetItem item,
            PipelineRun.ItemResult result,
            String prompt,
            @Nullable GradingResult grading,
            String status,
            double score,
            @Nullable String reason) {

        boolean passed() {
            return status.equals("PASS");
        }
    }

    final String runId;
    final Plan plan;
    final Services services;
    private volatile boolean cancelled;
    private volatile boolean stopping;
    private final AtomicInteger done;
    private final AtomicInteger total;
    private final Object progress = new Object();
    private final Map<String, CompiledAssertion> compiled = new ConcurrentHashMap<>();
    private final Map<String, List<Graded>> graded = new ConcurrentHashMap<>();
    private final List<Assertion> configAssertions;
    private final Evaluators evaluators;
    private @Nullable PromptVersion candidate;
    private @Nullable PromptVersion baseline;

    RunExecution(String runId, Plan plan, Services services, int done, int total) {
        this.runId = runId;
        this.plan = plan;
        this.services = services;
        this.done = new AtomicInteger(done);
        this.total = new AtomicInteger(total);
        this.configAssertions = Pipelines.assertions(plan.config());
        this.evaluators = plan.config().judge() == null
                ? services.evaluators()
                : Evaluators.builder()
                        .piiDetector(dev.promptforge.eval.PiiDetector.engine(services::analyzer))
                        .judge(new LabJudge(
                                services.gateway(),
                                plan.config().judge(),
                                plan.projectId(),
                                plan.apiKeyId(),
                                runId,
                                services.clock()))
                        .build();
    }

    void cancel() {
        cancelled = true;
    }

    /** The server is stopping: leave the run as it is, to be resumed. */
    void stop() {
        stopping = true;
    }

    boolean cancelled() {
        return cancelled;
    }

    // --- the run

    void run() {
        RunStore store = services.store();
        store.started(runId);
        List<PipelineRun.StageResult> results = store.stages(runId);
        boolean failed = false;
        String reason = null;
        for (int i = 0; i < plan.stages().size(); i++) {
            StageSpec stage = plan.stages().get(i);
            PipelineRun.StageResult existing = results.get(i);
            if (existing.done()) {
                if (existing.status().equals(PipelineRun.StageResult.FAILED)) {
                    failed = true;
                    reason = reason == null ? "stage '" + stage.label() + "' failed" : reason;
                }
                continue;
            }
            if (stopped()) {
                break;
            }
            store.stageStarted(runId, i);
            publish("stage-started", stageData(i, stage, PipelineRun.StageResult.RUNNING, null));
            Stages.Outcome outcome;
            try {
                outcome = new Stages(this).run(stage);
            } catch (Cancelled e) {
                break;
            } catch (ApiException e) {
                outcome = Stages.Outcome.failed(Map.of("error", e.getMessage()));
            } catch (RuntimeException e) {
                if (stopping) {
                    return;
                }
                log.warn("Stage '{}' of run {} failed", stage.label(), runId, e);
                outcome = Stages.Outcome.failed(Map.of("error", String.valueOf(e.getMessage())));
            }
            if (stopping) {
                return;
            }
            if (cancelled) {
                break;
            }
            store.stageFinished(runId, i, outcome.status(), outcome.metrics(), outcome.details());
            publish("stage-finished", stageData(i, stage, outcome.status(), outcome.metrics()));
            if (outcome.status().equals(PipelineRun.StageResult.FAILED)) {
                failed = true;
                reason = reason == null ? "stage '" + stage.label() + "' failed" : reason;
                if (!stage.continues()) {
                    store.skipPending(runId, "stage '" + stage.label() + "' failed");
                    break;
                }
            }
        }
        if (stopping) {
            return;
        }
        if (cancelled) {
            store.skipPending(runId, "the run was cancelled");
            publish("run-finished", Map.of("status", PipelineRun.CANCELLED));
            return;
        }
        String status = failed ? PipelineRun.FAILED : PipelineRun.PASSED;
        if (!store.finish(runId, status, reason)) {
            // Cancelled (or failed) meanwhile: say what the run's row says.
            status = store.status(runId);
            reason = null;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", status);
        if (reason != null) {
            data.put("reason", reason);
        }
        publish("run-finished", data);
    }

    private boolean stopped() {
        return cancelled || stopping;
    }

    private static Map<String, Object> stageData(
            int position, StageSpec stage, String status, @Nullable Map<String, Object> metrics) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("position", position);
        data.put("name", stage.label());
        data.put("type", stage.type() == null ? "" : stage.type().id());
        data.put("status", status);
        if (metrics != null) {
            data.put("metrics", metrics);
        }
        return data;
    }

    void publish(String type, Map<String, Object> data) {
        services.events().publish(runId, type, data);
    }

    /** Thrown inside a stage when the run is cancelled or the server stops. */
    static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    // --- versions and variants

    PromptVersion candidate() {
        if (candidate == null) {
            candidate = services.registry().version(plan.projectName(), plan.prompt(), plan.candidateVersion());
        }
        return candidate;
    }

    @Nullable
    PromptVersion baseline() {
        if (plan.baselineVersion() == null || plan.baselinePrompt() == null) {
            return null;
        }
        if (baseline == null) {
            baseline = services.registry().version(plan.projectName(), plan.baselinePrompt(), plan.baselineVersion());
        }
        return baseline;
    }

    Variant candidateOn(String model) {
        return new Variant("candidate@" + model, plan.candidateLabel(), candidate(), model, false);
    }

    Variant baselineOn(String model) {
        PromptVersion version = java.util.Objects.requireNonNull(baseline());
        return new Variant(
                "baseline@" + model, java.util.Objects.requireNonNull(plan.baselineLabel()), version, model, false);
    }

    /** A suggestion's variant: the candidate with other messages, named by the hash of their text. */
    Variant changed(String kind, PromptVersion version, String model) {
        String text = String.valueOf(version.template()) + version.messages();
        return new Variant(kind + ":" + hash(text) + "@" + model, kind, version, model, true);
    }

    static PromptVersion withMessages(PromptVersion version, List<PromptMessage> messages) {
        boolean template = version.template() != null;
        return new PromptVersion(
                version.promptId(),
                version.prompt(),
                version.version(),
                template ? messages.getFirst().content() : null,
                template ? null : messages,
                version.model(),
                version.parameters(),
                version.variables(),
                version.commitMessage(),
                version.contentHash(),
                version.createdBy(),
                version.createdAt());
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- executing

    /** The variant's results on every item, executing those not done yet, graded. */
    List<Graded> results(Variant variant) {
        List<Graded> cached = graded.get(variant.key());
        if (cached != null) {
            return cached;
        }
        Map<String, PipelineRun.ItemResult> results = ensure(variant);
        List<Graded> out = new ArrayList<>();
        for (DatasetItem item : plan.items()) {
            out.add(grade(variant, item, java.util.Objects.requireNonNull(results.get(item.id()))));
        }
        graded.put(variant.key(), out);
        return out;
    }

    private Map<String, PipelineRun.ItemResult> ensure(Variant variant) {
        RunStore store = services.store();
        Map<String, PipelineRun.ItemResult> results = new ConcurrentHashMap<>(store.items(runId, variant.key()));
        List<DatasetItem> missing = plan.items().stream()
                .filter(item -> !results.containsKey(item.id()))
                .toList();
        if (missing.isEmpty()) {
            return results;
        }
        if (variant.changed()) {
            total.addAndGet(missing.size());
            store.progress(runId, done.get(), total.get());
        }
        Semaphore run = new Semaphore(plan.config().effectiveConcurrency());
        Semaphore provider = services.limits().of(variant.model());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (DatasetItem item : missing) {
                futures.add(executor.submit(() -> {
                    if (stopped()) {
                        return;
                    }
                    run.acquireUninterruptibly();
                    try {
                        if (stopped()) {
                            return;
                        }
                        provider.acquireUninterruptibly();
                        PipelineRun.ItemResult result;
                        try {
                            if (stopped()) {
                                return;
                            }
                            result = execute(variant, item);
                        } finally {
                            provider.release();
                        }
                        if (stopping) {
                            return;
                        }
                        store.saveItem(runId, result);
                        results.put(item.id(), result);
                        synchronized (progress) {
                            // One at a time, so the stored and published counts only grow.
                            int now = done.incrementAndGet();
                            store.progress(runId, now, Math.max(now, total.get()));
                            Map<String, Object> data = new LinkedHashMap<>();
                            data.put("variant", variant.key());
                            data.put("item", item.id());
                            data.put("itemsDone", now);
                            data.put("itemsTotal", Math.max(now, total.get()));
                            publish("progress", data);
                        }
                    } finally {
                        run.release();
                    }
                }));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopping = true;
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        }
        if (stopped()) {
            throw new Cancelled();
        }
        return results;
    }

    private PipelineRun.ItemResult execute(Variant variant, DatasetItem item) {
        RenderedPrompt rendered;
        try {
            rendered = services.registry().render(variant.version(), item.templateVars());
        } catch (ApiException e) {
            return new PipelineRun.ItemResult(
                    variant.key(), item.id(), "error", null, e.getMessage(), null, null, null, null, null);
        }
        List<ChatMessage> messages = rendered.messages().stream()
                .map(m -> ChatMessage.of(m.role(), m.content()))
                .toList();
        String recordId = Ids.newId(services.clock());
        try {
            Gateway.Call call = Gateway.Call.of(
                    recordId,
                    plan.projectId(),
                    variant.version().prompt(),
                    variant.changed() ? null : variant.version().version(),
                    "pipeline",
                    variant.model(),
                    messages,
                    variant.version().parameters(),
                    plan.apiKeyId(),
                    runId);
            Gateway.Outcome outcome = services.gateway().execute(call);
            return new PipelineRun.ItemResult(
                    variant.key(),
                    item.id(),
                    "ok",
                    outcome.response().text(),
                    null,
                    outcome.latencyMs(),
                    outcome.usage().inputTokens(),
                    outcome.usage().outputTokens(),
                    outcome.cost(),
                    outcome.recordId());
        } catch (RuntimeException e) {
            return new PipelineRun.ItemResult(
                    variant.key(),
                    item.id(),
                    "error",
                    null,
                    String.valueOf(e.getMessage()),
                    null,
                    null,
                    null,
                    null,
                    recordId);
        }
    }

    /** Asks a model for one answer (the optimizer's rewrites); recorded with the run like every execution. */
    String ask(String model, String system, String user) {
        Gateway.Call call = Gateway.Call.of(
                Ids.newId(services.clock()),
                plan.projectId(),
                null,
                null,
                "pipeline",
                model,
                List.of(ChatMessage.of("system", system), ChatMessage.of("user", user)),
                Map.of(),
                plan.apiKeyId(),
                runId);
        return services.gateway().execute(call).response().text();
    }

    // --- grading

    /** The assertions an item is graded with: the pipeline's and the item's own. */
    List<Assertion> assertionsOf(DatasetItem item) {
        List<Assertion> all = new ArrayList<>(configAssertions);
        for (String expected : item.expected()) {
            all.add(SuiteLoader.assertionFromString(expected));
        }
        return all;
    }

    private Graded grade(Variant variant, DatasetItem item, PipelineRun.ItemResult result) {
        String prompt = promptText(variant.version(), item);
        if (!result.ok() || result.output() == null) {
            return new Graded(item, result, prompt, null, "ERROR", 0, result.error());
        }
        List<Assertion> assertions = assertionsOf(item);
        if (assertions.isEmpty()) {
            return new Graded(item, result, prompt, null, "PASS", 1, null);
        }
        List<CompiledAssertion> list = new ArrayList<>();
        for (Assertion assertion : assertions) {
            list.add(compiled.computeIfAbsent(assertion.toString(), k -> evaluators.compile(assertion)));
        }
        TokenUsage usage = result.inputTokens() == null
                ? null
                : new TokenUsage(
                        result.inputTokens(), result.outputTokens() == null ? 0 : result.outputTokens(), false);
        AssertionContext context = new AssertionContext(
                new ProviderResponse(result.output(), null, usage, result.cost(), null),
                prompt,
                item.templateVars(),
                result.latencyMs(),
                false);
        try {
            GradingResult grading = Evaluators.grade(list, plan.config().threshold(), context);
            return new Graded(
                    item,
                    result,
                    prompt,
                    grading,
                    grading.pass() ? "PASS" : "FAIL",
                    grading.score(),
                    grading.pass() ? null : grading.reason());
        } catch (EvaluationException e) {
            return new Graded(item, result, prompt, null, "ERROR", 0, e.getMessage());
        }
    }

    private String promptText(PromptVersion version, DatasetItem item) {
        try {
            return String.join(
                    "\n\n",
                    services.registry().render(version, item.templateVars()).messages().stream()
                            .map(PromptMessage::content)
                            .toList());
        } catch (ApiException e) {
            return "";
        }
    }
}
