package dev.lpl.data;

import dev.lpl.api.Settings;
import dev.lpl.api.data.DatasetFactory;
import dev.lpl.data.download.DownloadProgress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A dataset whose files can be downloaded ahead of time into the dataset cache ({@code lpl data
 * fetch NAME}). {@link DatasetFactory#load} downloads too, when the files are found nowhere and the
 * dataset's {@code download} setting allows it, reporting progress to standard error; {@link
 * #fetch} lets the caller choose the progress display.
 */
public interface DownloadableDataset extends DatasetFactory {

    /**
     * Makes sure the dataset's files are in the cache: downloads what is missing from the
     * configured URL (whatever the {@code download} setting says: fetching is an explicit request),
     * verifies the published checksums and extracts archives.
     *
     * @param settings the block {@code data.<name>}, defaults merged
     * @param cacheDirectory the dataset cache
     * @param progress where download progress goes
     * @return where the files are and what was done
     * @throws IOException if the local file system fails
     */
    Fetched fetch(Settings settings, Path cacheDirectory, DownloadProgress progress) throws IOException;

    /**
     * The outcome of {@link #fetch}.
     *
     * @param directory the directory holding the dataset's files
     * @param downloaded the files downloaded now (name → SHA-256), empty if all were present
     */
    record Fetched(Path directory, Map<String, String> downloaded) {}
}
