package dev.promptforge.eval;

import static java.util.Objects.requireNonNull;

/**
 * An assertion whose body says what it observed ({@link Outcome}); negation, weight 0 and the
 * verdict's shape are handled here, the same way for every type.
 */
final class Check implements CompiledAssertion {

    /** What an assertion observed, in its positive form: "contains", "is JSON" … */
    record Outcome(boolean matched, double score, String fact) {
        static Outcome of(boolean matched, String whenMatched, String whenNot) {
            return new Outcome(matched, matched ? 1 : 0, matched ? whenMatched : whenNot);
        }
    }

    @FunctionalInterface
    interface Body {
        Outcome apply(AssertionContext context);
    }

    private final Assertion assertion;
    private final Body body;

    Check(Assertion assertion, Body body) {
        this.assertion = requireNonNull(assertion, "assertion");
        this.body = requireNonNull(body, "body");
    }

    @Override
    public Assertion assertion() {
        return assertion;
    }

    @Override
    public GradingResult grade(AssertionContext context) {
        Outcome outcome = body.apply(context);
        boolean negated = assertion.negated();
        boolean pass = outcome.matched() != negated;
        double score = negated ? 1 - outcome.score() : outcome.score();
        String reason = outcome.fact();
        if (!pass && negated) {
            reason = reason + ", which " + assertion.type() + " forbids";
        }
        return GradingResult.of(metricOnly(assertion) || pass, score, reason, assertion);
    }

    /** promptfoo: an assertion with weight 0 records its score but cannot fail the test. */
    static boolean metricOnly(Assertion assertion) {
        return assertion.weight() != null && assertion.weight() == 0;
    }
}
