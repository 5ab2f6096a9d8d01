package dev.lpl.core.bench;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.lpl.api.Seeds;
import dev.lpl.api.Settings;
import dev.lpl.api.data.ImageSet;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.api.objective.MetaReweighting;
import dev.lpl.core.config.ConfigLoader;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.data.Augmentation;
import dev.lpl.core.data.HostBatch;
import dev.lpl.core.data.LongTail;
import dev.lpl.core.data.MetaBatches;
import dev.lpl.core.run.EngineSession;
import dev.lpl.core.run.RunFactory;
import dev.lpl.core.train.CpuFeatures;
import dev.lpl.core.train.ImageFormat;
import dev.lpl.core.train.MethodObjective;
import dev.lpl.core.train.Precision;
import dev.lpl.core.train.TrainingStep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Times the training step of several methods on one network architecture and batch size. Each
 * method gets its own network (its configuration may choose another head), initialised with the
 * same seed; all train on the same random batch whose labels follow a long-tailed class
 * distribution (ρ = 100), at the last of ten epochs (deferred re-weighting and ISDA's λ are
 * active), so that class-dependent methods do their usual work. After a warm-up,
 * rounds run every method for a few steps in turn (each round starting with the next method),
 * and the statistics are taken over all timed steps.
 */
public final class StepBenchmark {

    /** The steps run at the last of ten epochs, so epoch-dependent parts (DRW, ISDA's λ) are active. */
    private static final int EPOCH = 9;
    private static final int EPOCHS = 10;

    /**
     * What to run.
     *
     * @param channels input channels
     * @param height input height
     * @param width input width
     * @param numClasses C
     * @param batch B
     * @param warmup untimed steps per method before the first round
     * @param rounds rounds of timed steps
     * @param stepsPerRound timed steps of each method per round
     * @param seed the seed of the network initialisation and the batch
     */
    public record Options(
            int channels, int height, int width, int numClasses, int batch, int warmup, int rounds,
            int stepsPerRound, long seed) {}

    /**
     * The timings of one method.
     *
     * @param method the method (or preset) name
     * @param stepMillis every timed step, in milliseconds
     * @param objectiveMillis the objective's share of every timed step, in milliseconds
     * @param pairedRatios per round, this method's mean step time over the reference method's
     *     (the first) in the same round, so that a machine slowing down affects both sides
     * @param batch B
     */
    public record Timing(
            String method, double[] stepMillis, double[] objectiveMillis, double[] pairedRatios, int batch) {

        /**
         * Returns the median over rounds of the paired ratio to the reference method.
         *
         * @return the median paired ratio (1 for the reference itself)
         */
        public double pairedRatio() {
            return quantile(pairedRatios, 0.5);
        }

        /**
         * Returns a quantile of the step times.
         *
         * @param q in [0, 1]
         * @return the quantile in milliseconds
         */
        public double stepQuantile(double q) {
            return quantile(stepMillis, q);
        }

        /**
         * Returns the median time of the objective.
         *
         * @return milliseconds
         */
        public double objectiveMedian() {
            return quantile(objectiveMillis, 0.5);
        }

        /**
         * Returns the throughput at the median step time.
         *
         * @return images per second
         */
        public double imagesPerSecond() {
            return batch * 1000.0 / stepQuantile(0.5);
        }
    }

    private final ConfigLoader loader;
    private final RunFactory runs;

    /**
     * Creates the benchmark.
     *
     * @param loader the configuration loader
     * @param runs the run factory (builds objectives, networks and optimizers)
     */
    public StepBenchmark(ConfigLoader loader, RunFactory runs) {
        this.loader = requireNonNull(loader, "loader is null");
        this.runs = requireNonNull(runs, "runs is null");
    }

    private static final class Subject implements AutoCloseable {
        final String method;
        final NDManager manager;
        final TrainingStep step;
        final MethodObjective objective;
        final List<Double> steps = new ArrayList<>();
        final List<Double> objectives = new ArrayList<>();
        final List<Double> roundMeans = new ArrayList<>();

        Subject(String method, NDManager manager, TrainingStep step, MethodObjective objective) {
            this.method = method;
            this.manager = manager;
            this.step = step;
            this.objective = objective;
        }

        void run(HostBatch batch, boolean record) {
            long start = System.nanoTime();
            TrainingStep.Result r = step.run(batch, EPOCH);
            long nanos = System.nanoTime() - start;
            if (record) {
                steps.add(nanos / 1e6);
                objectives.add(r.objectiveNanos() / 1e6);
            }
        }

