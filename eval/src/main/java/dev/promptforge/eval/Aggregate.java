package dev.promptforge.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Combines assertion verdicts the way promptfoo does: the score is the weighted average, the verdict
 * passes when every assertion passed, and a threshold (the test's or the assert-set's) replaces that
 * verdict with "weighted score ≥ threshold". Named metrics are weighted averages too.
 */
final class Aggregate {

    private final List<GradingResult> components = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final Map<String, double[]> named = new LinkedHashMap<>();
    private double totalScore;
    private double totalWeight;

    void add(GradingResult result, Assertion assertion) {
        double weight = assertion.effectiveWeight();
        totalScore += result.score() * weight;
        totalWeight += weight;
        components.add(result);
        // A weight-0 assertion is a metric only: its metric still records its value.
        double metricWeight = weight == 0 ? 1 : weight;
        if (assertion.metric() != null) {
            addNamed(assertion.metric(), result.score(), metricWeight);
        }
        for (var entry : result.namedScores().entrySet()) {
            if (!entry.getKey().equals(assertion.metric())) {
                addNamed(entry.getKey(), entry.getValue(), metricWeight);
            }
        }
        if (!result.pass()) {
            failures.add(assertion.type() + ": " + result.reason());
        }
    }

    private void addNamed(String metric, double score, double weight) {
        double[] sums = named.computeIfAbsent(metric, m -> new double[2]);
        sums[0] += score * weight;
        sums[1] += weight;
    }

    GradingResult result(@Nullable Double threshold, @Nullable String type, @Nullable String metric) {
        if (components.isEmpty()) {
            return new GradingResult(true, 1, "No assertions", type, metric, List.of(), Map.of());
        }
        double score = totalWeight > 0 ? totalScore / totalWeight : 0;
        boolean pass = failures.isEmpty();
        String reason = pass
                ? "All " + components.size() + " assertions passed"
                : failures.size() + " of " + components.size() + " assertions failed: " + String.join("; ", failures);
        if (threshold != null) {
            boolean meets = score >= threshold;
            reason = "Weighted score " + OverlapChecks.two(score) + (meets ? " ≥ " : " < ") + "threshold "
                    + TextChecks.fmt(threshold) + (failures.isEmpty() ? "" : " (" + reason + ")");
            pass = meets;
        }
        Map<String, Double> namedScores = new LinkedHashMap<>();
        for (var entry : named.entrySet()) {
            double[] sums = entry.getValue();
            namedScores.put(entry.getKey(), sums[1] > 0 ? sums[0] / sums[1] : 0);
        }
        return new GradingResult(pass, score, reason, type, metric, components, namedScores);
    }
}
