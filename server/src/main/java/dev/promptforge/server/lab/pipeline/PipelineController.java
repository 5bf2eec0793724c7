package dev.promptforge.server.lab.pipeline;

import dev.promptforge.server.registry.AuthorizedProjects;
import dev.promptforge.server.registry.Project;
import dev.promptforge.server.security.ApiKeyPrincipal;
import dev.promptforge.server.security.Permission;
import dev.promptforge.server.security.ProjectAccess;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Json;
import dev.promptforge.server.shared.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Test pipelines: defined under {@code /api/v1/projects/{project}/pipelines}, run through the seed's
 * integration API under {@code /api/integration/testing/pipelines/{pipelineId}}.
 */
@RestController
@Tag(name = "Testing lab", description = "Datasets, test pipelines and their runs")
class PipelineController {

    private static final String PROJECT = "/api/v1/projects/{project}/pipelines";
    private static final String RUNS = "/api/integration/testing/pipelines/{pipelineId}";
    private static final Duration EVENTS_TIMEOUT = Duration.ofHours(1);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final Pipelines pipelines;
    private final PipelineRuns runs;
    private final ProjectAccess access;
    private final AuthorizedProjects projects;

    PipelineController(Pipelines pipelines, PipelineRuns runs, ProjectAccess access, AuthorizedProjects projects) {
        this.pipelines = pipelines;
        this.runs = runs;
        this.access = access;
        this.projects = projects;
    }

    /** The pipeline when the caller may do {@code permission} in its project; a hidden one is a 404 like a missing one. */
    private Pipelines.Stored visible(String pipelineId, Permission permission) {
        Pipelines.Stored stored = pipelines.find(pipelineId).orElseThrow(() -> Pipelines.notFound(pipelineId));
        ApiKeyPrincipal principal = ApiKeyPrincipal.current().orElse(null);
        if (principal == null
                || ProjectAccess.decide(principal, stored.projectId(), Permission.READ)
                        == ProjectAccess.Decision.HIDDEN) {
            throw Pipelines.notFound(pipelineId);
        }
        access.require(stored.projectId(), stored.pipeline().project(), permission);
        return stored;
    }

    // --- definitions

    @PostMapping(PROJECT)
    @Operation(summary = "Create a test pipeline: config (models, dataset, concurrency, evaluators) and stages")
    ResponseEntity<Pipeline> create(@PathVariable String project, @RequestBody Pipelines.PipelineRequest request) {
        Project p = projects.require(project, Permission.WRITE);
        Pipeline pipeline = pipelines.create(p, request);
        return ResponseEntity.created(URI.create("/api/v1/projects/" + p.name() + "/pipelines/" + pipeline.id()))
                .body(pipeline);
    }

    @GetMapping(PROJECT)
    @Operation(summary = "List the project's pipelines")
    Page<Pipeline> list(@PathVariable String project) {
        return pipelines.list(projects.require(project, Permission.READ));
    }

    @GetMapping(PROJECT + "/{pipelineId}")
    Pipeline get(@PathVariable String project, @PathVariable String pipelineId) {
        return pipelines.get(projects.require(project, Permission.READ), pipelineId);
    }

    @PutMapping(PROJECT + "/{pipelineId}")
    @Operation(summary = "Replace a pipeline's definition (a new revision; running runs keep theirs)")
    Pipeline update(
            @PathVariable String project,
            @PathVariable String pipelineId,
            @RequestBody Pipelines.PipelineRequest request) {
        return pipelines.update(projects.require(project, Permission.WRITE), pipelineId, request);
    }

    @GetMapping(PROJECT + "/{pipelineId}/runs")
    @Operation(summary = "The pipeline's runs, newest first")
    Page<PipelineRun> runs(
            @PathVariable String project,
            @PathVariable String pipelineId,
            @RequestParam(required = false) @Nullable Integer limit) {
        Pipeline pipeline = pipelines.get(projects.require(project, Permission.READ), pipelineId);
        int size = limit == null ? 20 : limit;
        if (size < 1 || size > 200) {
            throw ApiException.badRequest("Parameter 'limit' must be from 1 to 200, got " + size + ".");
        }
        return new Page<>(runs.list(pipeline, size), null);
    }

