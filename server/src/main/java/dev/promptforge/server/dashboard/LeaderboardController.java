package dev.promptforge.server.dashboard;

import dev.promptforge.server.records.RecordStats;
import dev.promptforge.server.records.RecordStats.LeaderRow;
import dev.promptforge.server.records.RecordStats.Score;
import dev.promptforge.server.security.SiteUsers.ProjectRole;
import dev.promptforge.server.shared.ApiException;
import dev.promptforge.server.shared.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Every prompt version and model of a range side by side: mean feedback per measure (automatic and
 * human apart), pass rate, latency percentiles, cost per call, error rate and traffic; sorted on the
 * server by any column, so the links work without script.
 */
@Controller
class LeaderboardController {

    /** The most rows the chart draws (the table shows them all). */
    static final int CHART_ROWS = 20;

    private final Pages pages;
    private final RecordStats stats;
    private final Clock clock;

    LeaderboardController(Pages pages, RecordStats stats, Clock clock) {
        this.pages = pages;
        this.stats = stats;
        this.clock = clock;
    }

    /** A sortable column; {@code key} is its {@code sort} parameter, {@code group} auto, human or empty. */
    record Column(String key, String label, String group, boolean numeric, String href, String ariaSort) {}

    /** A row as the table shows it; {@code scores} is aligned with the score columns. */
    record Row(
            @Nullable String prompt,
            @Nullable Integer version,
            String model,
            long records,
            double errorRate,
            @Nullable Double passRate,
            @Nullable Double meanScore,
            @Nullable Double p50,
            @Nullable Double p95,
            @Nullable Double p99,
            @Nullable Double costPerCall,
            List<@Nullable Double> scores,
            String recordsHref,
            @Nullable String compareHref) {

        public String label() {
            return prompt == null ? "direct · " + model : prompt + " v" + version + " · " + model;
        }
    }

