package dev.lpl.models;

import static java.util.Objects.requireNonNull;

import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import dev.lpl.api.model.HeadType;
import dev.lpl.models.layers.CosineClassifier;

/** Builds the classifier head a {@link dev.lpl.api.model.ModelSpec} asks for. */
final class Heads {

    private Heads() {}

    /**
     * Builds a head that maps B×D features to B×C logits.
     *
     * @param head the head type
     * @param numClasses C
     * @return an affine layer with or without bias, or the bias-free cosine classifier
     */
    static Block create(HeadType head, int numClasses) {
        requireNonNull(head, "head is null");
        switch (head) {
            case LINEAR:
                return Linear.builder().setUnits(numClasses).optBias(true).build();
            case LINEAR_NO_BIAS:
                return Linear.builder().setUnits(numClasses).optBias(false).build();
            case COSINE:
                return new CosineClassifier(numClasses);
            default:
                throw new IllegalArgumentException("unknown head " + head);
        }
    }
}
