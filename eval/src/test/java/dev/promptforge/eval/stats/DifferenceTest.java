package dev.promptforge.eval.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DifferenceTest {

    private static double[] around(double centre, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = centre + ((i % 5) - 2) * 0.01;
        }
        return values;
    }

    @Test
    void a_clear_rise_of_the_mean_has_an_interval_above_zero() {
        // given
        double[] baseline = around(0.3, 40);
        double[] candidate = around(0.8, 40);
        // when
        Difference d = Difference.ofMeans(baseline, candidate);
        // then
        assertThat(d.difference()).isCloseTo(0.5, within(1e-9));
        assertThat(d.ciLow()).isGreaterThan(0).isLessThanOrEqualTo(0.5);
        assertThat(d.ciHigh()).isGreaterThanOrEqualTo(0.5);
        assertThat(d.significant()).isTrue();
        assertThat(d.fewValues()).isFalse();
    }

    @Test
    void equal_samples_are_not_significantly_different_and_the_interval_is_seeded() {
        // given
        double[] values = around(0.5, 30);
        // when
        Difference first = Difference.ofMeans(values, values.clone());
        Difference second = Difference.ofMeans(values, values.clone());
        // then
        assertThat(first.difference()).isZero();
        assertThat(first.ciLow()).isNegative();
        assertThat(first.ciHigh()).isPositive();
        assertThat(first.significant()).isFalse();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void quantiles_use_the_nearest_rank_and_an_empty_side_gives_no_interval() {
        // given
        double[] latency = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
        double[] slower = {110, 120, 130, 140, 150, 160, 170, 180, 190, 200};
        // when
        Difference p95 = Difference.ofQuantiles(latency, slower, 0.95);
        Difference empty = Difference.ofMeans(new double[0], slower);
        // then
        assertThat(p95.baseline()).isEqualTo(100);
        assertThat(p95.candidate()).isEqualTo(200);
        assertThat(p95.significant()).isTrue();
        assertThat(empty.baseline()).isNaN();
        assertThat(empty.ciLow()).isNaN();
        assertThat(empty.significant()).isFalse();
        assertThatThrownBy(() -> Difference.ofQuantiles(latency, slower, 1.5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
