package dev.lpl.runner.compare;

import dev.lpl.api.LplException;
import dev.lpl.core.rundir.RunFiles;
import dev.lpl.core.rundir.Summary;
import dev.lpl.runner.report.RunDirectoryReader;
import dev.lpl.runner.report.RunResults;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Which epoch's figures of each run a comparison uses ({@code --metric}), and where in {@code
 * summary.json} they are:
 * <ul>
 *   <li>{@link #FINAL}: {@code final}, the last finished epoch;</li>
 *   <li>{@link #VALIDATION}: {@code best} of a run with a validation split ({@code "selection":
 *       "validation"}): the epoch with the best validation balanced accuracy;</li>
 *   <li>{@link #TEST}: {@code test_selected}, the epoch with the best <em>test</em> balanced
 *       accuracy, an optimistic figure labelled so wherever it is shown. A run written before lpl
 *       had a validation split (no {@code selection}) chose its {@code best} on the test set, so
 *       its {@code best} is this figure, never {@link #VALIDATION}'s.</li>
 * </ul>
 */
public enum Selection {
    /** The last finished epoch. */
    FINAL("final", "final epoch"),
    /** The epoch with the best validation balanced accuracy. */
    VALIDATION("best", "selected on validation"),
    /** The epoch with the best test balanced accuracy (optimistic). */
    TEST("test-selected", "selected on test");

    private final String option;
    private final String label;

    Selection(String option, String label) {
        this.option = option;
        this.label = label;
    }

    /**
     * Parses a {@code --metric} value.
     *
     * @param value {@code final}, {@code best} (validation-selected) or {@code test-selected}
     * @return the selection
     * @throws LplException for anything else
     */
    public static Selection parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "final" -> FINAL;
            case "best", "validation", "val" -> VALIDATION;
            case "test-selected", "test" -> TEST;
            default -> throw new LplException("--metric " + value
                    + ": expected final, best (selected on validation) or test-selected (selected on test)");
        };
    }

    /**
     * Returns the {@code --metric} value.
     *
     * @return e.g. {@code test-selected}
     */
    public String option() {
        return option;
    }

    /**
     * Returns the label every output carries.
     *
     * @return {@code final epoch}, {@code selected on validation} or {@code selected on test}
     */
    public String label() {
        return label;
    }

    /**
     * Returns the {@code selected_on} value of CSV output.
     *
     * @return {@code final}, {@code validation} or {@code test}
     */
    public String csvValue() {
        return switch (this) {
            case FINAL -> "final";
            case VALIDATION -> "validation";
            case TEST -> "test";
        };
    }

    /**
     * Maps the older two-valued metric: {@code BEST} was always selected on the test set.
     *
     * @param metric final or best
     * @return {@link #FINAL} or {@link #TEST}
     */
    public static Selection of(RunResults.Metric metric) {
        return metric == RunResults.Metric.BEST ? TEST : FINAL;
    }

    /**
     * Returns a run's figures for this selection.
     *
     * @param run the run
     * @return its figures
     * @throws LplException when the run has no such figures (no validation split for {@link
     *     #VALIDATION}), naming the run and what to do
     */
    public RunResults.Figures figures(RunResults run) {
        if (this == FINAL) {
            return run.last();
        }
        Summary summary = summary(run.directory());
        boolean legacy = summary.selection() == null;
        if (this == VALIDATION) {
            Summary.Figures best = summary.best();
            if ("validation".equals(summary.selection()) && best != null
                    && (best.selectedOn() == null || "validation".equals(best.selectedOn()))) {
                return run.best();
            }
            throw new LplException("--metric best needs a validation split, and " + run.directory() + " has none ("
                    + (legacy ? "written before lpl had one: its best epoch was selected on the test set"
                            : "trained without data.validation")
                    + "); train with data.validation set, or use --metric final (or --metric test-selected, "
                    + "the optimistic figure selected on test)");
        }
        Summary.Figures tested = summary.testSelected();
        if (tested != null) {
            return RunDirectoryReader.figures(tested);
        }
        if (legacy && summary.best() != null) {
            return run.best();
        }
        throw new LplException("--metric test-selected: " + run.directory()
                + "/summary.json has no test_selected figures; use --metric final");
    }

    private static Summary summary(Path directory) {
        Path file = directory.resolve(RunFiles.SUMMARY);
        try {
            return RunFiles.readSummary(directory);
        } catch (RunFiles.MalformedException e) {
            throw new LplException(e.getMessage(), e);
        } catch (IOException e) {
            throw new LplException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
