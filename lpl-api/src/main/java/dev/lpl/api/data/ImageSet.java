package dev.lpl.api.data;

import static java.util.Objects.requireNonNull;

/**
 * A set of equally sized images with labels, kept as unsigned bytes in planar layout: image i
 * occupies {@code pixels[i·C·H·W, (i+1)·C·H·W)} as C planes of H rows of W pixels (the layout of
 * the CIFAR binary files). Keeping bytes (not floats) makes a 50,000-image set 150 MB instead of
 * 600 MB and lets augmentation copy bytes.
 *
 * <p>Instances are immutable by contract: the arrays are not copied on construction for speed, and
 * must not be modified afterwards.
 */
public final class ImageSet {

    private final byte[] pixels;
    private final int[] labels;
    private final int channels;
    private final int height;
    private final int width;

    /**
     * Creates a set.
     *
     * @param pixels N·C·H·W bytes, planar per image
     * @param labels N labels
     * @param channels C (1 for grey, 3 for RGB)
     * @param height H
     * @param width W
     */
    public ImageSet(byte[] pixels, int[] labels, int channels, int height, int width) {
        this.pixels = requireNonNull(pixels, "pixels is null");
        this.labels = requireNonNull(labels, "labels is null");
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image shape must be positive");
        }
        if ((long) labels.length * channels * height * width != pixels.length) {
            throw new IllegalArgumentException(
                    "pixels hold " + pixels.length + " bytes, expected " + labels.length
                            + " images of " + channels + "×" + height + "×" + width);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /**
     * Returns the number of images N.
     *
     * @return N
     */
    public int size() {
        return labels.length;
    }

    /**
     * Returns the pixel bytes (not a copy; do not modify).
     *
     * @return N·C·H·W bytes
     */
    public byte[] pixels() {
        return pixels;
    }

    /**
     * Returns the labels (not a copy; do not modify).
     *
     * @return N labels
     */
    public int[] labels() {
        return labels;
    }

    /**
     * Returns the label of one image.
     *
     * @param i the image index
     * @return its label
     */
    public int label(int i) {
        return labels[i];
    }

    /**
     * Returns the number of channels C.
     *
     * @return C
     */
    public int channels() {
        return channels;
    }

    /**
     * Returns the height H.
     *
     * @return H
     */
    public int height() {
        return height;
    }

    /**
     * Returns the width W.
     *
     * @return W
     */
    public int width() {
        return width;
    }

    /**
     * Returns the number of bytes of one image.
     *
     * @return C·H·W
     */
    public int imageBytes() {
        return channels * height * width;
    }

    /**
     * Counts the images of every class.
     *
     * @param numClasses the number of classes
     * @return the count of each label in {@code [0, numClasses)}
     */
    public long[] classCounts(int numClasses) {
        long[] counts = new long[numClasses];
        for (int y : labels) {
            counts[y]++;
        }
        return counts;
    }

    /**
     * Returns the images at the given indices, in that order (copied).
     *
     * @param indices indices into this set
     * @return a new set
     */
    public ImageSet subset(int[] indices) {
        int bytes = imageBytes();
        byte[] newPixels = new byte[indices.length * bytes];
        int[] newLabels = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            System.arraycopy(pixels, i * bytes, newPixels, k * bytes, bytes);
            newLabels[k] = labels[i];
        }
        return new ImageSet(newPixels, newLabels, channels, height, width);
    }
}
