/**
 * LPL — Learning to Perturb Logits (Li, Su, Wu and Zhang, AAAI 2022): the {@code lpl} training
 * method ({@link dev.lpl.methods.lpl.LplPerturbation}, Algorithm 2) and its parts.
 *
 * <ul>
 *   <li>Category splits: {@link dev.lpl.methods.lpl.MeanSplit} ({@code mean}, Eq. 9), {@link
 *       dev.lpl.methods.lpl.FixedIndexSplit} ({@code fixed-index}, Eq. 10) and {@link
 *       dev.lpl.methods.lpl.AllPositiveSplit} ({@code all-positive}, an ablation).
 *   <li>Bounds: {@link dev.lpl.methods.lpl.FixedBound} ({@code fixed}), {@link
 *       dev.lpl.methods.lpl.VariedBalancedBound} ({@code varied-balanced}, Eq. 13) and {@link
 *       dev.lpl.methods.lpl.VariedLongtailBound} ({@code varied-longtail}, Eq. 14 with the slide typo
 *       corrected).
 *   <li>Inner solver: {@link dev.lpl.methods.lpl.PgdOptimizer} ({@code pgd}, Algorithm 1), run on a
 *       host copy of the B×C logits, with an engine replay for {@code detach = false}.
 * </ul>
 *
 * <p>Notation as in {@code docs/methods.md#notation}: a mini-batch has B samples and C classes, {@code u} the
 * logits, {@code S_c} the samples of class c, {@code N_c = |S_c|}, {@code n_c} the training count,
 * {@code q̄_c} the batch-mean probability of the true class.
 */
package dev.lpl.methods.lpl;
