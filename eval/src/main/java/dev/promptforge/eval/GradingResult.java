package dev.promptforge.eval;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The verdict on one assertion, or on a whole test (then {@code components} holds the assertions'
 * verdicts).
 *
 * @param pass passed or failed
 * @param score from 0 to 1 (a {@code cost} or {@code latency} metric without threshold carries the
 *     measured value instead)
 * @param reason why, in words a person can act on
 * @param type the assertion's type ({@code not-contains}); null for a test's overall verdict
 * @param metric the named metric, when one is set
 * @param components the member verdicts of a test or an {@code assert-set}
 * @param namedScores the named metrics' weighted average scores
 */
public record GradingResult(
        boolean pass,
        double score,
        String reason,
        @Nullable String type,
        @Nullable String metric,
        List<GradingResult> components,
        Map<String, Double> namedScores) {

    public GradingResult {
        requireNonNull(reason, "reason");
        components = List.copyOf(components);
        namedScores = Map.copyOf(namedScores);
    }

    static GradingResult of(boolean pass, double score, String reason, Assertion assertion) {
        return new GradingResult(pass, score, reason, assertion.type(), assertion.metric(), List.of(), Map.of());
    }
}
