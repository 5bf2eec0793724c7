package dev.promptforge.server.dashboard;

import dev.promptforge.server.lab.pipeline.Pipeline;
import dev.promptforge.server.lab.pipeline.PipelineRun;
import dev.promptforge.server.lab.pipeline.PipelineRuns;
import dev.promptforge.server.lab.pipeline.Pipelines;
import dev.promptforge.server.registry.Project;
import dev.promptforge.server.registry.PromptRegistry;
import dev.promptforge.server.security.SiteUsers.ProjectRole;
import dev.promptforge.server.shared.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The testing lab's pipelines: each pipeline with its recent runs, and a run's report — live while it
 * runs (the page reloads its progress every second until the run has finished), then each stage's
 * status, figures and findings.
 */
@Controller
class PipelinesPageController {

    static final int RECENT_RUNS = 20;
    private static final JsonMapper PRETTY =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final Pages pages;
    private final PromptRegistry registry;
    private final Pipelines pipelines;
    private final PipelineRuns runs;

    PipelinesPageController(Pages pages, PromptRegistry registry, Pipelines pipelines, PipelineRuns runs) {
        this.pages = pages;
        this.registry = registry;
        this.pipelines = pipelines;
        this.runs = runs;
    }

    /** A pipeline with its latest runs, newest first. */
    record PipelineSummary(Pipeline pipeline, List<PipelineRun> runs) {}

    /** One figure or finding of a stage, as text (nested values as indented JSON). */
    record Entry(String name, String value, boolean block) {}

    /** A stage of a run, ready to show. */
    record StageView(PipelineRun.StageResult stage, List<Entry> metrics, List<Entry> details) {}

    @GetMapping("/projects/{project}/pipelines")
    String list(@PathVariable String project, Model model) {
        ProjectRole role = pages.project(project, model, "pipelines");
        Project found = registry.project(role.project());
        List<PipelineSummary> summaries = new ArrayList<>();
        for (Pipeline pipeline : pipelines.list(found).items()) {
            summaries.add(new PipelineSummary(pipeline, runs.list(pipeline, 5)));
        }
        model.addAttribute("pipelines", summaries);
        return "dashboard/pipelines";
    }

    @GetMapping("/projects/{project}/pipelines/{pipelineId}")
    String pipeline(@PathVariable String project, @PathVariable String pipelineId, Model model) {
        ProjectRole role = pages.project(project, model, "pipelines");
        Pipeline pipeline = pipeline(role, pipelineId);
        model.addAttribute("pipeline", pipeline);
        model.addAttribute("runs", runs.list(pipeline, RECENT_RUNS));
        model.addAttribute("config", pretty(pipeline.config()));
        return "dashboard/pipeline";
    }

    @GetMapping("/projects/{project}/pipelines/{pipelineId}/runs/{runId}")
    String run(@PathVariable String project, @PathVariable String pipelineId, @PathVariable String runId, Model model) {
        fillRun(project, pipelineId, runId, model);
        return "dashboard/pipeline-run";
    }

    /** The run's progress and stages alone, which the page reloads while the run is not finished. */
    @GetMapping("/projects/{project}/pipelines/{pipelineId}/runs/{runId}/panel")
    String panel(
            @PathVariable String project, @PathVariable String pipelineId, @PathVariable String runId, Model model) {
        fillRun(project, pipelineId, runId, model);
        return "dashboard/pipeline-run :: panel";
    }

    private void fillRun(String project, String pipelineId, String runId, Model model) {
        ProjectRole role = pages.project(project, model, "pipelines");
        Pipeline pipeline = pipeline(role, pipelineId);
        PipelineRun run;
        try {
            run = runs.get(pipeline, runId);
        } catch (ApiException e) {
            throw new Pages.PageNotFoundException(
                    "Pipeline '" + pipeline.name() + "' has no run '" + RecordsPageController.shortened(runId) + "'.");
        }
        List<StageView> stages = new ArrayList<>();
        for (PipelineRun.StageResult stage : run.stages()) {
            stages.add(new StageView(stage, entries(stage.metrics()), entries(stage.details())));
        }
        model.addAttribute("pipeline", pipeline);
        model.addAttribute("run", run);
        model.addAttribute("stages", stages);
        model.addAttribute("percent", run.itemsTotal() == 0 ? 0 : 100 * run.itemsDone() / run.itemsTotal());
    }

    private Pipeline pipeline(ProjectRole role, String pipelineId) {
        try {
            return pipelines.get(registry.project(role.project()), pipelineId);
        } catch (ApiException e) {
            throw new Pages.PageNotFoundException("Project '" + role.project() + "' has no pipeline '"
                    + RecordsPageController.shortened(pipelineId) + "'.");
        }
    }

    private static List<Entry> entries(@Nullable Map<String, Object> values) {
        if (values == null) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        new LinkedHashMap<>(values).forEach((name, value) -> {
            boolean nested = value instanceof Map<?, ?> || value instanceof List<?>;
            entries.add(new Entry(name, nested ? pretty(value) : text(value), nested));
        });
        return entries;
    }

    /** A figure as people read it: at most three decimals, no trailing zeros. */
    private static String text(@Nullable Object value) {
        if ((value instanceof Double || value instanceof Float) && Double.isFinite(((Number) value).doubleValue())) {
            return new java.math.BigDecimal(((Number) value).doubleValue())
                    .setScale(3, java.math.RoundingMode.HALF_UP)
                    .stripTrailingZeros()
                    .toPlainString();
        }
        return String.valueOf(value);
    }

    private static String pretty(Object value) {
        return PRETTY.writeValueAsString(value);
    }
}
