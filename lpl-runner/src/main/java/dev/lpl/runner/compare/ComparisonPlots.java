package dev.lpl.runner.compare;

import dev.lpl.api.LplException;
import dev.lpl.runner.report.ChartFiles;
import dev.lpl.runner.report.Charts;
import dev.lpl.runner.report.RunDirectoryReader;
import dev.lpl.runner.report.RunResults;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The figures of {@code lpl compare --plot DIR}, a PNG, an SVG and a PDF each ({@link ChartFiles}), a
 * series per row of a {@link ComparisonTable}:
 * <ul>
 *   <li>{@code balanced-accuracy}: test balanced accuracy per epoch, the group's mean as a line and
 *       the range (min–max) of its runs as a band;</li>
 *   <li>{@code val-balanced-accuracy}: the same for the validation balanced accuracy, when runs
 *       recorded it;</li>
 *   <li>{@code per-class-accuracy}: the final test accuracy of every class, the group's mean as a
 *       bar with ±1 sample standard deviation as error bars, classes ordered by decreasing
 *       training count.</li>
 * </ul>
 */
public final class ComparisonPlots {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;
    /** Above this many classes, category labels are class indices and counts only. */
    private static final int NAMED_CLASSES = 30;

    /**
     * What was written.
     *
     * @param files the files, PNG, SVG and PDF of each figure
     * @param notes one line per figure not drawn or drawn with a caveat
     */
    public record Written(List<Path> files, List<String> notes) {}

    private ComparisonPlots() {}

    /**
     * Draws the figures of a table's rows into a directory (created; files of the same name are
     * replaced).
     *
     * @param table the table
     * @param directory the target
     * @return what was written
     * @throws LplException when a run's files cannot be read or a figure cannot be written
     */
    public static Written write(ComparisonTable table, Path directory) {
        List<Group> groups = new ArrayList<>();
        for (ComparisonTable.Row row : table.rows()) {
            List<RunResults> runs = new ArrayList<>();
            List<Map<Integer, Double>> validation = new ArrayList<>();
            for (RunResults summary : row.runs()) {
                RunResults run = RunDirectoryReader.read(summary.directory());
                runs.add(run);
                validation.add(validationCurve(run));
            }
            groups.add(new Group(row.group(), runs, validation));
        }
        List<Path> files = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try {
            Files.createDirectories(directory);
            String key = table.key().name();
            XYChart test = curves("Test balanced accuracy per epoch (by " + key + ": mean, band = min–max of the runs)",
                    "test balanced accuracy (%)", groups, false);
            if (test != null) {
                files.addAll(ChartFiles.write(test, directory, "balanced-accuracy"));
            } else {
                notes.add("not drawn: balanced-accuracy: no run's metrics.jsonl has balanced_accuracy");
            }
            XYChart validation = curves("Validation balanced accuracy per epoch (by " + key
                    + ": mean, band = min–max of the runs)", "validation balanced accuracy (%)", groups, true);
            if (validation != null) {
                files.addAll(ChartFiles.write(validation, directory, "val-balanced-accuracy"));
            } else {
                notes.add("not drawn: val-balanced-accuracy: no run has a validation split (val_balanced_accuracy)");
            }
            CategoryChart perClass = perClass("Final per-class test accuracy (by " + key
                    + ": mean, error bars ±1 std of the runs)", groups, notes);
            if (perClass != null) {
                files.addAll(ChartFiles.write(perClass, directory, "per-class-accuracy"));
            } else {
                notes.add("not drawn: per-class-accuracy: the runs have no per-class accuracy");
            }
        } catch (IOException e) {
            throw new LplException("cannot write the plots to " + directory + ": " + e.getMessage(), e);
        }
        return new Written(List.copyOf(files), List.copyOf(notes));
    }

    /** A row: its label, its runs with their history, and each run's validation figure per epoch. */
    private record Group(String label, List<RunResults> runs, List<Map<Integer, Double>> validation) {

        /** Epoch → the runs' values (test or validation balanced accuracy). */
        TreeMap<Integer, List<Double>> byEpoch(boolean validationSet) {
            TreeMap<Integer, List<Double>> out = new TreeMap<>();
            for (int r = 0; r < runs.size(); r++) {
                if (validationSet) {
                    validation.get(r).forEach((epoch, v) -> out.computeIfAbsent(epoch, e -> new ArrayList<>()).add(v));
                } else {
                    for (RunResults.EpochMetrics m : runs.get(r).history()) {
                        if (Double.isFinite(m.balancedAccuracy())) {
                            out.computeIfAbsent(m.epoch(), e -> new ArrayList<>()).add(m.balancedAccuracy());
                        }
                    }
                }
            }
            return out;
        }
    }