    // --- runs (the seed's integration API)

    @PostMapping(RUNS + "/execute")
    @Operation(
            summary = "Run the pipeline on a prompt version (prompt@version or prompt@label) against an optional"
                    + " baseline; 202 with the run when runAsync (default), else 200 with the finished run")
    ResponseEntity<PipelineRun> execute(
            @PathVariable String pipelineId,
            @RequestBody(required = false) PipelineRuns.@Nullable ExecuteRequest request) {
        Pipelines.Stored stored = visible(pipelineId, Permission.EXECUTE);
        String keyId = ApiKeyPrincipal.current().map(ApiKeyPrincipal::keyId).orElse(null);
        PipelineRun run = runs.start(stored, request, keyId);
        URI location = URI.create("/api/integration/testing/pipelines/" + pipelineId + "/runs/" + run.id());
        boolean async = request == null || request.runAsync() == null || request.runAsync();
        return async
                ? ResponseEntity.status(HttpStatus.ACCEPTED).location(location).body(run)
                : ResponseEntity.ok().location(location).body(run);
    }

    @GetMapping(RUNS + "/runs/{runId}")
    @Operation(summary = "A run's status and per-stage results")
    PipelineRun run(@PathVariable String pipelineId, @PathVariable String runId) {
        return runs.get(visible(pipelineId, Permission.READ).pipeline(), runId);
    }

    @GetMapping(RUNS + "/runs/{runId}/items")
    @Operation(summary = "A run's per-item results (each execution with its output, tokens, cost and record id)")
    List<PipelineRun.ItemResult> items(@PathVariable String pipelineId, @PathVariable String runId) {
        return runs.items(visible(pipelineId, Permission.READ).pipeline(), runId);
    }

    @PostMapping(RUNS + "/runs/{runId}/cancel")
    @Operation(summary = "Cancel a run: executions in flight finish, the rest of the stages are skipped")
    PipelineRun cancel(@PathVariable String pipelineId, @PathVariable String runId) {
        return runs.cancel(visible(pipelineId, Permission.EXECUTE).pipeline(), runId);
    }

    @GetMapping(RUNS + "/runs/{runId}/events")
    @Operation(
            summary = "Server-Sent Events of a run: snapshot, stage-started, stage-finished, progress (items done /"
                    + " total), run-finished")
    void events(@PathVariable String pipelineId, @PathVariable String runId, HttpServletResponse response)
            throws IOException {
        Pipeline pipeline = visible(pipelineId, Permission.READ).pipeline();
        runs.get(pipeline, runId);
        // Written on the request's (virtual) thread until the run finishes: no async dispatch to re-authorize.
        BlockingQueue<RunEvents.Event> queue = new LinkedBlockingQueue<>();
        Runnable unsubscribe = runs.subscribe(runId, queue::add);
        try {
            PipelineRun snapshot = runs.get(pipeline, runId);
            response.setStatus(200);
            response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("X-Accel-Buffering", "no");
            OutputStream out = response.getOutputStream();
            write(out, "snapshot", snapshot);
            if (snapshot.finished()) {
                write(out, "run-finished", Map.of("status", snapshot.status()));
                return;
            }
            long deadline = System.nanoTime() + EVENTS_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                RunEvents.Event event = queue.poll(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
                if (event == null) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    PipelineRun now = runs.get(pipeline, runId);
                    if (now.finished()) {
                        write(out, "run-finished", Map.of("status", now.status()));
                        return;
                    }
                    continue;
                }
                write(out, event.type(), event.data());
                if (event.last()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            unsubscribe.run();
        }
    }

    private static void write(OutputStream out, String name, Object data) throws IOException {
        out.write(("event: " + name + "\ndata: " + Json.write(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
