package dev.promptforge.eval;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One assertion of a test, as a suite writes it (promptfoo's {@code assert} entries).
 *
 * @param type the type, possibly negated: {@code contains}, {@code not-contains}, {@code assert-set}
 * @param value the expected value: text, a number, a list or a map (YAML/JSON values); strings may be
 *     templates over the test's variables
 * @param threshold the type's threshold, when it has one
 * @param weight how much the assertion counts in the test's score; null means 1; 0 records a metric
 *     that cannot fail the test
 * @param metric a named metric the score is also reported under
 * @param provider the judge of a model-graded assertion, overriding the suite's: a provider id, or
 *     what the {@link Evaluators.Builder#judgeFactory judge factory} takes (suites give a {@code
 *     JudgeSpec})
 * @param assertions the members of an {@code assert-set}; empty otherwise
 * @param location where the assertion is written ({@code file:line:column}), for messages; null
 *     when it was built in code
 */
public record Assertion(
        String type,
        @Nullable Object value,
        @Nullable Double threshold,
        @Nullable Double weight,
        @Nullable String metric,
        @Nullable Object provider,
        List<Assertion> assertions,
        @Nullable String location) {

    public Assertion {
        requireNonNull(type, "type");
        assertions = List.copyOf(assertions);
    }

    /** An assertion with only a type and a value. */
    public static Assertion of(String type, @Nullable Object value) {
        return new Assertion(type, value, null, null, null, null, List.of(), null);
    }

    public Assertion withThreshold(@Nullable Double newThreshold) {
        return new Assertion(type, value, newThreshold, weight, metric, provider, assertions, location);
    }

    public Assertion withWeight(@Nullable Double newWeight) {
        return new Assertion(type, value, threshold, newWeight, metric, provider, assertions, location);
    }

    public Assertion withMetric(@Nullable String newMetric) {
        return new Assertion(type, value, threshold, weight, newMetric, provider, assertions, location);
    }

    /** True for {@code not-…} types. */
    public boolean negated() {
        return type.startsWith("not-");
    }

    /** The type without {@code not-}. */
    public String baseType() {
        return negated() ? type.substring(4) : type;
    }

    /** The weight, 1 when none is set. */
    public double effectiveWeight() {
        return weight == null ? 1.0 : weight;
    }
}
