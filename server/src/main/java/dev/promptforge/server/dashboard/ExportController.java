package dev.promptforge.server.dashboard;

import dev.promptforge.server.records.Csv;
import dev.promptforge.server.records.RecordExport;
import dev.promptforge.server.records.RecordStats;
import dev.promptforge.server.security.SiteUsers.ProjectRole;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Downloads: the filtered records as CSV or JSON Lines, streamed to the response as they are read,
 * and the leaderboard of a range as CSV.
 */
@Controller
class ExportController {

    private final Pages pages;
    private final RecordExport export;
    private final RecordStats stats;
    private final Clock clock;

    ExportController(Pages pages, RecordExport export, RecordStats stats, Clock clock) {
        this.pages = pages;
        this.export = export;
        this.stats = stats;
        this.clock = clock;
    }

    @GetMapping("/projects/{project}/export/records.csv")
    void csv(
            @PathVariable String project,
            @ModelAttribute("filters") RecordsPageController.Filters filters,
            Model model,
            HttpServletResponse response)
            throws IOException {
        records(project, filters, model, response, RecordExport.Format.CSV);
    }

    @GetMapping("/projects/{project}/export/records.jsonl")
    void jsonl(
            @PathVariable String project,
            @ModelAttribute("filters") RecordsPageController.Filters filters,
            Model model,
            HttpServletResponse response)
            throws IOException {
        records(project, filters, model, response, RecordExport.Format.JSONL);
    }

    private void records(
            String project,
            RecordsPageController.Filters filters,
            Model model,
            HttpServletResponse response,
            RecordExport.Format format)
            throws IOException {
        ProjectRole role = pages.project(project, model, "records");
        // Checks the filters first: a bad one is an error page, not a half-written file.
        RecordExport.Prepared prepared = export.prepare(filters.toFilter(role.project()));
        boolean csv = format == RecordExport.Format.CSV;
        start(
                response,
                csv ? "text/csv;charset=UTF-8" : "application/x-ndjson;charset=UTF-8",
                fileName(role, "records", csv ? "csv" : "jsonl"));
        prepared.write(format, response.getOutputStream());
    }

    @GetMapping("/projects/{project}/export/leaderboard.csv")
    void leaderboard(
            @PathVariable String project,
            @RequestParam(required = false) @Nullable String range,
            @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to,
            Model model,
            HttpServletResponse response)
            throws IOException {
        ProjectRole role = pages.project(project, model, "leaderboard");
        Ranges ranges = Ranges.of(range, from, to, clock.instant());
        List<RecordStats.LeaderRow> rows = stats.leaderboard(role.projectId(), ranges.from(), ranges.to());
        TreeSet<String> measures = new TreeSet<>();
        rows.forEach(row -> row.scores().forEach(s -> measures.add(s.name() + " (" + s.source() + ")")));
        start(response, "text/csv;charset=UTF-8", fileName(role, "leaderboard-" + ranges.name(), "csv"));
        BufferedWriter writer =
                new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8));
        Csv out = new Csv(writer);
        for (String column : List.of(
                "prompt",
                "version",
                "model",
                "records",
                "errors",
                "error_rate",
                "p50_ms",
                "p95_ms",
                "p99_ms",
                "cost_per_call",
                "tokens_per_call")) {
            out.text(column);
        }
        for (String measure : measures) {
            out.text(measure);
        }
        out.end();
        for (RecordStats.LeaderRow row : rows) {
            out.text(row.prompt())
                    .number(row.version())
                    .text(row.model())
                    .number(row.records())
                    .number(row.errors())
                    .number(row.errorRate())
                    .number(row.p50())
                    .number(row.p95())
                    .number(row.p99())
                    .number(row.costPerCall())
                    .number(row.tokensPerCall());
            for (String measure : measures) {
                out.number(row.scores().stream()
                        .filter(s -> measure.equals(s.name() + " (" + s.source() + ")"))
                        .map(RecordStats.Score::mean)
                        .findFirst()
                        .orElse(null));
            }
            out.end();
        }
        writer.flush();
    }

    private static void start(HttpServletResponse response, String type, String fileName) {
        response.setContentType(type);
        response.setHeader(
                HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment().filename(fileName).build().toString());
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    /** {@code <project>-<what>-<UTC date>.<extension>}, in ASCII (project names are slugs). */
    private String fileName(ProjectRole role, String what, String extension) {
        String project = role.project().replaceAll("[^A-Za-z0-9._-]", "_");
        return project + "-" + what + "-" + LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC) + "." + extension;
    }
}
