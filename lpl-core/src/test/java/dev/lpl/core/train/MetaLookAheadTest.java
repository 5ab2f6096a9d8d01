package dev.lpl.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.lpl.api.Settings;
import dev.lpl.api.data.ImageSet;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.api.objective.MetaReweighting;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.api.training.WeightOptimizer;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.data.Augmentation;
import dev.lpl.core.data.HostBatch;
import dev.lpl.core.data.MetaBatches;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The meta-gradient of Meta-Weight-Net's look-ahead in {@link TrainingStep} (first-order autograd
 * and central differences) against the exact one, computed here as PyTorch does it: a backward
 * that creates the graph of the gradients, the virtual step, and a backward of the meta loss
 * through that graph (which leaks a graph, harmless in a test).
 */
class MetaLookAheadTest {

    private static final Bootstrap LPL = Bootstrap.start(List.of());
    private static final float LEARNING_RATE = 0.5f;
    private static final Shape IMAGE = new Shape(1, 4, 4);

    /** A two-parameter weighting net w_i = sigmoid(a·l_i + b), normalised; records its meta-gradient. */
    private static final class RecordingWeighting implements Perturbation, MetaReweighting {

        private NDManager manager;
        private NDArray a;
        private NDArray b;
        private float[] lastGradient;
        private int updates;

        @Override
        public int metaPerClass() {
            return 4;
        }

        @Override
        public int metaBatchSize() {
            return 8;
        }

        @Override
        public List<NDArray> parameters(Device device) {
            if (a == null) {
                manager = NDManager.newBaseManager(device);
                a = manager.create(new float[] {0.7f});
                b = manager.create(new float[] {-0.2f});
                ai.djl.ndarray.NDScope.unregister(a, b);
                a.setRequiresGradient(true);
                b.setRequiresGradient(true);
            }
            return List.of(a, b);
        }

        @Override
        public NDArray weights(NDArray perSampleLoss) {
            parameters(perSampleLoss.getDevice());
            return weightsOf(perSampleLoss, a, b);
        }

        static NDArray weightsOf(NDArray losses, NDArray a, NDArray b) {
            NDArray w = losses.mul(a).add(b).neg().exp().add(1f).pow(-1f);
            return w.div(w.sum());
        }

        @Override
        public void update() {
            lastGradient = new float[] {a.getGradient().getFloat(), b.getGradient().getFloat()};
            updates++;
        }

        @Override
        public NDArray perturb(NDArray logits, NDArray labels, TrainingView view) {
            return logits;
        }

        @Override
        public void close() {
            if (manager != null) {
                manager.close();
            }
        }
    }

    private static NDArray logits(ClassifierBlock block, ParameterStore store, NDArray x) {
        NDList features = block.features().forward(store, new NDList(x), true);
        return block.classifier().forward(store, features, true).singletonOrThrow();
    }

    @Test
    void theLookAheadsMetaGradientMatchesTheExactSecondOrderOne() {
        Settings root = LPL.configLoader().load(null, List.of(
                "model.type=tiny-mlp", "method.type=identity", "training.backend=cpu")).settings();
        SplittableRandom random = new SplittableRandom(3);
        int batch = 16;
        float[] images = new float[batch * 16];
        long[] labels = new long[batch];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < batch; i++) {
            labels[i] = i % 3 == 0 ? 1 : 0;
        }
        HostBatch hostBatch = new HostBatch(images, labels, batch);
        byte[] metaPixels = new byte[8 * 16];
        int[] metaLabels = new int[8];
        for (int i = 0; i < metaPixels.length; i++) {
            metaPixels[i] = (byte) random.nextInt(256);
        }
        for (int i = 0; i < 8; i++) {
            metaLabels[i] = i % 2;
        }
        Augmentation plain = new Augmentation(0, Augmentation.PaddingMode.ZERO, false, new float[] {0.5f},
                new float[] {0.25f});
        MetaBatches metaBatches = new MetaBatches(new ImageSet(metaPixels, metaLabels, 1, 4, 4), plain, 8, 9);

        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed(5);
        try (NDManager manager = engine.newBaseManager(Device.cpu());
                RecordingWeighting weighting = new RecordingWeighting();
                MethodObjective objective = new MethodObjective(weighting)) {
            ClassifierBlock block = LPL.runFactory().model(root, 1, 4, 4, 2, manager);
            float[] exact = exactMetaGradient(manager, block, hostBatch, metaBatches.batch(0));

            WeightOptimizer optimizer = LPL.runFactory().weightOptimizer(root);
            optimizer.setLearningRate(LEARNING_RATE);
            TrainingStep step = new TrainingStep(block, manager, new ParameterStore(manager, false), Device.cpu(),
                    objective, optimizer, new long[] {100, 10}, new ImageFormat(IMAGE, true), Precision.FP32, 10, metaBatches,
                    null);
            float loss = step.run(hostBatch, 0, 0, 77, null).loss();
            assertThat(Float.isFinite(loss)).isTrue();
            assertThat(weighting.updates).isEqualTo(1);
            assertThat(exact[0]).isNotCloseTo(0f, within(1e-6f));
            for (int k = 0; k < 2; k++) {
                assertThat(weighting.lastGradient[k]).as("meta-gradient of parameter %d", k)
                        .isCloseTo(exact[k], within(0.02f * Math.abs(exact[k]) + 1e-6f));
            }
        }
    }

    /** PyTorch's route: backward(create_graph=True), θ' = θ − lr·∇θ, backward of the meta loss. */
    private static float[] exactMetaGradient(NDManager manager, ClassifierBlock block, HostBatch batch,
            HostBatch meta) {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(batch.images(), new Shape(batch.size()).addAll(IMAGE));
            NDArray y = m.create(batch.labels());
            NDArray metaX = m.create(meta.images(), new Shape(meta.size()).addAll(IMAGE));
            NDArray metaY = m.create(meta.labels());
            Map<String, NDArray> leaves = new HashMap<>();
            for (Parameter parameter : block.getParameters().values()) {
                NDArray leaf = parameter.getArray().duplicate();
                leaf.setRequiresGradient(parameter.requiresGradient());
                leaves.put(parameter.getId(), leaf);
            }
            NDArray a = m.create(new float[] {0.7f});
            NDArray b = m.create(new float[] {-0.2f});
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            try (GradientCollector collector = m.getEngine().newGradientCollector()) {
                NDArray perSample = CrossEntropyLoss.INSTANCE.perSample(
                        logits(block, new SubstitutedParameters(m, leaves), x), y);
                NDArray weighted = RecordingWeighting.weightsOf(perSample.stopGradient(), a, b).mul(perSample).sum();
                JniUtils.backward((PtNDArray) weighted, (PtNDArray) weighted.onesLike(), true, true);
                Map<String, NDArray> ahead = new HashMap<>();
                for (Parameter parameter : block.getParameters().values()) {
                    NDArray leaf = leaves.get(parameter.getId());
                    ahead.put(parameter.getId(), parameter.requiresGradient()
                            ? leaf.sub(leaf.getGradient().mul(LEARNING_RATE)) : leaf);
                }
                JniUtils.zeroGrad((PtNDArray) a);
                JniUtils.zeroGrad((PtNDArray) b);
                NDArray metaLoss = MethodObjective.crossEntropy(
                        logits(block, new SubstitutedParameters(m, ahead), metaX), metaY);
                JniUtils.backward((PtNDArray) metaLoss, (PtNDArray) metaLoss.onesLike(), false, false);
            }
            return new float[] {a.getGradient().getFloat(), b.getGradient().getFloat()};
        }
    }
}
