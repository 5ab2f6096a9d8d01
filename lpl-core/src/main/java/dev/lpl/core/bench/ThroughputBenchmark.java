package dev.lpl.core.bench;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.lpl.api.Seeds;
import dev.lpl.api.Settings;
import dev.lpl.api.data.ImageSet;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.core.config.ConfigLoader;
import dev.lpl.core.data.Augmentation;
import dev.lpl.core.data.BatchLoader;
import dev.lpl.core.data.HostBatch;
import dev.lpl.core.run.EngineSession;
import dev.lpl.core.run.RunFactory;
import dev.lpl.core.train.CpuFeatures;
import dev.lpl.core.train.GradMode;
import dev.lpl.core.train.ImageFormat;
import dev.lpl.core.train.InputBuffer;
import dev.lpl.core.train.Precision;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The throughput of the two parts of an epoch that are not training steps: the input pipeline on
 * its own (random crop after 4 pixels of padding, flip, normalisation and batch assembly from raw
 * bytes, on the loader's background thread, as in training) and evaluation (inference-mode
 * forward passes without autograd, as {@code Evaluator} runs them, and with autograd for
 * comparison).
 */
public final class ThroughputBenchmark {

    private final ConfigLoader loader;
    private final RunFactory runs;

    /**
     * Creates the benchmark.
     *
     * @param loader the configuration loader
     * @param runs the run factory (builds the network)
     */
    public ThroughputBenchmark(ConfigLoader loader, RunFactory runs) {
        this.loader = requireNonNull(loader, "loader is null");
        this.runs = requireNonNull(runs, "runs is null");
    }

    /**
     * The evaluation figures.
     *
     * @param imagesPerSecond median throughput without autograd, as evaluation runs
     * @param withAutogradImagesPerSecond median throughput of the same forward passes recording
     *     an autograd graph (what evaluation would cost with the thread's grad mode left on)
     */
    public record Evaluation(double imagesPerSecond, double withAutogradImagesPerSecond) {}

    /**
     * Times the input pipeline alone: a training-set loader over {@code batches} batches of random
     * images, after one untimed epoch.
     *
     * @param options shape, batch size and seed
     * @param batches batches per epoch
     * @param epochs timed epochs
     * @return images per second
     */
    public static double inputPipeline(StepBenchmark.Options options, int batches, int epochs) {
        int n = options.batch() * batches;
        int size = options.channels() * options.height() * options.width();
        SplittableRandom random = new SplittableRandom(Seeds.derive(options.seed(), "bench-pipeline"));
        byte[] pixels = new byte[n * size];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) random.nextInt(256);
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % options.numClasses();
        }
        ImageSet set = new ImageSet(pixels, labels, options.channels(), options.height(), options.width());
        float[] mean = new float[options.channels()];
        float[] std = new float[options.channels()];
        Arrays.fill(mean, 0.5f);
        Arrays.fill(std, 0.25f);
        Augmentation augmentation = new Augmentation(4, Augmentation.PaddingMode.ZERO, true, mean, std);
        try (BatchLoader batchLoader = new BatchLoader(set, augmentation, options.batch(), true, options.seed(), 4)) {
            drain(batchLoader.epoch(0));
            long start = System.nanoTime();
            long images = 0;
            for (int e = 1; e <= epochs; e++) {
                images += drain(batchLoader.epoch(e));
            }
            return images / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static long drain(Iterator<HostBatch> batches) {
        long images = 0;
        while (batches.hasNext()) {
            images += batches.next().size();
        }
        return images;
    }

    /**
     * Times evaluation's forward passes on the configured network.
     *
     * @param overrides {@code key=value} overrides (model.type, training.threads, ...)
     * @param options shape, classes, batch size, warm-up and rounds
     * @return the evaluation throughput
     */
    public Evaluation evaluation(List<String> overrides, StepBenchmark.Options options) {
        Settings root = loader.load(null, overrides).settings();
        EngineSession session = runs.engineSession(root).start();
        Engine engine = session.engine();
        Device device = session.device();
        session.seed(Seeds.derive(options.seed(), "init"));
        ImageFormat format = ImageFormat.of(root.getSettings("training"),
                new Shape(options.channels(), options.height(), options.width()));
        Precision precision = Precision.of(root.getSettings("training"));
        precision.checkSupported(device, CpuFeatures.detect());
        float[] images = new float[options.batch() * (int) format.shape().size()];
        SplittableRandom random = new SplittableRandom(Seeds.derive(options.seed(), "bench-eval"));
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) (random.nextDouble() * 2 - 1);
        }
        InputBuffer input = new InputBuffer();
        try (NDManager manager = engine.newBaseManager(device)) {
            ClassifierBlock block = runs.model(root, options.channels(), options.height(), options.width(),
                    options.numClasses(), manager);
            ParameterStore store = new ParameterStore(manager, false);
            double[] without = new double[options.rounds()];
            double[] with = new double[options.rounds()];
            boolean previous = GradMode.enabled();
            for (int r = -options.warmup(); r < options.rounds(); r++) {
                double a;
                try (GradMode off = GradMode.disabled()) {
                    a = forward(block, store, manager, device, input, images, format, precision, options.batch());
                }
                double b;
                try (GradMode on = GradMode.set(true)) { // as if evaluation left the thread's mode on
                    b = forward(block, store, manager, device, input, images, format, precision, options.batch());
                }
                if (r >= 0) {
                    without[r] = a;
                    with[r] = b;
                }
            }
            if (GradMode.enabled() != previous) {
                throw new IllegalStateException("grad mode not restored");
            }
            return new Evaluation(options.batch() / StepBenchmark.quantile(without, 0.5),
                    options.batch() / StepBenchmark.quantile(with, 0.5));
        }
    }

    private static double forward(ClassifierBlock block, ParameterStore store, NDManager manager, Device device,
            InputBuffer input, float[] images, ImageFormat format, Precision precision, int batch) {
        long start = System.nanoTime();
        try (NDScope scope = new NDScope(); NDManager m = manager.newSubManager(device)) {
            scope.suppressNotUsedWarning();
            NDArray x = precision.input(input.images(m, images, batch, format));
            NDArray logits = precision.output(
                    block.forward(precision.parameters(store), new NDList(x), false).singletonOrThrow());
            logits.argMax(1).toLongArray();
            logits.softmax(1).max(new int[] {1}).toFloatArray();
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
