package dev.lpl.methods.isda;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import dev.lpl.api.perturbation.Components;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.PerturbationFactory;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.methods.HostLabels;
import java.util.Map;

/**
 * ISDA — Implicit Semantic Data Augmentation (Wang, Pan, Song, Zhang, Wu and Huang, "Implicit
 * Semantic Data Augmentation for Deep Networks", NeurIPS 2019; Eqs. 5–6 of the LPL slides;
 * docs/methods.md#isda). Training on infinitely many features translated along each class's covariance
 * directions has the closed-form upper bound of a cross-entropy on the perturbed logits
 *
 * <pre>
 *   u_{i,c} + δ_{i,c},   δ_{i,c} = (λ/2)·(w_c − w_{y_i})ᵀ Σ_{y_i} (w_c − w_{y_i}),
 * </pre>
 *
 * with {@code w} the C×D weight of the linear classifier ({@link TrainingView#classifierWeight()},
 * the live parameter: the loss differentiates into it through δ, as in the reference code), {@code
 * Σ_y} the running covariance of class y's detached penultimate features ({@link ClassCovariance},
 * merged with the batch before δ is computed, as the reference's {@code update_CV} precedes {@code
 * isda_aug}) and {@code λ = λ₀·epoch/epochs} (0-based epoch, so λ = 0 in the first epoch).
 *
 * <p>δ depends on sample i only through its label, so it is computed per class: for the K classes
 * present in the batch, {@code δ[k, c] = (λ/2)(w_c − w_{c_k})ᵀ Σ_{c_k}(w_c − w_{c_k})} (K×C×D
 * differences, one batched K×(C×D)·(D×D) product, an element-wise product and a sum over D), and
 * row i of the result is row {@code k(y_i)} — K·C·D² work instead of the reference's B·C·D². δ does
 * not depend on the logits, so their gradient is that of plain cross-entropy on {@code u + δ}.
 *
 * <p>The state ({@code covariance} C×D×D, {@code mean} C×D, {@code count} C) is created on the first
 * batch, on the classifier weight's device, in this method's own manager; {@link #state()} exposes
 * the live arrays for checkpoints and {@link #close()} frees them. Temporaries of a call are freed
 * when it returns (an inner {@link NDScope}); the result is handed to the caller's scope.
 */
public final class IsdaPerturbation implements Perturbation {

    private final double lambda;
    private ClassCovariance state;