    private static XYChart curves(String title, String yTitle, List<Group> groups, boolean validationSet) {
        XYChart chart = new XYChart(WIDTH, HEIGHT);
        chart.setTitle(title);
        chart.setXAxisTitle("epoch");
        chart.setYAxisTitle(yTitle);
        Charts.style(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setYAxisDecimalPattern("0");
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f));
        List<Runnable> lines = new ArrayList<>(); // drawn after every band, so that no band hides a line
        boolean any = false;
        for (int g = 0; g < groups.size(); g++) {
            TreeMap<Integer, List<Double>> values = groups.get(g).byEpoch(validationSet);
            if (values.isEmpty()) {
                continue;
            }
            any = true;
            Color color = Charts.SERIES.get(g % Charts.SERIES.size());
            List<Integer> epochs = new ArrayList<>(values.keySet());
            List<Double> mean = new ArrayList<>();
            List<Double> low = new ArrayList<>();
            List<Double> high = new ArrayList<>();
            for (List<Double> v : values.values()) {
                mean.add(100 * v.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
                low.add(100 * v.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
                high.add(100 * v.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
            }
            String label = groups.get(g).label() + " (n=" + groups.get(g).runs().size() + ")";
            if (groups.get(g).runs().size() > 1) {
                List<Integer> x = new ArrayList<>(epochs);
                List<Double> y = new ArrayList<>(high);
                for (int i = epochs.size() - 1; i >= 0; i--) {
                    x.add(epochs.get(i));
                    y.add(low.get(i));
                }
                XYSeries band = chart.addSeries(label + " min–max", x, y);
                band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                band.setFillColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 50));
                band.setLineColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 0));
                band.setMarker(SeriesMarkers.NONE);
                band.setShowInLegend(false);
            }
            lines.add(() -> {
                XYSeries line = chart.addSeries(label, epochs, mean);
                line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                line.setLineColor(color);
                line.setMarkerColor(color);
                line.setLineStyle(new BasicStroke(2f));
                line.setMarker(epochs.size() <= 40 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            });
        }
        lines.forEach(Runnable::run);
        return any ? chart : null;
    }

    private static CategoryChart perClass(String title, List<Group> groups, List<String> notes) {
        RunResults reference = groups.stream().flatMap(g -> g.runs().stream())
                .filter(r -> !r.classes().isEmpty()).findFirst().orElse(null);
        if (reference == null) {
            return null;
        }
        List<Integer> order = reference.classesByTrainCount();
        int classes = reference.classes().size();
        boolean sameCounts = groups.stream().flatMap(g -> g.runs().stream()).allMatch(r -> r.classes().size() == classes
                && r.classes().stream().allMatch(c -> c.trainCount() == reference.classes().get(c.index()).trainCount()));
        if (!sameCounts) {
            notes.add("per-class-accuracy: the runs' training counts differ; classes ordered and labelled by "
                    + reference.directory() + "'s");
        }
        int width = Math.max(WIDTH, Math.min(2400, 200 + 14 * classes * Math.max(1, groups.size())));
        CategoryChart chart = new CategoryChart(width, HEIGHT + (classes > 6 ? 60 : 0));
        chart.setTitle(title);
        chart.setXAxisTitle("class (training count), by decreasing training count");
        chart.setYAxisTitle("final test accuracy (%)");
        Charts.style(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f));
        chart.getStyler().setXAxisLabelRotation(classes > 6 ? 45 : 0);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        chart.getStyler().setYAxisDecimalPattern("0");
        if (classes > NAMED_CLASSES * 2) {
            chart.getStyler().setXAxisMaxLabelCount(NAMED_CLASSES * 2);
        }
        List<String> labels = Charts.classLabels(reference, order);
        boolean any = false;
        for (int g = 0; g < groups.size(); g++) {
            List<Double> mean = new ArrayList<>();
            List<Double> std = new ArrayList<>();
            for (int c : order) {
                List<Double> values = new ArrayList<>();
                for (RunResults run : groups.get(g).runs()) {
                    if (c < run.classes().size() && Double.isFinite(run.classes().get(c).accuracy())) {
                        values.add(run.classes().get(c).accuracy());
                    }
                }
                Statistic s = Statistic.of(values.stream().mapToDouble(Double::doubleValue).toArray()).scaled(100);
                mean.add(s.isEmpty() ? 0.0 : s.mean());
                std.add(Double.isNaN(s.std()) ? 0.0 : s.std());
                any |= !s.isEmpty();
            }
            chart.addSeries(groups.get(g).label() + " (n=" + groups.get(g).runs().size() + ")", labels, mean, std)
                    .setFillColor(Charts.SERIES.get(g % Charts.SERIES.size()));
        }
        return any ? chart : null;
    }

    /** The validation balanced accuracy of a run by epoch (epochs without a finite value left out). */
    private static Map<Integer, Double> validationCurve(RunResults run) {
        Map<Integer, Double> out = new TreeMap<>();
        for (RunResults.EpochMetrics epoch : run.history()) {
            if (Double.isFinite(epoch.validationBalancedAccuracy())) {
                out.put(epoch.epoch(), epoch.validationBalancedAccuracy());
            }
        }
        return out;
    }
}
