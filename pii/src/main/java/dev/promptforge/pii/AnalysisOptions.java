package dev.promptforge.pii;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-request settings of {@link PiiAnalyzer#analyze(String, AnalysisOptions)}.
 *
 * @param entities the entity types to return; empty means every type the analyzer knows
 * @param thresholds minimum score per entity type, overriding the analyzer's thresholds
 * @param allowList texts that are never reported (compared ignoring case and surrounding blanks)
 * @param recognizers ad-hoc recognizers for this request only, e.g. {@link Recognizers#pattern}
 *     and {@link Recognizers#denyList}
 * @param timeBudget the longest the analysis may take before it fails with
 *     {@link PiiTimeoutException}; {@code null} uses the analyzer's budget. The budget is checked
 *     inside the built-in recognizers' loops and between recognizers; a plugged-in
 *     {@link Recognizer} that blocks is not interrupted, it fails the analysis when it returns
 */
public record AnalysisOptions(
        Set<String> entities,
        Map<String, Double> thresholds,
        Set<String> allowList,
        List<Recognizer> recognizers,
        Duration timeBudget) {

    private static final AnalysisOptions DEFAULTS = new AnalysisOptions(Set.of(), Map.of(), Set.of(), List.of(), null);

    public AnalysisOptions {
        entities = entities == null ? Set.of() : Set.copyOf(entities);
        entities.forEach(PiiTypes::requireValid);
        thresholds = thresholds == null ? Map.of() : Map.copyOf(thresholds);
        thresholds.forEach((type, score) -> {
            PiiTypes.requireValid(type);
            if (!(score >= 0 && score <= 1)) {
                throw new IllegalArgumentException("threshold of " + type + " must be from 0 to 1, got " + score);
            }
        });
        allowList = allowList == null ? Set.of() : Set.copyOf(allowList);
        recognizers = recognizers == null ? List.of() : List.copyOf(recognizers);
        if (timeBudget != null && (timeBudget.isNegative() || timeBudget.isZero())) {
            throw new IllegalArgumentException("time budget must be positive, got " + timeBudget);
        }
    }

    /** No restriction, no override, no ad-hoc recognizer. */
    public static AnalysisOptions defaults() {
        return DEFAULTS;
    }

    /** These options returning only {@code types}. */
    public AnalysisOptions withEntities(Set<String> types) {
        return new AnalysisOptions(types, thresholds, allowList, recognizers, timeBudget);
    }

    /** These options with the minimum score of {@code type} set to {@code score}. */
    public AnalysisOptions withThreshold(String type, double score) {
        Map<String, Double> copy = new LinkedHashMap<>(thresholds);
        copy.put(type, score);
        return new AnalysisOptions(entities, copy, allowList, recognizers, timeBudget);
    }

    /** These options never reporting {@code texts}. */
    public AnalysisOptions withAllowList(Set<String> texts) {
        return new AnalysisOptions(entities, thresholds, texts, recognizers, timeBudget);
    }

    /** These options with ad-hoc {@code recognizers} for this request. */
    public AnalysisOptions withRecognizers(List<Recognizer> adHoc) {
        return new AnalysisOptions(entities, thresholds, allowList, adHoc, timeBudget);
    }

    /** These options with a time budget. */
    public AnalysisOptions withTimeBudget(Duration budget) {
        return new AnalysisOptions(entities, thresholds, allowList, recognizers, budget);
    }
}
