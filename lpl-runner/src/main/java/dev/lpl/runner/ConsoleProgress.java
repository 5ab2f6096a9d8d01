package dev.lpl.runner;

import dev.lpl.api.training.EpochResult;
import dev.lpl.core.train.EpochTimings;
import dev.lpl.core.train.TrainingProgress;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Training progress on the console: a progress bar per epoch (with rate and ETA, via the
 * progressbar library) on a terminal, and one summary line per epoch in every mode but {@code
 * none}: epoch k/N, training loss, test accuracy, balanced accuracy, many/medium/few-shot
 * accuracy, learning rate, the epoch's time and the estimated time to the end of the run (the mean
 * epoch time of this process times the epochs left). The line is what a sweep task's log shows
 * ({@code lpl sweep} runs its tasks with {@code --progress lines}).
 */
final class ConsoleProgress implements TrainingProgress {

    private final boolean bar;
    private final boolean lines;
    private final PrintWriter out;
    private ProgressBar current;
    private long epochStart;
    private double secondsSoFar;
    private int epochsSoFar;
    private double validationBalancedAccuracy = Double.NaN;

    private ConsoleProgress(boolean bar, boolean lines, PrintWriter out) {
        this.bar = bar;
        this.lines = lines;
        this.out = out;
    }

    /**
     * Creates the display of a {@code --progress} mode.
     *
     * @param mode the mode ({@link ProgressOption#mode})
     * @param out where the bar and the lines go
     * @return the progress sink
     */
    static ConsoleProgress create(ProgressOption.Mode mode, PrintWriter out) {
        return switch (mode) {
            case BAR -> new ConsoleProgress(true, true, out);
            case LINES -> new ConsoleProgress(false, true, out);
            case NONE -> new ConsoleProgress(false, false, out);
        };
    }

    @Override
    public void epochStarted(int epoch, int epochs, int batches) {
        epochStart = System.nanoTime();
        if (bar) {
            out.flush();
            current = new ProgressBarBuilder()
                    .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs))
                    .setInitialMax(batches)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" batches", 1)
                    .showSpeed(new java.text.DecimalFormat("0.0", java.text.DecimalFormatSymbols.getInstance(Locale.ROOT)))
                    .setSpeedUnit(ChronoUnit.SECONDS)
                    .setUpdateIntervalMillis(250)
                    .continuousUpdate()
                    .build();
        }
    }

    @Override
    public void batchFinished(int batch, double loss) {
        if (current != null) {
            current.step();
            current.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", loss));
        }
    }

    @Override
    public void evaluationStarted(int epoch) {
        if (current != null) {
            current.setExtraMessage(" evaluating");
        }
    }

    @Override
    public void epochFinished(EpochResult r, EpochTimings timings) {
        if (current != null) {
            current.close();
            current = null;
        }
        if (lines) {
            out.println(line(r, (System.nanoTime() - epochStart) / 1e9));
            out.flush();
        }
    }

    @Override
    public void validationEvaluated(int epoch, double balancedAccuracy) {
        validationBalancedAccuracy = balancedAccuracy;
    }

    /**
     * Formats one epoch's line and counts the epoch for the ETA.
     *
     * @param r the epoch's result
     * @param seconds the epoch's wall time as seen here
     * @return the line, e.g. {@code epoch   3/10  loss 1.2345 ... lr 0.1  12.3s  ETA 1m26s}, with
     *     {@code val-bal 81.2%} before the learning rate in runs with a validation set
     */
    String line(EpochResult r, double seconds) {
        secondsSoFar += r.seconds() > 0 ? r.seconds() : seconds;
        String validation = Double.isNaN(validationBalancedAccuracy) ? ""
                : "  val-bal " + ResultTables.percent(validationBalancedAccuracy);
        validationBalancedAccuracy = Double.NaN;
        epochsSoFar++;
        int left = r.epochs() - (r.epoch() + 1);
        String eta = left > 0 ? "  ETA " + duration(secondsSoFar / epochsSoFar * left) : "";
        return String.format(Locale.ROOT,
                "epoch %3d/%d  loss %.4f  acc %s  bal-acc %s  many %s  med %s  few %s%s  lr %.4g  %.1fs%s",
                r.epoch() + 1, r.epochs(), r.trainLoss(), ResultTables.percent(r.testAccuracy()),
                ResultTables.percent(r.balancedAccuracy()), ResultTables.percent(r.manyShotAccuracy()),
                ResultTables.percent(r.mediumShotAccuracy()), ResultTables.percent(r.fewShotAccuracy()),
                validation, r.learningRate(), seconds, eta);
    }

    /** A duration for a person: {@code 42s}, {@code 12m05s}, {@code 3h04m}. */
    static String duration(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
