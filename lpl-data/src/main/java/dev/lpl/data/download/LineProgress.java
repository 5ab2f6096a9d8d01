package dev.lpl.data.download;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Prints download progress as plain lines ({@code cifar-10-binary.tar.gz: 42% 71.3/162.2 MB,
 * 8.1 MB/s}), at most one per interval plus one at the start and one at the end.
 */
final class LineProgress implements DownloadProgress {

    private final Consumer<String> out;
    private final long intervalNanos;
    private String name = "";
    private long total = -1;
    private long resumedFrom;
    private long startNanos;
    private long lastPrintNanos;

    LineProgress(Consumer<String> out, Duration interval) {
        this.out = requireNonNull(out, "out is null");
        this.intervalNanos = requireNonNull(interval, "interval is null").toNanos();
    }

    @Override
    public void started(String name, long resumedFrom, long totalBytes) {
        this.name = name;
        this.total = totalBytes;
        this.resumedFrom = resumedFrom;
        this.startNanos = System.nanoTime();
        this.lastPrintNanos = startNanos;
        String size = totalBytes >= 0 ? " (" + mb(totalBytes) + " MB)" : "";
        String resumed = resumedFrom > 0 ? ", resuming at " + mb(resumedFrom) + " MB" : "";
        out.accept("downloading " + name + size + resumed);
    }

    @Override
    public void advanced(long bytesDone) {
        long now = System.nanoTime();
        if (now - lastPrintNanos >= intervalNanos) {
            lastPrintNanos = now;
            out.accept(line(bytesDone, now));
        }
    }

    @Override
    public void finished(long bytesDone) {
        out.accept(line(bytesDone, System.nanoTime()));
    }

    @Override
    public void note(String message) {
        out.accept(message);
    }

    private String line(long bytesDone, long now) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = (bytesDone - resumedFrom) / 1e6 / seconds;
        String of = total >= 0
                ? String.format(Locale.ROOT, "%d%% %s/%s MB", total == 0 ? 100 : bytesDone * 100 / total,
                        mb(bytesDone), mb(total))
                : mb(bytesDone) + " MB";
        return String.format(Locale.ROOT, "%s: %s, %.1f MB/s", name, of, rate);
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }
}
