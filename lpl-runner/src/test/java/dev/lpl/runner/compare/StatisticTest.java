package dev.lpl.runner.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatisticTest {

    @Test
    void meanAndSampleStandardDeviation() {
        Statistic s = Statistic.of(2, 4, 4, 4, 5, 5, 7, 9);
        assertThat(s.mean()).isEqualTo(5.0);
        // Σ(x − 5)² = 32, divided by n − 1 = 7
        assertThat(s.std()).isCloseTo(Math.sqrt(32.0 / 7), within(1e-12));
        assertThat(s.count()).isEqualTo(8);
    }

    @Test
    void missingValuesAreLeftOut() {
        Statistic s = Statistic.of(1, Double.NaN, 3);
        assertThat(s.mean()).isEqualTo(2.0);
        assertThat(s.std()).isCloseTo(Math.sqrt(2), within(1e-12));
        assertThat(s.count()).isEqualTo(2);
        Statistic one = Statistic.of(0.5);
        assertThat(one.mean()).isEqualTo(0.5);
        assertThat(one.std()).isNaN();
        assertThat(Statistic.of(Double.NaN).isEmpty()).isTrue();
        assertThat(Statistic.of().mean()).isNaN();
    }
}
