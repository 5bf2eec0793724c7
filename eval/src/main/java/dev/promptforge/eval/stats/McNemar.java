package dev.promptforge.eval.stats;

import org.hipparchus.distribution.continuous.ChiSquaredDistribution;
import org.hipparchus.distribution.discrete.BinomialDistribution;

/**
 * McNemar's test on paired pass/fail outcomes: only the discordant pairs count.
 *
 * @param regressions pairs that passed in the baseline and fail in the candidate (b)
 * @param improvements pairs that failed in the baseline and pass in the candidate (c)
 * @param statistic χ² with continuity correction, {@code (|b − c| − 1)² / (b + c)}; for the exact
 *     test, {@code min(b, c)}
 * @param pValue two-sided p-value
 * @param method {@code exact binomial} when b + c &lt; 25, else {@code chi-squared (continuity
 *     corrected)}
 */
public record McNemar(int regressions, int improvements, double statistic, double pValue, String method) {

    /** Below this many discordant pairs the exact binomial test replaces the χ² approximation. */
    static final int EXACT_BELOW = 25;

    public static McNemar test(int regressions, int improvements) {
        if (regressions < 0 || improvements < 0) {
            throw new IllegalArgumentException("counts cannot be negative");
        }
        int discordant = regressions + improvements;
        if (discordant == 0) {
            return new McNemar(0, 0, 0, 1, "no discordant pairs");
        }
        if (discordant < EXACT_BELOW) {
            int k = Math.min(regressions, improvements);
            double p = Math.min(1, 2 * new BinomialDistribution(discordant, 0.5).cumulativeProbability(k));
            return new McNemar(regressions, improvements, k, p, "exact binomial");
        }
        double chi = Math.pow(Math.abs(regressions - improvements) - 1, 2) / discordant;
        double p = 1 - new ChiSquaredDistribution(1).cumulativeProbability(chi);
        return new McNemar(regressions, improvements, chi, p, "chi-squared (continuity corrected)");
    }
}