    @GetMapping("/projects/{project}/leaderboard")
    String leaderboard(
            @PathVariable String project,
            @RequestParam(required = false) @Nullable String range,
            @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to,
            @RequestParam(required = false) @Nullable String sort,
            @RequestParam(required = false) @Nullable String dir,
            Model model) {
        ProjectRole role = pages.project(project, model, "leaderboard");
        Ranges ranges = Ranges.of(range == null || range.isBlank() ? "7d" : range, from, to, clock.instant());
        String base = "/projects/" + encodePath(role.project());
        List<LeaderRow> board = stats.leaderboard(role.projectId(), ranges.from(), ranges.to());

        // The measures seen in the range: automatic ones (auto, judge) first, then human.
        TreeSet<String> automatic = new TreeSet<>();
        TreeSet<String> human = new TreeSet<>();
        for (LeaderRow row : board) {
            for (Score score : row.scores()) {
                (score.source().equals("human") ? human : automatic).add(measureKey(score));
            }
        }
        List<String> measures = new ArrayList<>(automatic);
        measures.addAll(human);

        List<Row> rows = new ArrayList<>();
        for (LeaderRow row : board) {
            rows.add(row(base, row, measures));
        }

        Map<String, Function<Row, ? extends @Nullable Comparable<?>>> keys = new LinkedHashMap<>();
        keys.put("prompt", Row::label);
        keys.put("records", Row::records);
        keys.put("mean", Row::meanScore);
        keys.put("pass", Row::passRate);
        for (int i = 0; i < measures.size(); i++) {
            int index = i;
            keys.put("score:" + measures.get(i), r -> r.scores().get(index));
        }
        keys.put("p50", Row::p50);
        keys.put("p95", Row::p95);
        keys.put("p99", Row::p99);
        keys.put("cost", Row::costPerCall);
        keys.put("errors", Row::errorRate);

        String sortKey = sort == null || sort.isBlank() ? "records" : sort;
        if (!keys.containsKey(sortKey)) {
            throw ApiException.badRequest("The leaderboard has no column '" + shorten(sortKey)
                    + "' to sort by; click a column's heading to sort by it.");
        }
        String direction = dir == null || dir.isBlank() ? (sortKey.equals("prompt") ? "asc" : "desc") : dir;
        if (!direction.equals("asc") && !direction.equals("desc")) {
            throw ApiException.badRequest("Parameter 'dir' is 'asc' or 'desc'.");
        }
        rows.sort(comparator(keys.get(sortKey), direction.equals("desc")));

        String rangeQuery = rangeQuery(ranges);
        String sortBase = base + "/leaderboard" + rangeQuery + "&sort=";
        List<Column> columns = new ArrayList<>();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("prompt", "Prompt version · model");
        labels.put("records", "Records");
        labels.put("mean", "Mean score");
        labels.put("pass", "Pass rate");
        for (String measure : measures) {
            String name = measure.substring(measure.indexOf(':') + 1);
            labels.put("score:" + measure, measure.startsWith("judge:") ? name + " (judge)" : name);
        }
        labels.put("p50", "p50 ms");
        labels.put("p95", "p95 ms");
        labels.put("p99", "p99 ms");
        labels.put("cost", "Cost / call");
        labels.put("errors", "Error rate");
        for (Map.Entry<String, String> entry : labels.entrySet()) {
            String key = entry.getKey();
            boolean current = key.equals(sortKey);
            String next = current && direction.equals("desc")
                    ? "asc"
                    : current ? "desc" : key.equals("prompt") ? "asc" : "desc";
            String group = key.startsWith("score:human:") ? "human" : key.startsWith("score:") ? "auto" : "";
            columns.add(new Column(
                    key,
                    entry.getValue(),
                    group,
                    !key.equals("prompt"),
                    sortBase + encodeQuery(key) + "&dir=" + next,
                    current ? (direction.equals("asc") ? "ascending" : "descending") : "none"));
        }

        model.addAttribute("range", ranges);
        model.addAttribute("exportUrl", base + "/export/leaderboard.csv" + rangeQuery);
        model.addAttribute("fromDate", from);
        model.addAttribute("toDate", to);
        model.addAttribute("rows", rows);
        model.addAttribute("columns", columns);
        model.addAttribute("fixedBefore", columns.subList(0, 4));
        model.addAttribute(
                "autoColumns",
                columns.stream().filter(c -> c.group().equals("auto")).toList());
        model.addAttribute(
                "humanColumns",
                columns.stream().filter(c -> c.group().equals("human")).toList());
        model.addAttribute("fixedAfter", columns.subList(4 + measures.size(), columns.size()));
        model.addAttribute("automaticCount", automatic.size());
        model.addAttribute("sortQuery", "&sort=" + encodeQuery(sortKey) + "&dir=" + direction);
        model.addAttribute("chart", rows.isEmpty() ? null : Json.write(chart(rows, measures)));
        return "dashboard/leaderboard";
    }

    private static Row row(String base, LeaderRow row, List<String> measures) {
        Map<String, Score> byKey = new LinkedHashMap<>();
        row.scores().forEach(s -> byKey.put(measureKey(s), s));
        List<@Nullable Double> scores = new ArrayList<>();
        for (String measure : measures) {
            Score score = byKey.get(measure);
            scores.add(score == null ? null : score.mean());
        }
        // Pass rate and mean score over the automatic measures (a person's score is shown apart).
        double passed = 0;
        double judged = 0;
        double sum = 0;
        int automatic = 0;
        for (Score score : row.scores()) {
            if (score.source().equals("human")) {
                continue;
            }
            sum += score.mean();
            automatic++;
            if (score.passRate() != null) {
                passed += score.passRate() * score.count();
                judged += score.count();
            }
        }
        String recordsHref = base + "/records?"
                + (row.prompt() == null
                        ? "model=" + encodeQuery(row.model())
                        : "prompt=" + encodeQuery(row.prompt()) + "&version=" + row.version() + "&model="
                                + encodeQuery(row.model()));
        String compareHref = row.prompt() == null || row.version() == null
                ? null
                : base + "/compare?prompt=" + encodeQuery(row.prompt())
                        + (row.version() > 1 ? "&a=" + (row.version() - 1) : "") + "&b=" + row.version();
        return new Row(
                row.prompt(),
                row.version(),
                row.model(),
                row.records(),
                row.errorRate(),
                judged == 0 ? null : passed / judged,
                automatic == 0 ? null : sum / automatic,
                row.p50(),
                row.p95(),
                row.p99(),
                row.costPerCall(),
                scores,
                recordsHref,
                compareHref);
    }

