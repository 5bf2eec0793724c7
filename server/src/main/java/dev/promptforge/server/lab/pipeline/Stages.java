package dev.promptforge.server.lab.pipeline;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.promptforge.eval.run.RunResult;
import dev.promptforge.eval.run.TestResult;
import dev.promptforge.eval.stats.Comparison;
import dev.promptforge.pii.PiiEntity;
import dev.promptforge.server.lab.dataset.DatasetItem;
import dev.promptforge.server.lab.pipeline.RunExecution.Graded;
import dev.promptforge.server.lab.pipeline.RunExecution.Variant;
import dev.promptforge.server.registry.PromptMessage;
import dev.promptforge.server.registry.PromptVersion;
import dev.promptforge.server.shared.ApiException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** What each stage type does with a run. */
final class Stages {

    /** A stage's outcome: its status, figures and what explains them. */
    record Outcome(String status, Map<String, Object> metrics, Map<String, Object> details) {
        static Outcome failed(Map<String, Object> details) {
            return new Outcome(PipelineRun.StageResult.FAILED, Map.of(), details);
        }

        static Outcome of(boolean passed, Map<String, Object> metrics, Map<String, Object> details) {
            return new Outcome(
                    passed ? PipelineRun.StageResult.PASSED : PipelineRun.StageResult.FAILED, metrics, details);
        }
    }

    static final Set<String> JSON_TYPES = Set.of("is-json", "contains-json", "is-valid-openai-tools-call");
    private static final Pattern VARIABLE_TAG =
            Pattern.compile("\\{\\{\\{?\\s*[#^/&]?\\s*([A-Za-z_][A-Za-z0-9_]*)(?:\\.[A-Za-z0-9_.]*)?\\s*}?}}");
    private static final Encoding TOKENS = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    private static final int MAX_LISTED = 50;

    private final RunExecution run;
    private final Plan plan;

    Stages(RunExecution run) {
        this.run = run;
        this.plan = run.plan;
    }

    Outcome run(StageSpec stage) {
        return switch (Objects.requireNonNull(stage.type())) {
            case VALIDATION -> validation(stage);
            case PERFORMANCE -> performance(stage);
            case QUALITY -> quality(stage);
            case COMPARISON -> comparison(stage);
            case OPTIMIZATION -> optimization(stage);
        };
    }

    /** A threshold from the stage's config, else from the pipeline's success criteria. */
    private @Nullable Double limit(StageSpec stage, String key) {
        Object value = stage.config().get(key);
        if (value == null) {
            value = plan.config().successCriteria().get(key);
        }
        return value instanceof Number n ? n.doubleValue() : null;
    }

    private List<String> gated(StageSpec stage) {
        return "all".equals(stage.config().get("gate")) ? plan.models() : List.of(plan.primaryModel());
    }

    // --- validation

