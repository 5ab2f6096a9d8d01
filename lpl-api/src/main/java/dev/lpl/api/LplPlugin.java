package dev.lpl.api;

import dev.lpl.api.data.DatasetFactory;
import dev.lpl.api.model.ModelFactory;
import dev.lpl.api.objective.ClassWeightingFactory;
import dev.lpl.api.objective.LossFunctionFactory;
import dev.lpl.api.perturbation.BoundStrategyFactory;
import dev.lpl.api.perturbation.OptimizerFactory;
import dev.lpl.api.perturbation.PerturbationFactory;
import dev.lpl.api.perturbation.SplitStrategyFactory;
import dev.lpl.api.training.BackendFactory;
import dev.lpl.api.training.RunListenerFactory;
import dev.lpl.api.training.ScheduleFactory;
import dev.lpl.api.training.WeightOptimizerFactory;
import java.util.List;

/**
 * The single entry point of a plugin jar, found with {@link java.util.ServiceLoader}.
 *
 * <p>A plugin module registers exactly one implementation in {@code
 * META-INF/services/dev.lpl.api.LplPlugin} and returns its factories from the methods below; every
 * method defaults to "none". Defaults for a factory's options go into the plugin's own {@code
 * reference.conf} under the configuration block that selects it (for example {@code
 * lpl.method.my-method { ... }} for a perturbation named {@code my-method}); the strict
 * configuration check rejects keys that no {@code reference.conf} declares.
 */
public interface LplPlugin {

    /**
     * Returns the training methods (logit perturbations) this plugin provides.
     *
     * @return perturbation factories, selected by {@code method.type}
     */
    default List<PerturbationFactory> perturbations() {
        return List.of();
    }

    /**
     * Returns per-sample losses taken on the perturbed logits (cross-entropy, focal, ...).
     *
     * @return loss factories, selected by {@code method.loss.type}
     */
    default List<LossFunctionFactory> losses() {
        return List.of();
    }

    /**
     * Returns per-class weightings of the loss's mean (class-balanced, deferred, ...).
     *
     * @return weighting factories, selected by {@code method.weighting.type}
     */
    default List<ClassWeightingFactory> weightings() {
        return List.of();
    }

    /**
     * Returns LPL category-split strategies (Eqs. 9–10).
     *
     * @return split-strategy factories, selected by {@code method.lpl.split.type}
     */
    default List<SplitStrategyFactory> splitStrategies() {
        return List.of();
    }

    /**
     * Returns LPL per-class bound strategies (Eqs. 13–14).
     *
     * @return bound-strategy factories, selected by {@code method.lpl.bound.type}
     */
    default List<BoundStrategyFactory> boundStrategies() {
        return List.of();
    }

    /**
     * Returns LPL inner solvers (Algorithm 1).
     *
     * @return inner-solver factories, selected by {@code method.lpl.optimizer.type}
     */
    default List<OptimizerFactory> optimizers() {
        return List.of();
    }

    /**
     * Returns dataset providers.
     *
     * @return dataset factories, selected by {@code data.type}
     */
    default List<DatasetFactory> datasets() {
        return List.of();
    }

    /**
     * Returns network architectures.
     *
     * @return model factories, selected by {@code model.type}
     */
    default List<ModelFactory> models() {
        return List.of();
    }

    /**
     * Returns optimizers of the network weights.
     *
     * @return weight-optimizer factories, selected by {@code optimizer.type}
     */
    default List<WeightOptimizerFactory> weightOptimizers() {
        return List.of();
    }

    /**
     * Returns learning-rate schedules.
     *
     * @return schedule factories, selected by {@code schedule.type}
     */
    default List<ScheduleFactory> schedules() {
        return List.of();
    }

    /**
     * Returns compute backends (device selection).
     *
     * @return backend factories, selected by {@code training.backend}
     */
    default List<BackendFactory> backends() {
        return List.of();
    }

    /**
     * Returns run listeners, which observe every epoch of every run they are enabled for.
     *
     * @return run-listener factories, each enabled by {@code training.listener.<name>.enabled}
     */
    default List<RunListenerFactory> runListeners() {
        return List.of();
    }
}
