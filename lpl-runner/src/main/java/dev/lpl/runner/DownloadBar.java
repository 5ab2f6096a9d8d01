package dev.lpl.runner;

import dev.lpl.data.download.DownloadProgress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Download progress as a console progress bar (MB, rate, ETA), via the progressbar library. */
final class DownloadBar implements DownloadProgress {

    private final PrintWriter err;
    private ProgressBar bar;

    private DownloadBar(PrintWriter err) {
        this.err = err;
    }

    /**
     * Creates the display of a {@code --progress} mode: a bar, a line every 5 s, or nothing.
     *
     * @param mode the mode ({@link ProgressOption#mode})
     * @param err where lines go
     * @return the progress sink
     */
    static DownloadProgress create(ProgressOption.Mode mode, PrintWriter err) {
        return switch (mode) {
            case BAR -> new DownloadBar(err);
            case LINES -> DownloadProgress.lines(line -> {
                err.println(line);
                err.flush();
            }, Duration.ofSeconds(5));
            case NONE -> DownloadProgress.none();
        };
    }

    @Override
    public void started(String name, long resumedFrom, long totalBytes) {
        err.flush();
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(name)
                .setInitialMax(totalBytes >= 0 ? totalBytes : -1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" MB", 1_000_000)
                .showSpeed(new java.text.DecimalFormat("0.0",
                        java.text.DecimalFormatSymbols.getInstance(Locale.ROOT)))
                .setUpdateIntervalMillis(250)
                .continuousUpdate();
        if (resumedFrom > 0) {
            builder.startsFrom(resumedFrom, Duration.ZERO);
        }
        bar = builder.build();
    }

    @Override
    public void advanced(long bytesDone) {
        if (bar != null) {
            bar.stepTo(bytesDone);
        }
    }

    @Override
    public void finished(long bytesDone) {
        if (bar != null) {
            bar.stepTo(bytesDone);
            bar.close();
            bar = null;
        }
    }

    @Override
    public void note(String message) {
        err.println(message);
        err.flush();
    }
}
