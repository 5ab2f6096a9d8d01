package dev.lpl.methods.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lpl.api.LplException;
import dev.lpl.api.objective.ClassWeighting;
import dev.lpl.core.config.TypesafeSettings;
import dev.lpl.core.contract.Configured;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Class-balanced weights (Cui et al., CVPR 2019) and DRW (Cao et al., NeurIPS 2019). */
class ClassWeightingsTest {

    /** The CIFAR-10-LT ρ = 100 training counts (docs/methods.md#data). */
    static final long[] CIFAR10_LT = {5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50};

    private static ClassWeighting classBalanced(double beta) {
        return new ClassBalancedWeighting.Factory().create(TypesafeSettings.parse("beta = " + beta));
    }

    private static ClassWeighting deferred(String options) {
        return new DeferredReweighting.Factory().create(
                TypesafeSettings.parse("start = 0.8, start-epoch = null, beta = 0.9999\n" + options));
    }

    /** Naive reference: (1 − β)/(1 − β^n), then × C / Σ. */
    static double[] naiveClassBalanced(long[] counts, double beta) {
        double[] w = new double[counts.length];
        double sum = 0;
        for (int c = 0; c < counts.length; c++) {
            double effective = (1 - Math.pow(beta, counts[c])) / (1 - beta);
            w[c] = 1 / effective;
            sum += w[c];
        }
        for (int c = 0; c < counts.length; c++) {
            w[c] *= counts.length / sum;
        }
        return w;
    }

    private static void assertWeights(Optional<float[]> actual, double... expected) {
        assertThat(actual).isPresent();
        float[] w = actual.get();
        assertThat(w).hasSize(expected.length);
        double sum = 0;
        for (int c = 0; c < w.length; c++) {
            assertThat((double) w[c]).as("w_%d", c).isCloseTo(expected[c], within(1e-5));
            sum += w[c];
        }
        assertThat(sum).isCloseTo(expected.length, within(1e-5));
    }

    @Test
    void classBalancedWeightsByHand() {
        // β = 0.5, n = (2, 1): raw 0.5/0.75 = 2/3 and 0.5/0.5 = 1, sum 5/3, × 2/(5/3): 0.8, 1.2
        assertWeights(classBalanced(0.5).weights(new long[] {2, 1}, 0, 1), 0.8, 1.2);
        // β = 0.5, n = (3, 2, 1): raw 4/7, 2/3, 1, sum 47/21, × 3·21/47: 36/47, 42/47, 63/47
        assertWeights(classBalanced(0.5).weights(new long[] {3, 2, 1}, 0, 1), 36.0 / 47, 42.0 / 47, 63.0 / 47);
        // β = 0: every class 1
        assertWeights(classBalanced(0).weights(new long[] {100, 10, 1}, 0, 1), 1, 1, 1);
        // an empty class gets 0: n = (4, 0, 4), raw 8/15, 0, 8/15 → 1.5, 0, 1.5
        assertWeights(classBalanced(0.5).weights(new long[] {4, 0, 4}, 0, 1), 1.5, 0, 1.5);
    }

    @Test
    void classBalancedWeightsMatchTheReferenceAndIgnoreTheEpoch() {
        ClassWeighting weighting = classBalanced(0.9999);
        double[] expected = naiveClassBalanced(CIFAR10_LT, 0.9999);
        for (int epoch : new int[] {0, 7, 199}) {
            assertWeights(weighting.weights(CIFAR10_LT, epoch, 200), expected);
        }
        float[] w = weighting.weights(CIFAR10_LT, 0, 200).orElseThrow();
        for (int c = 1; c < w.length; c++) {
            assertThat(w[c]).isGreaterThan(w[c - 1]);
        }
    }

    @Test
    void deferredSwitchesAtEpoch160Of200() {
        ClassWeighting drw = deferred("");
        assertThat(drw.weights(CIFAR10_LT, 0, 200)).isEmpty();
        assertThat(drw.weights(CIFAR10_LT, 159, 200)).isEmpty();
        double[] expected = naiveClassBalanced(CIFAR10_LT, 0.9999);
        assertWeights(drw.weights(CIFAR10_LT, 160, 200), expected);
        assertWeights(drw.weights(CIFAR10_LT, 199, 200), expected);
        assertThat(((DeferredReweighting) drw).deferralEpoch(200)).isEqualTo(160);
        // floor(start · epochs), robust to binary fractions: 0.29 · 100 = 28.999…
        assertThat(((DeferredReweighting) deferred("start = 0.29")).deferralEpoch(100)).isEqualTo(29);
        assertThat(((DeferredReweighting) deferred("start = 0.5")).deferralEpoch(7)).isEqualTo(3);
        assertThat(deferred("start = 0").weights(CIFAR10_LT, 0, 10)).isPresent();
    }

    @Test
    void startEpochWinsOverStart() {
        ClassWeighting drw = deferred("start-epoch = 3, beta = 0.5");
        assertThat(drw.weights(new long[] {2, 1}, 2, 200)).isEmpty();
        assertWeights(drw.weights(new long[] {2, 1}, 3, 200), 0.8, 1.2);
        assertThat(((DeferredReweighting) drw).deferralEpoch(10)).isEqualTo(3);
    }

    @Test
    void optionsAreValidated() {
        for (String beta : new String[] {"1", "1.5", "-0.1"}) {
            assertThatThrownBy(() -> Configured.objective("method.type=ce",
                    "method.weighting.type=class-balanced", "method.weighting.class-balanced.beta=" + beta))
                    .isInstanceOf(LplException.class)
                    .hasMessageContaining("method.weighting.class-balanced.beta")
                    .hasMessageContaining("[0, 1)");
            assertThatThrownBy(() -> Configured.objective("method.type=ce",
                    "method.weighting.type=deferred", "method.weighting.deferred.beta=" + beta))
                    .isInstanceOf(LplException.class)
                    .hasMessageContaining("method.weighting.deferred.beta");
        }
        assertThatThrownBy(() -> Configured.objective("method.type=ce", "method.weighting.type=deferred",
                "method.weighting.deferred.start=1.5"))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.weighting.deferred.start");
        assertThatThrownBy(() -> Configured.objective("method.type=ce", "method.weighting.type=deferred",
                "method.weighting.deferred.start-epoch=-1"))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.weighting.deferred.start-epoch");
        assertThatThrownBy(() -> Configured.objective("method.type=ce", "method.weighting.type=deferred",
                "method.weighting.deferred.start-epoch=soon"))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.weighting.deferred.start-epoch");
    }
}
