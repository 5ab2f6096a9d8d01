package com.example.lpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lpl.api.LplException;
import dev.lpl.api.LplPlugin;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.core.contract.Configured;
import dev.lpl.core.train.MethodObjective;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Golden values of {@code additive-margin}, computed by hand, and its configuration. */
class AdditiveMarginPerturbationTest {

    private static final float[] LOGITS = {
        1.0f, 2.0f, 3.0f, //
        0.5f, -1.0f, 4.0f, //
        -2.0f, 0.0f, 0.25f, //
        3.0f, 3.0f, 3.0f,
    };
    private static final long[] LABELS = {2, 0, 1, 1};

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private TrainingView view() {
        return new TrainingView(new long[] {50, 20, 5}, 0, 10, manager);
    }

    private float[] perturb(Perturbation method, NDArray labels) {
        NDArray logits = manager.create(LOGITS, new Shape(4, 3));
        NDArray out = method.perturb(logits, labels, view());
        assertThat(out.getShape()).isEqualTo(new Shape(4, 3));
        return out.toFloatArray();
    }

    @Test
    void theDefaultMarginComesFromThePluginsReferenceConf() {
        try (Perturbation method = Configured.perturbation("method.type=additive-margin")) {
            assertThat(method).isInstanceOf(AdditiveMarginPerturbation.class);
            assertThat(((AdditiveMarginPerturbation) method).margin()).isCloseTo(0.35, within(1e-7));
            // m = 0.35 comes off the true-class logit of every row, and nothing else changes.
            assertThat(perturb(method, manager.create(LABELS))).containsExactly(new float[] {
                1.0f, 2.0f, 2.65f, //
                0.15f, -1.0f, 4.0f, //
                -2.0f, -0.35f, 0.25f, //
                3.0f, 2.65f, 3.0f,
            }, within(1e-6f));
        }
    }

    @Test
    void aConfiguredMarginIsUsedAndInt32LabelsWork() {
        try (Perturbation method = Configured.perturbation(
                "method.type=additive-margin", "method.additive-margin.margin=1.5")) {
            int[] labels = {0, 2, 2, 0};
            assertThat(perturb(method, manager.create(labels))).containsExactly(new float[] {
                -0.5f, 2.0f, 3.0f, //
                0.5f, -1.0f, 2.5f, //
                -2.0f, 0.0f, -1.25f, //
                1.5f, 3.0f, 3.0f,
            }, within(1e-6f));
        }
    }

    @Test
    void theLossIsCrossEntropyOnTheShiftedLogits() {
        // Row (3, 3, 3) with label 1 and m = ln 2: the true logit becomes 3 − ln 2, so its softmax
        // probability is (1/2) / (1/2 + 1 + 1) = 1/5 and the loss is ln 5.
        try (Perturbation method = new AdditiveMarginPerturbation(Math.log(2))) {
            NDArray logits = manager.create(new float[] {3f, 3f, 3f}, new Shape(1, 3));
            NDArray labels = manager.create(new long[] {1});
            NDArray out = method.perturb(logits, labels, view());
            float loss = MethodObjective.crossEntropy(out, labels).getFloat();
            assertThat(loss).isCloseTo((float) Math.log(5), within(1e-5f));
        }
    }

    @Test
    void labelsOnAnotherManagerAreLeftAlone() {
        try (NDManager other = NDManager.newBaseManager();
                Perturbation method = new AdditiveMarginPerturbation(0.35)) {
            NDArray labels = other.create(LABELS);
            float[] out = perturb(method, labels);
            assertThat(out[2]).isCloseTo(2.65f, within(1e-6f));
            assertThat(labels.getManager()).isSameAs(other);
            assertThat(labels.toLongArray()).containsExactly(LABELS);
        }
    }

    @Test
    void aNegativeMarginIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> Configured.perturbation(
                        "method.type=additive-margin", "method.additive-margin.margin=-0.1"))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("invalid configuration value method.additive-margin.margin: -0.1");
        assertThatThrownBy(() -> new AdditiveMarginPerturbation(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMisspeltOptionIsReportedWithTheDeclaredKey() {
        assertThatThrownBy(() -> Configured.perturbation(
                        "method.type=additive-margin", "method.additive-margin.margn=1"))
                .isInstanceOf(LplException.class)
                .hasMessage("unknown configuration key method.additive-margin.margn;"
                        + " did you mean method.additive-margin.margin?");
    }

    @Test
    void thePluginIsRegisteredForTheServiceLoader() {
        List<LplPlugin> plugins = new ArrayList<>();
        ServiceLoader.load(LplPlugin.class).forEach(plugins::add);
        assertThat(plugins).hasAtLeastOneElementOfType(ExamplePlugin.class);
        var factories = new ExamplePlugin().perturbations();
        assertThat(factories).hasSize(1);
        assertThat(factories.get(0).name()).isEqualTo("additive-margin");
        assertThat(factories.get(0).description()).isNotBlank().doesNotContain("\n");
    }
}
