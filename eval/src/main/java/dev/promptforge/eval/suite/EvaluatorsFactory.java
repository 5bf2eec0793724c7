package dev.promptforge.eval.suite;

import dev.promptforge.eval.Evaluators;
import org.jspecify.annotations.Nullable;

/** Makes the evaluators of a suite, with the judge the suite names ({@code defaultTest.options.provider}). */
@FunctionalInterface
public interface EvaluatorsFactory {

    /**
     * @param grader the suite's judge, or null when it names none
     * @throws IllegalArgumentException when the judge cannot be made
     */
    Evaluators create(@Nullable JudgeSpec grader);
}
