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
 * place of sampling); for model selection, a balanced validation set ({@link ValidationSplit},
 * {@code data.validation}); and, for methods that learn from a small balanced set
 * (Meta-Weight-Net), that meta set.
 *
 * <p>The order is fixed: first the validation set is carved out of the full training set (the
 * same number of images of every class, seeded by the run's {@code validation} seed), then the
 * meta set out of what remains, then long-tail sampling draws from what remains after both. So
 * the three are disjoint, the validation set is the same whatever the method, and the
 * long-tail profile's {@code n_max} is the largest class count left after the carve-outs.
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
 * @param validation the balanced validation set, or null
 * @param validationIndices the validation set's indices into the full training set (class by
 *     class, ascending within a class, or in the order of the indices file), or null
 * @param validationInfo what to record in the manifest's {@code dataset.validation} ({@code
 *     per_class}, {@code size}, {@code indices_sha256}, {@code indices_source} when read from a
 *     file), or null without a validation set; mutable
 */
public record TrainSubset(
        ImageDataset dataset, int[] kept, int sourceTrainSize, Map<String, Object> info, ImageSet meta,
        int[] metaIndices, ImageSet validation, int[] validationIndices, Map<String, Object> validationInfo) {

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
        return of(source, longTail, indicesFile, seed, metaPerClass, ValidationSplit.NONE, 0);
    }

    /**
     * Carves a balanced validation set, then a balanced meta set, out of a dataset's training set,
     * then applies long-tail sampling or an indices file to the rest.
     *
     * @param source the dataset as loaded
     * @param longTail the profile (ignored when {@code indicesFile} is set)
     * @param indicesFile a file of indices to keep, or null to sample
     * @param seed the sampling seed (the run's {@code long-tail} child seed; the meta set uses its
     *     {@code meta} child)
     * @param metaPerClass images per class of the meta set; 0 for none
     * @param validation how to make the validation set ({@link ValidationSplit#NONE} for none)
     * @param validationSeed the validation set's seed (the run's {@code validation} child seed)
     * @return the training set to use, with the validation and meta sets
     * @throws LplException if a class has too few images for the validation or meta set, a
     *     validation indices file is not a balanced set of this dataset, or the training indices
     *     file lists a validation or meta image
     */
    public static TrainSubset of(ImageDataset source, LongTail longTail, Path indicesFile, long seed, int metaPerClass,
            ValidationSplit validation, long validationSeed) {
        requireNonNull(source, "source is null");
        requireNonNull(longTail, "longTail is null");
        requireNonNull(validation, "validation is null");
        int sourceSize = source.train().size();
        int numClasses = source.numClasses();
        int[] labels = source.train().labels();
        Map<String, Object> info = new LinkedHashMap<>();
        BitSet inValidation = new BitSet(sourceSize);
        int[] validationIndices = null;
        Map<String, Object> validationInfo = null;
        int validationPerClass = 0;
        if (validation.enabled()) {
            validationIndices = validation.indicesFile() != null
                    ? readValidation(source, validation)
                    : carveValidation(source, validation, validationSeed);
            validationPerClass = validationIndices.length / numClasses;
            for (int i : validationIndices) {
                inValidation.set(i);
            }
            validationInfo = new LinkedHashMap<>();
            validationInfo.put("per_class", validationPerClass);
            validationInfo.put("size", validationIndices.length);
            validationInfo.put("indices_sha256", Hashes.sha256(validationIndices));
            if (validation.indicesFile() != null) {
                validationInfo.put("indices_source", validation.indicesFile().toAbsolutePath().normalize().toString());
            }
        }
        int[] metaIndices = null;
        BitSet inMeta = new BitSet(sourceSize);
        if (metaPerClass > 0) {
            metaIndices = carveMeta(source, inValidation, validationPerClass, metaPerClass, Seeds.derive(seed, "meta"));
            for (int i : metaIndices) {
                inMeta.set(i);
            }
            info.put("meta_per_class", metaPerClass);
            info.put("meta_indices_sha256", Hashes.sha256(metaIndices));
        }
        String validationIdentity = validationIndices == null ? "" : ", validation " + validationPerClass + "/class";
        int[] kept;
        String identity;
        if (indicesFile != null) {
            kept = TrainIndices.read(indicesFile, sourceSize);
            for (int i : kept) {
                if (inValidation.get(i)) {
                    throw new LplException(indicesFile + " lists image " + i + ", which the validation set takes out"
                            + " of the training set; use the train-indices.txt of a run with the same data.validation"
                            + " and run.seed");
                }
                if (inMeta.get(i)) {
                    throw new LplException(indicesFile + " lists image " + i + ", which the method's meta set takes"
                            + " out of the training set; use the train-indices.txt of a run of the same method and seed");
                }
            }
            info.put("profile", "indices-file");
            info.put("indices_source", indicesFile.toAbsolutePath().normalize().toString());
            identity = "indices of " + indicesFile.getFileName() + validationIdentity;
        } else if (longTail.profile() != LongTail.Profile.NONE || metaIndices != null || validationIndices != null) {
            BitSet taken = (BitSet) inMeta.clone();
            taken.or(inValidation);
            int[] pool = new int[sourceSize - taken.cardinality()];
            int[] poolLabels = new int[pool.length];
            for (int i = 0, k = 0; i < sourceSize; i++) {
                if (!taken.get(i)) {
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
                    ? " ratio " + longTail.ratio() : "") + (metaIndices != null ? ", meta set " + metaPerClass + "/class" : "")
                    + validationIdentity;
        } else {
            info.put("profile", "none");
            return new TrainSubset(source, null, sourceSize, info, null, null, null, null, null);
        }
        info.put("source_train_size", sourceSize);
        info.put("indices_sha256", Hashes.sha256(kept));
        ImageSet subset = source.train().subset(kept);
        ImageSet meta = metaIndices == null ? null : source.train().subset(metaIndices);
        ImageSet validationSet = validationIndices == null ? null : source.train().subset(validationIndices);
        return new TrainSubset(source.withTrain(subset, Map.of("long-tail", identity)), kept, sourceSize, info, meta,
                metaIndices, validationSet, validationIndices, validationInfo);
    }

    /** The validation set drawn from the full training set: the same count of every class. */
    private static int[] carveValidation(ImageDataset source, ValidationSplit validation, long seed) {
        int numClasses = source.numClasses();
        int[][] byClass = ClassIndices.of(source.train().labels(), numClasses);
        int smallest = 0;
        for (int c = 1; c < numClasses; c++) {
            if (byClass[c].length < byClass[smallest].length) {
                smallest = c;
            }
        }
        long smallestCount = byClass[smallest].length;
        int perClass = validation.requestedPerClass(smallestCount);
        String name = "class " + smallest + " (" + source.classNames().get(smallest) + ")";
        if (perClass == 0) {
            throw new LplException(validation.describeRequest() + " gives floor(" + validation.fraction() + " × "
                    + smallestCount + ") = 0 validation images per class (" + name + " has " + smallestCount
                    + " training images); raise data.validation.fraction or set data.validation.per-class instead");
        }
        if (perClass >= smallestCount) {
            throw new LplException(validation.describeRequest() + " asks for " + perClass + " validation images of"
                    + " every class, but " + name + " has only " + smallestCount + " training images and must keep"
                    + " at least one to train on; the maximum is " + Math.max(0, smallestCount - 1)
                    + " (set data.validation.per-class <= " + Math.max(0, smallestCount - 1) + ")");
        }
        return balanced(byClass, perClass, seed);
    }

    /** The validation set of an indices file: it must be balanced, and agree with per-class/fraction. */
    private static int[] readValidation(ImageDataset source, ValidationSplit validation) {
        Path file = validation.indicesFile();
        int numClasses = source.numClasses();
        int[] indices = TrainIndices.read(file, source.train().size(), ValidationSplit.KEY + ".indices-file",
                "validation-indices.txt", "to draw the split from data.validation.per-class or fraction");
        int[] labels = source.train().labels();
        long[] counts = new long[numClasses];
        for (int i : indices) {
            counts[labels[i]]++;
        }
        long[] available = source.train().classCounts(numClasses);
        for (int c = 0; c < numClasses; c++) {
            if (counts[c] != counts[0]) {
                throw new LplException(file + " is not a balanced validation set: class 0 (" + source.classNames().get(0)
                        + ") has " + counts[0] + " images in it, class " + c + " (" + source.classNames().get(c) + ") "
                        + counts[c] + "; name the validation-indices.txt of an earlier run of this dataset");
            }
            if (counts[c] >= available[c]) {
                throw new LplException(file + " takes all " + available[c] + " training images of class " + c + " ("
                        + source.classNames().get(c) + ") for validation and leaves none to train on; name the"
                        + " validation-indices.txt of an earlier run of this dataset");
            }
        }
        long smallest = java.util.Arrays.stream(available).min().orElse(0);
        int requested = validation.requestedPerClass(smallest);
        if (requested > 0 && requested != counts[0]) {
            throw new LplException(file + " holds " + counts[0] + " validation images per class, but "
                    + validation.describeRequest() + " asks for " + requested + "; set data.validation.per-class = "
                    + counts[0] + " (or 0 and fraction = null to take the file's count)");
        }
        return indices;
    }

    private static int[] carveMeta(ImageDataset source, BitSet taken, int validationPerClass, int perClass, long seed) {
        int numClasses = source.numClasses();
        int[][] byClass = ClassIndices.of(source.train().labels(), numClasses, taken);
        for (int c = 0; c < numClasses; c++) {
            if (byClass[c].length <= perClass) {
                throw new LplException("class " + c + " (" + source.classNames().get(c) + ") has " + byClass[c].length
                        + " training images" + (validationPerClass > 0 ? " after the validation set took "
                        + validationPerClass : "") + ", too few to give " + perClass + " to the meta set and keep"
                        + " some to train on; lower the method's meta-per-class"
                        + (validationPerClass > 0 ? " or data.validation.per-class" : ""));
            }
        }
        return balanced(byClass, perClass, seed);
    }

    /**
     * Draws {@code perClass} images of every class (a seeded shuffle of each class, classes in
     * order), each class's indices ascending.
     */
    private static int[] balanced(int[][] byClass, int perClass, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] chosenAll = new int[byClass.length * perClass];
        for (int c = 0; c < byClass.length; c++) {
            LongTail.shuffle(byClass[c], random);
            int[] chosen = Arrays.copyOf(byClass[c], perClass);
            Arrays.sort(chosen);
            System.arraycopy(chosen, 0, chosenAll, c * perClass, perClass);
        }
        return chosenAll;
    }
}
