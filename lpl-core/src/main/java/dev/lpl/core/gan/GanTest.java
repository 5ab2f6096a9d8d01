package dev.lpl.core.gan;

import dev.lpl.api.data.ImageSet;
import dev.lpl.core.run.PreparedRun;

/**
 * GAN-test (Shmelkov, Schmid and Alahari, "How good is my GAN?", ECCV 2018): the accuracy that a
 * classifier trained on real images gives generated images of each class. Generated images that
 * a good classifier does not recognise as their class are useless as augmentation. The classifier
 * is a finished lpl classifier run ({@code gan.evaluator.run}); the images go to it as 8-bit
 * pixels, exactly as test images do (its normalisation, inference mode, its method's prediction
 * logits). The same latents (child seed {@code gan-test}) are used every epoch.
 */
final class GanTest {

    /**
     * The figures.
     *
     * @param perClassAccuracy accuracy on the generated images of each class
     * @param balancedAccuracy their mean (equal to the plain accuracy: every class has as many)
     */
    record Result(double[] perClassAccuracy, double balancedAccuracy) {}

    private GanTest() {}

    /**
     * Generates {@code perClass} images of every class and classifies them.
     *
     * @param model the GAN
     * @param classifier the evaluator run
     * @param perClass images per class
     * @param seed the latents' seed
     * @return per-class and balanced accuracy
     */
    static Result evaluate(GanModel model, PreparedRun classifier, int perClass, long seed) {
        GanSpec spec = model.spec();
        int c = spec.classes();
        long[] labels = new long[c * perClass];
        int[] intLabels = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i / perClass;
            intLabels[i] = i / perClass;
        }
        byte[] pixels = GeneratedImages.toBytes(model, Latents.draw(spec, labels, seed));
        float[] probabilities = classifier.predict(new ImageSet(pixels, intLabels, spec.channels(), spec.height(),
                spec.width()), 0);
        double[] correct = new double[c];
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int k = 1; k < c; k++) {
                if (probabilities[i * c + k] > probabilities[i * c + best]) {
                    best = k;
                }
            }
            if (best == labels[i]) {
                correct[(int) labels[i]]++;
            }
        }
        double sum = 0;
        for (int k = 0; k < c; k++) {
            correct[k] /= perClass;
            sum += correct[k];
        }
        return new Result(correct, sum / c);
    }
}
