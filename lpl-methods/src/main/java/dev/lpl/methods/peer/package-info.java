/**
 * The peer methods of the LPL paper's long-tail tables, each a class-level logit perturbation
 * (docs/methods.md#peer-methods):
 *
 * <ul>
 *   <li>{@link dev.lpl.methods.peer.LogitAdjustment} ({@code la}; Menon et al., ICLR 2021, Eqs. 9–10):
 *       {@code u + τ·log π} in the loss, or plain training and {@code u − τ·log π} at prediction.
 *   <li>{@link dev.lpl.methods.peer.BalancedSoftmax} ({@code balanced-softmax}; Ren et al., NeurIPS
 *       2020, Eq. 4): {@code u + log n}.
 *   <li>{@link dev.lpl.methods.peer.LdamPerturbation} ({@code ldam}; Cao et al., NeurIPS 2019, Eqs.
 *       12–13): {@code s·(u − m_y·e_y)} with {@code m_c ∝ n_c^{-1/4}}, on a cosine head.
 * </ul>
 *
 * <p>Their per-class vectors are computed on the host once per call (C numbers) and applied with a
 * few broadcast engine operations; the shifts are constants, so gradients with respect to the logits
 * are those of the loss at the shifted logits (times s for LDAM). Class weights and the focal loss
 * that some of them are combined with (DRW, CB) live in {@link dev.lpl.methods.objective}.
 */
package dev.lpl.methods.peer;
