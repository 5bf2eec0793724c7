package dev.promptforge.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ScoringTest {

    private final Evaluators evaluators = Evaluators.deterministic();

    private GradingResult gradeTest(@Nullable Double threshold, String output, Assertion... assertions) {
        List<CompiledAssertion> compiled =
                List.of(assertions).stream().map(evaluators::compile).toList();
        return Evaluators.grade(compiled, threshold, AssertionContext.ofOutput(output));
    }

    @Test
    void a_test_scores_the_weighted_average_and_fails_when_any_assertion_fails() {
        // given: weights 3 and 1, the heavy one passes
        var result = gradeTest(
                null,
                "hello world",
                Assertion.of("contains", "hello").withWeight(3.0),
                Assertion.of("contains", "bye"));

        // then
        assertThat(result.score()).isCloseTo(0.75, within(1e-12));
        assertThat(result.pass()).isFalse();
        assertThat(result.reason()).isEqualTo("1 of 2 assertions failed: contains: Output does not contain \"bye\"");
        assertThat(result.components()).hasSize(2);
    }

    @Test
    void a_test_threshold_overrides_individual_failures() {
        var passing = gradeTest(
                0.7, "hello world", Assertion.of("contains", "hello").withWeight(3.0), Assertion.of("contains", "bye"));
        var failing = gradeTest(
                0.8, "hello world", Assertion.of("contains", "hello").withWeight(3.0), Assertion.of("contains", "bye"));
        assertThat(passing.pass()).isTrue();
        assertThat(passing.reason()).startsWith("Weighted score 0.75 ≥ threshold 0.7");
        assertThat(failing.pass()).isFalse();
        assertThat(failing.reason()).startsWith("Weighted score 0.75 < threshold 0.8");
    }

    @Test
    void weight_zero_records_a_metric_that_cannot_fail_the_test() {
        var result = gradeTest(
                null,
                "hello",
                Assertion.of("contains", "hello"),
                Assertion.of("contains", "bye").withWeight(0.0).withMetric("politeness"));
        assertThat(result.pass()).isTrue();
        assertThat(result.score()).isEqualTo(1.0);
        assertThat(result.namedScores()).containsEntry("politeness", 0.0);
    }

    @Test
    void named_metrics_average_their_assertions() {
        var result = gradeTest(
                null,
                "a b",
                Assertion.of("contains", "a").withMetric("coverage"),
                Assertion.of("contains", "z").withMetric("coverage"));
        assertThat(result.namedScores()).containsEntry("coverage", 0.5);
    }

    @Test
    void no_assertions_pass_with_score_one() {
        var result = gradeTest(null, "anything");
        assertThat(result.pass()).isTrue();
        assertThat(result.score()).isEqualTo(1.0);
    }

    @Test
    void assert_set_passes_on_its_own_threshold_and_counts_with_its_weight() {
        // given: a set where 1 of 2 passes, threshold 0.5, weight 2; plus one failing assertion outside
        var set = new Assertion(
                "assert-set",
                null,
                0.5,
                2.0,
                "quality",
                null,
                List.of(Assertion.of("contains", "hello"), Assertion.of("is-json", null)),
                null);

        // when
        var result = gradeTest(null, "hello", set, Assertion.of("contains", "bye"));

        // then
        var setResult = result.components().get(0);
        assertThat(setResult.pass()).isTrue();
        assertThat(setResult.type()).isEqualTo("assert-set");
        assertThat(setResult.score()).isCloseTo(0.5, within(1e-12));
        assertThat(setResult.components()).hasSize(2);
        assertThat(result.score()).isCloseTo((0.5 * 2 + 0) / 3, within(1e-12));
        assertThat(result.namedScores()).containsEntry("quality", 0.5);
        assertThat(result.pass()).isFalse();
    }

    @Test
    void rejects_unknown_code_running_and_unsupported_types_with_clear_messages() {
        assertThatThrownBy(() -> evaluators.compile(Assertion.of("javascript", "output.length > 3")))
                .isInstanceOf(InvalidAssertionException.class)
                .hasMessageContaining("does not run code from suites");
        assertThatThrownBy(() -> evaluators.compile(Assertion.of("not-python", "x")))
                .isInstanceOf(InvalidAssertionException.class)
                .hasMessageContaining("'not-python' assertions are not supported");
        assertThatThrownBy(() -> evaluators.compile(Assertion.of("is-sql", null)))
                .isInstanceOf(InvalidAssertionException.class)
                .hasMessageContaining("promptfoo assertion type PromptForge does not support");
        assertThatThrownBy(() -> evaluators.compile(Assertion.of("containz", "x")))
                .isInstanceOf(InvalidAssertionException.class)
                .hasMessage("unknown assertion type 'containz'");
    }

    @Test
    void rejects_negated_sets_members_outside_sets_and_negative_weights() {
        var negatedSet = new Assertion(
                "not-assert-set", null, null, null, null, null, List.of(Assertion.of("contains", "a")), null);
        assertThatThrownBy(() -> evaluators.compile(negatedSet)).hasMessageContaining("cannot be negated");
        var stray =
                new Assertion("contains", "a", null, null, null, null, List.of(Assertion.of("contains", "b")), null);
        assertThatThrownBy(() -> evaluators.compile(stray)).hasMessageContaining("'assert' belongs to assert-set only");
        assertThatThrownBy(
                        () -> evaluators.compile(Assertion.of("contains", "a").withWeight(-1.0)))
                .hasMessageContaining("weight must be zero or more");
    }
}
