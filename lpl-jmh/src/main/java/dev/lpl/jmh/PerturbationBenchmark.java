package dev.lpl.jmh;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lpl.api.Seeds;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.data.LongTail;
import dev.lpl.core.train.MethodObjective;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The method objective of one mini-batch on B×C logits, without a network: the perturbation (for
 * {@code lpl}, the split, the bounds and the PGD inner solver of Algorithm 2, run on a host copy of
 * the logits), the per-sample loss on the perturbed logits and the (weighted) mean — exactly
 * {@link MethodObjective#compute}, built from the configuration as {@code lpl loss} and training
 * build it ({@code Bootstrap → ConfigLoader.load(method.type=…) → RunFactory.method}).
 *
 * <p>Why it matters: the objective runs once per training step, and LPL's inner loop is the part
 * of the step that a method adds on top of cross-entropy; {@code lpl bench} reports its share of a
 * whole step, this benchmark isolates it so that a change to the inner solver, the split or the
 * bounds can be timed in microseconds. {@code ce} and {@code la} are the references (a plain and a
 * constant-shift loss), {@code la+lpl} is LPL with the logit-adjustment shift (Eq. 15).
 *
 * <p>As in {@code TrainingStep}, the logits require gradient and the objective runs inside a
 * {@link GradientCollector}, so the graph is recorded exactly as in training; {@link #objective}
 * times the forward part only (what {@code lpl bench} reports as the objective's share),
 * {@link #objectiveBackward} adds the backward pass through it. Every invocation runs in its own
 * sub-manager and {@link NDScope} (as a training step does), both closed at its end, so every array
 * it creates is freed and native memory stays flat. The logits are one CPU array made once per
 * trial, a leaf of the graph: the backward pass ends there (adding into its gradient) where training
 * would go on into the network.
 *
 * <p>The batch: standard-normal logits and labels drawn from an exponential long-tailed class
 * distribution (ρ = 100, {@code n_1} = 50,000 / C, like CIFAR-10/100-LT), at the last of ten epochs
 * (as {@code lpl bench}), all from seed 42. {@code method} takes any method or preset name ({@code
 * -p method=lpl-lt-cifar100}); {@code lpl} runs with its defaults (the CIFAR-10-LT row) and
 * {@code la+lpl} is the 10-class preset, also at C = 100 (its own comment names {@code
 * la+lpl-cifar100} for 100 classes). Methods that need the network's features (ISDA) cannot run
 * here. The engine runs one intra-op thread unless {@code -p threads=N} says otherwise (see
 * {@link #threads}); the setting needs a forked JVM per trial (JMH's default, not {@code -f 0}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PerturbationBenchmark {

    /** The root seed of the logits and labels. */
    private static final long SEED = 42;
    /** The objective is taken at the last of ten epochs, as in {@code lpl bench}. */
    private static final int EPOCH = 9;
    private static final int EPOCHS = 10;

    /** The method ({@code method.type}): a method or preset name. */
    @Param({"ce", "la", "lpl", "la+lpl"})
    public String method;

    /** B, the batch size. */
    @Param({"128"})
    public int batch;

    /** C, the number of classes. */
    @Param({"10", "100"})
    public int classes;

    /**
     * PyTorch intra-op threads ({@code training.threads}; 0 = all cores, training's default). One by
     * default: on B×C logits the engine's operations are too small to gain from more, and on a busy
     * machine waking idle OpenMP threads makes each operation slower and the timings erratic.
     */
    @Param({"1"})
    public int threads;

    private MethodObjective objective;
    private NDManager manager;
    private NDArray logits;
    private NDArray labels;
    private long[] classCounts;

    /** Starts the engine, builds the method's objective from its configuration and the batch. */
    @Setup(Level.Trial)
    public void setUp() {
        JmhEnvironment.startEngine(threads);
        Bootstrap lpl = Bootstrap.start(List.of());
        RunConfig config = lpl.configLoader().load(null, List.of("method.type=" + method));
        objective = lpl.runFactory().method(config.settings());

        classCounts = new LongTail(LongTail.Profile.EXPONENTIAL, 100).targetCounts(classes, 50_000 / classes);
        SplittableRandom random = new SplittableRandom(Seeds.derive(SEED, "jmh-perturbation"));
        float[] hostLogits = new float[batch * classes];
        for (int i = 0; i < hostLogits.length; i++) {
            hostLogits[i] = (float) gaussian(random);
        }
        long total = Arrays.stream(classCounts).sum();
        long[] hostLabels = new long[batch];
        for (int i = 0; i < batch; i++) {
            long r = random.nextLong(total);
            int c = 0;
            while (r >= classCounts[c]) {
                r -= classCounts[c];
                c++;
            }
            hostLabels[i] = c;
        }
        manager = NDManager.newBaseManager(Device.cpu());
        logits = manager.create(hostLogits, new Shape(batch, classes));
        logits.setRequiresGradient(true);
        labels = manager.create(hostLabels);
    }

    /** Closes the objective and the batch. */
    @TearDown(Level.Trial)
    public void tearDown() {
        objective.close();
        manager.close();
    }

    /**
     * The objective's forward part, as training records it (inside a gradient collector).
     *
     * @return the loss, so that nothing is optimised away
     */
    @Benchmark
    @SuppressWarnings("try") // the collector only has to be open while the objective runs
    public float objective() {
        try (NDScope scope = new NDScope();
                NDManager step = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            scope.suppressNotUsedWarning();
            TrainingView view = new TrainingView(classCounts, EPOCH, EPOCHS, step);
            NDArray loss = objective.compute(logits, labels, view).loss();
            return loss.getFloat();
        }
    }

    /**
     * The objective and the backward pass through it to the logits.
     *
     * @return the loss, so that nothing is optimised away
     */
    @Benchmark
    public float objectiveBackward() {
        try (NDScope scope = new NDScope();
                NDManager step = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            scope.suppressNotUsedWarning();
            TrainingView view = new TrainingView(classCounts, EPOCH, EPOCHS, step);
            NDArray loss = objective.compute(logits, labels, view).loss();
            collector.backward(loss);
            return loss.getFloat();
        }
    }

    /** A standard normal draw (Box–Muller), from the given seeded source. */
    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