    private Outcome validation(StageSpec stage) {
        PromptVersion version = run.candidate();
        List<Map<String, Object>> findings = new ArrayList<>();
        List<PromptMessage> messages = version.asMessages();
        // Variables: every item must fill every variable the template uses.
        Set<String> used = new LinkedHashSet<>();
        for (PromptMessage message : messages) {
            Matcher m = VARIABLE_TAG.matcher(message.content());
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        used.addAll(version.variables());
        Set<String> seen = new TreeSet<>();
        int missingItems = 0;
        for (DatasetItem item : plan.items()) {
            Map<String, Object> vars = item.templateVars();
            seen.addAll(vars.keySet());
            List<String> missing =
                    used.stream().filter(v -> !vars.containsKey(v)).toList();
            if (!missing.isEmpty()) {
                missingItems++;
                if (missingItems <= MAX_LISTED) {
                    findings.add(finding(
                            "error", "variables", "item " + name(item) + " has no value for " + missing, item.id()));
                }
            }
        }
        Set<String> unused = new TreeSet<>(seen);
        unused.removeAll(used);
        unused.remove("context");
        if (!unused.isEmpty()) {
            findings.add(finding(
                    "warning", "variables", "the dataset has variables the template never uses: " + unused, null));
        }
        // Tokens: the rendered prompt against each model's context window.
        int maxTokens = 0;
        Map<String, Object> windows = new LinkedHashMap<>();
        Object configured = stage.config().get("contextWindows");
        for (String model : plan.models()) {
            int window = configured instanceof Map<?, ?> map && map.get(model) instanceof Integer w
                    ? w
                    : run.services.properties().contextWindow(model);
            windows.put(model, window);
        }
        int over = 0;
        for (DatasetItem item : plan.items()) {
            int tokens;
            try {
                tokens = tokens(run.services
                        .registry()
                        .render(version, item.templateVars())
                        .messages());
            } catch (ApiException e) {
                // A variable is missing (reported above): count the template as written.
                tokens = tokens(messages);
            }
            maxTokens = Math.max(maxTokens, tokens);
            for (Map.Entry<String, Object> window : windows.entrySet()) {
                if (tokens > (Integer) window.getValue()) {
                    over++;
                    if (over <= MAX_LISTED) {
                        findings.add(finding(
                                "error",
                                "context-window",
                                "item " + name(item) + " renders to " + tokens + " tokens, over the "
                                        + window.getValue() + "-token context window of " + window.getKey(),
                                item.id()));
                    }
                }
            }
        }
        // PII written into the template itself.
        for (PromptMessage message : messages) {
            String text = VARIABLE_TAG.matcher(message.content()).replaceAll(" ");
            for (PiiEntity entity : run.services.analyzer().analyze(text)) {
                findings.add(finding(
                        "error",
                        "pii",
                        "the " + message.role() + " message contains personal data (" + entity.type()
                                + "); templates are stored and sent to providers as written",
                        null));
            }
        }
        // Injection-prone: variables (user input) inside system instructions.
        if (!Boolean.TRUE.equals(stage.config().get("allowSystemVariables"))) {
            for (PromptMessage message : messages) {
                if (message.role().equals("system")) {
                    Matcher m = VARIABLE_TAG.matcher(message.content());
                    Set<String> inSystem = new TreeSet<>();
                    while (m.find()) {
                        inSystem.add(m.group(1));
                    }
                    if (!inSystem.isEmpty()) {
                        findings.add(finding(
                                "error",
                                "injection",
                                "the system message concatenates " + inSystem + " into its instructions: input"
                                        + " there can override them; pass it in a user message (or set"
                                        + " allowSystemVariables)",
                                null));
                    }
                }
            }
        }
        // Output format: JSON evaluators need a prompt that asks for JSON.
        boolean expectsJson = plan.items().stream()
                .flatMap(item -> run.assertionsOf(item).stream())
                .anyMatch(a -> JSON_TYPES.contains(a.baseType()) && !a.negated());
        String all =
                String.join("\n", messages.stream().map(PromptMessage::content).toList());
        if (expectsJson && !all.toLowerCase(java.util.Locale.ROOT).contains("json")) {
            findings.add(finding(
                    "error", "output-format", "the evaluators expect JSON but the prompt never asks for JSON", null));
        }
        long errors =
                findings.stream().filter(f -> f.get("severity").equals("error")).count();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("items", plan.items().size());
        metrics.put("errors", errors);
        metrics.put("warnings", findings.size() - errors);
        metrics.put("maxPromptTokens", maxTokens);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("findings", findings);
        details.put("contextWindows", windows);
        details.put("variables", used);
        return Outcome.of(errors == 0, metrics, details);
    }

    private static Map<String, Object> finding(String severity, String check, String message, @Nullable String item) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("severity", severity);
        f.put("check", check);
        f.put("message", message);
        if (item != null) {
            f.put("item", item);
        }
        return f;
    }

    private static String name(DatasetItem item) {
        return item.name() != null ? "'" + item.name() + "'" : item.id();
    }

    static int tokens(List<PromptMessage> messages) {
        int total = 3;
        for (PromptMessage message : messages) {
            total += 3 + (message.content().isEmpty() ? 0 : TOKENS.countTokensOrdinary(message.content()));
        }
        return total;
    }

    // --- performance

    /** The figures of one variant's results. */
    Map<String, Object> figures(List<Graded> results) {
        int n = results.size();
        int errors = 0;
        List<Double> latencies = new ArrayList<>();
        long in = 0;
        long out = 0;
        int withTokens = 0;
        double cost = 0;
        int withCost = 0;
        int passed = 0;
        double score = 0;
        for (Graded g : results) {
            PipelineRun.ItemResult r = g.result();
            if (!r.ok()) {
                errors++;
            }
            if (r.latencyMs() != null) {
                latencies.add(r.latencyMs());
            }
            if (r.inputTokens() != null) {
                in += r.inputTokens();
                out += r.outputTokens() == null ? 0 : r.outputTokens();
                withTokens++;
            }
            if (r.cost() != null) {
                cost += r.cost();
                withCost++;
            }
            passed += g.passed() ? 1 : 0;
            score += g.score();
        }
        double[] sorted =
                latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("calls", n);
        f.put("errors", errors);
        f.put("errorRate", n == 0 ? 0.0 : (double) errors / n);
        f.put("p50Ms", percentile(sorted, 0.50));
        f.put("p95Ms", percentile(sorted, 0.95));
        f.put("p99Ms", percentile(sorted, 0.99));
        f.put("meanInputTokens", withTokens == 0 ? null : (double) in / withTokens);
        f.put("meanOutputTokens", withTokens == 0 ? null : (double) out / withTokens);
        f.put("inputTokens", in);
        f.put("outputTokens", out);
        Double perCall = withCost == 0 ? null : cost / withCost;
        f.put("costPerCall", perCall);
        f.put("totalCost", withCost == 0 ? null : cost);
        f.put("monthlyVolume", plan.config().effectiveMonthlyVolume());
        f.put(
                "projectedMonthlyCost",
                perCall == null ? null : perCall * plan.config().effectiveMonthlyVolume());
        f.put("passRate", n == 0 ? 0.0 : (double) passed / n);
        f.put("meanScore", n == 0 ? 0.0 : score / n);
        return f;
    }

