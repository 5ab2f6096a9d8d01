package dev.lpl.api.model;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Optional;

/**
 * A classification network split into a feature extractor {@code f(x)} (B×D penultimate features)
 * and a classifier {@code g(f)} (B×C logits). Its forward pass is {@code g(f(x))}; the two parts
 * can also be run separately, e.g. for ISDA, which needs the features and the classifier weights.
 */
public final class ClassifierBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block features;
    private final Block classifier;
    private final int featureDimension;
    private final Parameter classScale;

    /**
     * Creates a network from its two parts.
     *
     * @param features maps a B×C×H×W batch to B×D features
     * @param classifier maps B×D features to B×C logits
     * @param featureDimension D
     */
    @SuppressWarnings("this-escape")
    public ClassifierBlock(Block features, Block classifier, int featureDimension) {
        this(features, classifier, featureDimension, 0);
    }

    @SuppressWarnings("this-escape")
    private ClassifierBlock(Block features, Block classifier, int featureDimension, int scaledClasses) {
        super(VERSION);
        this.features = addChildBlock("features", requireNonNull(features, "features is null"));
        this.classifier =
                addChildBlock("classifier", requireNonNull(classifier, "classifier is null"));
        this.featureDimension = featureDimension;
        this.classScale = scaledClasses == 0 ? null : addParameter(Parameter.builder()
                .setName(CLASS_SCALE)
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(scaledClasses))
                .optInitializer(Initializer.ONES)
                .build());
    }

    /** The name of the per-class scale parameter ({@link #withClassScale}), in DJL and PyTorch naming. */
    public static final String CLASS_SCALE = "class_scale";

    /**
     * Returns this network with a learnable per-class scale {@code f} on its logits, {@code
     * logits_c = f_c · g_c(x)}, initialised to 1 (so the logits are at first the unscaled ones):
     * learnable weight scaling, LWS, of Kang et al., "Decoupling Representation and Classifier for
     * Long-Tailed Recognition", ICLR 2020, §4 (classifier learning), which scales each class vector, {@code w̃_c = f_c·w_c}; with a bias the scale is
     * on the whole logit {@code f_c·(w_cᵀx + b_c)}. The scale is a parameter of this block, named
     * {@value #CLASS_SCALE}, so it is checkpointed and restored as any other.
     *
     * @param numClasses C, the length of the scale
     * @return a network with the same (uninitialised) feature extractor and classifier
     * @throws IllegalStateException if this network is initialised or already has a scale
     */
    public ClassifierBlock withClassScale(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be positive: " + numClasses);
        }
        if (classScale != null || isInitialized()) {
            throw new IllegalStateException("a class scale is added once, before initialisation");
        }
        return new ClassifierBlock(features, classifier, featureDimension, numClasses);
    }

    /**
     * Returns the per-class scale parameter, if the network has one ({@link #withClassScale}).
     *
     * @return the C-vector {@code f}, or empty
     */
    public Optional<Parameter> classScale() {
        return Optional.ofNullable(classScale);
    }

    /**
     * Maps features to logits: the classifier, then the per-class scale if there is one. Use this
     * rather than {@code classifier().forward} when running the two parts separately.
     *
     * @param parameterStore the parameter store
     * @param features the B×D features
     * @param training whether in training mode
     * @return the B×C logits
     */
    public NDList logits(ParameterStore parameterStore, NDList features, boolean training) {
        NDList logits = classifier.forward(parameterStore, features, training);
        if (classScale == null) {
            return logits;
        }
        NDArray raw = logits.singletonOrThrow();
        return new NDList(raw.mul(parameterStore.getValue(classScale, raw.getDevice(), training)));
    }

    /**
     * Returns the feature extractor.
     *
     * @return {@code f}
     */
    public Block features() {
        return features;
    }

    /**
     * Returns the classifier.
     *
     * @return {@code g}
     */
    public Block classifier() {
        return classifier;
    }

    /**
     * Returns the feature dimension D.
     *
     * @return D
     */
    public int featureDimension() {
        return featureDimension;
    }

    /**
     * Returns the weight parameter of the classifier when it is a linear layer (DJL's {@link
     * Linear}, whose weight is C×D with row c the class vector {@code w_c}), as ISDA needs.
     *
     * @return the weight parameter, empty for any other classifier (e.g. the cosine head)
     */
    public Optional<Parameter> linearClassifierWeight() {
        if (!(classifier instanceof Linear)) {
            return Optional.empty();
        }
        return Optional.ofNullable(classifier.getParameters().get("weight"));
    }

    /**
     * Counts the trainable parameters (BatchNorm running statistics are buffers and not counted).
     *
     * @return the number of trainable scalars
     */
    public long trainableParameterCount() {
        return getParameters().values().stream()
                .filter(p -> p.requiresGradient())
                .mapToLong(p -> p.getArray().getShape().size())
                .sum();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDList f = features.forward(parameterStore, inputs, training, params);
        NDList logits = classifier.forward(parameterStore, f, training, params);
        if (classScale == null) {
            return logits;
        }
        NDArray raw = logits.singletonOrThrow();
        return new NDList(raw.mul(parameterStore.getValue(classScale, raw.getDevice(), training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return classifier.getOutputShapes(features.getOutputShapes(inputShapes));
    }

    @Override
    public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        features.initialize(manager, dataType, inputShapes);
        classifier.initialize(manager, dataType, features.getOutputShapes(inputShapes));
    }
}
