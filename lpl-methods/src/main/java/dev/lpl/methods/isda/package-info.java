/**
 * ISDA — Implicit Semantic Data Augmentation (Wang et al., NeurIPS 2019): the {@code isda} training
 * method ({@link dev.lpl.methods.isda.IsdaPerturbation}), a class-level logit perturbation built from
 * the linear classifier's weights and an online per-class covariance of the detached penultimate
 * features (docs/methods.md#isda).
 */
package dev.lpl.methods.isda;
