package dev.promptforge.eval.stats;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * The difference of a statistic (mean, or a quantile) between two independent samples — the
 * records of two prompt versions, which share no cells to pair — with the 95 % interval of an
 * unpaired bootstrap: resample each sample with replacement, take the statistic's difference, read
 * the 2.5th and 97.5th percentiles. Seeded like {@link Comparison}, so the same values give the same
 * interval. An empty sample gives NaN throughout.
 *
 * @param baseline the statistic of the baseline sample
 * @param candidate the statistic of the candidate sample
 * @param difference candidate − baseline
 * @param ciLow the interval's lower end
 * @param ciHigh its upper end
 * @param baselineSize values in the baseline
 * @param candidateSize values in the candidate
 */
public record Difference(
        double baseline,
        double candidate,
        double difference,
        double ciLow,
        double ciHigh,
        int baselineSize,
        int candidateSize) {

    public static final int DEFAULT_RESAMPLES = 2_000;

    /** Whether the interval excludes 0 (a difference at the 5 % level); false without an interval. */
    public boolean significant() {
        return ciLow > 0 || ciHigh < 0;
    }

    /** Whether either sample is smaller than {@link Comparison#MIN_PAIRS_FOR_INTERVAL}, so the interval is rough. */
    public boolean fewValues() {
        return Math.min(baselineSize, candidateSize) < Comparison.MIN_PAIRS_FOR_INTERVAL;
    }

    /** The difference of the means. */
    public static Difference ofMeans(double[] baseline, double[] candidate) {
        return of(baseline, candidate, Difference::mean, DEFAULT_RESAMPLES, Comparison.DEFAULT_SEED);
    }

    /** The difference of a quantile (0..1, nearest rank), such as the 95th percentile of latency. */
    public static Difference ofQuantiles(double[] baseline, double[] candidate, double quantile) {
        if (!(quantile > 0 && quantile < 1)) {
            throw new IllegalArgumentException("a quantile is between 0 and 1, got " + quantile);
        }
        return of(
                baseline, candidate, values -> quantile(values, quantile), DEFAULT_RESAMPLES, Comparison.DEFAULT_SEED);
    }

    static Difference of(
            double[] baseline, double[] candidate, ToDoubleFunction<double[]> statistic, int resamples, long seed) {
        if (resamples < 100) {
            throw new IllegalArgumentException("use at least 100 bootstrap resamples");
        }
        if (baseline.length == 0 || candidate.length == 0) {
            double a = baseline.length == 0 ? Double.NaN : statistic.applyAsDouble(baseline.clone());
            double b = candidate.length == 0 ? Double.NaN : statistic.applyAsDouble(candidate.clone());
            return new Difference(a, b, Double.NaN, Double.NaN, Double.NaN, baseline.length, candidate.length);
        }
        double a = statistic.applyAsDouble(baseline.clone());
        double b = statistic.applyAsDouble(candidate.clone());
        SplittableRandom random = new SplittableRandom(seed);
        double[] differences = new double[resamples];
        double[] x = new double[baseline.length];
        double[] y = new double[candidate.length];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = baseline[random.nextInt(x.length)];
            }
            for (int i = 0; i < y.length; i++) {
                y[i] = candidate[random.nextInt(y.length)];
            }
            differences[r] = statistic.applyAsDouble(y) - statistic.applyAsDouble(x);
        }
        Arrays.sort(differences);
        double tail = Comparison.ALPHA / 2;
        return new Difference(
                a,
                b,
                b - a,
                Bootstrap.percentile(differences, tail),
                Bootstrap.percentile(differences, 1 - tail),
                baseline.length,
                candidate.length);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /** Nearest rank on a copy the caller may reorder. */
    private static double quantile(double[] values, double quantile) {
        Arrays.sort(values);
        int index = (int) Math.ceil(quantile * values.length) - 1;
        return values[Math.max(0, Math.min(values.length - 1, index))];
    }
}
