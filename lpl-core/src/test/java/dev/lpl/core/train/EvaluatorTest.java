package dev.lpl.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import dev.lpl.api.data.ImageSet;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.core.data.Augmentation;
import dev.lpl.core.data.BatchLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Evaluation runs without autograd whatever the thread's grad mode, and restores it. */
class EvaluatorTest {

    @Test
    void evaluationRecordsNoAutogradGraphAndRestoresTheGradMode() {
        Engine engine = Engine.getEngine("PyTorch");
        int n = 50;
        SplittableRandom random = new SplittableRandom(7);
        byte[] pixels = new byte[n * 16];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            for (int p = 0; p < 16; p++) {
                pixels[i * 16 + p] = (byte) random.nextInt(256);
            }
        }
        ImageSet set = new ImageSet(pixels, labels, 1, 4, 4);
        try (NDManager manager = engine.newBaseManager(Device.cpu());
                BatchLoader loader = new BatchLoader(set,
                        new Augmentation(0, Augmentation.PaddingMode.ZERO, false, new float[] {0.5f}, new float[] {0.25f}),
                        16, false, 0, 2)) {
            SequentialBlock features = new SequentialBlock().add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(8).build()).add(Activation::relu);
            ClassifierBlock block = new ClassifierBlock(features, Linear.builder().setUnits(3).build(), 8);
            block.setInitializer(new NormalInitializer(0.1f), ai.djl.nn.Parameter.Type.WEIGHT);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 4, 4));
            Evaluator evaluator = new Evaluator(block, new ParameterStore(manager, false), manager, Device.cpu(), loader,
                    ImageFormat.channelsFirst(new Shape(1, 4, 4)), Precision.FP32, 3, logits -> logits);

            JniUtils.setGradMode(true); // as on a fresh thread, and after DJL's collector closes
            List<Boolean> gradMode = new ArrayList<>();
            List<Boolean> logitsRequireGrad = new ArrayList<>();
            List<float[]> hostLogits = new ArrayList<>();
            Evaluator.Result result = evaluator.evaluate(logits -> {
                gradMode.add(JniUtils.isGradMode());
                logitsRequireGrad.add(logits.hasGradient());
                hostLogits.add(logits.toFloatArray());
                return logits;
            });
            assertThat(gradMode).hasSize(4).containsOnly(false);
            assertThat(logitsRequireGrad).containsOnly(false);
            assertThat(JniUtils.isGradMode()).as("the previous mode is restored").isTrue();
            long total = 0;
            for (long[] row : result.confusion()) {
                for (long v : row) {
                    total += v;
                }
            }
            assertThat(total).isEqualTo(n);
            // the loss is the mean cross-entropy of the prediction logits, computed here on the host
            double lossSum = 0;
            long[][] confusion = new long[3][3];
            int i = 0;
            for (float[] batch : hostLogits) {
                for (int r = 0; r < batch.length / 3; r++, i++) {
                    double max = Math.max(batch[3 * r], Math.max(batch[3 * r + 1], batch[3 * r + 2]));
                    double z = 0;
                    int argmax = 0;
                    for (int c = 0; c < 3; c++) {
                        z += Math.exp(batch[3 * r + c] - max);
                        argmax = batch[3 * r + c] > batch[3 * r + argmax] ? c : argmax;
                    }
                    lossSum += Math.log(z) + max - batch[3 * r + labels[i]];
                    confusion[labels[i]][argmax]++;
                }
            }
            assertThat(i).isEqualTo(n);
            assertThat(result.loss()).isCloseTo(lossSum / n, org.assertj.core.api.Assertions.within(1e-5));
            assertThat(result.confusion()).isEqualTo(confusion);
        } finally {
            JniUtils.setGradMode(false);
        }
    }

    @Test
    void probabilitiesOfOtherImagesAreTheSoftmaxOfThePredictionLogitsWithoutAutograd() {
        Engine engine = Engine.getEngine("PyTorch");
        SplittableRandom random = new SplittableRandom(11);
        int n = 21; // two batches of 16 and 5
        byte[] pixels = new byte[n * 16];
        for (int p = 0; p < pixels.length; p++) {
            pixels[p] = (byte) random.nextInt(256);
        }
        ImageSet test = new ImageSet(new byte[16], new int[1], 1, 4, 4);
        ImageSet images = new ImageSet(pixels, new int[n], 1, 4, 4);
        try (NDManager manager = engine.newBaseManager(Device.cpu());
                BatchLoader loader = new BatchLoader(test,
                        new Augmentation(0, Augmentation.PaddingMode.ZERO, false, new float[] {0.5f}, new float[] {0.25f}),
                        16, false, 0, 2)) {
            SequentialBlock features = new SequentialBlock().add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(8).build()).add(Activation::relu);
            ClassifierBlock block = new ClassifierBlock(features, Linear.builder().setUnits(3).build(), 8);
            block.setInitializer(new NormalInitializer(0.1f), ai.djl.nn.Parameter.Type.WEIGHT);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 4, 4));
            float[] shift = {0f, 1f, -2f};
            Evaluator evaluator = new Evaluator(block, new ParameterStore(manager, false), manager, Device.cpu(), loader,
                    ImageFormat.channelsFirst(new Shape(1, 4, 4)), Precision.FP32, 3, logits -> logits.add(manager.create(shift)));

            JniUtils.setGradMode(true);
            List<Boolean> gradMode = new ArrayList<>();
            float[] raw = evaluator.probabilities(images, logits -> {
                gradMode.add(JniUtils.isGradMode());
                return logits;
            });
            float[] adjusted = evaluator.probabilities(images);
            assertThat(gradMode).containsExactly(false, false);
            assertThat(JniUtils.isGradMode()).isTrue();
            assertThat(raw).hasSize(n * 3);
            // the same images normalised by hand, (x / 255 - 0.5) / 0.25, through the network on the host side
            float[] x = new float[n * 16];
            for (int p = 0; p < x.length; p++) {
                x[p] = ((pixels[p] & 0xff) / 255f - 0.5f) / 0.25f;
            }
            float[] logits = block.forward(new ParameterStore(manager, false),
                    new ai.djl.ndarray.NDList(manager.create(x, new Shape(n, 1, 4, 4))), false).singletonOrThrow()
                    .toFloatArray();
            for (int i = 0; i < n; i++) {
                double z = 0;
                double za = 0;
                for (int c = 0; c < 3; c++) {
                    z += Math.exp(logits[3 * i + c]);
                    za += Math.exp(logits[3 * i + c] + shift[c]);
                }
                for (int c = 0; c < 3; c++) {
                    assertThat((double) raw[3 * i + c]).isCloseTo(Math.exp(logits[3 * i + c]) / z,
                            org.assertj.core.api.Assertions.within(1e-5));
                    assertThat((double) adjusted[3 * i + c]).isCloseTo(Math.exp(logits[3 * i + c] + shift[c]) / za,
                            org.assertj.core.api.Assertions.within(1e-5));
                }
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> evaluator.probabilities(
                    new ImageSet(new byte[3 * 16], new int[1], 3, 4, 4)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(3, 4, 4)");
        } finally {
            JniUtils.setGradMode(false);
        }
    }
}
