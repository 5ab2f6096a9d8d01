/**
 * The lpl service-provider interface (SPI).
 *
 * <p>Everything a plugin implements lives under this package and depends on DJL's {@code api} only
 * (never on an engine, on Guice or on Typesafe Config). A plugin jar registers exactly one {@link
 * dev.lpl.api.LplPlugin} in {@code META-INF/services/dev.lpl.api.LplPlugin}; that plugin lists
 * named factories for each extension point:
 *
 * <ul>
 *   <li>{@link dev.lpl.api.perturbation.Perturbation} — a training method's class-level logit
 *       perturbation (LPL slides, Eq. 7);
 *   <li>{@link dev.lpl.api.objective.LossFunction} and {@link
 *       dev.lpl.api.objective.ClassWeighting} — the per-sample loss on the perturbed logits and
 *       the per-class weights of its mean;
 *   <li>{@link dev.lpl.api.perturbation.SplitStrategy}, {@link
 *       dev.lpl.api.perturbation.BoundStrategy} and {@link dev.lpl.api.perturbation.Optimizer} —
 *       the three parts of LPL's Algorithm 2 (category split, per-class bound, inner solver);
 *   <li>{@link dev.lpl.api.data.DatasetFactory}, {@link dev.lpl.api.model.ModelFactory}, {@link
 *       dev.lpl.api.training.WeightOptimizerFactory}, {@link dev.lpl.api.training.ScheduleFactory},
 *       {@link dev.lpl.api.training.BackendFactory} and {@link
 *       dev.lpl.api.training.RunListenerFactory} — what makes the framework open.
 * </ul>
 *
 * <p>The factory's {@link dev.lpl.api.PluginFactory#name() name} is the {@code type} value that
 * selects it in a configuration file.
 */
package dev.lpl.api;
