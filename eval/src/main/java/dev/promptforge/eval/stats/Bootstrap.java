package dev.promptforge.eval.stats;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The paired bootstrap: resample the per-pair differences with replacement, take each resample's
 * mean, and read the 2.5th and 97.5th percentiles. Seeded, so the same inputs give the same
 * interval.
 */
final class Bootstrap {

    /** A confidence interval for the mean difference. */
    record Interval(double low, double high) {}

    private Bootstrap() {}

    static Interval meanInterval(List<Double> differences, int resamples, long seed, double confidence) {
        int n = differences.size();
        if (n == 0) {
            return new Interval(Double.NaN, Double.NaN);
        }
        double[] values = differences.stream().mapToDouble(Double::doubleValue).toArray();
        double[] means = new double[resamples];
        SplittableRandom random = new SplittableRandom(seed);
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += values[random.nextInt(n)];
            }
            means[r] = sum / n;
        }
        Arrays.sort(means);
        double tail = (1 - confidence) / 2;
        return new Interval(percentile(means, tail), percentile(means, 1 - tail));
    }

    /** Linear interpolation between order statistics (R's type 7). */
    static double percentile(double[] sorted, double p) {
        double position = p * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
