package dev.lpl.api.model;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
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

    /**
     * Creates a network from its two parts.
     *
     * @param features maps a B×C×H×W batch to B×D features
     * @param classifier maps B×D features to B×C logits
     * @param featureDimension D
     */
    @SuppressWarnings("this-escape")
    public ClassifierBlock(Block features, Block classifier, int featureDimension) {
        super(VERSION);
        this.features = addChildBlock("features", requireNonNull(features, "features is null"));
        this.classifier =
                addChildBlock("classifier", requireNonNull(classifier, "classifier is null"));
        this.featureDimension = featureDimension;
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
        return classifier.forward(parameterStore, f, training, params);
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
