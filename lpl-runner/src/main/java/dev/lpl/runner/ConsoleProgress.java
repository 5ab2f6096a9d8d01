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
 * none}.
 */
final class ConsoleProgress implements TrainingProgress {

    private final boolean bar;
    private final boolean lines;
    private final PrintWriter out;
    private ProgressBar current;
    private long epochStart;

    private ConsoleProgress(boolean bar, boolean lines, PrintWriter out) {
        this.bar = bar;
        this.lines = lines;
        this.out = out;
    }

    static ConsoleProgress create(String mode, PrintWriter out) {
        String m = mode == null ? (System.console() != null ? "bar" : "lines") : mode.toLowerCase(Locale.ROOT);
        return switch (m) {
            case "bar" -> new ConsoleProgress(true, true, out);
            case "lines" -> new ConsoleProgress(false, true, out);
            case "none" -> new ConsoleProgress(false, false, out);
            default -> throw new dev.lpl.api.LplException(
                    "invalid --progress '" + mode + "'; use one of: bar, lines, none");
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
            out.printf(Locale.ROOT,
                    "epoch %3d/%d  loss %.4f  acc %s  bal-acc %s  many %s  med %s  few %s  lr %.4g  %.1fs%n",
                    r.epoch() + 1, r.epochs(), r.trainLoss(), ResultTables.percent(r.testAccuracy()),
                    ResultTables.percent(r.balancedAccuracy()), ResultTables.percent(r.manyShotAccuracy()),
                    ResultTables.percent(r.mediumShotAccuracy()), ResultTables.percent(r.fewShotAccuracy()),
                    r.learningRate(), (System.nanoTime() - epochStart) / 1e9);
            out.flush();
        }
    }
}
