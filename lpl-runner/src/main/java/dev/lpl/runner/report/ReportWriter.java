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
 * Writes a run's report: plots as PNG (shown by the page) and SVG (same name, for papers and slides)
 * and an {@code index.html} that shows them, by default into
 * {@code RUN_DIR/report/}. Everything is written into a temporary sibling directory first and
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
     * @param plots the PNG file names written, in page order (each with an SVG of the same name)
     * @param skipped one line per plot not drawn, with the reason
     */
    public record Report(Path directory, Path index, List<String> plots, List<String> skipped) {}

    private record Plot(String file, String title, String caption, String missing,
            Function<RunResults, Optional<? extends Chart<?, ?>>> chart) {}

    private static final List<Plot> PLOTS = List.of(
            new Plot("loss.png", "Training loss",
                    "Mean training loss per epoch: the method's loss, on the perturbed logits for LPL.",
                    "metrics.jsonl has no finite train_loss", Charts::trainingLoss),
            new Plot("accuracy.png", "Test accuracy",
                    "Test accuracy, balanced accuracy (the mean of per-class accuracies) and many/medium/few-shot "
                            + "accuracy (dashed) per epoch.",
                    "metrics.jsonl has no accuracy", Charts::accuracy),
            new Plot("per-class-accuracy.png", "Per-class accuracy",
                    "Final test accuracy of every class, classes ordered by decreasing training count "
                            + "(in brackets), coloured by shot group.",
                    "summary.json has no per-class accuracy", Charts::perClassAccuracy),
            new Plot("loss-variation.png", "Relative loss variation",
                    "The LPL paper's figure: per class, the relative change (l′ − l)/l of the training loss that the "
                            + "logit perturbation causes over an epoch (l: cross-entropy on the raw logits, l′: the "
                            + "method's loss on the perturbed logits). Positive: the class's loss was raised "
                            + "(loss-maximised, typically tail classes); negative: lowered (loss-minimised, typically "
                            + "head classes). Zero everywhere for plain cross-entropy.",
                    "metrics.jsonl has no relative_loss_variation (a run written by an older lpl)", Charts::lossVariation),
            new Plot("loss-variation-epochs.png", "Relative loss variation over training",
                    "The same per-class relative loss variation at up to five epochs spread over training.",
                    null, Charts::lossVariationOverEpochs),
            new Plot("confusion.png", "Confusion matrix",
                    "Final confusion matrix; row t shows where the test images of true class t went, in percent of "
                            + "the row.",
                    "summary.json has no square confusion matrix", Charts::confusion),
            new Plot("reliability.png", "Reliability diagram",
                    "Calibration of the final test predictions: per equal-width bin of the predicted class's softmax "
                            + "probability, the accuracy (blue) against the mean confidence (red); a perfectly "
                            + "calibrated model follows the dashed diagonal. ECE = Σ_b (n_b/N)·|acc_b − conf_b|.",
                    "summary.json has no calibration (a run written by an older lpl)", Charts::reliability));

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
            boolean variationDrawn = true;
            for (Plot plot : PLOTS) {
                Optional<? extends Chart<?, ?>> chart = plot.chart().apply(run);
                if (chart.isPresent()) {
                    ChartFiles.write(chart.get(), staging, plot.file().replaceFirst("\\.png$", ""));
                    figures.add(new ReportPage.Figure(plot.file(), plot.title(), plot.caption()));
                } else if (plot.missing() != null) {
                    skipped.add(new ReportPage.Skipped(plot.title(), plot.missing()));
                    skippedLines.add(plot.title() + ": " + plot.missing());
                }
            }
            String generated = "Generated by lpl " + Provenance.lplVersion() + " (lpl report) on "
                    + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ".";
            Files.writeString(staging.resolve(INDEX), ReportPage.render(run, figures, skipped, generated),
                    StandardCharsets.UTF_8);
            replace(staging, absolute);
            staging = null;
            return new Report(target, target.resolve(INDEX),
                    figures.stream().map(ReportPage.Figure::file).toList(), List.copyOf(skippedLines));
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
