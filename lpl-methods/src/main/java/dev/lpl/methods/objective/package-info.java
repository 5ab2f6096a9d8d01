/**
 * Loss functions and class weightings of the peer methods (docs/methods.md#peer-methods), selected by {@code
 * method.loss.type} and {@code method.weighting.type}:
 *
 * <ul>
 *   <li>{@link dev.lpl.methods.objective.FocalLoss} ({@code focal}; Lin et al., ICCV 2017, in the
 *       softmax form of LDAM-DRW): {@code (1 − p_y)^γ·CE}.
 *   <li>{@link dev.lpl.methods.objective.ClassBalancedWeighting} ({@code class-balanced}; Cui et al.,
 *       CVPR 2019): {@code w_c ∝ (1 − β)/(1 − β^{n_c})}, {@code Σ_c w_c = C}.
 *   <li>{@link dev.lpl.methods.objective.DeferredReweighting} ({@code deferred}, DRW; Cao et al.,
 *       NeurIPS 2019): no weights, then class-balanced weights from the deferral epoch.
 * </ul>
 *
 * <p>The core provides {@code cross-entropy} and {@code none} and forms the weighted mean {@code Σ_i
 * w_{y_i}·l_i / Σ_i w_{y_i}}.
 */
package dev.lpl.methods.objective;
