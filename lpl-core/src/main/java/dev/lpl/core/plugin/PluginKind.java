package dev.lpl.core.plugin;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.LplPlugin;
import dev.lpl.api.PluginFactory;
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
import java.util.function.Function;

/**
 * One extension point: its display name, factory type, the configuration key that selects an
 * implementation, and how to get its factories from a plugin.
 *
 * @param <F> the factory type
 */
public final class PluginKind<F extends PluginFactory> {

    /** Training methods (logit perturbations). */
    public static final PluginKind<PerturbationFactory> METHOD = new PluginKind<>(
            "method", PerturbationFactory.class, "method.type", LplPlugin::perturbations);
    /** Per-sample losses on the perturbed logits. */
    public static final PluginKind<LossFunctionFactory> LOSS = new PluginKind<>(
            "loss", LossFunctionFactory.class, "method.loss.type", LplPlugin::losses);
    /** Per-class weightings of the loss's mean. */
    public static final PluginKind<ClassWeightingFactory> WEIGHTING = new PluginKind<>(
            "weighting", ClassWeightingFactory.class, "method.weighting.type", LplPlugin::weightings);
    /** LPL category-split strategies. */
    public static final PluginKind<SplitStrategyFactory> SPLIT = new PluginKind<>(
            "split", SplitStrategyFactory.class, "method.lpl.split.type", LplPlugin::splitStrategies);
    /** LPL bound strategies. */
    public static final PluginKind<BoundStrategyFactory> BOUND = new PluginKind<>(
            "bound", BoundStrategyFactory.class, "method.lpl.bound.type", LplPlugin::boundStrategies);
    /** LPL inner solvers. */
    public static final PluginKind<OptimizerFactory> INNER_OPTIMIZER = new PluginKind<>(
            "inner-optimizer", OptimizerFactory.class, "method.lpl.optimizer.type", LplPlugin::optimizers);
    /** Datasets. */
    public static final PluginKind<DatasetFactory> DATASET = new PluginKind<>(
            "dataset", DatasetFactory.class, "data.type", LplPlugin::datasets);
    /** Networks. */
    public static final PluginKind<ModelFactory> MODEL = new PluginKind<>(
            "model", ModelFactory.class, "model.type", LplPlugin::models);
    /** Optimizers of the network weights. */
    public static final PluginKind<WeightOptimizerFactory> WEIGHT_OPTIMIZER = new PluginKind<>(
            "weight-optimizer", WeightOptimizerFactory.class, "optimizer.type", LplPlugin::weightOptimizers);
    /** Learning-rate schedules. */
    public static final PluginKind<ScheduleFactory> SCHEDULE = new PluginKind<>(
            "schedule", ScheduleFactory.class, "schedule.type", LplPlugin::schedules);
    /** Compute backends. */
    public static final PluginKind<BackendFactory> BACKEND = new PluginKind<>(
            "backend", BackendFactory.class, "training.backend", LplPlugin::backends);
    /** Run listeners. */
    public static final PluginKind<RunListenerFactory> RUN_LISTENER = new PluginKind<>(
            "run-listener", RunListenerFactory.class, "training.listeners", LplPlugin::runListeners);

    /** Every kind, in the order {@code lpl list} shows them. */
    public static final List<PluginKind<?>> ALL = List.of(
            METHOD, LOSS, WEIGHTING, SPLIT, BOUND, INNER_OPTIMIZER, DATASET, MODEL, WEIGHT_OPTIMIZER, SCHEDULE, BACKEND, RUN_LISTENER);

    private final String name;
    private final Class<F> factoryType;
    private final String configKey;
    private final Function<LplPlugin, List<F>> extractor;

    private PluginKind(
            String name, Class<F> factoryType, String configKey, Function<LplPlugin, List<F>> extractor) {
        this.name = requireNonNull(name, "name is null");
        this.factoryType = requireNonNull(factoryType, "factoryType is null");
        this.configKey = requireNonNull(configKey, "configKey is null");
        this.extractor = requireNonNull(extractor, "extractor is null");
    }

    /**
     * Returns the kind's display name.
     *
     * @return e.g. {@code method}
     */
    public String name() {
        return name;
    }

    /**
     * Returns the factory type.
     *
     * @return the factory interface
     */
    public Class<F> factoryType() {
        return factoryType;
    }

    /**
     * Returns the configuration key whose value selects an implementation.
     *
     * @return e.g. {@code method.type}
     */
    public String configKey() {
        return configKey;
    }

    /**
     * Returns a plugin's factories of this kind.
     *
     * @param plugin the plugin
     * @return its factories, never null
     */
    public List<F> factories(LplPlugin plugin) {
        List<F> list = extractor.apply(plugin);
        return list == null ? List.of() : list;
    }

    @Override
    public String toString() {
        return name;
    }
}
