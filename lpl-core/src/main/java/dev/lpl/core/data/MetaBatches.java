package dev.lpl.core.data;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.Seeds;
import dev.lpl.api.data.ImageSet;
import java.util.SplittableRandom;

/**
 * The meta batches of Meta-Weight-Net: batches of a small balanced meta set, augmented like the
 * training images, assembled on the training thread (a meta batch of 100 CIFAR images takes about a
 * millisecond). Batch {@code t} (the run's iteration) depends only on the seed and {@code t}: meta
 * epochs are shuffles of the meta set (child seed {@code shuffle/e}), so a resumed run sees the same
 * meta batches as an uninterrupted one.
 */
public final class MetaBatches {

    private final ImageSet set;
    private final Augmentation augmentation;
    private final int batchSize;
    private final long seed;
    private final int perEpoch;
    private long cachedEpoch = -1;
    private int[] cachedOrder;

    /**
     * Creates the source.
     *
     * @param set the meta set
     * @param augmentation the training augmentation
     * @param batchSize the meta batch size (at most the meta set's size)
     * @param seed the meta loader's seed
     */
    public MetaBatches(ImageSet set, Augmentation augmentation, int batchSize, long seed) {
        this.set = requireNonNull(set, "set is null");
        this.augmentation = requireNonNull(augmentation, "augmentation is null");
        if (batchSize < 1 || set.size() < 1) {
            throw new IllegalArgumentException("batch size and meta set must be non-empty");
        }
        this.batchSize = Math.min(batchSize, set.size());
        this.seed = seed;
        this.perEpoch = set.size() / this.batchSize;
    }

    /**
     * Returns the meta set's size.
     *
     * @return the number of meta images
     */
    public int size() {
        return set.size();
    }

    /**
     * Returns the meta batch of an iteration.
     *
     * @param iteration the 0-based training iteration
     * @return a batch of {@code min(batchSize, meta set size)} augmented images
     */
    public HostBatch batch(long iteration) {
        long epoch = iteration / perEpoch;
        int index = (int) (iteration % perEpoch);
        if (epoch != cachedEpoch) {
            int[] order = new int[set.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            LongTail.shuffle(order, new SplittableRandom(Seeds.derive(seed, "shuffle", epoch)));
            cachedOrder = order;
            cachedEpoch = epoch;
        }
        SplittableRandom random = new SplittableRandom(Seeds.derive(seed, "augment", iteration));
        return BatchLoader.assemble(set, augmentation, true, cachedOrder, index * batchSize, batchSize, random);
    }
}