        @Override
        public void close() {
            objective.close();
            manager.close();
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param methods method or preset names, each optionally with {@code @fp32} or {@code @bf16}
     *     (its {@code training.precision}); the first is the reference (usually {@code ce})
     * @param overrides {@code key=value} overrides applied to every method's configuration
     * @param options what to run
     * @return one timing per method, in the given order
     */
    public List<Timing> run(List<String> methods, List<String> overrides, Options options) {
        List<Subject> subjects = new ArrayList<>();
        try {
            List<Settings> configs = new ArrayList<>();
            for (String method : methods) {
                List<String> sets = new ArrayList<>(overrides);
                int at = method.indexOf('@');
                sets.add("method.type=" + (at < 0 ? method : method.substring(0, at)));
                if (at >= 0) {
                    sets.add("training.precision=" + method.substring(at + 1));
                }
                RunConfig config = loader.load(null, sets);
                configs.add(config.settings());
                runs.method(config.settings()).close(); // validate every method before any work
            }
            Settings first = configs.get(0);
            EngineSession session = runs.engineSession(first).start();
            Engine engine = session.engine();
            Device device = session.device();
            long[] counts = new LongTail(LongTail.Profile.EXPONENTIAL, 100).targetCounts(options.numClasses(), 5000);
            HostBatch batch = batch(options, counts);
            Shape imageShape = new Shape(options.channels(), options.height(), options.width());
            CpuFeatures cpu = CpuFeatures.detect();
            for (int i = 0; i < methods.size(); i++) {
                Settings root = configs.get(i);
                Precision precision = Precision.of(root.getSettings("training"));
                precision.checkSupported(device, cpu);
                session.seed(Seeds.derive(options.seed(), "init"));
                NDManager manager = engine.newBaseManager(device);
                ClassifierBlock block = runs.model(root, options.channels(), options.height(), options.width(),
                        options.numClasses(), manager);
                MethodObjective objective = runs.method(root);
                MetaBatches meta = objective.perturbation() instanceof MetaReweighting r ? metaBatches(options, r) : null;
                TrainingStep step = new TrainingStep(block, manager, new ParameterStore(manager, false), device,
                        objective, runs.weightOptimizer(root), counts,
                        ImageFormat.of(root.getSettings("training"), imageShape), precision, EPOCHS, meta, null);
                subjects.add(new Subject(methods.get(i), manager, step, objective));
            }
            for (Subject subject : subjects) {
                for (int k = 0; k < options.warmup(); k++) {
                    subject.run(batch, false);
                }
            }
            for (int round = 0; round < options.rounds(); round++) {
                // each round starts with another method, so that no method always runs first
                // (right after the others, whose work may have evicted caches or left garbage)
                for (int j = 0; j < subjects.size(); j++) {
                    Subject subject = subjects.get((round + j) % subjects.size());
                    int before = subject.steps.size();
                    for (int k = 0; k < options.stepsPerRound(); k++) {
                        subject.run(batch, true);
                    }
                    subject.roundMeans.add(subject.steps.subList(before, subject.steps.size()).stream()
                            .mapToDouble(Double::doubleValue).average().orElseThrow());
                }
            }
            List<Timing> timings = new ArrayList<>();
            List<Double> reference = subjects.get(0).roundMeans;
            for (Subject s : subjects) {
                double[] ratios = new double[reference.size()];
                for (int r = 0; r < ratios.length; r++) {
                    ratios[r] = s.roundMeans.get(r) / reference.get(r);
                }
                timings.add(new Timing(s.method, toArray(s.steps), toArray(s.objectives), ratios, options.batch()));
            }
            return timings;
        } finally {
            subjects.forEach(Subject::close);
        }
    }

    private static HostBatch batch(Options options, long[] counts) {
        SplittableRandom random = new SplittableRandom(Seeds.derive(options.seed(), "bench-batch"));
        int size = options.channels() * options.height() * options.width();
        float[] images = new float[options.batch() * size];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) (random.nextDouble() * 2 - 1);
        }
        long total = Arrays.stream(counts).sum();
        long[] labels = new long[options.batch()];
        for (int i = 0; i < labels.length; i++) {
            long r = random.nextLong(total);
            int c = 0;
            while (r >= counts[c]) {
                r -= counts[c];
                c++;
            }
            labels[i] = c;
        }
        return new HostBatch(images, labels, options.batch());
    }

    /** A balanced meta set of random images, for methods that learn on one (Meta-Weight-Net). */
    private static MetaBatches metaBatches(Options options, MetaReweighting method) {
        SplittableRandom random = new SplittableRandom(Seeds.derive(options.seed(), "bench-meta"));
        int n = method.metaPerClass() * options.numClasses();
        byte[] pixels = new byte[n * options.channels() * options.height() * options.width()];
        int[] labels = new int[n];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) random.nextInt(256);
        }
        for (int i = 0; i < n; i++) {
            labels[i] = i % options.numClasses();
        }
        float[] mean = new float[options.channels()];
        float[] std = new float[options.channels()];
        Arrays.fill(mean, 0.5f);
        Arrays.fill(std, 0.25f);
        return new MetaBatches(new ImageSet(pixels, labels, options.channels(), options.height(), options.width()),
                new Augmentation(0, Augmentation.PaddingMode.ZERO, false, mean, std), method.metaBatchSize(),
                Seeds.derive(options.seed(), "bench-meta-loader"));
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double quantile(double[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = q * (sorted.length - 1);
        int lower = (int) Math.floor(position);
        int upper = (int) Math.ceil(position);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}
