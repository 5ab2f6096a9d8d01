package dev.lpl.core.data;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.Seeds;
import dev.lpl.api.data.ImageSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Assembles the batches of an epoch on a background thread while the training thread computes,
 * keeping up to {@code prefetch} batches ready. The order of epoch {@code e} depends only on the
 * seed and {@code e} (child seed {@code shuffle/e}), the augmentation of its batch {@code b} only
 * on the seed, {@code e} and {@code b} ({@code augment/e/batch/b}), so a run resumed at any batch
 * sees the same data as an uninterrupted one.
 *
 * <p>The last batch of an epoch may be smaller (PyTorch's {@code drop_last=False}).
 */
public final class BatchLoader implements AutoCloseable {

    private static final HostBatch END = new HostBatch(new float[0], new long[0], 0);

    private final ImageSet set;
    private final Augmentation augmentation;
    private final int batchSize;
    private final boolean train;
    private final long seed;
    private final int prefetch;
    private final ExecutorService executor;
    private final int balancedFrom;
    private int[][] byClass;
    private Future<?> current;

    /**
     * Creates a loader.
     *
     * @param set the images
     * @param augmentation how images become floats
     * @param batchSize B
     * @param train true to shuffle and augment, false for evaluation order without augmentation
     * @param seed the data seed
     * @param prefetch batches kept ready ahead of the consumer (at least 1)
     */
    public BatchLoader(
            ImageSet set, Augmentation augmentation, int batchSize, boolean train, long seed, int prefetch) {
        this(set, augmentation, batchSize, train, seed, prefetch, Integer.MAX_VALUE);
    }

    /**
     * Creates a training loader whose epochs from {@code balancedFrom} on are class-balanced draws
     * (class-balanced fine-tuning): each of the N positions of such an epoch takes a class
     * uniformly, then an image of that class uniformly, with replacement (child seed {@code
     * balanced/e}).
     *
     * @param set the images
     * @param augmentation how images become floats
     * @param batchSize B
     * @param train true to shuffle and augment, false for evaluation order without augmentation
     * @param seed the data seed
     * @param prefetch batches kept ready ahead of the consumer (at least 1)
     * @param balancedFrom the first 0-based epoch drawn class-balanced ({@link Integer#MAX_VALUE}: none)
     */
    public BatchLoader(ImageSet set, Augmentation augmentation, int batchSize, boolean train, long seed,
            int prefetch, int balancedFrom) {
        this.balancedFrom = balancedFrom;
        this.set = requireNonNull(set, "set is null");
        this.augmentation = requireNonNull(augmentation, "augmentation is null");
        if (batchSize < 1 || prefetch < 1) {
            throw new IllegalArgumentException("batchSize and prefetch must be positive");
        }
        this.batchSize = batchSize;
        this.train = train;
        this.seed = seed;
        this.prefetch = prefetch;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lpl-batch-loader");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Returns an evaluation loader over other images with this loader's normalisation, batch size
     * and prefetch: in order, without shuffle or augmentation (close it after use).
     *
     * @param images the images, of the shape this loader's images have
     * @return a new loader
     */
    public BatchLoader forImages(ImageSet images) {
        return new BatchLoader(images, augmentation, batchSize, false, seed, prefetch);
    }

    /**
     * Returns the number of batches of an epoch.
     *
     * @return ⌈N/B⌉
     */
    public int batchesPerEpoch() {
        return (set.size() + batchSize - 1) / batchSize;
    }

    /**
     * Starts assembling the batches of an epoch and returns them in order.
     *
     * @param epoch the 0-based epoch (selects the shuffle and augmentation)
     * @return the batches; iterate to the end or abandon (a new call cancels the old producer)
     */
    public Iterator<HostBatch> epoch(int epoch) {
        return epoch(epoch, 0);
    }

    /**
     * Starts assembling the batches of an epoch from a given batch on, exactly as they would come
     * in an uninterrupted epoch (each batch's augmentation has its own child seed), so a run
     * resumed in the middle of an epoch sees the same data.
     *
     * @param epoch the 0-based epoch (selects the shuffle and augmentation)
     * @param firstBatch the 0-based batch to start from
     * @return the remaining batches of the epoch
     */
    public Iterator<HostBatch> epoch(int epoch, int firstBatch) {
        if (current != null) {
            current.cancel(true);
        }
        BlockingQueue<HostBatch> queue = new ArrayBlockingQueue<>(prefetch);
        int[] order = order(epoch);
        long epochSeed = Seeds.derive(seed, "augment", epoch);
        Future<?> producer = executor.submit(() -> {
            try {
                for (int b = firstBatch, start = firstBatch * batchSize; start < order.length; b++, start += batchSize) {
                    SplittableRandom random = new SplittableRandom(Seeds.derive(epochSeed, "batch", b));
                    queue.put(assemble(order, start, Math.min(batchSize, order.length - start), random));
                }
                queue.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        current = producer;
        return new Iterator<>() {
            private HostBatch next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = take(queue, producer);
                }
                return next != END;
            }

            @Override
            public HostBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                HostBatch batch = next;
                next = null;
                return batch;
            }
        };
    }

    private static HostBatch take(BlockingQueue<HostBatch> queue, Future<?> producer) {
        try {
            while (true) {
                HostBatch batch = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (batch != null) {
                    return batch;
                }
                if (producer.isDone()) {
                    producer.get(); // rethrows the producer's failure
                    batch = queue.poll();
                    if (batch != null) {
                        return batch;
                    }
                    throw new IllegalStateException("batch producer stopped without finishing the epoch");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("batch assembly failed: " + e.getCause(), e.getCause());
        }
    }

    private int[] order(int epoch) {
        if (train && epoch >= balancedFrom) {
            return balancedOrder(epoch);
        }
        int[] order = new int[set.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (train) {
            LongTail.shuffle(order, new SplittableRandom(Seeds.derive(seed, "shuffle", epoch)));
        }
        return order;
    }

    private int[] balancedOrder(int epoch) {
        if (byClass == null) {
            int[] labels = set.labels();
            int classes = java.util.Arrays.stream(labels).max().orElse(-1) + 1;
            byClass = java.util.Arrays.stream(ClassIndices.of(labels, classes)).filter(l -> l.length > 0)
                    .toArray(int[][]::new);
        }
        SplittableRandom random = new SplittableRandom(Seeds.derive(seed, "balanced", epoch));
        int[] order = new int[set.size()];
        for (int i = 0; i < order.length; i++) {
            int[] members = byClass[random.nextInt(byClass.length)];
            order[i] = members[random.nextInt(members.length)];
        }
        return order;
    }

    private HostBatch assemble(int[] order, int start, int size, SplittableRandom random) {
        return assemble(set, augmentation, train, order, start, size, random);
    }

    /**
     * Assembles one batch from raw bytes, as the loader's background thread does: each image
     * augmented (training) or only normalised, written into one B×C×H×W float array.
     *
     * @param set the images
     * @param augmentation crop, flip and normalisation
     * @param train whether to augment
     * @param order image indices
     * @param start the batch's first position in {@code order}
     * @param size B
     * @param random the batch's random stream (crop offsets, flips)
     * @return the batch
     */
    public static HostBatch assemble(ImageSet set, Augmentation augmentation, boolean train, int[] order, int start,
            int size, SplittableRandom random) {
        int imageFloats = set.imageBytes();
        float[] images = new float[size * imageFloats];
        long[] labels = new long[size];
        for (int k = 0; k < size; k++) {
            int index = order[start + k];
            if (train) {
                augmentation.writeAugmented(set, index, images, k * imageFloats, random);
            } else {
                augmentation.writePlain(set, index, images, k * imageFloats);
            }
            labels[k] = set.label(index);
        }
        return new HostBatch(images, labels, size);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
