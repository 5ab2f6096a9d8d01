package dev.lpl.api.model;

import static java.util.Objects.requireNonNull;

/** What a network must fit: the input image shape, the number of classes and the head. */
public final class ModelSpec {

    private final int channels;
    private final int height;
    private final int width;
    private final int numClasses;
    private final HeadType head;

    /**
     * Creates a spec.
     *
     * @param channels input channels
     * @param height input height
     * @param width input width
     * @param numClasses number of classes C (the logits' width)
     * @param head the classifier head
     */
    public ModelSpec(int channels, int height, int width, int numClasses, HeadType head) {
        if (channels < 1 || height < 1 || width < 1 || numClasses < 2) {
            throw new IllegalArgumentException("invalid model spec");
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.numClasses = numClasses;
        this.head = requireNonNull(head, "head is null");
    }

    /**
     * Returns the input channels.
     *
     * @return channels
     */
    public int channels() {
        return channels;
    }

    /**
     * Returns the input height.
     *
     * @return height
     */
    public int height() {
        return height;
    }

    /**
     * Returns the input width.
     *
     * @return width
     */
    public int width() {
        return width;
    }

    /**
     * Returns the number of classes.
     *
     * @return C
     */
    public int numClasses() {
        return numClasses;
    }

    /**
     * Returns the head.
     *
     * @return the classifier head
     */
    public HeadType head() {
        return head;
    }
}
