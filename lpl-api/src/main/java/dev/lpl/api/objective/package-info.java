/**
 * The rest of a method's objective besides the perturbation: the per-sample loss taken on the
 * perturbed logits ({@link dev.lpl.api.objective.LossFunction}: cross-entropy, focal) and the
 * per-class weights of its mean ({@link dev.lpl.api.objective.ClassWeighting}: none,
 * class-balanced, deferred re-weighting). The objective of a batch is {@code Σ_i w_{y_i}·l(u_i +
 * δ_{y_i}, y_i) / Σ_i w_{y_i}}, PyTorch's weighted mean; without weights the plain mean. A
 * method may instead learn per-sample weights on a meta set ({@link
 * dev.lpl.api.objective.MetaReweighting}, Meta-Weight-Net).
 */
package dev.lpl.api.objective;
