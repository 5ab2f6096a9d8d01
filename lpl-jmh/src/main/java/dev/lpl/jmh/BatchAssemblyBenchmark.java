package dev.lpl.jmh;

import dev.lpl.api.Seeds;
import dev.lpl.api.data.ImageSet;
import dev.lpl.core.data.Augmentation;
import dev.lpl.core.data.BatchLoader;
import dev.lpl.core.data.HostBatch;
import java.util.Iterator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The input pipeline's per-batch work on raw bytes: for each of B = 128 images of 3×32×32 bytes,
 * zero padding 4 and a random crop back to 32×32, a horizontal flip with probability ½ and the
 * per-channel normalisation {@code (x/255 − mean)/std}, written in one pass into the 128×3×32×32
 * float batch ({@link Augmentation}), with the batch's labels ({@link HostBatch}). The images are
 * 4,096 random byte images (10 classes) from seed 42, held in memory as an {@link ImageSet}.
 *
 * <p>Why it matters: training consumes one such batch per step, assembled on a background thread
 * ({@code data.prefetch} ahead); when assembling a batch takes longer than the step, the network
 * waits for data (the run's {@code data-wait} timer). At one to a few milliseconds a batch it must
 * stay well below the step time of even the smallest model.
 *
 * <p>{@link #loaderBatch} is the real path as training sees it: {@link BatchLoader} (shuffle,
 * per-batch child seeds, the producer thread and its queue, {@code prefetch} = 4, the
 * {@code reference.conf} default) iterated over a whole epoch of 32 batches, reported per batch.
 * {@link #augmentationBatch} times the batch assembly alone on the calling thread ({@link
 * BatchLoader#assemble}, the method the loader's thread runs), without the shuffle, the thread
 * hand-off and the queue; the difference between the two is the loader's overhead. {@code augment = false} is the same without augmentation (padding 0, no flip: the
 * normalisation only).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BatchAssemblyBenchmark {

    /** The root seed of the images and of the loader. */
    private static final long SEED = 42;
    private static final int IMAGES = 4096;
    private static final int BATCH = 128;
    private static final int BATCHES_PER_EPOCH = IMAGES / BATCH;
    private static final int CHANNELS = 3;
    private static final int SIZE = 32;
    private static final int CLASSES = 10;
    /** The {@code data.prefetch} default. */
    private static final int PREFETCH = 4;
    /** The usual CIFAR-10 channel statistics of x/255 (the values do not change the work). */
    private static final float[] MEAN = {0.4914f, 0.4822f, 0.4465f};
    private static final float[] STD = {0.2470f, 0.2435f, 0.2616f};

    /** true: pad 4 (zero), random crop, random flip (the CIFAR recipe); false: normalisation only. */
    @Param({"true", "false"})
    public boolean augment;

    private ImageSet images;
    private Augmentation augmentation;
    private BatchLoader loader;
    private int epoch;
    private SplittableRandom random;
    /** The identity order: a batch is 128 consecutive images from a random start. */
    private int[] order;

    /** Creates the images, the augmentation and the loader. */
    @Setup(Level.Trial)
    public void setUp() {
        JmhEnvironment.offline();
        SplittableRandom source = new SplittableRandom(Seeds.derive(SEED, "jmh-images"));
        byte[] pixels = new byte[IMAGES * CHANNELS * SIZE * SIZE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) source.nextInt(256);
        }
        int[] labels = new int[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            labels[i] = source.nextInt(CLASSES);
        }
        images = new ImageSet(pixels, labels, CHANNELS, SIZE, SIZE);
        augmentation = augment
                ? new Augmentation(4, Augmentation.PaddingMode.ZERO, true, MEAN, STD)
                : new Augmentation(0, Augmentation.PaddingMode.ZERO, false, MEAN, STD);
        loader = new BatchLoader(images, augmentation, BATCH, true, Seeds.derive(SEED, "loader"), PREFETCH);
        random = new SplittableRandom(Seeds.derive(SEED, "jmh-augment"));
        order = java.util.stream.IntStream.range(0, IMAGES).toArray();
        epoch = 0;
    }

    /** Stops the loader's thread. */
    @TearDown(Level.Trial)
    public void tearDown() {
        loader.close();
    }

    /**
     * One epoch of the training loader (32 batches of 128), reported per batch.
     *
     * @param blackhole consumes every batch
     */
    @Benchmark
    @OperationsPerInvocation(BATCHES_PER_EPOCH)
    public void loaderBatch(Blackhole blackhole) {
        Iterator<HostBatch> batches = loader.epoch(epoch++);
        int count = 0;
        while (batches.hasNext()) {
            blackhole.consume(batches.next());
            count++;
        }
        if (count != BATCHES_PER_EPOCH) {
            throw new IllegalStateException("expected " + BATCHES_PER_EPOCH + " batches, got " + count);
        }
    }

    /**
     * One batch of 128 consecutive images (from a random start) assembled on this thread by the
     * loader's own {@link BatchLoader#assemble}.
     *
     * @return the batch
     */
    @Benchmark
    public HostBatch augmentationBatch() {
        int start = random.nextInt(IMAGES - BATCH + 1);
        return BatchLoader.assemble(images, augmentation, augment, order, start, BATCH, random);
    }
}
