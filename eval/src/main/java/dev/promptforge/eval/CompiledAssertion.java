package dev.promptforge.eval;

/** An assertion checked and ready to grade answers; thread-safe. */
public interface CompiledAssertion {

    Assertion assertion();

    /**
     * Grades one answer.
     *
     * @throws EvaluationException when the assertion cannot be evaluated for this answer
     */
    GradingResult grade(AssertionContext context);
}
