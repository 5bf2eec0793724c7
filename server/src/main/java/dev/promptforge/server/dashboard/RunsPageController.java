package dev.promptforge.server.dashboard;

import dev.promptforge.server.evalruns.EvalRun;
import dev.promptforge.server.evalruns.EvalRuns;
import dev.promptforge.server.security.SiteUsers.ProjectRole;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** Evaluation runs sent by {@code promptforge eval --server}: the list, a run's matrix, and the comparison with a baseline. */
@Controller
class RunsPageController {

    static final int LIST_SIZE = 100;

    private final Pages pages;
    private final EvalRuns runs;

    RunsPageController(Pages pages, EvalRuns runs) {
        this.pages = pages;
        this.runs = runs;
    }

    /** A matrix cell: the outcome over its repetitions ("pass", "fail", "error" or "none"). */
    record MatrixCell(
            String outcome,
            @Nullable Double score,
            int passed,
            int total,
            @Nullable String error) {}

    record MatrixRow(String test, List<MatrixCell> cells) {}

    /** A column: one prompt on one provider. */
    record Column(String prompt, String provider) {}

    record Matrix(List<Column> columns, List<MatrixRow> rows) {}

    @GetMapping("/projects/{project}/runs")
    String list(@PathVariable String project, Model model) {
        ProjectRole role = pages.project(project, model, "runs");
        model.addAttribute("runs", runs.list(role.projectId(), role.project(), LIST_SIZE));
        return "dashboard/runs";
    }

    @GetMapping("/projects/{project}/runs/{runId}")
    String run(
            @PathVariable String project,
            @PathVariable String runId,
            @RequestParam(required = false) @Nullable String baseline,
            Model model) {
        ProjectRole role = pages.project(project, model, "runs");
        EvalRun run = runs.get(role.projectId(), role.project(), runId)
                .orElseThrow(() -> new Pages.PageNotFoundException(
                        "Project '" + role.project() + "' has no evaluation run with this id."));
        model.addAttribute("run", run);
        model.addAttribute("matrix", matrix(run));
        model.addAttribute(
                "others",
                runs.list(role.projectId(), role.project(), LIST_SIZE).stream()
                        .filter(r -> !r.runId().equals(run.runId()))
                        .toList());
        String chosen = RecordsPageController.blankToNull(baseline);
        model.addAttribute("baselineId", chosen == null ? "" : chosen);
        if (chosen != null) {
            EvalRun base = runs.get(role.projectId(), role.project(), chosen)
                    .orElseThrow(() -> new Pages.PageNotFoundException(
                            "Project '" + role.project() + "' has no evaluation run with the baseline's id."));
            model.addAttribute("baseline", base);
            model.addAttribute("comparison", EvalRuns.compare(run, base));
        }
        return "dashboard/run";
    }

    static Matrix matrix(EvalRun run) {
        LinkedHashSet<Column> columns = new LinkedHashSet<>();
        Map<String, Map<Column, List<EvalRun.Cell>>> byTest = new LinkedHashMap<>();
        for (EvalRun.Cell cell : run.cells()) {
            Column column = new Column(cell.prompt(), cell.provider());
            columns.add(column);
            byTest.computeIfAbsent(cell.test(), t -> new LinkedHashMap<>())
                    .computeIfAbsent(column, c -> new ArrayList<>())
                    .add(cell);
        }
        List<MatrixRow> rows = new ArrayList<>();
        byTest.forEach((test, cells) -> {
            List<MatrixCell> row = new ArrayList<>();
            for (Column column : columns) {
                row.add(cell(cells.getOrDefault(column, List.of())));
            }
            rows.add(new MatrixRow(test, row));
        });
        return new Matrix(List.copyOf(columns), rows);
    }

    private static MatrixCell cell(List<EvalRun.Cell> cells) {
        if (cells.isEmpty()) {
            return new MatrixCell("none", null, 0, 0, null);
        }
        int passed = (int) cells.stream().filter(EvalRun.Cell::passed).count();
        boolean error = cells.stream().anyMatch(c -> "ERROR".equals(c.status()));
        Double score = cells.stream()
                .map(EvalRun.Cell::score)
                .filter(s -> s != null)
                .mapToDouble(Double::doubleValue)
                .average()
                .stream()
                .boxed()
                .findFirst()
                .orElse(null);
        String firstError = cells.stream()
                .map(EvalRun.Cell::error)
                .filter(e -> e != null)
                .findFirst()
                .orElse(null);
        String outcome = passed == cells.size() ? "pass" : error ? "error" : "fail";
        return new MatrixCell(outcome, score, passed, cells.size(), firstError);
    }
}
