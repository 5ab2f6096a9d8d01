package dev.lpl.core.data;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.data.ImageDataset;
import dev.lpl.api.data.ImageSet;
import dev.lpl.core.run.Hashes;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The training set a run uses: the dataset's, long-tailed by a {@link LongTail} profile, or
 * restricted to the indices of a file ({@code data.long-tail.indices-file}, which then takes the
 * place of sampling).
 *
 * @param dataset the dataset with the training set actually used
 * @param kept the indices into the full training set, in training-set order; null when every image
 *     is kept in its original order
 * @param sourceTrainSize the size of the full training set
 * @param info what to record in the manifest ({@code profile}, {@code ratio}, {@code
 *     source_train_size}, {@code indices_sha256}, {@code indices_source}); mutable
 */
public record TrainSubset(ImageDataset dataset, int[] kept, int sourceTrainSize, Map<String, Object> info) {

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
        requireNonNull(source, "source is null");
        requireNonNull(longTail, "longTail is null");
        int sourceSize = source.train().size();
        Map<String, Object> info = new LinkedHashMap<>();
        int[] kept;
        String identity;
        if (indicesFile != null) {
            kept = TrainIndices.read(indicesFile, sourceSize);
            info.put("profile", "indices-file");
            info.put("indices_source", indicesFile.toAbsolutePath().normalize().toString());
            identity = "indices of " + indicesFile.getFileName();
        } else if (longTail.profile() != LongTail.Profile.NONE) {
            kept = longTail.sample(source.train().labels(), source.numClasses(), seed);
            info.put("profile", longTail.profile().name().toLowerCase(Locale.ROOT));
            info.put("ratio", longTail.ratio());
            identity = info.get("profile") + " ratio " + longTail.ratio();
        } else {
            info.put("profile", "none");
            return new TrainSubset(source, null, sourceSize, info);
        }
        info.put("source_train_size", sourceSize);
        info.put("indices_sha256", Hashes.sha256(kept));
        ImageSet subset = source.train().subset(kept);
        return new TrainSubset(source.withTrain(subset, Map.of("long-tail", identity)), kept, sourceSize, info);
    }
}