    private static @Nullable Double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return null;
        }
        double position = p * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private static final Map<String, String> PERFORMANCE_FIGURES = Map.of(
            "maxP50Ms", "p50Ms",
            "maxP95Ms", "p95Ms",
            "maxP99Ms", "p99Ms",
            "maxErrorRate", "errorRate",
            "maxCostPerCall", "costPerCall",
            "maxMonthlyCost", "projectedMonthlyCost",
            "maxInputTokens", "meanInputTokens",
            "maxOutputTokens", "meanOutputTokens");

    private Outcome performance(StageSpec stage) {
        return measured(stage, PERFORMANCE_FIGURES, true);
    }

    private static final Map<String, String> QUALITY_FIGURES =
            Map.of("minPassRate", "passRate", "minMeanScore", "meanScore");

    private Outcome quality(StageSpec stage) {
        return measured(stage, QUALITY_FIGURES, false);
    }

    /** Runs the candidate on every model and checks the stage's thresholds on the gated ones. */
    private Outcome measured(StageSpec stage, Map<String, String> limits, boolean maxima) {
        Map<String, Object> byModel = new LinkedHashMap<>();
        Map<String, List<Graded>> results = new LinkedHashMap<>();
        for (String model : plan.models()) {
            List<Graded> graded = run.results(run.candidateOn(model));
            results.put(model, graded);
            byModel.put(model, figures(graded));
        }
        List<Map<String, Object>> checks = new ArrayList<>();
        boolean passed = true;
        for (String model : gated(stage)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> figures = (Map<String, Object>) byModel.get(model);
            for (String key : new TreeSet<>(limits.keySet())) {
                Double limit = limit(stage, key);
                if (limit == null) {
                    continue;
                }
                Object value = figures.get(limits.get(key));
                boolean ok =
                        value instanceof Number n && (maxima ? n.doubleValue() <= limit : n.doubleValue() >= limit);
                Map<String, Object> check = new LinkedHashMap<>();
                check.put("model", model);
                check.put("criterion", key);
                check.put("limit", limit);
                check.put("value", value);
                check.put("passed", ok);
                checks.add(check);
                passed &= ok;
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = new LinkedHashMap<>((Map<String, Object>) byModel.get(plan.primaryModel()));
        metrics.put("model", plan.primaryModel());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("models", byModel);
        details.put("checks", checks);
        if (!maxima) {
            List<Map<String, Object>> failing = new ArrayList<>();
            for (Graded g : results.get(plan.primaryModel())) {
                if (!g.passed() && failing.size() < MAX_LISTED) {
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("item", g.item().id());
                    if (g.item().name() != null) {
                        f.put("name", g.item().name());
                    }
                    f.put("vars", g.item().vars());
                    f.put("status", g.status());
                    f.put("score", g.score());
                    f.put("output", g.result().output());
                    f.put("reason", g.reason());
                    failing.add(f);
                }
            }
            details.put("failingItems", failing);
        }
        return Outcome.of(passed, metrics, details);
    }

    // --- comparison

    private Outcome comparison(StageSpec stage) {
        if (run.baseline() == null) {
            return new Outcome(
                    PipelineRun.StageResult.SKIPPED,
                    Map.of(),
                    Map.of("reason", "no baseline: give \"baselinePromptId\" or the stage's \"baseline\""));
        }
        String model = plan.primaryModel();
        List<Graded> base = run.results(run.baselineOn(model));
        List<Graded> cand = run.results(run.candidateOn(model));
        int resamples =
                stage.config().get("resamples") instanceof Number n ? n.intValue() : Comparison.DEFAULT_RESAMPLES;
        long seed = stage.config().get("seed") instanceof Number n ? n.longValue() : Comparison.DEFAULT_SEED;
        Comparison c = Comparison.of(
                runResult(base, java.util.Objects.requireNonNull(plan.baselineLabel()), model),
                runResult(cand, plan.candidateLabel(), model),
                resamples,
                seed);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("model", model);
        metrics.put("pairs", c.pairs().size());
        metrics.put("wins", c.wins());
        metrics.put("ties", c.ties());
        metrics.put("losses", c.losses());
        metrics.put("improved", c.improved());
        metrics.put("regressed", c.regressed());
        metrics.put("meanDifference", finite(c.meanDifference()));
        metrics.put("ciLow", finite(c.ciLow()));
        metrics.put("ciHigh", finite(c.ciHigh()));
        metrics.put("confidence", 0.95);
        metrics.put("mcnemarStatistic", finite(c.mcnemar().statistic()));
        metrics.put("mcnemarPValue", finite(c.mcnemar().pValue()));
        metrics.put("mcnemarMethod", c.mcnemar().method());
        metrics.put(
                "baselinePassRate",
                (double) base.stream().filter(Graded::passed).count() / base.size());
        metrics.put(
                "candidatePassRate",
                (double) cand.stream().filter(Graded::passed).count() / cand.size());
        metrics.put("verdict", c.verdict().words());
        List<Map<String, Object>> regressed = new ArrayList<>();
        for (int i = 0; i < c.pairs().size(); i++) {
            Comparison.Pair pair = c.pairs().get(i);
            if (pair.change() == Comparison.Change.REGRESSED) {
                DatasetItem item = plan.items().stream()
                        .filter(it -> it.id().equals(pair.testName()))
                        .findFirst()
                        .orElseThrow();
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("item", item.id());
                if (item.name() != null) {
                    r.put("name", item.name());
                }
                r.put("vars", item.vars());
                r.put("baselineOutput", pair.baselineOutput());
                r.put("candidateOutput", pair.candidateOutput());
                r.put("baselineScore", pair.baselineScore());
                r.put("candidateScore", pair.candidateScore());
                r.put("baselinePassed", pair.baselinePass());
                r.put("candidatePassed", pair.candidatePass());
                r.put("reason", pair.candidateReason());
                regressed.add(r);
            }
        }
        String failOn = stage.config().get("failOn") instanceof String s ? s : "regression";
        boolean passed = switch (failOn) {
            case "never" -> true;
            case "any-regressed-item" -> regressed.isEmpty();
            default -> c.verdict() != Comparison.Verdict.REGRESSION;
        };
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("baseline", plan.baselineLabel());
        details.put("candidate", plan.candidateLabel());
        details.put("failOn", failOn);
        details.put("resamples", resamples);
        details.put("seed", seed);
        details.put("regressedItems", regressed);
        return Outcome.of(passed, metrics, details);
    }

    private static @Nullable Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private RunResult runResult(List<Graded> results, String label, String model) {
        List<TestResult> cells = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            Graded g = results.get(i);
            TestResult.Status status = TestResult.Status.valueOf(g.status());
            cells.add(new TestResult(
                    i,
                    g.item().id(),
                    g.item().templateVars(),
                    0,
                    label,
                    0,
                    model,
                    model,
                    0,
                    status,
                    g.prompt(),
                    g.result().output(),
                    g.grading(),
                    status == TestResult.Status.ERROR ? String.valueOf(g.reason()) : null,
                    g.result().latencyMs(),
                    false,
                    g.result().cost(),
                    null,
                    null));
        }
        return new RunResult(null, "pipeline", Map.of(), Instant.EPOCH, 0, List.of(label), List.of(model), 1, cells);
    }

    // --- optimization

    private Outcome optimization(StageSpec stage) {
        String model = plan.primaryModel();
        PromptVersion version = run.candidate();
        Map<String, Object> before = figures(run.results(run.candidateOn(model)));
        double tolerance = stage.config().get("scoreTolerance") instanceof Number n ? n.doubleValue() : 0.0;
        boolean expectsJson = plan.items().stream()
                .flatMap(item -> run.assertionsOf(item).stream())
                .anyMatch(a -> JSON_TYPES.contains(a.baseType()) && !a.negated());
        List<Optimizer.Suggestion> candidates = new ArrayList<>(Optimizer.rewrites(version, expectsJson));
        String rewriteModel = stage.config().get("rewriteModel") instanceof String s
                ? s
                : run.services.properties().optimizerModel();
        int rewrites = stage.config().get("rewrites") instanceof Number n ? n.intValue() : 1;
        List<Map<String, Object>> rejected = new ArrayList<>();
        if (rewriteModel != null) {
            for (int i = 0; i < rewrites; i++) {
                try {
                    Optimizer.Suggestion s = Optimizer.llmRewrite(
                            version, text -> run.ask(rewriteModel, Optimizer.REWRITE_SYSTEM, text), i + 1);
                    if (s.rejected() != null) {
                        rejected.add(Map.of("kind", s.kind(), "reason", s.rejected()));
                    } else {
                        candidates.add(s);
                    }
                } catch (ApiException e) {
                    rejected.add(Map.of("kind", "llm-rewrite", "reason", e.getMessage()));
                }
            }
        }
        List<Map<String, Object>> suggestions = new ArrayList<>();
        for (Optimizer.Suggestion s : candidates) {
            Variant variant = run.changed(s.kind(), java.util.Objects.requireNonNull(s.version()), model);
            Map<String, Object> after = figures(run.results(variant));
            Map<String, Object> suggestion = new LinkedHashMap<>();
            suggestion.put("kind", s.kind());
            suggestion.put("description", s.description());
            suggestion.put("model", model);
            if (s.version().template() != null) {
                suggestion.put("template", s.version().template());
            } else {
                suggestion.put("messages", s.version().messages());
            }
            suggestion.putAll(effect(before, after, tolerance));
            suggestions.add(suggestion);
        }
        // A cheaper model of the matrix with equal quality.
        for (String other : plan.models()) {
            if (other.equals(model)) {
                continue;
            }
            Map<String, Object> after = figures(run.results(run.candidateOn(other)));
            Map<String, Object> suggestion = new LinkedHashMap<>();
            suggestion.put("kind", "cheaper-model");
            suggestion.put("description", "run on " + other + " instead of " + model);
            suggestion.put("model", other);
            Map<String, Object> effect = effect(before, after, tolerance);
            Double costDelta = (Double) effect.get("costPerCallDelta");
            boolean cheaper = costDelta != null && costDelta < 0;
            effect.put("recommended", cheaper && Boolean.TRUE.equals(effect.get("qualityKept")));
            suggestion.putAll(effect);
            suggestions.add(suggestion);
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("model", model);
        metrics.put("suggestions", suggestions.size());
        metrics.put(
                "recommended",
                suggestions.stream()
                        .filter(s -> Boolean.TRUE.equals(s.get("recommended")))
                        .count());
        metrics.put("baselineMeanScore", before.get("meanScore"));
        metrics.put("baselineMeanInputTokens", before.get("meanInputTokens"));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("suggestions", suggestions);
        details.put("rewriteModel", rewriteModel);
        if (!rejected.isEmpty()) {
            details.put("rejected", rejected);
        }
        return new Outcome(PipelineRun.StageResult.PASSED, metrics, details);
    }

    /** The measured effect of a change: score, pass rate, tokens and cost before and after. */
    private static Map<String, Object> effect(Map<String, Object> before, Map<String, Object> after, double tolerance) {
        Map<String, Object> effect = new LinkedHashMap<>();
        double scoreDelta = num(after.get("meanScore")) - num(before.get("meanScore"));
        double passDelta = num(after.get("passRate")) - num(before.get("passRate"));
        Double tokenDelta = delta(before.get("meanInputTokens"), after.get("meanInputTokens"));
        Double outDelta = delta(before.get("meanOutputTokens"), after.get("meanOutputTokens"));
        Double costDelta = delta(before.get("costPerCall"), after.get("costPerCall"));
        effect.put("meanScore", after.get("meanScore"));
        effect.put("meanScoreDelta", scoreDelta);
        effect.put("passRate", after.get("passRate"));
        effect.put("passRateDelta", passDelta);
        effect.put("meanInputTokens", after.get("meanInputTokens"));
        effect.put("inputTokensDelta", tokenDelta);
        effect.put("outputTokensDelta", outDelta);
        effect.put("costPerCall", after.get("costPerCall"));
        effect.put("costPerCallDelta", costDelta);
        effect.put("errorRate", after.get("errorRate"));
        boolean qualityKept = scoreDelta >= -tolerance - 1e-9 && passDelta >= -1e-9;
        boolean cheaper = tokenDelta != null && tokenDelta < 0 || costDelta != null && costDelta < 0;
        effect.put("qualityKept", qualityKept);
        effect.put("recommended", qualityKept && (cheaper || scoreDelta > 1e-9 || passDelta > 1e-9));
        return effect;
    }

    private static double num(@Nullable Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    private static @Nullable Double delta(@Nullable Object before, @Nullable Object after) {
        return before instanceof Number b && after instanceof Number a ? a.doubleValue() - b.doubleValue() : null;
    }
}
