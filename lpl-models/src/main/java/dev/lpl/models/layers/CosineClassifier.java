package dev.lpl.models.layers;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The bias-free cosine classifier of LDAM-DRW's {@code NormedLinear} (Cao, Wei, Gaidon, Arechiga
 * and Ma, "Learning Imbalanced Datasets with Label-Distribution-Aware Margin Loss", NeurIPS 2019):
 * {@code logits = normalize(x, dim=1) · normalize(W, dim=0)} with a D×C weight {@code W}, so every
 * logit is the cosine between a feature vector and a class weight and lies in [−1, 1].
 *
 * <p>The weight is a {@link Parameter.Type#WEIGHT} parameter, so the initialiser the framework sets
 * for weights (Kaiming normal) applies to it; its columns are normalised in every forward pass, so
 * only their directions matter. The norms are clamped below by {@value #EPSILON}, as in {@code
 * torch.nn.functional.normalize}. Three tensor operations per call.
 */
public final class CosineClassifier extends AbstractBlock {

    /** The lower bound of the norms, which keeps an all-zero vector finite. */
    public static final double EPSILON = 1e-12;

    private static final byte VERSION = 1;

    private final int units;
    private final Parameter weight;

    /**
     * Creates the classifier.
     *
     * @param units the number of classes C
     */
    public CosineClassifier(int units) {
        super(VERSION);
        this.units = Convolutions.positive(units, "units");
        this.weight =
                addParameter(
                        Parameter.builder()
                                .setName("weight")
                                .setType(Parameter.Type.WEIGHT)
                                .build());
    }

    /**
     * Returns the number of classes.
     *
     * @return C
     */
    public int units() {
        return units;
    }

    /**
     * Returns the D×C weight parameter (its columns are the class directions).
     *
     * @return the weight
     */
    public Parameter weight() {
        return weight;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = requireNonNull(inputs, "inputs is null").singletonOrThrow();
        NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
        return new NDList(x.normalize(2, 1, EPSILON).matMul(w.normalize(2, 0, EPSILON)));
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        weight.setShape(new Shape(featureDimension(inputShapes[0]), units));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        featureDimension(in);
        return new Shape[] {new Shape(in.get(0), units)};
    }

    private static long featureDimension(Shape in) {
        if (in.dimension() != 2) {
            throw new IllegalArgumentException("the cosine classifier needs B×D features, got " + in);
        }
        return in.get(1);
    }
}
