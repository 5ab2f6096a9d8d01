package dev.lpl.runner.report;

import dev.lpl.api.LplException;
import dev.lpl.core.run.AtomicFiles;
import dev.lpl.core.run.Provenance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Writes a run's report: plots as PNG (shown by the page), SVG and PDF (same name, for papers and
 * slides), a copy of the run's {@code resolved.conf} and an {@code index.html} that shows the plots
 * and the settings and links the rest, by default into {@code RUN_DIR/report/}. Everything is written into a temporary sibling directory first and
 * moved into place at the end, so a failed report never leaves a half-written page behind; a
 * previous report in the target is replaced.
 */
public final class ReportWriter {

    /** The report directory inside a run directory. */
    public static final String DIRECTORY = "report";
    /** The page. */
    public static final String INDEX = "index.html";

    static {
        // Charts are drawn into images; no display is needed or wanted.
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * What was written.
     *
     * @param directory the report directory
     * @param index its {@code index.html}
     * @param plots the PNG file names written, in page order (each with an SVG and a PDF of the same
     *     name)
     * @param skipped one line per plot not drawn, with the reason
     */
    public record Report(Path directory, Path index, List<String> plots, List<String> skipped) {}

    /** The copy of the run's configuration next to the page. */
    public static final String RESOLVED_CONF = "resolved.conf";

    /**
     * A plot of the report.
     *
     * @param name the file name without extension
     * @param title its heading
     * @param caption how to read it, for this run
     * @param missing why it is not drawn, for this run; null: left out silently
     * @param chart draws it, or empty
     */
    private record Plot(String name, String title, Function<RunResults, String> caption,
            Function<RunResults, String> missing, Function<RunResults, Optional<? extends Chart<?, ?>>> chart) {}

    private static final List<Plot> PLOTS = List.of(
            new Plot("loss", "Training loss",
                    run -> "Mean training loss per epoch: the method's loss, on the perturbed logits for LPL.",
                    run -> "metrics.jsonl has no finite train_loss", Charts::trainingLoss),
            new Plot("accuracy", "Accuracy", ReportWriter::accuracyCaption,
                    run -> "metrics.jsonl has no accuracy", Charts::accuracy),
            new Plot("per-class-accuracy", "Per-class accuracy",
                    run -> "Final test accuracy of every class, classes ordered by decreasing training count "
                            + "(in brackets), coloured by shot group.",
                    run -> "summary.json has no per-class accuracy", Charts::perClassAccuracy),
            new Plot("loss-variation", "Relative loss variation",
                    run -> "The LPL paper's figure: per class, the relative change (l′ − l)/l of the training loss that "
                            + "the logit perturbation causes over an epoch (l: cross-entropy on the raw logits, l′: the "
                            + "method's loss on the perturbed logits). Positive: the class's loss was raised "
                            + "(loss-maximised, typically tail classes); negative: lowered (loss-minimised, typically "
                            + "head classes).",
                    ReportWriter::lossVariationMissing, Charts::lossVariation),
            new Plot("loss-variation-epochs", "Relative loss variation over training",
                    run -> "The same per-class relative loss variation at up to five epochs spread over training.",
                    null, Charts::lossVariationOverEpochs),
            new Plot("confusion", "Confusion matrix",
                    run -> "Final confusion matrix; row t shows where the test images of true class t went, in percent "
                            + "of the row.",
                    run -> "summary.json has no square confusion matrix", Charts::confusion),
            new Plot("reliability", "Reliability diagram",
                    run -> "Calibration of the final test predictions: per equal-width bin of the predicted class's "
                            + "softmax probability, the accuracy (blue) next to the mean confidence (orange); a "
                            + "perfectly calibrated model has both on the dashed diagonal. "
                            + "ECE = Σ_b (n_b/N)·|acc_b − conf_b|.",
                    run -> "summary.json has no calibration (a run written by an older lpl)", Charts::reliability));

    private static String accuracyCaption(RunResults run) {
        StringBuilder c = new StringBuilder();
        if (Charts.testEqualsBalanced(run)) {
            c.append("Test accuracy per epoch; it equals the balanced accuracy (the mean of per-class accuracies) in "
                    + "every epoch, as it does on a test set with the same number of images in every class, so the "
                    + "two are one line.");
        } else {
            c.append("Test accuracy and balanced accuracy (the mean of per-class accuracies) per epoch.");
        }
        c.append(" Many/medium/few-shot test accuracy dashed.");
        if (run.history().stream().anyMatch(e -> Double.isFinite(e.validationBalancedAccuracy()))) {
            c.append(" Dotted: the balanced accuracy on the validation split (held out of the training set), which "
                    + "selects the best epoch.");
        }
        return c.toString();
    }

    private static String lossVariationMissing(RunResults run) {
        return run.lossVariationAllZero()
                ? "the method (" + run.method() + ") does not perturb the logits: (l′ − l)/l is 0 for every class"
                : "metrics.jsonl has no relative_loss_variation (a run written by an older lpl)";
    }

    private ReportWriter() {}

    /**
     * Writes the report of a run into {@code RUN_DIR/report/}.
     *
     * @param run the run, read with {@link RunDirectoryReader#read}
     * @return what was written
     */
    public static Report write(RunResults run) {
        return write(run, run.directory().resolve(DIRECTORY));
    }

    /**
     * Writes the report of a run.
     *
     * @param run the run, read with {@link RunDirectoryReader#read}
     * @param target the report directory: absent, empty or a previous report (replaced)
     * @return what was written
     * @throws LplException when the target holds something else or cannot be written
     */
    public static Report write(RunResults run, Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null) {
            throw new LplException("cannot write a report to " + target);
        }
        checkReplaceable(target);
        Path staging = null;
        try {
            Files.createDirectories(parent);
            staging = Files.createDirectory(sibling(absolute, "tmp"));
            List<ReportPage.Figure> figures = new ArrayList<>();
            List<ReportPage.Skipped> skipped = new ArrayList<>();
            List<String> skippedLines = new ArrayList<>();
            for (Plot plot : PLOTS) {
                Optional<? extends Chart<?, ?>> chart = plot.chart().apply(run);
                if (chart.isPresent()) {
                    ChartFiles.write(chart.get(), staging, plot.name());
                    figures.add(new ReportPage.Figure(plot.name(), plot.title(), plot.caption().apply(run)));
                } else if (plot.missing() != null) {
                    String reason = plot.missing().apply(run);
                    boolean expected = "loss-variation".equals(plot.name()) && run.lossVariationAllZero();
                    skipped.add(new ReportPage.Skipped(plot.title(), reason, expected));
                    skippedLines.add(plot.title() + ": " + reason);
                }
            }
            Path conf = run.directory().resolve(RESOLVED_CONF);
            boolean resolved = Files.isRegularFile(conf);
            if (resolved) {
                Files.copy(conf, staging.resolve(RESOLVED_CONF));
            }
            String generated = "Generated by lpl " + Provenance.lplVersion() + " (lpl report) on "
                    + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ".";
            Files.writeString(staging.resolve(INDEX), ReportPage.render(run, figures, skipped, resolved, generated),
                    StandardCharsets.UTF_8);
            replace(staging, absolute);
            staging = null;
            return new Report(target, target.resolve(INDEX),
                    figures.stream().map(f -> f.name() + ".png").toList(), List.copyOf(skippedLines));
        } catch (IOException | UncheckedIOException e) {
            throw new LplException("cannot write the report to " + target + ": " + e.getMessage(), e);
        } finally {
            if (staging != null) {
                deleteRecursively(staging);
            }
        }
    }

