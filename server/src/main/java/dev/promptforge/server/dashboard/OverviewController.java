package dev.promptforge.server.dashboard;

import dev.promptforge.server.records.RecordStats;
import dev.promptforge.server.security.SiteUsers.ProjectRole;
import dev.promptforge.server.shared.Json;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** The project's overview: requests, errors, latency, tokens and cost over time; top prompts and errors. */
@Controller
class OverviewController {

    private final Pages pages;
    private final RecordStats stats;
    private final Clock clock;

    OverviewController(Pages pages, RecordStats stats, Clock clock) {
        this.pages = pages;
        this.stats = stats;
        this.clock = clock;
    }

    @GetMapping("/projects/{project}")
    String overview(
            @PathVariable String project,
            @RequestParam(required = false) @Nullable String range,
            @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to,
            Model model) {
        fill(project, range, from, to, model);
        return "dashboard/overview";
    }

    /** The overview's figures and charts alone, which the page reloads when records arrive. */
    @GetMapping("/projects/{project}/overview/panel")
    String panel(
            @PathVariable String project,
            @RequestParam(required = false) @Nullable String range,
            @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to,
            Model model) {
        fill(project, range, from, to, model);
        return "dashboard/overview :: panel";
    }

    private void fill(String name, @Nullable String range, @Nullable String from, @Nullable String to, Model model) {
        ProjectRole project = pages.project(name, model, "overview");
        Ranges ranges = Ranges.of(range, from, to, clock.instant());
        RecordStats.Overview overview =
                stats.overview(project.projectId(), ranges.from(), ranges.to(), ranges.bucket());
        model.addAttribute("range", ranges);
        model.addAttribute("fromDate", from);
        model.addAttribute("toDate", to);
        model.addAttribute(
                "rangeQuery",
                "?range=" + ranges.name()
                        + ("custom".equals(ranges.name())
                                ? "&from="
                                        + ranges.from()
                                                .atZone(java.time.ZoneOffset.UTC)
                                                .toLocalDate() + "&to="
                                        + ranges.to()
                                                .minusMillis(1)
                                                .atZone(java.time.ZoneOffset.UTC)
                                                .toLocalDate()
                                : ""));
        model.addAttribute("overview", overview);
        model.addAttribute("charts", Json.write(charts(overview)));
    }

    /** The series the page's charts draw: one array per measure, aligned with {@code t}. */
    private static Map<String, Object> charts(RecordStats.Overview overview) {
        List<Long> t = new ArrayList<>();
        List<Long> requests = new ArrayList<>();
        List<Long> errors = new ArrayList<>();
        List<@Nullable Double> p50 = new ArrayList<>();
        List<@Nullable Double> p95 = new ArrayList<>();
        List<Long> tokens = new ArrayList<>();
        List<Double> cost = new ArrayList<>();
        for (RecordStats.Point point : overview.series()) {
            t.add(point.at().toEpochMilli());
            requests.add(point.totals().requests());
            errors.add(point.totals().errors());
            p50.add(point.totals().p50());
            p95.add(point.totals().p95());
            tokens.add(point.totals().tokens());
            cost.add(point.totals().cost());
        }
        Map<String, Object> charts = new LinkedHashMap<>();
        charts.put("t", t);
        charts.put("requests", requests);
        charts.put("errors", errors);
        charts.put("p50", p50);
        charts.put("p95", p95);
        charts.put("tokens", tokens);
        charts.put("cost", cost);
        return charts;
    }
}
