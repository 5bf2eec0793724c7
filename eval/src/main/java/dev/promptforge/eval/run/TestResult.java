package dev.promptforge.eval.run;

import static java.util.Objects.requireNonNull;

import dev.promptforge.eval.GradingResult;
import dev.promptforge.eval.TokenUsage;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One cell of a run: one test, with one prompt, on one provider, in one repetition.
 *
 * @param testIndex the test's index in the suite
 * @param testName the test's description, else its variables
 * @param vars the test's variables
 * @param promptIndex the prompt's index
 * @param promptLabel the prompt's label
 * @param providerIndex the provider's index
 * @param providerId the provider's id
 * @param providerLabel the provider's label
 * @param repeatIndex which repetition, from 0
 * @param status pass, fail, or error (the call or an assertion could not be evaluated)
 * @param prompt the rendered prompt
 * @param output the answer, null when the call failed
 * @param grading the verdict, null on error
 * @param error why the cell is an error, null otherwise
 * @param latencyMs how long the call took (for a cached answer, the original call)
 * @param cached whether the answer came from the cache
 * @param cost the call's cost in dollars, when known
 * @param tokenUsage the call's tokens, when known
 * @param finishReason why the answer stopped, when known
 */
public record TestResult(
        int testIndex,
        String testName,
        Map<String, Object> vars,
        int promptIndex,
        String promptLabel,
        int providerIndex,
        String providerId,
        String providerLabel,
        int repeatIndex,
        Status status,
        String prompt,
        @Nullable String output,
        @Nullable GradingResult grading,
        @Nullable String error,
        @Nullable Double latencyMs,
        boolean cached,
        @Nullable Double cost,
        @Nullable TokenUsage tokenUsage,
        @Nullable String finishReason) {

    /** A cell's outcome. */
    public enum Status {
        PASS,
        FAIL,
        ERROR
    }

    public TestResult {
        requireNonNull(testName, "testName");
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
        requireNonNull(status, "status");
        requireNonNull(prompt, "prompt");
    }

    /** The score; an error scores 0. */
    public double score() {
        return grading == null ? 0 : grading.score();
    }

    public boolean passed() {
        return status == Status.PASS;
    }

    /** Identifies the same cell across runs: test, prompt, provider (not the repetition). */
    public String key() {
        return testName + "\u0000" + dev.promptforge.eval.template.Values.toJson(new java.util.TreeMap<>(vars))
                + "\u0000" + promptLabel + "\u0000" + providerId;
    }
}