    /** Refuses to replace anything but nothing, an empty directory or a previous report. */
    private static void checkReplaceable(Path target) {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new LplException("cannot write the report to " + target + ": it is a file");
        }
        if (Files.isRegularFile(target.resolve(INDEX))) {
            return;
        }
        try (Stream<Path> children = Files.list(target)) {
            if (children.findAny().isPresent()) {
                throw new LplException("cannot write the report to " + target
                        + ": the directory is not empty and holds no previous report; choose another --out");
            }
        } catch (IOException e) {
            throw new LplException("cannot read " + target + ": " + e.getMessage(), e);
        }
    }

    /** Moves the finished staging directory to the target, replacing a previous report. */
    private static void replace(Path staging, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = sibling(target, "old");
            move(target, old);
        }
        try {
            move(staging, target);
        } catch (IOException e) {
            if (old != null) {
                move(old, target);
            }
            throw e;
        }
        if (old != null) {
            deleteRecursively(old);
        }
    }

    /** A hidden, unused sibling path of the target, e.g. {@code .report.tmp-1a2b3c}. */
    private static Path sibling(Path target, String kind) {
        Path parent = target.getParent();
        for (int attempt = 0; ; attempt++) {
            Path candidate = parent.resolve("." + target.getFileName() + "." + kind + "-"
                    + Long.toHexString(System.nanoTime() + attempt));
            if (!Files.exists(candidate)) {
                return candidate;
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        AtomicFiles.move(from, to, false);
    }

    /** Best effort: a leftover hidden temporary directory is harmless. */
    private static void deleteRecursively(Path directory) {
        try {
            AtomicFiles.deleteRecursively(directory);
        } catch (IOException e) {
            // leave it
        }
    }
}
