package dev.promptforge.server.dashboard;

import dev.promptforge.eval.stats.Difference;
import dev.promptforge.server.records.RecordSamples;
import dev.promptforge.server.records.RecordSamples.Sample;
import dev.promptforge.server.records.RecordSamples.Value;
import dev.promptforge.server.registry.Prompt;
import dev.promptforge.server.registry.PromptRegistry;
import dev.promptforge.server.registry.PromptVersion;
import dev.promptforge.server.security.SiteUsers.ProjectRole;
import dev.promptforge.server.shared.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Two versions of a prompt side by side: the template diff, the deltas of their records' measures
 * with 95 % bootstrap intervals (the evaluation module's statistics), and their answers on the same
 * inputs.
 */
@Controller
class ComparePageController {

    /** The newest records of each version the deltas use. */
    static final int SAMPLES = 1_000;
    /** The most answer pairs the page shows. */
    static final int PAIRS = 20;

    private final Pages pages;
    private final PromptRegistry registry;
    private final RecordSamples samples;

    ComparePageController(Pages pages, PromptRegistry registry, RecordSamples samples) {
        this.pages = pages;
        this.registry = registry;
        this.samples = samples;
    }

    /** A version as an option of the form. */
    record Option(int version, String label) {}

    /**
     * One measure of both versions: values, the difference B − A and its interval, formatted;
     * {@code verdict} is better, worse or empty (no significant difference, or no direction).
     */
    record Metric(String name, String a, String b, String delta, String interval, String verdict, String note) {}

    /** Two answers to the same input. */
    record Pair(
            Map<String, String> variables,
            List<RecordText.Message> input,
            String aId,
            @Nullable String aOutput,
            String aScores,
            String bId,
            @Nullable String bOutput,
            String bScores) {}

    @GetMapping("/projects/{project}/compare")
    String compare(
            @PathVariable String project,
            @RequestParam(required = false) @Nullable String prompt,
            @RequestParam(required = false) @Nullable Integer a,
            @RequestParam(required = false) @Nullable Integer b,
            Model model) {
        ProjectRole role = pages.project(project, model, "compare");
        List<Prompt> prompts =
                registry.prompts(role.project(), null, null, true, null, PromptsPageController.LIMIT).items().stream()
                        .filter(p -> p.latestVersion() != null)
                        .toList();
        model.addAttribute("prompts", prompts);
        String name = prompt == null || prompt.isBlank()
                ? prompts.stream()
                        .filter(p -> p.latestVersion() >= 2)
                        .map(Prompt::name)
                        .findFirst()
                        .orElse(null)
                : prompt.strip();
        model.addAttribute("selected", name);
        if (name == null) {
            return "dashboard/compare";
        }
        Prompt chosen = registry.prompt(role.project(), name);
        int latest = chosen.latestVersion() == null ? 0 : chosen.latestVersion();
        List<Option> options = new ArrayList<>();
        for (PromptVersion v : registry.versions(role.project(), name, null, PromptsPageController.LIMIT)
                .items()) {
            options.add(new Option(
                    v.version(),
                    "v" + v.version() + (v.commitMessage() == null ? "" : " — " + shorten(v.commitMessage(), 50))));
        }
        model.addAttribute("options", options);
        model.addAttribute("latest", latest);
        if (latest < 2) {
            return "dashboard/compare";
        }
        int versionB = b != null && b >= 1 && b <= latest ? b : latest;
        int versionA = a != null && a >= 1 && a <= latest ? a : Math.max(1, versionB - 1);
        if ((a != null && a != versionA) || (b != null && b != versionB)) {
            model.addAttribute(
                    "notice",
                    "Prompt '" + name + "' has versions 1 to " + latest + "; showing v" + versionA + " → v" + versionB
                            + " instead.");
        }
        model.addAttribute("a", versionA);
        model.addAttribute("b", versionB);
        model.addAttribute("diff", DiffView.of(registry.diff(role.project(), name, versionA, versionB)));

        List<Sample> left = samples.newest(role.projectId(), name, versionA, SAMPLES);
        List<Sample> right = samples.newest(role.projectId(), name, versionB, SAMPLES);
        model.addAttribute("countA", left.size());
        model.addAttribute("countB", right.size());
        model.addAttribute("metrics", metrics(left, right));
        List<Pair> pairs = pairs(
                left,
                right,
                TemplateInputs.of(registry.version(role.project(), name, versionA)),
                TemplateInputs.of(registry.version(role.project(), name, versionB)));
        model.addAttribute("pairs", pairs);
        String base = "/projects/" + LeaderboardController.encodePath(role.project());
        model.addAttribute(
                "recordsA",
                base + "/records?prompt=" + LeaderboardController.encodeQuery(name) + "&version=" + versionA);
        model.addAttribute(
                "recordsB",
                base + "/records?prompt=" + LeaderboardController.encodeQuery(name) + "&version=" + versionB);
        return "dashboard/compare";
    }

    private static List<Metric> metrics(List<Sample> a, List<Sample> b) {
        List<Metric> metrics = new ArrayList<>();
        metrics.add(new Metric(
                "Records",
                Integer.toString(a.size()),
                Integer.toString(b.size()),
                signed(b.size() - a.size(), 0, ""),
                "",
                "",
                a.size() == SAMPLES || b.size() == SAMPLES ? "the newest " + SAMPLES + " of each version" : ""));
        if (a.isEmpty() && b.isEmpty()) {
            return metrics;
        }
        Set<String> measures = new TreeSet<>();
        for (List<Sample> side : List.of(a, b)) {
            side.forEach(s -> s.feedback().forEach(v -> measures.add(key(v))));
        }
        for (String measure : measures) {
            Function<List<Sample>, double[]> values = side -> side.stream()
                    .map(s -> lastValue(s, measure))
                    .filter(v -> v != null)
                    .mapToDouble(Double::doubleValue)
                    .toArray();
            metrics.add(metric(
                    "Mean " + measure.replace(":", " · "),
                    Difference.ofMeans(values.apply(a), values.apply(b)),
                    1,
                    3,
                    ""));
        }
        Function<List<Sample>, double[]> verdicts = side -> side.stream()
                .flatMap(s -> s.feedback().stream())
                .filter(v -> v.passed() != null && !v.source().equals("human"))
                .mapToDouble(v -> Boolean.TRUE.equals(v.passed()) ? 1 : 0)
                .toArray();
        double[] passA = verdicts.apply(a);
        double[] passB = verdicts.apply(b);
        if (passA.length > 0 || passB.length > 0) {
            metrics.add(percent("Pass rate (automatic verdicts)", Difference.ofMeans(passA, passB), 1));
        }
        Function<List<Sample>, double[]> errors = side -> side.stream()
                .mapToDouble(s -> "error".equals(s.status()) ? 1 : 0)
                .toArray();
        metrics.add(percent("Error rate", Difference.ofMeans(errors.apply(a), errors.apply(b)), -1));
        Function<List<Sample>, double[]> latency =
                side -> side.stream().mapToDouble(Sample::latencyMs).toArray();
        metrics.add(metric(
                "p50 latency (ms)", Difference.ofQuantiles(latency.apply(a), latency.apply(b), 0.50), -1, 1, ""));
        metrics.add(metric(
                "p95 latency (ms)", Difference.ofQuantiles(latency.apply(a), latency.apply(b), 0.95), -1, 1, ""));
        Function<List<Sample>, double[]> cost = side -> side.stream()
                .map(Sample::cost)
                .filter(c -> c != null)
                .mapToDouble(Double::doubleValue)
                .toArray();
        metrics.add(metric("Cost per call (USD)", Difference.ofMeans(cost.apply(a), cost.apply(b)), -1, 6, ""));
        return metrics;
    }

    /** {@code better} is 1 when higher is better, -1 when lower is. */
    private static Metric metric(String name, Difference d, int better, int decimals, String note) {
        String verdict = "";
        if (!Double.isNaN(d.ciLow()) && d.significant()) {
            verdict = (d.difference() * better > 0) ? "better" : "worse";
        }
        String interval = Double.isNaN(d.ciLow())
                ? "–"
                : "[" + signed(d.ciLow(), decimals, "") + ", " + signed(d.ciHigh(), decimals, "") + "]";
        String notes = note;
        if (!Double.isNaN(d.ciLow()) && d.fewValues()) {
            notes = "few values (" + d.baselineSize() + " / " + d.candidateSize() + "): a rough interval";
        } else if (Double.isNaN(d.ciLow())) {
            notes = "no values on " + (d.baselineSize() == 0 ? "A" : "B");
        }
        return new Metric(
                name,
                plain(d.baseline(), decimals, ""),
                plain(d.candidate(), decimals, ""),
                Double.isNaN(d.difference()) ? "–" : signed(d.difference(), decimals, ""),
                interval,
                verdict,
                notes);
    }

    private static Metric percent(String name, Difference d, int better) {
        Metric m = metric(name, d, better, 3, "");
        Difference scaled = new Difference(
                d.baseline() * 100,
                d.candidate() * 100,
                d.difference() * 100,
                d.ciLow() * 100,
                d.ciHigh() * 100,
                d.baselineSize(),
                d.candidateSize());
        Metric p = metric(name, scaled, better, 1, "");
        return new Metric(
                name,
                p.a().equals("–") ? "–" : p.a() + " %",
                p.b().equals("–") ? "–" : p.b() + " %",
                p.delta().equals("–") ? "–" : p.delta() + " pp",
                p.interval().equals("–") ? "–" : p.interval() + " pp",
                m.verdict(),
                m.note());
    }

    /**
     * Records of A and B on the same input, newest first, one pair per input: the same variables
     * (read back through each version's template), else the identical stored input.
     */
    private static List<Pair> pairs(
            List<Sample> a, List<Sample> b, @Nullable TemplateInputs readA, @Nullable TemplateInputs readB) {
        Map<String, Sample> byInput = new LinkedHashMap<>();
        for (Sample s : a) {
            byInput.putIfAbsent(inputKey(s, readA), s);
        }
        Set<String> used = new HashSet<>();
        List<Pair> pairs = new ArrayList<>();
        for (Sample right : b) {
            String key = inputKey(right, readB);
            Sample left = byInput.get(key);
            if (left == null || !used.add(key)) {
                continue;
            }
            Map<String, String> variables = readB == null ? null : readB.variables(right.input());
            pairs.add(new Pair(
                    variables == null ? Map.of() : variables,
                    variables == null ? RecordText.messages(right.input()) : List.of(),
                    left.id(),
                    answer(left),
                    scores(left),
                    right.id(),
                    answer(right),
                    scores(right)));
            if (pairs.size() == PAIRS) {
                break;
            }
        }
        return pairs;
    }

    private static String inputKey(Sample s, @Nullable TemplateInputs read) {
        Map<String, String> variables = read == null ? null : read.variables(s.input());
        return variables == null ? "text:" + s.inputText() : "vars:" + Json.write(variables);
    }

    private static @Nullable String answer(Sample s) {
        return "error".equals(s.status()) && s.output() == null ? "(error)" : s.output();
    }

    private static String scores(Sample s) {
        return s.feedback().stream()
                .filter(Predicate.not(v -> Double.isNaN(v.value())))
                .map(v -> v.name() + (v.source().equals("auto") ? "" : " (" + v.source() + ")") + " "
                        + String.format(Locale.ROOT, "%.2f", v.value()))
                .collect(Collectors.joining(" · "));
    }

    private static String key(Value v) {
        return v.source() + ":" + v.name();
    }

    private static @Nullable Double lastValue(Sample s, String measure) {
        Double value = null;
        for (Value v : s.feedback()) {
            if (key(v).equals(measure)) {
                value = v.value();
            }
        }
        return value;
    }

    private static String plain(double value, int decimals, String unit) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%,." + decimals + "f", value) + unit;
    }

    private static String signed(double value, int decimals, String unit) {
        return String.format(Locale.ROOT, "%+,." + decimals + "f", value) + unit;
    }

    private static String shorten(String text, int max) {
        return text.length() > max ? text.substring(0, max) + "…" : text;
    }
}
