package dev.promptforge.server.evalruns;

import dev.promptforge.server.registry.AuthorizedProjects;
import dev.promptforge.server.registry.Project;
import dev.promptforge.server.security.Permission;
import dev.promptforge.server.shared.Actors;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Validation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/** The evaluation runs API: the CLI sends a run's results; the dashboard and scripts read them. */
@RestController
@Tag(name = "Evaluation runs", description = "Results of promptforge eval --server: summary and matrix")
class EvalRunsController {

    private final EvalRuns runs;
    private final AuthorizedProjects projects;

    EvalRunsController(EvalRuns runs, AuthorizedProjects projects) {
        this.runs = runs;
        this.projects = projects;
    }

    @PostMapping("/api/v1/projects/{project}/eval-runs")
    @Operation(summary = "Store an evaluation run's results (sent by promptforge eval --server at the end of a run)")
    ResponseEntity<EvalRun> create(@PathVariable String project, @RequestBody EvalRuns.NewRun body) {
        Project p = projects.require(project, Permission.EXECUTE);
        EvalRun run = runs.save(p, body, Actors.current());
        URI location = URI.create("/api/v1/projects/" + UriUtils.encodePathSegment(p.name(), StandardCharsets.UTF_8)
                + "/eval-runs/" + UriUtils.encodePathSegment(run.runId(), StandardCharsets.UTF_8));
        return ResponseEntity.created(location).body(run);
    }

    /** A page of runs. */
    record RunList(List<EvalRun> items) {}

    @GetMapping("/api/v1/projects/{project}/eval-runs")
    @Operation(summary = "The project's evaluation runs, newest first (without their cells)")
    RunList list(@PathVariable String project, @RequestParam(required = false) @Nullable Integer limit) {
        Project p = projects.require(project, Permission.READ);
        return new RunList(runs.list(p.id(), p.name(), limit == null ? 50 : limit));
    }

    @GetMapping("/api/v1/projects/{project}/eval-runs/{runId}")
    @Operation(summary = "One evaluation run with its matrix of cells")
    EvalRun get(@PathVariable String project, @PathVariable String runId) {
        Project p = projects.require(project, Permission.READ);
        return runs.get(p.id(), p.name(), runId)
                .orElseThrow(() -> ApiException.notFound(
                        "Project '" + p.name() + "' has no evaluation run '" + Validation.abbreviate(runId) + "'."));
    }
}
