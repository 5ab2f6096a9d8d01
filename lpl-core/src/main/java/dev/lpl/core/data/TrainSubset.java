package dev.lpl.core.data;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.LplException;
import dev.lpl.api.Seeds;
import dev.lpl.api.data.ImageDataset;
import dev.lpl.api.data.ImageSet;
import dev.lpl.core.run.Hashes;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training set a run uses: the dataset's, long-tailed by a {@link LongTail} profile, or
 * restricted to the indices of a file ({@code data.long-tail.indices-file}, which then takes the
 * place of sampling); and, for methods that learn from a small balanced set (Meta-Weight-Net), that
 * meta set, carved out of the full training set before long-tail sampling so the two are disjoint.
 *
 * @param dataset the dataset with the training set actually used
 * @param kept the indices into the full training set, in training-set order; null when every image
 *     is kept in its original order
 * @param sourceTrainSize the size of the full training set
 * @param info what to record in the manifest ({@code profile}, {@code ratio}, {@code
 *     source_train_size}, {@code indices_sha256}, {@code indices_source}, {@code meta_per_class},
 *     {@code meta_indices_sha256}); mutable
 * @param meta the balanced meta set, or null
 * @param metaIndices the meta set's indices into the full training set, or null
 */
public record TrainSubset(
        ImageDataset dataset, int[] kept, int sourceTrainSize, Map<String, Object> info, ImageSet meta,
        int[] metaIndices) {

    /**
     * Applies long-tail sampling or an indices file to a dataset.
     *
     * @param source the dataset as loaded
     * @param longTail the profile (ignored when {@code indicesFile} is set)
     * @param indicesFile a file of indices to keep, or null to sample
     * @param seed the sampling seed (the run's {@code long-tail} child seed)
     * @return the training set to use
     */
    public static TrainSubset of(ImageDataset source, LongTail longTail, Path indicesFile, long seed) {
        return of(source, longTail, indicesFile, seed, 0);
    }

    /**
     * Carves a balanced meta set out of a dataset's training set, then applies long-tail sampling
     * or an indices file to the rest.
     *
     * @param source the dataset as loaded
     * @param longTail the profile (ignored when {@code indicesFile} is set)
     * @param indicesFile a file of indices to keep, or null to sample
     * @param seed the sampling seed (the run's {@code long-tail} child seed; the meta set uses its
     *     {@code meta} child)
     * @param metaPerClass images per class of the meta set; 0 for none
     * @return the training set to use, with the meta set
     * @throws LplException if a class has too few images for the meta set, or the indices file
     *     lists a meta image
     */
    public static TrainSubset of(ImageDataset source, LongTail longTail, Path indicesFile, long seed, int metaPerClass) {
        requireNonNull(source, "source is null");
        requireNonNull(longTail, "longTail is null");
        int sourceSize = source.train().size();
        int numClasses = source.numClasses();
        Map<String, Object> info = new LinkedHashMap<>();
        int[] metaIndices = null;
        BitSet inMeta = new BitSet(sourceSize);
        if (metaPerClass > 0) {
            metaIndices = carveMeta(source, metaPerClass, Seeds.derive(seed, "meta"));
            for (int i : metaIndices) {
                inMeta.set(i);
            }
            info.put("meta_per_class", metaPerClass);
            info.put("meta_indices_sha256", Hashes.sha256(metaIndices));
        }
        int[] kept;
        String identity;
        if (indicesFile != null) {
            kept = TrainIndices.read(indicesFile, sourceSize);
            for (int i : kept) {
                if (inMeta.get(i)) {
                    throw new LplException(indicesFile + " lists image " + i + ", which the method's meta set takes"
                            + " out of the training set; use the train-indices.txt of a run of the same method and seed");
                }
            }
            info.put("profile", "indices-file");
            info.put("indices_source", indicesFile.toAbsolutePath().normalize().toString());
            identity = "indices of " + indicesFile.getFileName();
        } else if (longTail.profile() != LongTail.Profile.NONE || metaIndices != null) {
            int[] pool = new int[sourceSize - inMeta.cardinality()];
            int[] poolLabels = new int[pool.length];
            int[] labels = source.train().labels();
            for (int i = 0, k = 0; i < sourceSize; i++) {
                if (!inMeta.get(i)) {
                    pool[k] = i;
                    poolLabels[k++] = labels[i];
                }
            }
            int[] sampled = longTail.sample(poolLabels, numClasses, seed);
            kept = new int[sampled.length];
            for (int k = 0; k < sampled.length; k++) {
                kept[k] = pool[sampled[k]];
            }
            info.put("profile", longTail.profile().name().toLowerCase(Locale.ROOT));
            if (longTail.profile() != LongTail.Profile.NONE) {
                info.put("ratio", longTail.ratio());
            }
            identity = info.get("profile") + (longTail.profile() != LongTail.Profile.NONE
                    ? " ratio " + longTail.ratio() : "") + (metaIndices != null ? ", meta set " + metaPerClass + "/class" : "");
        } else {
            info.put("profile", "none");
            return new TrainSubset(source, null, sourceSize, info, null, null);
        }
        info.put("source_train_size", sourceSize);
        info.put("indices_sha256", Hashes.sha256(kept));
        ImageSet subset = source.train().subset(kept);
        ImageSet meta = metaIndices == null ? null : source.train().subset(metaIndices);
        return new TrainSubset(source.withTrain(subset, Map.of("long-tail", identity)), kept, sourceSize, info, meta,
                metaIndices);
    }

    private static int[] carveMeta(ImageDataset source, int perClass, long seed) {
        int numClasses = source.numClasses();
        int[][] byClass = ClassIndices.of(source.train().labels(), numClasses);
        for (int c = 0; c < numClasses; c++) {
            if (byClass[c].length <= perClass) {
                throw new LplException("class " + c + " (" + source.classNames().get(c) + ") has " + byClass[c].length
                        + " training images, too few to give " + perClass + " to the meta set and keep some to train"
                        + " on; lower the method's meta-per-class");
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] meta = new int[numClasses * perClass];
        for (int c = 0; c < numClasses; c++) {
            LongTail.shuffle(byClass[c], random);
            int[] chosen = Arrays.copyOf(byClass[c], perClass);
            Arrays.sort(chosen);
            System.arraycopy(chosen, 0, meta, c * perClass, perClass);
        }
        return meta;
    }
}
