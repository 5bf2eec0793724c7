package dev.promptforge.server.lab.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The kinds of pipeline stage. */
public enum StageType {
    /** Template variables, token counts against context windows, PII, injection-prone and format checks. */
    @JsonProperty("validation")
    VALIDATION,
    /** Latency percentiles, tokens, cost per call and per month, error rate. */
    @JsonProperty("performance")
    PERFORMANCE,
    /** The evaluators over the dataset: pass rate and mean score. */
    @JsonProperty("quality")
    QUALITY,
    /** The candidate against a baseline on the same items: win/tie/loss, bootstrap CI, McNemar. */
    @JsonProperty("comparison")
    COMPARISON,
    /** Suggestions, each re-tested with its measured effect. */
    @JsonProperty("optimization")
    OPTIMIZATION;

    String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
