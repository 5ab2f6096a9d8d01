package dev.lpl.methods;

import dev.lpl.api.LplPlugin;
import dev.lpl.api.objective.ClassWeightingFactory;
import dev.lpl.api.objective.LossFunctionFactory;
import dev.lpl.api.perturbation.BoundStrategyFactory;
import dev.lpl.api.perturbation.OptimizerFactory;
import dev.lpl.api.perturbation.PerturbationFactory;
import dev.lpl.api.perturbation.SplitStrategyFactory;
import dev.lpl.methods.baseline.CenterLoss;
import dev.lpl.methods.baseline.DisturbLabel;
import dev.lpl.methods.baseline.LargeMarginSoftmax;
import dev.lpl.methods.baseline.LqLoss;
import dev.lpl.methods.baseline.MetaWeightNet;
import dev.lpl.methods.isda.IsdaPerturbation;
import dev.lpl.methods.lpl.AllPositiveSplit;
import dev.lpl.methods.lpl.FixedBound;
import dev.lpl.methods.lpl.FixedIndexSplit;
import dev.lpl.methods.lpl.LplPerturbation;
import dev.lpl.methods.lpl.MeanSplit;
import dev.lpl.methods.lpl.PgdOptimizer;
import dev.lpl.methods.lpl.VariedBalancedBound;
import dev.lpl.methods.lpl.VariedLongtailBound;
import dev.lpl.methods.objective.ClassBalancedWeighting;
import dev.lpl.methods.objective.DeferredReweighting;
import dev.lpl.methods.objective.FocalLoss;
import dev.lpl.methods.peer.BalancedSoftmax;
import dev.lpl.methods.peer.LdamPerturbation;
import dev.lpl.methods.peer.LogitAdjustment;
import java.util.List;

/**
 * The plugin of the methods module: plain cross-entropy ({@code ce}) and LPL ({@code lpl}; Li, Su,
 * Wu and Zhang, "Learning to Perturb Logits", AAAI 2022, Algorithm 2) with its category splits
 * ({@code mean}, Eq. 9; {@code fixed-index}, Eq. 10; {@code all-positive}), bounds ({@code fixed};
 * {@code varied-balanced}, Eq. 13; {@code varied-longtail}, Eq. 14) and inner solver ({@code pgd},
 * Algorithm 1); the peer methods logit adjustment ({@code la}), Balanced Softmax ({@code
 * balanced-softmax}) and LDAM ({@code ldam}) of {@link dev.lpl.methods.peer}; ISDA ({@code isda}) of
 * {@link dev.lpl.methods.isda}; the focal loss ({@code
 * focal}) and the class weightings {@code class-balanced} and {@code deferred} (DRW) of {@link
 * dev.lpl.methods.objective}; the other baselines of the paper's tables, L-Softmax ({@code
 * lsoftmax}), DisturbLabel ({@code disturb-label}), center loss ({@code center}) and the Lq loss
 * ({@code lq}) and Meta-Weight-Net ({@code meta-weight-net}) of {@link dev.lpl.methods.baseline}. Defaults are in this module's {@code reference.conf} under {@code
 * lpl.method}; the presets users know from the papers ({@code ldam-drw}, {@code la+lpl}, ...) in its
 * {@code lpl-presets.conf}.
 */
public final class MethodsPlugin implements LplPlugin {

    /** Creates the plugin (found by {@link java.util.ServiceLoader}). */
    public MethodsPlugin() {
        // stateless
    }

    @Override
    public List<PerturbationFactory> perturbations() {
        return List.of(new CrossEntropyPerturbation.Factory(), new LplPerturbation.Factory(),
                new LogitAdjustment.Factory(), new BalancedSoftmax.Factory(), new LdamPerturbation.Factory(),
                new IsdaPerturbation.Factory(), new LargeMarginSoftmax.Factory(), new DisturbLabel.Factory(),
                new CenterLoss.Factory(), new MetaWeightNet.Factory());
    }

    @Override
    public List<LossFunctionFactory> losses() {
        return List.of(new FocalLoss.Factory(), new LqLoss.Factory());
    }

    @Override
    public List<ClassWeightingFactory> weightings() {
        return List.of(new ClassBalancedWeighting.Factory(), new DeferredReweighting.Factory());
    }

    @Override
    public List<SplitStrategyFactory> splitStrategies() {
        return List.of(new MeanSplit.Factory(), new FixedIndexSplit.Factory(), new AllPositiveSplit.Factory());
    }

    @Override
    public List<BoundStrategyFactory> boundStrategies() {
        return List.of(new FixedBound.Factory(), new VariedBalancedBound.Factory(), new VariedLongtailBound.Factory());
    }

    @Override
    public List<OptimizerFactory> optimizers() {
        return List.of(new PgdOptimizer.Factory());
    }
}
