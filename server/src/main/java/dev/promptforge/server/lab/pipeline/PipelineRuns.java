package dev.promptforge.server.lab.pipeline;

import dev.promptforge.eval.Evaluators;
import dev.promptforge.eval.PiiDetector;
import dev.promptforge.pii.PiiAnalyzer;
import dev.promptforge.server.audit.AuditLog;
import dev.promptforge.server.gateway.Gateway;
import dev.promptforge.server.lab.dataset.Dataset;
import dev.promptforge.server.lab.dataset.DatasetItem;
import dev.promptforge.server.lab.dataset.Datasets;
import dev.promptforge.server.registry.Project;
import dev.promptforge.server.registry.PromptRegistry;
import dev.promptforge.server.registry.PromptVersion;
import dev.promptforge.server.shared.Actors;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Ids;
import dev.promptforge.server.shared.Validation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts, follows and cancels pipeline runs. Each run is owned by one instance, which writes a
 * heartbeat; a run whose heartbeat is older than {@code promptforge.lab.stale-after} (its instance
 * crashed or restarted) is taken over by the next sweep — on start-up and periodically — and resumed
 * without executing its finished items again, or failed with the reason.
 */
@Service
public class PipelineRuns implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PipelineRuns.class);

    /** The seed's execution request. */
    public record ExecuteRequest(
            @Nullable String promptId,
            @Nullable String baselinePromptId,
            @Nullable Boolean runAsync,
            @Nullable List<String> testDataset) {}

    private final String owner = UUID.randomUUID().toString();
    private final RunStore store;
    private final RunEvents events;
    private final Datasets datasets;
    private final PromptRegistry registry;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final LabProperties properties;
    private final Clock clock;
    private final RunExecution.Services services;
    private final Map<String, RunExecution> active = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "pipeline-run-sweeper");
        thread.setDaemon(true);
        return thread;
    });

    PipelineRuns(
            RunStore store,
            RunEvents events,
            Datasets datasets,
            PromptRegistry registry,
            Gateway gateway,
            ProviderLimits limits,
            PiiAnalyzer analyzer,
            AuditLog audit,
            TransactionTemplate transactions,
            LabProperties properties,
            Clock clock) {
        this.store = store;
        this.events = events;
        this.datasets = datasets;
        this.registry = registry;
        this.audit = audit;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
        Evaluators evaluators = Evaluators.builder()
                .piiDetector(PiiDetector.engine(() -> analyzer))
                .build();
        this.services = new RunExecution.Services(
                store, events, gateway, registry, limits, evaluators, analyzer, properties, clock);
    }

    // --- starting

    /**
     * Starts a run of the pipeline: resolves the prompt versions and the items now (a resumed run
     * keeps them), then runs it in the background ({@code runAsync}, the default) or before returning.
     */
    public PipelineRun start(Pipelines.Stored stored, @Nullable ExecuteRequest request, @Nullable String apiKeyId) {
        if (request == null) {
            throw ApiException.badRequest("The request body must be a JSON object.");
        }
        Pipeline pipeline = stored.pipeline();
        Project project = registry.projectById(stored.projectId());
        PromptRef candidateRef = PromptRef.parse(request.promptId());
        Validation v = Validation.start();
        v.require(candidateRef != null, "promptId", request.promptId() == null ? "is required" : PromptRef.FORMAT);
        String baselineText = request.baselinePromptId();
        if (baselineText == null) {
            for (StageSpec stage : pipeline.stages()) {
                if (stage.type() == StageType.COMPARISON && stage.config().get("baseline") instanceof String s) {
                    baselineText = s;
                }
            }
        }
        PromptRef baselineRef = PromptRef.parse(baselineText);
        v.require(baselineText == null || baselineRef != null, "baselinePromptId", PromptRef.FORMAT);
        List<String> names = request.testDataset() == null ? List.of() : request.testDataset();
        v.require(names.size() <= Datasets.MAX_ITEMS, "testDataset", "names at most " + Datasets.MAX_ITEMS + " items");
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            v.require(
                    name != null && !name.isBlank() && name.length() <= 200,
                    "testDataset[" + i + "]",
                    "must name an item or a dataset");
        }
        v.throwIfInvalid();
        PromptVersion candidate = resolve(project, java.util.Objects.requireNonNull(candidateRef));
        PromptVersion baseline = baselineRef == null ? null : resolve(project, baselineRef);
        Selection selection = items(project, pipeline.config(), names);
        List<String> models = pipeline.config().models().isEmpty()
                ? List.of(candidate.model())
                : pipeline.config().models();
        boolean compares =
                baseline != null && pipeline.stages().stream().anyMatch(s -> s.type() == StageType.COMPARISON);
        boolean allModels = pipeline.stages().stream()
                .anyMatch(s -> s.type() == StageType.PERFORMANCE
                        || s.type() == StageType.QUALITY
                        || s.type() == StageType.OPTIMIZATION);
        int n = selection.items().size();
        int total = (allModels ? n * models.size() : compares ? n : 0) + (compares ? n : 0);
        Plan plan = new Plan(
                pipeline.id(),
                pipeline.revision(),
                project.id(),
                project.name(),
                pipeline.config(),
                pipeline.stages(),
                candidate.prompt(),
                candidate.version(),
                baseline == null ? null : baseline.version(),
                baseline == null ? null : baseline.prompt(),
                models,
                selection.items(),
                selection.dataset(),
                selection.version(),
                apiKeyId);
        String runId = Ids.newId(clock);
        store.insert(runId, plan, owner, Actors.current(), total);
        transactions.executeWithoutResult(status -> audit.append(
                "pipeline.run",
                Pipelines.target(project.name(), pipeline.id()) + "/run/" + runId,
                null,
                Map.of(
                        "candidate",
                        plan.candidateLabel(),
                        "baseline",
                        String.valueOf(plan.baselineLabel()),
                        "items",
                        plan.items().size())));
        RunExecution execution = new RunExecution(runId, plan, services, 0, total);
        active.put(runId, execution);
        if (request.runAsync() == null || request.runAsync()) {
            executor.submit(() -> execute(execution));
        } else {
            execute(execution);
        }
        return get(runId);
    }

    private PromptVersion resolve(Project project, PromptRef ref) {
        return registry.resolve(project.name(), ref.prompt(), ref.version(), ref.label());
    }

    private record Selection(
            List<DatasetItem> items,
            @Nullable String dataset,
            @Nullable Integer version) {}

    /** The items a run tests: whole datasets named in testDataset, else items of the pipeline's dataset. */
    private Selection items(Project project, PipelineConfig config, List<String> names) {
        if (names.isEmpty()) {
            if (config.dataset() == null) {
                throw ApiException.invalid(List.of(new ApiException.FieldError(
                        "testDataset", "name a dataset or items: the pipeline has no dataset configured")));
            }
            Dataset dataset = datasets.get(project, config.dataset(), config.datasetVersion());
            return selection(dataset.items(), dataset.name(), dataset.version());
        }
        Map<String, DatasetItem> chosen = new LinkedHashMap<>();
        List<DatasetItem> pool = null;
        List<String> unknown = new ArrayList<>();
        String single = null;
        Integer singleVersion = null;
        for (String name : names) {
            if (datasets.exists(project, name)) {
                Dataset dataset = datasets.get(project, name, null);
                java.util.Objects.requireNonNull(dataset.items()).forEach(item -> chosen.putIfAbsent(item.id(), item));
                single = names.size() == 1 ? name : null;
                singleVersion = names.size() == 1 ? dataset.version() : null;
                continue;
            }
            if (pool == null) {
                pool = config.dataset() == null
                        ? List.of()
                        : java.util.Objects.requireNonNull(
                                datasets.get(project, config.dataset(), config.datasetVersion())
                                        .items());
            }
            List<DatasetItem> matching = pool.stream()
                    .filter(item -> name.equals(item.name()) || name.equals(item.id()))
                    .toList();
            if (matching.isEmpty()) {
                unknown.add(name);
            }
            matching.forEach(item -> chosen.putIfAbsent(item.id(), item));
        }
        if (!unknown.isEmpty()) {
            throw ApiException.invalid(List.of(new ApiException.FieldError(
                    "testDataset",
                    "no dataset or item of "
                            + (config.dataset() == null ? "the project" : "dataset '" + config.dataset() + "'")
                            + " is named "
                            + unknown.stream().map(Validation::abbreviate).toList())));
        }
        if (single == null && pool != null) {
            single = config.dataset();
        }
        return selection(new ArrayList<>(chosen.values()), single, singleVersion);
    }

    private static Selection selection(
            @Nullable List<DatasetItem> items, @Nullable String dataset, @Nullable Integer version) {
        if (items == null || items.isEmpty()) {
            throw ApiException.unprocessable("The test dataset has no items; add some first.");
        }
        return new Selection(items, dataset, version);
    }

    private void execute(RunExecution execution) {
        try {
            execution.run();
        } catch (RuntimeException e) {
            log.warn("Pipeline run {} failed", execution.runId, e);
            if (store.finish(execution.runId, PipelineRun.FAILED, "the run failed: " + e.getMessage())) {
                store.skipPending(execution.runId, "the run failed");
                events.publish(execution.runId, "run-finished", Map.of("status", PipelineRun.FAILED));
            }
        } finally {
            active.remove(execution.runId);
        }
    }

    // --- reading

    public PipelineRun get(String runId) {
        RunStore.Row row = store.find(runId).orElseThrow(() -> notFound(runId));
        return view(row);
    }

    /** The run when it belongs to the pipeline, else 404. */
    public PipelineRun get(Pipeline pipeline, String runId) {
        RunStore.Row row = store.find(runId)
                .filter(r -> r.pipelineId().equals(pipeline.id()))
                .orElseThrow(() -> notFound(runId));
        return view(row);
    }

    public List<PipelineRun> list(Pipeline pipeline, int limit) {
        return store.list(pipeline.id(), limit).stream().map(this::view).toList();
    }

    public List<PipelineRun.ItemResult> items(Pipeline pipeline, String runId) {
        get(pipeline, runId);
        return store.allItems(runId);
    }

    static ApiException notFound(String runId) {
        return ApiException.notFound("Run '" + Validation.abbreviate(runId) + "' does not exist.");
    }

    private PipelineRun view(RunStore.Row row) {
        Plan plan = row.plan();
        return new PipelineRun(
                row.id(),
                row.pipelineId(),
                plan.projectName(),
                row.status(),
                row.reason(),
                plan.candidateLabel(),
                plan.baselineLabel(),
                plan.dataset(),
                plan.datasetVersion(),
                plan.models(),
                plan.items().size(),
                row.itemsDone(),
                Math.max(row.itemsDone(), row.itemsTotal()),
                row.resumes(),
                store.stages(row.id()),
                row.createdBy(),
                row.createdAt(),
                row.startedAt(),
                row.finishedAt());
    }

    /** Follows a run's events until it finishes; the returned action stops following. */
    Runnable subscribe(String runId, Consumer<RunEvents.Event> listener) {
        return events.subscribe(runId, listener);
    }

    // --- cancelling

    public PipelineRun cancel(Pipeline pipeline, String runId) {
        PipelineRun run = get(pipeline, runId);
        if (run.finished()) {
            throw ApiException.conflict("Run '" + runId + "' has already finished (" + run.status() + ").");
        }
        if (store.finish(runId, PipelineRun.CANCELLED, "cancelled by " + Actors.current())) {
            transactions.executeWithoutResult(status -> audit.append(
                    "pipeline.cancel",
                    Pipelines.target(run.project(), pipeline.id()) + "/run/" + runId,
                    Map.of("status", run.status()),
                    Map.of("status", PipelineRun.CANCELLED)));
        }
        RunExecution execution = active.get(runId);
        if (execution != null) {
            execution.cancel();
        } else {
            store.skipPending(runId, "the run was cancelled");
            events.publish(runId, "run-finished", Map.of("status", PipelineRun.CANCELLED));
        }
        return get(runId);
    }

    // --- surviving restarts

    @EventListener(ApplicationReadyEvent.class)
    void startSweeping() {
        long period = Math.max(200, properties.staleAfter().toMillis() / 4);
        sweeper.scheduleWithFixedDelay(this::sweep, 0, period, TimeUnit.MILLISECONDS);
    }

    void sweep() {
        try {
            store.heartbeat(List.copyOf(active.keySet()), owner);
            for (RunExecution execution : active.values()) {
                String status = store.status(execution.runId);
                if (status.equals(PipelineRun.CANCELLED) && !execution.cancelled()) {
                    execution.cancel();
                }
            }
            for (RunStore.Row row :
                    store.stale(clock.millis() - properties.staleAfter().toMillis())) {
                if (!active.containsKey(row.id()) && store.claim(row, owner)) {
                    takeOver(row);
                }
            }
            for (String runId : events.watched()) {
                if (!active.containsKey(runId)) {
                    store.find(runId).ifPresent(row -> {
                        Map<String, Object> data = new LinkedHashMap<>();
                        data.put("itemsDone", row.itemsDone());
                        data.put("itemsTotal", Math.max(row.itemsDone(), row.itemsTotal()));
                        events.publish(runId, "progress", data);
                        if (!row.status().equals(PipelineRun.RUNNING)
                                && !row.status().equals(PipelineRun.QUEUED)) {
                            events.publish(runId, "run-finished", Map.of("status", row.status()));
                        }
                    });
                }
            }
        } catch (RuntimeException e) {
            log.warn("The pipeline run sweep failed; it runs again shortly", e);
        }
    }

    private void takeOver(RunStore.Row row) {
        String why = null;
        if (!properties.resume()) {
            why = "interrupted (the server stopped) and promptforge.lab.resume is off";
        } else if (row.resumes() >= properties.maxResumes()) {
            why = "interrupted " + (row.resumes() + 1) + " times; not resumed again";
        }
        Plan plan = null;
        if (why == null) {
            try {
                plan = row.plan();
            } catch (RuntimeException e) {
                why = "interrupted, and its plan cannot be read back: " + e.getMessage();
            }
        }
        if (why != null || plan == null) {
            log.warn("Pipeline run {} was interrupted and is failed: {}", row.id(), why);
            store.finish(row.id(), PipelineRun.FAILED, why);
            store.skipPending(row.id(), String.valueOf(why));
            events.publish(row.id(), "run-finished", Map.of("status", PipelineRun.FAILED));
            return;
        }
        int done = store.countItems(row.id());
        log.info("Resuming interrupted pipeline run {} ({} executions already done)", row.id(), done);
        RunExecution execution = new RunExecution(row.id(), plan, services, done, Math.max(done, row.itemsTotal()));
        active.put(row.id(), execution);
        executor.submit(() -> execute(execution));
    }

    @Override
    public void destroy() {
        sweeper.shutdownNow();
        active.values().forEach(RunExecution::stop);
        executor.shutdownNow();
    }
}
