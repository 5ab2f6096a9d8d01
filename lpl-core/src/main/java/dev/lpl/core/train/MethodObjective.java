package dev.lpl.core.train;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import dev.lpl.api.objective.ClassWeighting;
import dev.lpl.api.objective.LossFunction;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.TrainingView;
import java.util.Optional;

/**
 * The training objective of a method: {@code Σ_i w_{y_i}·l(u_i + δ_{y_i}, y_i) / Σ_i w_{y_i}} — the
 * method's {@link Perturbation} (LPL slides, Eq. 7), a per-sample {@link LossFunction} on the
 * perturbed logits and the per-class weights of a {@link ClassWeighting} (PyTorch's weighted mean;
 * the plain mean without weights), taken against the method's {@link Perturbation#targets} (the
 * labels, except for DisturbLabel), plus the method's {@link Perturbation#regularizer} if it has
 * one (center loss). Training and {@code lpl loss} both call this class, so a method
 * checked against a reference implementation with {@code lpl loss} is checked exactly as it trains.
 */
public final class MethodObjective implements AutoCloseable {

    private final Perturbation perturbation;
    private final LossFunction loss;
    private final ClassWeighting weighting;

    /**
     * Creates the objective.
     *
     * @param perturbation the method's perturbation
     * @param loss the per-sample loss
     * @param weighting the class weights of the mean
     */
    public MethodObjective(Perturbation perturbation, LossFunction loss, ClassWeighting weighting) {
        this.perturbation = requireNonNull(perturbation, "perturbation is null");
        this.loss = requireNonNull(loss, "loss is null");
        this.weighting = requireNonNull(weighting, "weighting is null");
    }

    /**
     * Creates the plain objective of a perturbation: cross-entropy, unweighted mean.
     *
     * @param perturbation the method's perturbation
     */
    public MethodObjective(Perturbation perturbation) {
        this(perturbation, CrossEntropyLoss.INSTANCE, (counts, epoch, total) -> Optional.empty());
    }

    /**
     * Returns the method's perturbation.
     *
     * @return the perturbation
     */
    public Perturbation perturbation() {
        return perturbation;
    }

    /**
     * The perturbed logits and the loss taken on them.
     *
     * @param perturbedLogits the B×C logits the loss was taken on
     * @param perSampleLoss the B per-sample losses on the perturbed logits (before weighting)
     * @param loss the scalar loss
     * @param targets the B labels the loss was taken against ({@link Perturbation#targets})
     */
    public record Result(NDArray perturbedLogits, NDArray perSampleLoss, NDArray loss, NDArray targets) {}

    /**
     * Computes the objective of a batch.
     *
     * @param logits the B×C logits
     * @param labels the B labels (int64)
     * @param view the training state
     * @return the perturbed logits and the loss
     */
    public Result compute(NDArray logits, NDArray labels, TrainingView view) {
        NDArray targets = perturbation.targets(labels, view);
        if (!targets.getShape().equals(labels.getShape())) {
            throw new IllegalStateException("perturbation " + perturbation.getClass().getName()
                    + " changed the labels' shape from " + labels.getShape() + " to " + targets.getShape());
        }
        NDArray perturbed = perturbation.perturb(logits, targets, view);
        if (!perturbed.getShape().equals(logits.getShape())) {
            throw new IllegalStateException("perturbation " + perturbation.getClass().getName()
                    + " changed the logits' shape from " + logits.getShape() + " to " + perturbed.getShape());
        }
        NDArray perSample = loss.perSample(perturbed, targets);
        Optional<float[]> weights = weighting.weights(view.classCounts(), view.epoch(), view.totalEpochs());
        NDArray mean;
        if (weights.isEmpty()) {
            mean = perSample.mean();
        } else {
            float[] w = weights.get();
            if (w.length != view.numClasses()) {
                throw new IllegalStateException("class weighting " + weighting.getClass().getName() + " returned "
                        + w.length + " weights for " + view.numClasses() + " classes");
            }
            NDArray sampleWeights = targets.oneHot(view.numClasses()).matMul(view.manager().create(w));
            mean = perSample.mul(sampleWeights).sum().div(sampleWeights.sum());
        }
        Optional<NDArray> extra = perturbation.regularizer(logits, labels, view);
        return new Result(perturbed, perSample, extra.isEmpty() ? mean : mean.add(extra.get()), targets);
    }

    /**
     * Returns the per-sample loss of the raw (unperturbed) logits, for the relative loss variation
     * {@code (l' − l)/l}.
     *
     * @param logits the B×C raw logits (detached by the caller or taken outside autograd)
     * @param labels the B labels
     * @return B losses
     */
    public NDArray rawPerSample(NDArray logits, NDArray labels) {
        return loss.perSample(logits, labels);
    }

    /**
     * Returns the logits predictions are taken from (the method's choice; raw by default).
     *
     * @param logits the raw logits
     * @param classCounts the training counts
     * @return the prediction logits
     */
    public NDArray predictionLogits(NDArray logits, long[] classCounts) {
        return perturbation.predictionLogits(logits, classCounts);
    }

    /**
     * Mean softmax cross-entropy {@code −mean_i log softmax(u_i)_{y_i}}.
     *
     * @param logits B×C logits
     * @param labels B labels
     * @return the scalar mean loss
     */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        return CrossEntropyLoss.INSTANCE.perSample(logits, labels).mean();
    }

    @Override
    public void close() {
        perturbation.close();
    }
}
