package dev.promptforge.eval;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Test helpers: compile one assertion and grade one answer. */
final class Grading {

    private Grading() {}

    static GradingResult grade(String type, @Nullable Object value, String output) {
        return grade(Assertion.of(type, value), output);
    }

    static GradingResult grade(Assertion assertion, String output) {
        return Evaluators.deterministic().compile(assertion).grade(AssertionContext.ofOutput(output));
    }

    static GradingResult grade(Assertion assertion, String output, Map<String, Object> vars) {
        return Evaluators.deterministic()
                .compile(assertion)
                .grade(new AssertionContext(ProviderResponse.of(output), "", vars, null, false));
    }

    static GradingResult grade(
            Assertion assertion, ProviderResponse response, @Nullable Double latencyMs, boolean cached) {
        return Evaluators.deterministic()
                .compile(assertion)
                .grade(new AssertionContext(response, "the prompt", Map.of(), latencyMs, cached));
    }

    static Assertion assertion(String type, @Nullable Object value, @Nullable Double threshold) {
        return new Assertion(type, value, threshold, null, null, null, List.of(), null);
    }
}
