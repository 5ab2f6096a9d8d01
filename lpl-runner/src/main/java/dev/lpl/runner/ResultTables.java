package dev.lpl.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lpl.api.data.ImageDataset;
import dev.lpl.api.training.EpochResult;
import dev.lpl.core.run.PreparedRun;
import dev.lpl.core.rundir.RunFiles;
import dev.lpl.core.rundir.Summary;
import dev.lpl.core.train.ShotGroup;
import dev.lpl.core.train.TrainingEngine.EpochOutcome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** The text printed before and after a run. */
final class ResultTables {

    private ResultTables() {}

    static String percent(double value) {
        return Double.isNaN(value) ? "  —  " : String.format(Locale.ROOT, "%5.1f%%", 100 * value);
    }

    static void printHeader(PrintWriter out, PreparedRun.Description d, Path directory) {
        ImageDataset data = d.dataset();
        long max = 0;
        long min = Long.MAX_VALUE;
        for (long n : d.classCounts()) {
            max = Math.max(max, n);
            min = Math.min(min, n);
        }
        out.printf(Locale.ROOT, "run %s -> %s%n", d.name(), directory);
        out.printf(Locale.ROOT, "data    %s: %d train (imbalance %.1f), %d test, %s, %dx%dx%d%n",
                data.name(), data.train().size(), (double) max / min, data.test().size(), Plural.of(data.numClasses(), "class"),
                data.train().channels(), data.train().height(), data.train().width());
        out.printf(Locale.ROOT, "model   %s (%,d parameters) on %s, %s%n", d.model(), d.parameters(), d.device(), d.engine());
        out.printf(Locale.ROOT, "method  %s, %s, batch %d, seed %s%n",
                d.method(), Plural.of(d.epochs(), "epoch"), d.batchSize(), d.seeds().get("root"));
        if (d.validation() != null) {
            out.printf(Locale.ROOT, "select  on a validation split of %s images (%s per class, not trained on)%n",
                    d.validation().get("size"), d.validation().get("per_class"));
        }
        out.flush();
    }

    static void printResult(PrintWriter out, PreparedRun.Description d, EpochOutcome outcome) {
        EpochResult r = outcome.result();
        out.println();
        out.printf(Locale.ROOT, "test accuracy          %s%n", percent(r.testAccuracy()));
        out.printf(Locale.ROOT, "balanced accuracy      %s%n", percent(r.balancedAccuracy()));
        out.printf(Locale.ROOT, "many-shot   (>100)     %s%n", percent(r.manyShotAccuracy()));
        out.printf(Locale.ROOT, "medium-shot (20-100)   %s%n", percent(r.mediumShotAccuracy()));
        out.printf(Locale.ROOT, "few-shot    (<20)      %s%n", percent(r.fewShotAccuracy()));
        if (outcome.validation() != null) {
            out.printf(Locale.ROOT, "validation bal. acc.   %s%n",
                    percent(outcome.validation().metrics().balancedAccuracy()));
        }
        out.println();
        int width = Math.max(5, d.dataset().classNames().stream().mapToInt(String::length).max().orElse(5));
        String format = "%5s  %-" + width + "s  %11s  %-6s  %8s%n";
        out.printf(Locale.ROOT, format, "class", "name", "train count", "group", "accuracy");
        double[] acc = r.perClassAccuracy();
        for (int c = 0; c < acc.length; c++) {
            long n = d.classCounts()[c];
            out.printf(Locale.ROOT, format, c, d.dataset().classNames().get(c), n,
                    ShotGroup.of(n).label(), percent(acc[c]));
        }
        out.flush();
    }

    /**
     * Prints how the run's epochs were selected ({@code summary.json}'s {@code best}), one line.
     *
     * @param out where
     * @param runDirectory the run directory
     */
    static void printSelection(PrintWriter out, Path runDirectory) {
        try {
            Summary.Figures best = RunFiles.readSummary(runDirectory).best();
            if (best != null) {
                out.printf(Locale.ROOT, "best    epoch %d, selected on validation balanced accuracy (%s): test balanced"
                        + " accuracy %s; checkpoints/best%n", best.epoch() == null ? 0 : best.epoch(),
                        percent(zeroIfNull(best.valBalancedAccuracy())).strip(),
                        percent(zeroIfNull(best.balancedAccuracy())).strip());
            } else {
                out.println("best    none: no validation split (data.validation), so the final epoch is the result");
            }
        } catch (java.io.IOException e) {
            // the summary was written by this run; a failure to read it only loses this line
        }
    }

    /** A figure as this line has always shown it: 0 when absent or undefined (JSON null). */
    private static double zeroIfNull(Double value) {
        return value == null || value.isNaN() ? 0 : value;
    }
}
