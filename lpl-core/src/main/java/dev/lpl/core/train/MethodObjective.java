package dev.lpl.core.train;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.TrainingView;

/**
 * The training objective of a method: {@code mean_i CE(u_i + δ_{y_i}, y_i)} with δ from the
 * method's {@link Perturbation} (LPL slides, Eq. 7). Training and {@code lpl loss} both call this
 * class, so a method checked against a reference implementation with {@code lpl loss} is checked
 * exactly as it trains.
 */
public final class MethodObjective {

    private final Perturbation perturbation;

    /**
     * Creates the objective.
     *
     * @param perturbation the method's perturbation
     */
    public MethodObjective(Perturbation perturbation) {
        this.perturbation = requireNonNull(perturbation, "perturbation is null");
    }

    /**
     * The perturbed logits and the loss taken on them.
     *
     * @param perturbedLogits the B×C logits the loss was taken on
     * @param loss the scalar loss
     */
    public record Result(NDArray perturbedLogits, NDArray loss) {}

    /**
     * Computes the objective of a batch.
     *
     * @param logits the B×C logits
     * @param labels the B labels (int64)
     * @param view the training state
     * @return the perturbed logits and the mean loss
     */
    public Result compute(NDArray logits, NDArray labels, TrainingView view) {
        NDArray perturbed = perturbation.perturb(logits, labels, view);
        if (!perturbed.getShape().equals(logits.getShape())) {
            throw new IllegalStateException("perturbation " + perturbation.getClass().getName()
                    + " changed the logits' shape from " + logits.getShape() + " to " + perturbed.getShape());
        }
        return new Result(perturbed, crossEntropy(perturbed, labels));
    }

    /**
     * Mean softmax cross-entropy {@code −mean_i log softmax(u_i)_{y_i}}, computed stably with
     * log-softmax.
     *
     * @param logits B×C logits
     * @param labels B labels
     * @return the scalar mean loss
     */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        int numClasses = (int) logits.getShape().get(1);
        NDArray oneHot = labels.oneHot(numClasses);
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).mean().neg();
    }
}
