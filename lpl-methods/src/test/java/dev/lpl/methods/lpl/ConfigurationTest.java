package dev.lpl.methods.lpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lpl.api.LplException;
import dev.lpl.api.LplPlugin;
import dev.lpl.api.PluginFactory;
import dev.lpl.api.perturbation.InnerSolution;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.methods.MethodsPlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConfigurationTest {

    private static List<String> names(List<? extends PluginFactory> factories) {
        return factories.stream().map(PluginFactory::name).collect(Collectors.toList());
    }

    @Test
    void thePluginIsRegisteredAndListsEveryFactory() {
        List<LplPlugin> plugins = new ArrayList<>();
        ServiceLoader.load(LplPlugin.class).forEach(plugins::add);
        assertThat(plugins).hasAtLeastOneElementOfType(MethodsPlugin.class);
        MethodsPlugin plugin = new MethodsPlugin();
        assertThat(names(plugin.perturbations())).startsWith("ce", "lpl")
                .contains("la", "balanced-softmax", "ldam", "isda", "lsoftmax", "disturb-label", "center",
                        "meta-weight-net").doesNotHaveDuplicates();
        assertThat(names(plugin.losses())).containsExactly("focal", "lq");
        assertThat(names(plugin.weightings())).containsExactly("class-balanced", "deferred");
        assertThat(names(plugin.splitStrategies())).containsExactly("mean", "fixed-index", "all-positive");
        assertThat(names(plugin.boundStrategies())).containsExactly("fixed", "varied-balanced", "varied-longtail");
        assertThat(names(plugin.optimizers())).containsExactly("pgd");
        List<PluginFactory> all = new ArrayList<>();
        all.addAll(plugin.perturbations());
        all.addAll(plugin.splitStrategies());
        all.addAll(plugin.boundStrategies());
        all.addAll(plugin.optimizers());
        all.addAll(plugin.losses());
        all.addAll(plugin.weightings());
        for (PluginFactory factory : all) {
            assertThat(factory.name()).matches("[a-z]+(-[a-z]+)*");
            assertThat(factory.description()).isNotBlank().doesNotContain("\n");
        }
    }

    @Test
    void theDefaultsAreTheCifar10LtRow() {
        // fixed-index τ = 4, varied-longtail 0 / 0.9 / 1.5, α = 0.15: K = 6 3 2 1 0 1 2 3 6 10
        Random random = new Random(31);
        float[] logits = Fixtures.randomLogits(random, 128, 10, 2);
        int[] labels = Fixtures.randomLabels(random, 128, 10);
        LplPerturbation lpl = Fixtures.lplMethod("");
        InnerSolution solution = lpl.solve(logits, labels, Fixtures.CIFAR10_LT);
        assertThat(lpl.detach()).isTrue();
        assertThat(solution.initialSplit().signs()).containsExactly(-1, -1, -1, -1, 1, 1, 1, 1, 1, 1);
        assertThat(solution.steps()).containsExactly(6, 3, 2, 1, 0, 1, 2, 3, 6, 10);
        assertThat(solution.bounds()[0]).isEqualTo(0.9);
        assertThat(solution.bounds()[9]).isEqualTo(1.5);
    }

    @Test
    void detachFalseNeedsADifferentiableOptimizer() {
        assertThatThrownBy(() -> new LplPerturbation.Factory().create(Fixtures.lplSettings("detach = false"),
                new Fixtures.PlainOptimizerComponents()))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.lpl.detach")
                .hasMessageContaining("optimizer.type = pgd");
        assertThat(new LplPerturbation.Factory().create(Fixtures.lplSettings("detach = true"),
                new Fixtures.PlainOptimizerComponents())).isInstanceOf(LplPerturbation.class);
        assertThat(Fixtures.lplMethod("detach = false").detach()).isFalse();
    }

    @Test
    void alphaMustBePositive() {
        for (String alpha : new String[] {"0", "-0.1"}) {
            assertThatThrownBy(() -> Fixtures.lpl("optimizer.pgd.alpha = " + alpha))
                    .isInstanceOf(LplException.class)
                    .hasMessageContaining("method.lpl.optimizer.pgd.alpha")
                    .hasMessageContaining("(0, Infinity)");
        }
        assertThatThrownBy(() -> Fixtures.lpl("optimizer.pgd.alpha = fast"))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.lpl.optimizer.pgd.alpha");
    }

    @Test
    void normalizeMustBeRowColumnOrNone() {
        assertThatThrownBy(() -> Fixtures.lpl("optimizer.pgd.normalize = diagonal"))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.lpl.optimizer.pgd.normalize")
                .hasMessageContaining("[row, column, none]");
        for (String normalize : new String[] {"row", "column", "none"}) {
            assertThat(Fixtures.lpl("optimizer.pgd.normalize = " + normalize)).isNotNull();
        }
    }

    @Test
    void boundsMustNotBeNegative() {
        assertThatThrownBy(() -> Fixtures.lpl("bound.varied-longtail.epsilon = -0.5"))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.lpl.bound.varied-longtail.epsilon")
                .hasMessageContaining("allowed: [0.0, Infinity]");
        assertThatThrownBy(() -> Fixtures.lpl("bound.varied-longtail.delta-epsilon-head = -0.5"))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.lpl.bound.varied-longtail.delta-epsilon-head");
        assertThatThrownBy(() -> Fixtures.lpl("bound { type = varied-balanced, varied-balanced.epsilon = -1 }\n"
                + "split.type = mean"))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.lpl.bound.varied-balanced.epsilon");
    }

    @Test
    void variedBalancedNeedsAScoreBasedSplit() {
        assertThatThrownBy(() -> Fixtures.lpl("bound.type = varied-balanced"))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("method.lpl.bound.type")
                .hasMessageContaining("split.type = fixed-index");
        assertThat(Fixtures.lpl("bound.type = varied-balanced\nsplit.type = mean")).isNotNull();
    }

    @Test
    void theBalancedRowsBuild() {
        Random random = new Random(32);
        float[] logits = Fixtures.randomLogits(random, 64, 10, 2);
        int[] labels = Fixtures.randomLabels(random, 64, 10);
        long[] counts = {5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000};
        InnerSolution fixed = Fixtures.lplMethod("split.type = mean\nbound.type = fixed\noptimizer.pgd.alpha = 0.005")
                .solve(logits, labels, counts);
        assertThat(fixed.steps()).containsOnly(20);
        InnerSolution varied = Fixtures.lplMethod(
                "split.type = mean\nbound.type = varied-balanced\noptimizer.pgd.alpha = 0.01").solve(logits, labels, counts);
        for (int c = 0; c < 10; c++) {
            assertThat(varied.steps()[c]).isBetween(80, 88);
        }
    }

    @Test
    void lplChecksItsSplitAgainstTheClassCountAndItsFixedBoundAgainstTheStepLimit() {
        Perturbation tau = Fixtures.lpl("split.type = fixed-index\nsplit.fixed-index.tau = 11");
        assertThatThrownBy(() -> tau.checkNumClasses(10))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("invalid configuration value method.lpl.split.fixed-index.tau: 11 is out of range");
        tau.checkNumClasses(100);
        assertThatThrownBy(() -> Fixtures.lpl("bound.type = fixed\nbound.fixed.epsilon = 1e30"))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("more than " + PgdOptimizer.MAX_STEPS)
                .hasMessageContaining("method.lpl.optimizer.pgd.alpha");
    }
}
