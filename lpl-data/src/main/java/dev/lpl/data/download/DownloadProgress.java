package dev.lpl.data.download;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Receives the progress of a download (and short notes such as "verifying" or "extracting"). The
 * {@link Downloader} calls it from the downloading thread. Implementations need not be
 * thread-safe.
 */
public interface DownloadProgress {

    /**
     * A download starts (or resumes).
     *
     * @param name what is downloaded, e.g. the file name
     * @param resumedFrom bytes already on disk from an earlier, interrupted download (0 if none)
     * @param totalBytes the full size, or -1 if the server did not say
     */
    void started(String name, long resumedFrom, long totalBytes);

    /**
     * More bytes arrived.
     *
     * @param bytesDone bytes of the file on disk so far, including those resumed from
     */
    void advanced(long bytesDone);

    /**
     * The download ended (successfully or not).
     *
     * @param bytesDone bytes of the file on disk
     */
    void finished(long bytesDone);

    /**
     * A step besides the transfer (verification, extraction).
     *
     * @param message one line
     */
    void note(String message);

    /**
     * Returns a sink that ignores everything.
     *
     * @return the sink
     */
    static DownloadProgress none() {
        return new DownloadProgress() {
            @Override
            public void started(String name, long resumedFrom, long totalBytes) {}

            @Override
            public void advanced(long bytesDone) {}

            @Override
            public void finished(long bytesDone) {}

            @Override
            public void note(String message) {}
        };
    }

    /**
     * Returns the default sink: one line per interval with the percentage, the bytes and the rate,
     * suitable for logs and terminals alike.
     *
     * @param out where the lines go (usually {@code System.err})
     * @param interval the least time between two progress lines
     * @return the sink
     */
    static DownloadProgress lines(PrintStream out, Duration interval) {
        return lines(line -> {
            out.println(line);
            out.flush();
        }, interval);
    }

    /**
     * Returns a line-based sink that hands each line to a consumer.
     *
     * @param lines receives each line (without line break)
     * @param interval the least time between two progress lines
     * @return the sink
     */
    static DownloadProgress lines(java.util.function.Consumer<String> lines, Duration interval) {
        return new LineProgress(lines, interval);
    }

    /**
     * Returns the sink datasets use unless told otherwise: lines on standard error every 5 s.
     *
     * @return the sink
     */
    static DownloadProgress standardError() {
        return lines(System.err, Duration.ofSeconds(5));
    }
}