    /**
     * Creates the method.
     *
     * @param lambda λ₀ ≥ 0, the final strength of the augmentation (0.5 in the paper)
     */
    public IsdaPerturbation(double lambda) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0: " + lambda);
        }
        this.lambda = lambda;
    }

    /**
     * Returns λ₀.
     *
     * @return the final strength
     */
    public double lambda() {
        return lambda;
    }

    /**
     * Returns the strength at a point of the schedule, {@code λ = λ₀·epoch/epochs}.
     *
     * @param epoch the 0-based epoch
     * @param totalEpochs the number of epochs
     * @return λ
     */
    public double lambdaAt(int epoch, int totalEpochs) {
        return lambda * epoch / totalEpochs;
    }

    @Override
    public java.util.Optional<dev.lpl.api.model.HeadType> requiredHead() {
        return java.util.Optional.of(dev.lpl.api.model.HeadType.LINEAR);
    }

    @Override
    public NDArray perturb(NDArray logits, NDArray labels, TrainingView view) {
        requireNonNull(logits, "logits is null");
        requireNonNull(labels, "labels is null");
        requireNonNull(view, "view is null");
        NDArray weight = view.classifierWeight().orElseThrow(IsdaPerturbation::needsLinearHead);
        NDArray features = view.features().orElseThrow(IsdaPerturbation::needsLinearHead);
        int numClasses = view.numClasses();
        Shape shape = logits.getShape();
        if (shape.dimension() != 2 || shape.get(1) != numClasses) {
            throw new IllegalArgumentException("logits must be B×C with C = " + numClasses + ": " + shape);
        }
        if (logits.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("logits must be float32: " + logits.getDataType());
        }
        int batch = Math.toIntExact(shape.get(0));
        Shape weightShape = weight.getShape();
        if (weightShape.dimension() != 2 || weightShape.get(0) != numClasses) {
            throw new LplException("ISDA needs the classifier weight as a C×D matrix with C = " + numClasses
                    + ", got " + weightShape);
        }
        int dimension = Math.toIntExact(weightShape.get(1));
        if (features.getShape().dimension() < 1 || features.getShape().get(0) != batch
                || features.size() != (long) batch * dimension) {
            throw new LplException("ISDA needs B×D penultimate features with B = " + batch + " and D = " + dimension
                    + " (the classifier weight is " + weightShape + "), got " + features.getShape());
        }
        if (labels.size() != batch) {
            throw new IllegalArgumentException("labels " + labels.getShape() + " must have B = " + batch + " values");
        }
        if (batch == 0) {
            return logits;
        }
        int[] hostLabels = HostLabels.of(labels);
        ensureState(numClasses, dimension, weight);
        BatchGroups groups = new BatchGroups(hostLabels, numClasses, state.seen());
        double strength = lambdaAt(view.epoch(), view.totalEpochs());
        NDArray result;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDManager step = view.manager();
            NDArray detached = features.stopGradient().reshape(batch, dimension);
            if (detached.getDataType() != DataType.FLOAT32) {
                detached = detached.toType(DataType.FLOAT32, false);
            }
            NDArray presentCovariance = state.update(detached, groups, step);
            if (strength == 0) {
                return logits;
            }
            Device device = weight.getDevice();
            NDArray present = step.create(groups.present).toDevice(device, false);
            NDArray presentWeight = weight.get(step, new NDIndex("{}", present)); // K×D, differentiable
            NDArray diff = weight.expandDims(0).sub(presentWeight.expandDims(1)); // [k, c] = w_c − w_{c_k}
            NDArray perClass = diff.matMul(presentCovariance).mul(diff).sum(new int[] {2})
                    .mul((float) (strength / 2)); // K×C
            NDArray perSample = perClass.get(new NDIndex("{}", step.create(groups.position).toDevice(device, false)));
            result = logits.add(perSample);
            NDScope.unregister(result);
        }
        NDScope.register(result);
        return result;
    }

    private void ensureState(int numClasses, int dimension, NDArray weight) {
        Device device = weight.getDevice();
        String engine = weight.getManager().getEngine().getEngineName();
        if (state == null) {
            state = ClassCovariance.zeros(device, engine, numClasses, dimension);
            return;
        }
        if (state.numClasses() != numClasses || state.dimension() != dimension) {
            throw new LplException("ISDA state is for C = " + state.numClasses() + ", D = " + state.dimension()
                    + " but the batch has C = " + numClasses + ", D = " + dimension
                    + " (was the state of another network or data set restored?)");
        }
        if (!state.device().equals(device)) {
            ClassCovariance moved = ClassCovariance.copyOf(state.arrays(), device, engine);
            state.close();
            state = moved;
        }
    }

    private static LplException needsLinearHead() {
        return new LplException("ISDA needs a network with a linear classifier (model.head = linear) whose"
                + " penultimate features and classifier weight the engine provides; this view has no "
                + "features or no classifier weight");
    }

    /**
     * Returns the live state: {@code covariance} (C×D×D, float32), {@code mean} (C×D, float32) and
     * {@code count} (C, int64); empty before the first batch.
     *
     * @return the state arrays
     */
    @Override
    public Map<String, NDArray> state() {
        return state == null ? Map.of() : state.arrays();
    }

    /**
     * Copies saved state in. Before the first batch the state takes the saved shapes (and the first
     * batch must match them); afterwards the shapes must equal the current ones. An empty map
     * (saved before any batch) resets the state.
     *
     * @param saved the arrays saved from {@link #state()}
     * @throws LplException if the names or shapes do not fit
     */
    @Override
    public void restoreState(Map<String, NDArray> saved) {
        requireNonNull(saved, "saved is null");
        if (saved.isEmpty()) {
            close();
            return;
        }
        if (state == null) {
            ClassCovariance.checkShapes(saved);
            NDArray covariance = saved.get(ClassCovariance.COVARIANCE);
            state = ClassCovariance.copyOf(saved, covariance.getDevice(),
                    covariance.getManager().getEngine().getEngineName());
        } else {
            state.copyFrom(saved);
        }
    }

    /** Frees the state; a later batch starts a new one. */
    @Override
    public void close() {
        if (state != null) {
            state.close();
            state = null;
        }
    }

    @Override
    public String toString() {
        return "IsdaPerturbation{lambda=" + lambda + "}";
    }

    /** The {@code isda} factory (configuration block {@code method.isda}: {@code lambda ≥ 0}). */
    public static final class Factory implements PerturbationFactory {

        /** Creates the factory. */
        public Factory() {
            // stateless
        }

        @Override
        public String name() {
            return "isda";
        }

        @Override
        public String description() {
            return "ISDA: implicit semantic data augmentation (Wang et al., NeurIPS 2019); needs model.head = linear";
        }

        @Override
        public Perturbation create(Settings settings, Components components) {
            requireNonNull(settings, "settings is null");
            requireNonNull(components, "components is null");
            return new IsdaPerturbation(settings.getDouble("lambda", 0, Double.MAX_VALUE));
        }
    }
}
