package dev.lpl.data;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.data.ImageSet;

/**
 * Per-channel mean and standard deviation of an {@link ImageSet}'s pixels scaled to [0, 1], as used
 * for input normalisation. Computed exactly from a 256-bin histogram per channel (one pass over the
 * bytes, no floating-point accumulation per pixel).
 */
public final class PixelStatistics {

    private final float[] mean;
    private final float[] std;

    private PixelStatistics(float[] mean, float[] std) {
        this.mean = mean;
        this.std = std;
    }

    /**
     * Computes the statistics of a set of images.
     *
     * @param images the images (at least one)
     * @return the per-channel mean and population standard deviation
     */
    public static PixelStatistics of(ImageSet images) {
        requireNonNull(images, "images is null");
        if (images.size() == 0) {
            throw new IllegalArgumentException("cannot compute pixel statistics of an empty set");
        }
        int channels = images.channels();
        int plane = images.height() * images.width();
        byte[] pixels = images.pixels();
        long[][] histogram = new long[channels][256];
        int offset = 0;
        for (int i = 0; i < images.size(); i++) {
            for (int c = 0; c < channels; c++) {
                long[] h = histogram[c];
                for (int end = offset + plane; offset < end; offset++) {
                    h[pixels[offset] & 0xff]++;
                }
            }
        }
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            long[] h = histogram[c];
            double n = 0;
            double sum = 0;
            for (int v = 0; v < 256; v++) {
                n += h[v];
                sum += (double) v * h[v];
            }
            double m = sum / n;
            double squares = 0;
            for (int v = 0; v < 256; v++) {
                double d = v - m;
                squares += d * d * h[v];
            }
            mean[c] = (float) (m / 255.0);
            std[c] = (float) (Math.sqrt(squares / n) / 255.0);
        }
        return new PixelStatistics(mean, std);
    }

    /**
     * Returns the per-channel mean.
     *
     * @return a copy, one value per channel, in [0, 1]
     */
    public float[] mean() {
        return mean.clone();
    }

    /**
     * Returns the per-channel population standard deviation.
     *
     * @return a copy, one value per channel
     */
    public float[] std() {
        return std.clone();
    }
}