    /** Sorts by the column, empty cells last whichever the direction, then by label. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparator<Row> comparator(
            Function<Row, ? extends @Nullable Comparable<?>> key, boolean descending) {
        return (x, y) -> {
            Comparable a = key.apply(x);
            Comparable b = key.apply(y);
            if (a == null || b == null) {
                return a == null && b == null ? x.label().compareTo(y.label()) : a == null ? 1 : -1;
            }
            int order = a.compareTo(b);
            if (order == 0) {
                return x.label().compareTo(y.label());
            }
            return descending ? -order : order;
        };
    }

    /** A bar chart: one group of bars per row (at most {@value #CHART_ROWS}), one bar per automatic measure. */
    private static Map<String, Object> chart(List<Row> rows, List<String> measures) {
        List<Row> shown = rows.subList(0, Math.min(CHART_ROWS, rows.size()));
        List<String> labels = shown.stream().map(Row::label).toList();
        List<Map<String, Object>> series = new ArrayList<>();
        List<@Nullable Double> means = new ArrayList<>();
        shown.forEach(r -> means.add(round(r.meanScore())));
        series.add(Map.of("name", "mean score (automatic)", "type", "bar", "data", means));
        for (int i = 0; i < measures.size(); i++) {
            if (measures.get(i).startsWith("human:")) {
                List<@Nullable Double> data = new ArrayList<>();
                int index = i;
                shown.forEach(r -> data.add(round(r.scores().get(index))));
                series.add(Map.of("name", measures.get(i), "type", "bar", "data", data));
            }
        }
        Map<String, Object> option = new LinkedHashMap<>();
        option.put("grid", Map.of("left", 44, "right", 16, "top", 36, "bottom", 8, "containLabel", true));
        option.put("tooltip", Map.of("trigger", "axis"));
        option.put(
                "legend",
                Map.of("top", 0, "data", series.stream().map(s -> s.get("name")).toList()));
        option.put(
                "xAxis",
                Map.of(
                        "type",
                        "category",
                        "data",
                        labels,
                        "axisLabel",
                        Map.of(
                                "interval",
                                0,
                                "rotate",
                                labels.size() > 4 ? 30 : 0,
                                "width",
                                160,
                                "overflow",
                                "truncate")));
        option.put("yAxis", Map.of("type", "value", "min", 0, "max", 1));
        option.put("series", series);
        return option;
    }

    private static @Nullable Double round(@Nullable Double value) {
        return value == null ? null : Math.round(value * 1000) / 1000.0;
    }

    private static String measureKey(Score score) {
        return (score.source().equals("human") ? "human" : score.source()) + ":" + score.name();
    }

    static String rangeQuery(Ranges ranges) {
        String query = "?range=" + ranges.name();
        if (ranges.name().equals("custom")) {
            query += "&from=" + ranges.from().atZone(ZoneOffset.UTC).toLocalDate() + "&to="
                    + ranges.to().minusMillis(1).atZone(ZoneOffset.UTC).toLocalDate();
        }
        return query;
    }

    static String encodeQuery(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String encodePath(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String shorten(String value) {
        return value.length() > 60 ? value.substring(0, 60) + "…" : value;
    }

    static String format(@Nullable Double value, int decimals) {
        return value == null ? "–" : String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }
}
