package dev.lpl.core.data;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.data.ImageSet;
import java.util.SplittableRandom;

/**
 * Writes images from bytes into a float batch in one pass: optional padding (zero or reflect) with
 * a random crop back to the original size, an optional horizontal flip with probability ½ (the
 * CIFAR recipe: {@code RandomCrop(32, padding=4)} then {@code RandomHorizontalFlip}), and
 * per-channel normalisation {@code (x/255 − mean)/std} through a 256-entry lookup table. Zero
 * padding pads with pixel value 0 before normalisation, as torchvision does on the image.
 *
 * <p>Immutable and thread-safe; randomness comes from the caller's {@link SplittableRandom}.
 */
public final class Augmentation {

    /** How the border is filled before cropping. */
    public enum PaddingMode {
        /** Pixel value 0. */
        ZERO,
        /** Mirror without repeating the edge ({@code numpy.pad(mode="reflect")}). */
        REFLECT
    }

    private final int padding;
    private final PaddingMode paddingMode;
    private final boolean flip;
    private final float[][] lookup;

    /**
     * Creates an augmentation.
     *
     * @param padding pixels of padding on each side before the random crop (0 = no crop)
     * @param paddingMode how the border is filled
     * @param flip whether to flip horizontally with probability ½
     * @param mean per-channel mean of x/255
     * @param std per-channel standard deviation of x/255
     */
    public Augmentation(int padding, PaddingMode paddingMode, boolean flip, float[] mean, float[] std) {
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be >= 0");
        }
        requireNonNull(mean, "mean is null");
        requireNonNull(std, "std is null");
        this.padding = padding;
        this.paddingMode = requireNonNull(paddingMode, "paddingMode is null");
        this.flip = flip;
        this.lookup = new float[mean.length][256];
        for (int c = 0; c < mean.length; c++) {
            for (int v = 0; v < 256; v++) {
                lookup[c][v] = (v / 255f - mean[c]) / std[c];
            }
        }
    }

    /**
     * Writes one image without augmentation (evaluation).
     *
     * @param set the source images
     * @param index the image index
     * @param out the batch buffer
     * @param offset where the image starts in {@code out}
     */
    public void writePlain(ImageSet set, int index, float[] out, int offset) {
        byte[] pixels = set.pixels();
        int plane = set.height() * set.width();
        int base = index * set.imageBytes();
        for (int c = 0; c < set.channels(); c++) {
            float[] lut = lookup[c];
            int src = base + c * plane;
            int dst = offset + c * plane;
            for (int k = 0; k < plane; k++) {
                out[dst + k] = lut[pixels[src + k] & 0xff];
            }
        }
    }

    /**
     * Writes one image with a random crop and flip (training).
     *
     * @param set the source images
     * @param index the image index
     * @param out the batch buffer
     * @param offset where the image starts in {@code out}
     * @param random the random source (consumes two or three draws)
     */
    public void writeAugmented(ImageSet set, int index, float[] out, int offset, SplittableRandom random) {
        int dy = padding == 0 ? 0 : random.nextInt(2 * padding + 1) - padding;
        int dx = padding == 0 ? 0 : random.nextInt(2 * padding + 1) - padding;
        boolean mirror = flip && random.nextBoolean();
        if (dy == 0 && dx == 0 && !mirror) {
            writePlain(set, index, out, offset);
            return;
        }
        byte[] pixels = set.pixels();
        int h = set.height();
        int w = set.width();
        int plane = h * w;
        int base = index * set.imageBytes();
        for (int c = 0; c < set.channels(); c++) {
            float[] lut = lookup[c];
            float zero = lut[0];
            int src = base + c * plane;
            int dst = offset + c * plane;
            for (int y = 0; y < h; y++) {
                int sy = y + dy;
                boolean rowInside = sy >= 0 && sy < h;
                if (!rowInside && paddingMode == PaddingMode.REFLECT) {
                    sy = reflect(sy, h);
                    rowInside = true;
                }
                int rowOut = dst + y * w;
                if (!rowInside) {
                    java.util.Arrays.fill(out, rowOut, rowOut + w, zero);
                    continue;
                }
                int rowIn = src + sy * w;
                for (int x = 0; x < w; x++) {
                    int sx = (mirror ? w - 1 - x : x) + dx;
                    float value;
                    if (sx >= 0 && sx < w) {
                        value = lut[pixels[rowIn + sx] & 0xff];
                    } else if (paddingMode == PaddingMode.REFLECT) {
                        value = lut[pixels[rowIn + reflect(sx, w)] & 0xff];
                    } else {
                        value = zero;
                    }
                    out[rowOut + x] = value;
                }
            }
        }
    }

    private static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }
}
