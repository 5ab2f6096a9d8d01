/**
 * The other baselines of the LPL paper's tables (docs/methods.md#other-baselines), each a plugin
 * of the ordinary extension points: large-margin softmax ({@code lsoftmax}, a perturbation of the
 * true logit), DisturbLabel ({@code disturb-label}, a corruption of the targets), center loss
 * ({@code center}, a regulariser on the features with the centers as training state) and the Lq
 * loss ({@code lq}, a per-sample loss). Meta-Weight-Net and class-balanced fine-tuning change the
 * training step and the schedule; they live in the core and are selected from here.
 */
package dev.lpl.methods.baseline;
