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
     * Chooses the display: a bar on a terminal (or with {@code bar}), lines otherwise ({@code
     * lines}), or nothing ({@code none}).
     *
     * @param mode {@code bar}, {@code lines}, {@code none}, or null for the default
     * @param err where lines go
     * @return the progress sink
     */
    static DownloadProgress create(String mode, PrintWriter err) {
        String m = mode == null ? (System.console() != null ? "bar" : "lines") : mode.toLowerCase(Locale.ROOT);
        return switch (m) {
            case "bar" -> new DownloadBar(err);
            case "lines" -> DownloadProgress.lines(line -> {
                err.println(line);
                err.flush();
            }, Duration.ofSeconds(5));
            case "none" -> DownloadProgress.none();
            default -> throw new dev.lpl.api.LplException(
                    "invalid --progress '" + mode + "'; use one of: bar, lines, none");
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
