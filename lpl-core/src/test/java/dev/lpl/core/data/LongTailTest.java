package dev.lpl.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lpl.api.LplException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LongTailTest {

    @Test
    void exponentialProfileMatchesTheLdamBuilder() {
        // docs/methods.md#data: CIFAR-10-LT rho = 100 keeps 5000, 2997, 1796, 1077, 645, 387, 232,
        // 139, 83, 50 = 12,406.
        long[] counts = new LongTail(LongTail.Profile.EXPONENTIAL, 100).targetCounts(10, 5000);
        assertThat(counts).containsExactly(5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50);
        assertThat(Arrays.stream(counts).sum()).isEqualTo(12_406);
        assertThat(Arrays.stream(new LongTail(LongTail.Profile.EXPONENTIAL, 10).targetCounts(10, 5000)).sum())
                .isEqualTo(20_431);
        assertThat(Arrays.stream(new LongTail(LongTail.Profile.EXPONENTIAL, 100).targetCounts(100, 500)).sum())
                .isEqualTo(10_847);
        assertThat(Arrays.stream(new LongTail(LongTail.Profile.EXPONENTIAL, 10).targetCounts(100, 500)).sum())
                .isEqualTo(19_573);
    }

    @Test
    void stepProfileKeepsHalfTheClassesAtTheMaximum() {
        assertThat(new LongTail(LongTail.Profile.STEP, 10).targetCounts(4, 500)).containsExactly(500, 500, 50, 50);
    }

    @Test
    void samplingIsSeededAndPerClass() {
        int[] labels = new int[400];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 4;
        }
        LongTail tail = new LongTail(LongTail.Profile.EXPONENTIAL, 10);
        int[] a = tail.sample(labels, 4, 7);
        int[] b = tail.sample(labels, 4, 7);
        int[] c = tail.sample(labels, 4, 8);
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
        long[] kept = new long[4];
        for (int i : a) {
            kept[labels[i]]++;
        }
        assertThat(kept).containsExactly(tail.targetCounts(4, 100));
        assertThat(Arrays.stream(a).distinct().count()).isEqualTo(a.length);
        // class by class, head first
        for (int k = 1; k < a.length; k++) {
            assertThat(labels[a[k]]).isGreaterThanOrEqualTo(labels[a[k - 1]]);
        }
    }

    @Test
    void noneKeepsEverything() {
        assertThat(new LongTail(LongTail.Profile.NONE, 100).sample(new int[] {1, 0, 1}, 2, 1)).containsExactly(0, 1, 2);
    }

    @Test
    void badValuesAreUserErrors() {
        assertThatThrownBy(() -> new LongTail(LongTail.Profile.EXPONENTIAL, 0.5))
                .isInstanceOf(LplException.class).hasMessageContaining("data.long-tail.ratio");
        assertThatThrownBy(() -> LongTail.Profile.parse("exponentail"))
                .isInstanceOf(LplException.class).hasMessageContaining("[none, exponential, step]");
    }
}
