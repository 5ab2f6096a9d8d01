package dev.lpl.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.lpl.api.Settings;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.data.HostBatch;
import dev.lpl.core.run.ResidentMemory;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Many training steps leave native memory flat: every step's arrays (input batch, activations,
 * gradients, the method's work) are freed with the step's sub-manager, and the input is uploaded
 * through a reused direct buffer. Before that buffer, DJL's per-call direct buffers grew resident
 * memory by one batch per step (3x32x32 float, B = 128: 1.5 MB; 600 MB over the steps below,
 * measured) until a garbage collection happened to free them.
 */
class NativeMemoryTest {

    private static final Bootstrap LPL = Bootstrap.start(List.of());
    private static final int WARMUP = 50;
    private static final int STEPS = 400;

    @Test
    void manyStepsKeepTheNumberOfLiveArraysAndResidentMemoryFlat() {
        Settings root = LPL.configLoader().load(null, List.of(
                "model.type=tiny-mlp", "method.type=identity", "training.backend=cpu")).settings();
        Engine engine = Engine.getEngine("PyTorch");
        Shape imageShape = new Shape(3, 32, 32);
        int batch = 128;
        SplittableRandom random = new SplittableRandom(11);
        float[] images = new float[batch * 3 * 32 * 32];
        long[] labels = new long[batch];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < batch; i++) {
            labels[i] = i % 2;
        }
        HostBatch hostBatch = new HostBatch(images, labels, batch);
        long[] counts = {900, 100};
        try (NDManager manager = engine.newBaseManager(Device.cpu());
                MethodObjective objective = LPL.runFactory().method(root)) {
            ClassifierBlock block = LPL.runFactory().model(root, 3, 32, 32, 2, manager);
            TrainingStep step = new TrainingStep(block, manager, new ParameterStore(manager, false), Device.cpu(),
                    objective, LPL.runFactory().weightOptimizer(root), counts, new ImageFormat(imageShape, true), Precision.FP32, 10,
                    null, null);
            for (int i = 0; i < WARMUP; i++) {
                step.run(hostBatch, 0);
            }
            System.gc();
            int arraysBefore = ((ai.djl.ndarray.BaseNDManager) manager).getManagedArrays().size();
            long residentBefore = ResidentMemory.current().orElse(0);
            for (int i = 0; i < STEPS; i++) {
                assertThat(Float.isFinite(step.run(hostBatch, i < STEPS / 2 ? 0 : 9).loss())).isTrue();
            }
            int arraysAfter = ((ai.djl.ndarray.BaseNDManager) manager).getManagedArrays().size();
            long residentAfter = ResidentMemory.current().orElse(0);
            assertThat(arraysAfter).as("live NDArrays of the model's manager").isEqualTo(arraysBefore);
            assertThat(arraysBefore).as("parameters, their gradients and momentum buffers only").isLessThan(50);
            assertThat((residentAfter - residentBefore) >> 20)
                    .as("resident memory growth over %d steps, MB", STEPS).isLessThan(100);
        }
    }
}
