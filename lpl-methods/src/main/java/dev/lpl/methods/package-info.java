/**
 * The training methods of lpl: plain cross-entropy ({@code ce}) and LPL ({@code lpl}, Li, Su, Wu
 * and Zhang, "Learning to Perturb Logits", AAAI 2022), registered by {@link
 * dev.lpl.methods.MethodsPlugin}.
 *
 * <p>Every method is a class-level logit perturbation: the loss of a mini-batch is {@code mean_i
 * l(softmax(u_i + δ_{y_i}), y_i)} (LPL slides, Eq. 7). LPL's parts — the category split (Eqs. 9–10),
 * the per-class bound (Eqs. 13–14) and the PGD-like inner solver (Algorithm 1) — live in {@link
 * dev.lpl.methods.lpl}.
 */
package dev.lpl.methods;
