package dev.promptforge.eval.stats;

import dev.promptforge.eval.run.RunResult;
import dev.promptforge.eval.run.TestResult;
import dev.promptforge.eval.template.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Two runs of the same suite, compared cell by cell.
 *
 * <p>Cells pair up by test (description and variables) and by the position of their prompt and
 * provider, so a changed prompt text or model still pairs with the one it replaced. A cell that ran
 * several times counts with its mean score and passes only if every run passed; an error counts as
 * a failure with score 0.
 *
 * <p>The verdict: a regression when the 95 % interval of the mean score difference lies below 0 or
 * McNemar's test finds significantly more pass→fail than fail→pass pairs (p &lt; 0.05); an
 * improvement in the mirror case; otherwise no significant change. When the two disagree, the
 * regression wins: a team shipping to production should hear about it. With fewer than {@value
 * #MIN_PAIRS_FOR_INTERVAL} pairs the bootstrap interval is too narrow to trust, so only McNemar's
 * test decides.
 *
 * @param pairs every paired cell, in the baseline's order
 * @param onlyInBaseline cells of the baseline the candidate does not have
 * @param onlyInCandidate cells of the candidate the baseline does not have
 * @param improved pairs that went fail→pass, or kept their verdict with a higher score
 * @param regressed pairs that went pass→fail, or kept their verdict with a lower score
 * @param unchanged the others
 * @param wins pairs where the candidate scored higher
 * @param ties pairs with equal scores
 * @param losses pairs where the candidate scored lower
 * @param meanDifference mean of candidate − baseline scores
 * @param ciLow the 95 % paired bootstrap interval's lower end
 * @param ciHigh its upper end
 * @param resamples bootstrap resamples
 * @param seed the bootstrap's seed
 * @param mcnemar McNemar's test on pass/fail
 * @param verdict regression, improvement or no significant change
 */
public record Comparison(
        List<Pair> pairs,
        int onlyInBaseline,
        int onlyInCandidate,
        int improved,
        int regressed,
        int unchanged,
        int wins,
        int ties,
        int losses,
        double meanDifference,
        double ciLow,
        double ciHigh,
        int resamples,
        long seed,
        McNemar mcnemar,
        Verdict verdict) {

    public static final double ALPHA = 0.05;
    /** Below this many pairs the bootstrap interval is too narrow to trust; the verdict ignores it. */
    public static final int MIN_PAIRS_FOR_INTERVAL = 10;

    public static final int DEFAULT_RESAMPLES = 10_000;
    public static final long DEFAULT_SEED = 42;
    private static final double EPSILON = 1e-9;

    /** The overall verdict. */
    public enum Verdict {
        REGRESSION,
        IMPROVEMENT,
        NO_SIGNIFICANT_CHANGE;

        public String words() {
            return switch (this) {
                case REGRESSION -> "regression";
                case IMPROVEMENT -> "improvement";
                case NO_SIGNIFICANT_CHANGE -> "no significant change";
            };
        }
    }

    /** How one pair changed. */
    public enum Change {
        IMPROVED,
        REGRESSED,
        UNCHANGED
    }

    /**
     * One test × prompt × provider in both runs.
     *
     * @param testName the test
     * @param baselinePrompt the baseline's prompt label
     * @param candidatePrompt the candidate's prompt label
     * @param baselineProvider the baseline's provider label
     * @param candidateProvider the candidate's provider label
     * @param baselineScore mean score in the baseline
     * @param candidateScore mean score in the candidate
     * @param baselinePass passed every run of the baseline
     * @param candidatePass passed every run of the candidate
     * @param change improved, regressed or unchanged
     * @param baselineOutput the baseline's first answer (null if it erred)
     * @param candidateOutput the candidate's first answer
     * @param candidateReason why the candidate failed, when it did
     */
    public record Pair(
            String testName,
            String baselinePrompt,
            String candidatePrompt,
            String baselineProvider,
            String candidateProvider,
            double baselineScore,
            double candidateScore,
            boolean baselinePass,
            boolean candidatePass,
            Change change,
            @Nullable String baselineOutput,
            @Nullable String candidateOutput,
            @Nullable String candidateReason) {

        public double difference() {
            return candidateScore - baselineScore;
        }
    }

    public static Comparison of(RunResult baseline, RunResult candidate) {
        return of(baseline, candidate, DEFAULT_RESAMPLES, DEFAULT_SEED);
    }

    public static Comparison of(RunResult baseline, RunResult candidate, int resamples, long seed) {
        if (resamples < 100) {
            throw new IllegalArgumentException("use at least 100 bootstrap resamples");
        }
        Map<String, List<TestResult>> base = byCell(baseline);
        Map<String, List<TestResult>> cand = byCell(candidate);
        List<Pair> pairs = new ArrayList<>();
        int onlyInBaseline = 0;
        for (var entry : base.entrySet()) {
            List<TestResult> other = cand.get(entry.getKey());
            if (other == null) {
                onlyInBaseline++;
            } else {
                pairs.add(pair(entry.getValue(), other));
            }
        }
        int onlyInCandidate =
                (int) cand.keySet().stream().filter(k -> !base.containsKey(k)).count();

        int improved = 0;
        int regressed = 0;
        int wins = 0;
        int ties = 0;
        int losses = 0;
        int passToFail = 0;
        int failToPass = 0;
        List<Double> differences = new ArrayList<>();
        for (Pair pair : pairs) {
            switch (pair.change()) {
                case IMPROVED -> improved++;
                case REGRESSED -> regressed++;
                case UNCHANGED -> {}
            }
            double d = pair.difference();
            differences.add(d);
            if (d > EPSILON) {
                wins++;
            } else if (d < -EPSILON) {
                losses++;
            } else {
                ties++;
            }
            if (pair.baselinePass() && !pair.candidatePass()) {
                passToFail++;
            } else if (!pair.baselinePass() && pair.candidatePass()) {
                failToPass++;
            }
        }
        double mean = differences.isEmpty()
                ? Double.NaN
                : differences.stream()
                        .mapToDouble(Double::doubleValue)
                        .average()
                        .orElse(0);
        Bootstrap.Interval interval = Bootstrap.meanInterval(differences, resamples, seed, 1 - ALPHA);
        McNemar mcnemar = McNemar.test(passToFail, failToPass);
        Verdict verdict = verdict(interval, mcnemar, pairs.size());
        return new Comparison(
                pairs,
                onlyInBaseline,
                onlyInCandidate,
                improved,
                regressed,
                pairs.size() - improved - regressed,
                wins,
                ties,
                losses,
                mean,
                interval.low(),
                interval.high(),
                resamples,
                seed,
                mcnemar,
                verdict);
    }

    static Verdict verdict(Bootstrap.Interval interval, McNemar mcnemar, int pairs) {
        boolean significant = mcnemar.pValue() < ALPHA;
        boolean useInterval = pairs >= MIN_PAIRS_FOR_INTERVAL;
        boolean worse = (useInterval && interval.high() < -EPSILON)
                || (significant && mcnemar.regressions() > mcnemar.improvements());
        boolean better = (useInterval && interval.low() > EPSILON)
                || (significant && mcnemar.improvements() > mcnemar.regressions());
        if (worse) {
            return Verdict.REGRESSION;
        }
        return better ? Verdict.IMPROVEMENT : Verdict.NO_SIGNIFICANT_CHANGE;
    }

    /** Cells by test identity and prompt/provider position, repetitions together. */
    private static Map<String, List<TestResult>> byCell(RunResult run) {
        Map<String, List<TestResult>> cells = new LinkedHashMap<>();
        for (TestResult result : run.results()) {
            String key = result.testName() + "\u0000" + Values.toJson(new TreeMap<>(result.vars())) + "\u0000"
                    + result.promptIndex() + "\u0000" + result.providerIndex();
            cells.computeIfAbsent(key, k -> new ArrayList<>()).add(result);
        }
        return cells;
    }

    private static Pair pair(List<TestResult> base, List<TestResult> cand) {
        double baseScore = mean(base);
        double candScore = mean(cand);
        boolean basePass = base.stream().allMatch(TestResult::passed);
        boolean candPass = cand.stream().allMatch(TestResult::passed);
        Change change;
        if (basePass != candPass) {
            change = candPass ? Change.IMPROVED : Change.REGRESSED;
        } else if (candScore - baseScore > EPSILON) {
            change = Change.IMPROVED;
        } else if (baseScore - candScore > EPSILON) {
            change = Change.REGRESSED;
        } else {
            change = Change.UNCHANGED;
        }
        TestResult firstBase = base.get(0);
        TestResult firstCand = cand.get(0);
        String reason = null;
        for (TestResult cell : cand) {
            if (!cell.passed()) {
                reason = cell.error() != null ? cell.error() : cell.grading().reason();
                break;
            }
        }
        return new Pair(
                firstBase.testName(),
                firstBase.promptLabel(),
                firstCand.promptLabel(),
                firstBase.providerLabel(),
                firstCand.providerLabel(),
                baseScore,
                candScore,
                basePass,
                candPass,
                change,
                firstBase.output(),
                firstCand.output(),
                reason);
    }

    private static double mean(List<TestResult> cells) {
        return cells.stream().mapToDouble(TestResult::score).average().orElse(0);
    }
}
