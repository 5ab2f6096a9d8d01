package dev.lpl.api.data;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/** What a {@link DatasetFactory} may need besides its own settings. */
public final class DatasetContext {

    private final Path path;
    private final Path cacheDirectory;
    private final long seed;

    /**
     * Creates a context.
     *
     * @param path the user's {@code data.path}, or null to use the dataset's default locations
     * @param cacheDirectory the dataset cache ({@code ~/.lpl/datasets} by default)
     * @param seed the seed of the data stream (for generated data)
     */
    public DatasetContext(Path path, Path cacheDirectory, long seed) {
        this.path = path;
        this.cacheDirectory = requireNonNull(cacheDirectory, "cacheDirectory is null");
        this.seed = seed;
    }

    /**
     * Returns the directory the user named with {@code data.path}, if any.
     *
     * @return the user's data directory
     */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    /**
     * Returns the dataset cache directory.
     *
     * @return the cache directory
     */
    public Path cacheDirectory() {
        return cacheDirectory;
    }

    /**
     * Returns the seed for generated data.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }
}
