/**
 * Logit perturbation: the {@link dev.lpl.api.perturbation.Perturbation} of a training method, and
 * the three extension points of LPL's Algorithm 2 (Li, Su, Wu and Zhang, "Learning to Perturb
 * Logits", AAAI 2022).
 *
 * <p>Notation (as in {@code docs/methods.md#notation}): a mini-batch has B samples and C classes;
 * {@code u} is the B×C logit matrix, {@code p = softmax(u)}, {@code y} the labels, {@code S_c} the
 * batch samples of class c and {@code N_c = |S_c|}; {@code n_c} is the training count of class c.
 * Every method is a class-level perturbation: the loss is {@code mean_i l(softmax(u_i + δ_{y_i}),
 * y_i)} (Eq. 7).
 *
 * <p>One LPL step: compute the class scores {@code q̄_c} ({@link
 * dev.lpl.api.perturbation.ClassStatistics}); the {@link dev.lpl.api.perturbation.SplitStrategy}
 * assigns each class to the positive set (loss maximisation, sign +1) or the negative set (loss
 * minimisation, sign −1); the {@link dev.lpl.api.perturbation.BoundStrategy} gives the bound
 * {@code ε_c}; the inner {@link dev.lpl.api.perturbation.Optimizer} finds {@code δ_c} within it.
 */
package dev.lpl.api.perturbation;
