package dev.lpl.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

    @Test
    void accuracyBalancedAccuracyAndShotGroups() {
        long[][] confusion = {
            {9, 1, 0}, // class 0: 90 %
            {2, 2, 0}, // class 1: 50 %
            {0, 3, 1}, // class 2: 25 %
        };
        ClassificationMetrics m = new ClassificationMetrics(confusion, new long[] {500, 50, 5});
        assertThat(m.total()).isEqualTo(18);
        assertThat(m.accuracy()).isCloseTo(12 / 18.0, within(1e-12));
        assertThat(m.perClassAccuracy()).containsExactly(0.9, 0.5, 0.25);
        assertThat(m.balancedAccuracy()).isCloseTo((0.9 + 0.5 + 0.25) / 3, within(1e-12));
        assertThat(m.groupAccuracy(ShotGroup.MANY)).isEqualTo(0.9);
        assertThat(m.groupAccuracy(ShotGroup.MEDIUM)).isEqualTo(0.5);
        assertThat(m.groupAccuracy(ShotGroup.FEW)).isEqualTo(0.25);
    }

    @Test
    void emptyGroupsAreNaN() {
        ClassificationMetrics m = new ClassificationMetrics(new long[][] {{1, 0}, {0, 1}}, new long[] {500, 300});
        assertThat(m.groupAccuracy(ShotGroup.FEW)).isNaN();
        assertThat(ShotGroup.of(100)).isEqualTo(ShotGroup.MEDIUM);
        assertThat(ShotGroup.of(101)).isEqualTo(ShotGroup.MANY);
        assertThat(ShotGroup.of(20)).isEqualTo(ShotGroup.MEDIUM);
        assertThat(ShotGroup.of(19)).isEqualTo(ShotGroup.FEW);
    }
}
