package dev.lpl.core.gan;

import java.util.SplittableRandom;

/**
 * The generator's inputs for n images, drawn on the host from one seed so that they depend only on
 * (seed, n, labels) — never on what was drawn before (a resumed run draws the same latents).
 *
 * <p>Row i of {@link #input} is {@code [z_i ‖ one-hot(y_i) ‖ c_i]} with z ~ N(0, I) (dimension
 * {@code noise}) and the continuous codes c ~ U(−1, 1) of infoGAN.
 *
 * @param input n × (noise + C + codes), row-major
 * @param labels the n labels
 * @param codes n × codes, row-major (empty without codes)
 */
public record Latents(float[] input, long[] labels, float[] codes) {

    /**
     * Draws latents for given labels.
     *
     * @param spec the GAN's shape
     * @param labels the labels of the images to make
     * @param seed the seed
     * @return the latents
     */
    public static Latents draw(GanSpec spec, long[] labels, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = labels.length;
        int k = spec.variant().codes();
        int width = spec.generatorInput();
        float[] input = new float[n * width];
        float[] codes = new float[n * k];
        for (int i = 0; i < n; i++) {
            int row = i * width;
            for (int j = 0; j < spec.noise(); j++) {
                input[row + j] = (float) random.nextGaussian();
            }
            input[row + spec.noise() + (int) labels[i]] = 1f;
            for (int j = 0; j < k; j++) {
                float c = (float) (2 * random.nextDouble() - 1);
                codes[i * k + j] = c;
                input[row + spec.noise() + spec.classes() + j] = c;
            }
        }
        return new Latents(input, labels.clone(), codes);
    }

    /**
     * Draws latents with the labels drawn too: uniformly over the classes, or with probability
     * proportional to {@code weights}.
     *
     * @param spec the GAN's shape
     * @param n the number of images
     * @param weights per-class sampling weights, or null for uniform
     * @param seed the seed
     * @return the latents
     */
    public static Latents drawWithLabels(GanSpec spec, int n, double[] weights, long seed) {
        SplittableRandom random = new SplittableRandom(dev.lpl.api.Seeds.derive(seed, "labels"));
        long[] labels = new long[n];
        double total = 0;
        if (weights != null) {
            for (double w : weights) {
                total += w;
            }
        }
        for (int i = 0; i < n; i++) {
            if (weights == null) {
                labels[i] = random.nextInt(spec.classes());
            } else {
                double u = random.nextDouble() * total;
                int c = 0;
                while (c < weights.length - 1 && u >= weights[c]) {
                    u -= weights[c];
                    c++;
                }
                labels[i] = c;
            }
        }
        return draw(spec, labels, dev.lpl.api.Seeds.derive(seed, "latent"));
    }
}
