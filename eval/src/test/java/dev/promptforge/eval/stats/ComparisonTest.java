package dev.promptforge.eval.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.promptforge.eval.GradingResult;
import dev.promptforge.eval.run.RunResult;
import dev.promptforge.eval.run.TestResult;
import dev.promptforge.eval.run.TestResult.Status;
import dev.promptforge.eval.stats.Comparison.Change;
import dev.promptforge.eval.stats.Comparison.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    private static TestResult cell(int test, String prompt, int repeat, boolean pass, double score) {
        var grading = new GradingResult(pass, score, pass ? "ok" : "wrong", null, null, List.of(), Map.of());
        return new TestResult(
                test,
                "test " + test,
                Map.of("n", test),
                0,
                prompt,
                0,
                "local/echo",
                "local/echo",
                repeat,
                pass ? Status.PASS : Status.FAIL,
                "p",
                "answer " + test + (pass ? "" : " wrong"),
                grading,
                null,
                1.0,
                false,
                null,
                null,
                null);
    }

    private static RunResult run(List<TestResult> cells) {
        int repeat = cells.stream().mapToInt(TestResult::repeatIndex).max().orElse(0) + 1;
        return new RunResult(
                null, "suite.yaml", Map.of(), Instant.EPOCH, 0, List.of("p"), List.of("local/echo"), repeat, cells);
    }

    /** n tests that all pass with score 1. */
    private static RunResult allPassing(int n, String prompt) {
        List<TestResult> cells = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            cells.add(cell(i, prompt, 0, true, 1));
        }
        return run(cells);
    }

    /** n tests, the first {@code failing} of which fail with score 0. */
    private static RunResult withFailures(int n, int failing, String prompt) {
        List<TestResult> cells = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean pass = i >= failing;
            cells.add(cell(i, prompt, 0, pass, pass ? 1 : 0));
        }
        return run(cells);
    }

    @Test
    void mcnemar_matches_hand_computed_values() {
        // chi-squared with continuity correction: (|10 - 25| - 1)^2 / 35 = 5.6, p = erfc(sqrt(2.8))
        var large = McNemar.test(10, 25);
        assertThat(large.statistic()).isCloseTo(5.6, within(1e-12));
        assertThat(large.pValue()).isCloseTo(0.017960477526078766, within(1e-9));
        assertThat(large.method()).isEqualTo("chi-squared (continuity corrected)");

        // exact: 2 * P(X <= 2 | n = 10, p = 1/2) = 2 * (1 + 10 + 45) / 1024
        var small = McNemar.test(2, 8);
        assertThat(small.pValue()).isCloseTo(0.109375, within(1e-12));
        assertThat(small.method()).isEqualTo("exact binomial");
        assertThat(McNemar.test(8, 2).pValue()).isEqualTo(small.pValue());

        assertThat(McNemar.test(0, 0).pValue()).isEqualTo(1.0);
        assertThat(McNemar.test(5, 5).pValue()).isEqualTo(1.0);
    }

    @Test
    void the_bootstrap_interval_is_the_same_for_the_same_seed() {
        // given
        List<Double> differences = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            differences.add(0.3 * Math.sin(i) + 0.05);
        }

        // when
        var first = Bootstrap.meanInterval(differences, 5000, 7, 0.95);
        var again = Bootstrap.meanInterval(differences, 5000, 7, 0.95);
        var otherSeed = Bootstrap.meanInterval(differences, 5000, 8, 0.95);

        // then
        assertThat(again).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
        double mean =
                differences.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(first.low()).isLessThan(mean);
        assertThat(first.high()).isGreaterThan(mean);
        assertThat(Bootstrap.meanInterval(Collections.nCopies(10, 0.0), 1000, 1, 0.95))
                .isEqualTo(new Bootstrap.Interval(0, 0));
    }

    @Test
    void percentiles_interpolate_between_order_statistics() {
        double[] sorted = {1, 2, 3, 4, 5};
        assertThat(Bootstrap.percentile(sorted, 0.5)).isEqualTo(3.0);
        assertThat(Bootstrap.percentile(sorted, 0.1)).isCloseTo(1.4, within(1e-12));
        assertThat(Bootstrap.percentile(sorted, 1.0)).isEqualTo(5.0);
    }

    @Test
    void many_new_failures_are_a_regression() {
        // given: 20 tests that all passed, 12 of which now fail
        var comparison = Comparison.of(allPassing(20, "v1"), withFailures(20, 12, "v2"));

        // then
        assertThat(comparison.pairs()).hasSize(20);
        assertThat(comparison.regressed()).isEqualTo(12);
        assertThat(comparison.unchanged()).isEqualTo(8);
        assertThat(comparison.losses()).isEqualTo(12);
        assertThat(comparison.ties()).isEqualTo(8);
        assertThat(comparison.meanDifference()).isCloseTo(-0.6, within(1e-12));
        assertThat(comparison.ciHigh()).isLessThan(0);
        assertThat(comparison.mcnemar().regressions()).isEqualTo(12);
        assertThat(comparison.mcnemar().pValue()).isCloseTo(2 * Math.pow(0.5, 12), within(1e-12));
        assertThat(comparison.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(comparison.pairs().get(0).change()).isEqualTo(Change.REGRESSED);
        assertThat(comparison.pairs().get(0).candidateReason()).isEqualTo("wrong");
    }

    @Test
    void many_fixed_failures_are_an_improvement() {
        var comparison = Comparison.of(withFailures(20, 12, "v1"), allPassing(20, "v2"));
        assertThat(comparison.improved()).isEqualTo(12);
        assertThat(comparison.wins()).isEqualTo(12);
        assertThat(comparison.ciLow()).isGreaterThan(0);
        assertThat(comparison.verdict()).isEqualTo(Verdict.IMPROVEMENT);
    }

    @Test
    void one_fixed_and_one_broken_test_is_no_significant_change() {
        // given: test 0 breaks, test 1 gets fixed
        var baseline = run(List.of(cell(0, "p", 0, true, 1), cell(1, "p", 0, false, 0), cell(2, "p", 0, true, 1)));
        var candidate = run(List.of(cell(0, "p", 0, false, 0), cell(1, "p", 0, true, 1), cell(2, "p", 0, true, 1)));

        // when
        var comparison = Comparison.of(baseline, candidate);

        // then
        assertThat(comparison.pairs())
                .extracting(Comparison.Pair::change)
                .containsExactly(Change.REGRESSED, Change.IMPROVED, Change.UNCHANGED);
        assertThat(comparison.meanDifference()).isZero();
        assertThat(comparison.mcnemar().pValue()).isEqualTo(1.0);
        assertThat(comparison.verdict()).isEqualTo(Verdict.NO_SIGNIFICANT_CHANGE);
    }

    @Test
    void the_same_inputs_give_the_same_comparison() {
        var baseline = withFailures(30, 5, "v1");
        var candidate = withFailures(30, 9, "v2");
        assertThat(Comparison.of(baseline, candidate)).isEqualTo(Comparison.of(baseline, candidate));
    }

    @Test
    void a_lower_score_with_the_same_verdict_is_a_regression_of_that_test() {
        var baseline = run(List.of(cell(0, "p", 0, true, 0.9)));
        var candidate = run(List.of(cell(0, "p", 0, true, 0.7)));
        var pair = Comparison.of(baseline, candidate).pairs().get(0);
        assertThat(pair.change()).isEqualTo(Change.REGRESSED);
        assertThat(pair.difference()).isCloseTo(-0.2, within(1e-12));
    }

    @Test
    void repetitions_pair_as_one_cell_that_passes_only_if_every_run_passed() {
        // given: the candidate passes 2 of 3 runs
        var baseline = run(List.of(cell(0, "p", 0, true, 1), cell(0, "p", 1, true, 1), cell(0, "p", 2, true, 1)));
        var candidate = run(List.of(cell(0, "p", 0, true, 1), cell(0, "p", 1, false, 0), cell(0, "p", 2, true, 1)));

        // when
        var comparison = Comparison.of(baseline, candidate);

        // then
        assertThat(comparison.pairs()).hasSize(1);
        var pair = comparison.pairs().get(0);
        assertThat(pair.candidateScore()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(pair.candidatePass()).isFalse();
        assertThat(pair.change()).isEqualTo(Change.REGRESSED);
    }

    @Test
    void counts_cells_that_only_one_run_has_and_pairs_a_renamed_prompt() {
        var baseline = allPassing(3, "Answer: {{q}}");
        var candidate = allPassing(2, "Answer briefly: {{q}}");
        var comparison = Comparison.of(baseline, candidate);
        assertThat(comparison.pairs()).hasSize(2);
        assertThat(comparison.onlyInBaseline()).isEqualTo(1);
        assertThat(comparison.onlyInCandidate()).isZero();
        assertThat(comparison.pairs().get(0).baselinePrompt()).isEqualTo("Answer: {{q}}");
        assertThat(comparison.pairs().get(0).candidatePrompt()).isEqualTo("Answer briefly: {{q}}");
    }

    @Test
    void a_regression_either_test_finds_wins_over_an_improvement_the_other_finds() {
        var interval = new Bootstrap.Interval(0.01, 0.2);
        var mcnemar = McNemar.test(9, 0);
        assertThat(Comparison.verdict(interval, mcnemar, 20)).isEqualTo(Verdict.REGRESSION);
    }

    @Test
    void with_few_pairs_only_mcnemar_decides() {
        // given: all 3 tests break; the bootstrap interval lies below 0, but 3 pairs are too few to trust it
        var comparison = Comparison.of(allPassing(3, "v1"), withFailures(3, 3, "v2"));

        // then
        assertThat(comparison.ciHigh()).isLessThan(0);
        assertThat(comparison.mcnemar().pValue()).isEqualTo(0.25);
        assertThat(comparison.verdict()).isEqualTo(Verdict.NO_SIGNIFICANT_CHANGE);
        assertThat(comparison.regressed()).isEqualTo(3);
    }
}
