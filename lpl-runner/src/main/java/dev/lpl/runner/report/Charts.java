package dev.lpl.runner.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts, built with XChart from a {@link RunResults}. Each method returns empty when
 * the run lacks the data (a field an older lpl did not write), and never draws a partial chart.
 * Rendering needs no display: {@link ReportWriter} runs AWT headless.
 */
public final class Charts {

    /** Blue for the headline series. */
    static final Color BLUE = new Color(0x1f77b4);
    /** Orange for the second series. */
    static final Color ORANGE = new Color(0xff7f0e);
    /** Green: many-shot. */
    static final Color GREEN = new Color(0x2ca02c);
    /** Red: few-shot, raised loss. */
    static final Color RED = new Color(0xd62728);
    /** Purple: medium-shot. */
    static final Color PURPLE = new Color(0x9467bd);
    /** Grey: references. */
    static final Color GREY = new Color(0x7f7f7f);
    /** Brown: validation. */
    static final Color BROWN = new Color(0x8c564b);

    /** One colour per series where series are groups (methods), in order. */
    public static final List<Color> SERIES = List.of(BLUE, ORANGE, GREEN, RED, PURPLE, BROWN,
            new Color(0xe377c2), GREY, new Color(0xbcbd22), new Color(0x17becf));

    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;
    /** Above this many classes, category labels are class indices and counts only. */
    private static final int NAMED_CLASSES = 30;
    /** Epochs drawn in the loss-variation-over-training chart. */
    private static final int VARIATION_EPOCHS = 5;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /**
     * The mean training loss per epoch.
     *
     * @param run the run
     * @return the chart, or empty without a finite loss
     */
    public static Optional<XYChart> trainingLoss(RunResults run) {
        XYChart chart = lineChart("Training loss", "epoch", "mean training loss");
        boolean any = addEpochSeries(chart, run, "train loss", RunResults.EpochMetrics::trainLoss, 1, BLUE);
        return any ? Optional.of(chart) : Optional.empty();
    }

    /** Series name when test and balanced accuracy are one line. */
    static final String TEST_EQUALS_BALANCED = "test accuracy = balanced accuracy\n(balanced test set)";
    /** Series name of the validation balanced accuracy. */
    static final String VALIDATION_BALANCED = "validation\nbalanced accuracy";
    /** Two accuracies closer than this in every epoch are drawn as one line. */
    private static final double SAME = 1e-9;

    /**
     * Test, balanced and shot-group accuracy per epoch, in percent, and the validation balanced
     * accuracy when the run has a validation split. On a test set with the same number of images
     * in every class, test and balanced accuracy are equal; then they are one line, whose label
     * says so, rather than one line hidden under the other.
     *
     * @param run the run
     * @return the chart, or empty without any accuracy
     */
    public static Optional<XYChart> accuracy(RunResults run) {
        boolean validation = run.history().stream().anyMatch(e -> Double.isFinite(e.validationBalancedAccuracy()));
        XYChart chart = lineChart(validation ? "Test and validation accuracy" : "Test accuracy", "epoch", "accuracy (%)");
        boolean any;
        if (testEqualsBalanced(run)) {
            any = addEpochSeries(chart, run, TEST_EQUALS_BALANCED, RunResults.EpochMetrics::testAccuracy, 100, BLUE);
        } else {
            any = addEpochSeries(chart, run, "test accuracy", RunResults.EpochMetrics::testAccuracy, 100, BLUE);
            any |= addEpochSeries(chart, run, "balanced accuracy", RunResults.EpochMetrics::balancedAccuracy, 100, ORANGE);
        }
        if (validation && addEpochSeries(chart, run, VALIDATION_BALANCED,
                RunResults.EpochMetrics::validationBalancedAccuracy, 100, BROWN)) {
            XYSeries s = chart.getSeriesMap().get(VALIDATION_BALANCED);
            s.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {2f, 4f}, 0f));
            s.setMarker(s.getXData().length <= 40 ? SeriesMarkers.DIAMOND : SeriesMarkers.NONE);
            any = true;
        }
        boolean shots = addEpochSeries(chart, run, "many-shot", RunResults.EpochMetrics::manyShotAccuracy, 100, GREEN);
        shots |= addEpochSeries(chart, run, "medium-shot", RunResults.EpochMetrics::mediumShotAccuracy, 100, PURPLE);
        shots |= addEpochSeries(chart, run, "few-shot", RunResults.EpochMetrics::fewShotAccuracy, 100, RED);
        if (shots) {
            for (String name : List.of("many-shot", "medium-shot", "few-shot")) {
                XYSeries s = chart.getSeriesMap().get(name);
                if (s != null) {
                    s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
                }
            }
        }
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        return any || shots ? Optional.of(chart) : Optional.empty();
    }

    /**
     * Returns whether test and balanced accuracy are equal in every epoch that has both (within
     * 1e-9), as they are on a test set with the same number of images in every class.
     *
     * @param run the run
     * @return true when at least one epoch has both and no epoch has them differ or only one of them
     */
    public static boolean testEqualsBalanced(RunResults run) {
        boolean both = false;
        for (RunResults.EpochMetrics e : run.history()) {
            boolean test = Double.isFinite(e.testAccuracy());
            boolean balanced = Double.isFinite(e.balancedAccuracy());
            if (test != balanced) {
                return false;
            }
            if (test) {
                if (Math.abs(e.testAccuracy() - e.balancedAccuracy()) > SAME) {
                    return false;
                }
                both = true;
            }
        }
        return both;
    }

    /**
     * Final test accuracy of every class as bars, classes ordered by decreasing training count and
     * coloured by shot group.
     *
     * @param run the run
     * @return the chart, or empty without per-class accuracy
     */
    public static Optional<CategoryChart> perClassAccuracy(RunResults run) {
        List<Integer> order = run.classesByTrainCount();
        if (order.isEmpty() || run.classes().stream().allMatch(c -> Double.isNaN(c.accuracy()))) {
            return Optional.empty();
        }
        CategoryChart chart = barChart("Per-class test accuracy (classes by decreasing training count)",
                "class (training count)", "accuracy (%)", order.size());
        List<String> labels = classLabels(run, order);
        boolean any = false;
        for (String group : List.of("many", "medium", "few")) {
            List<Double> values = new ArrayList<>();
            for (int c : order) {
                RunResults.ClassResult cls = run.classes().get(c);
                values.add(group.equals(cls.shotGroup()) ? finite(100 * cls.accuracy()) : null);
            }
            if (values.stream().anyMatch(v -> v != null)) {
                chart.addSeries(group + "-shot", labels, values).setFillColor(groupColor(group));
                any = true;
            }
        }
        if (!any) {
            List<Double> values = order.stream().map(c -> finite(100 * run.classes().get(c).accuracy())).toList();
            chart.addSeries("accuracy", labels, values).setFillColor(BLUE);
        }
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        if (order.size() <= NAMED_CLASSES) {
            chart.getStyler().setLabelsVisible(true).setLabelsRotation(0).setLabelsPosition(1.0);
            chart.getStyler().setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            chart.getStyler().setDecimalPattern("0.0");
        }
        return Optional.of(chart);
    }

    /**
     * The LPL paper's figure: the relative loss variation (l′ − l)/l of every class caused by the
     * perturbation in the last epoch that recorded it, classes ordered by decreasing training count;
     * positive bars are classes whose loss the perturbation raised, negative ones lowered.
     *
     * @param run the run
     * @return the chart, or empty when the run did not record the variation or it is zero
     *     everywhere (a method that does not perturb the logits)
     */
    public static Optional<CategoryChart> lossVariation(RunResults run) {
        Optional<RunResults.EpochMetrics> epoch = run.lastWithLossVariation();
        List<Integer> order = run.classesByTrainCount();
        if (epoch.isEmpty() || order.isEmpty() || run.lossVariationAllZero()) {
            return Optional.empty();
        }
        double[] variation = epoch.get().relativeLossVariation();
        CategoryChart chart = barChart("Relative loss variation (l\u2032 \u2212 l)/l per class, epoch " + epoch.get().epoch(),
                "class (training count)", "(l\u2032 \u2212 l)/l", order.size());
        List<String> labels = classLabels(run, order);
        List<Double> raised = new ArrayList<>();
        List<Double> lowered = new ArrayList<>();
        for (int c : order) {
            Double v = c < variation.length ? finite(variation[c]) : null;
            raised.add(v != null && v >= 0 ? v : null);
            lowered.add(v != null && v < 0 ? v : null);
        }
        if (raised.stream().anyMatch(v -> v != null)) {
            chart.addSeries("loss raised", labels, raised).setFillColor(RED);
        }
        if (lowered.stream().anyMatch(v -> v != null)) {
            chart.addSeries("loss lowered", labels, lowered).setFillColor(BLUE);
        }
        if (chart.getSeriesMap().isEmpty()) {
            return Optional.empty();
        }
        symmetricYAxis(chart, variation);
        return Optional.of(chart);
    }

    /**
     * The relative loss variation per class over training: one line for each of up to five epochs
     * (first, last and evenly spaced between) that recorded it.
     *
     * @param run the run
     * @return the chart, or empty with fewer than two such epochs
     */
    public static Optional<CategoryChart> lossVariationOverEpochs(RunResults run) {
        List<RunResults.EpochMetrics> recorded =
                run.history().stream().filter(e -> e.relativeLossVariation() != null).toList();
        List<Integer> order = run.classesByTrainCount();
        if (recorded.size() < 2 || order.isEmpty() || run.lossVariationAllZero()) {
            return Optional.empty();
        }
        CategoryChart chart = barChart("Relative loss variation over training", "class (training count)",
                "(l\u2032 \u2212 l)/l", order.size());
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        List<String> labels = classLabels(run, order);
        Color[] palette = {new Color(0xc6dbef), new Color(0x9ecae1), new Color(0x4292c6), new Color(0x2171b5), new Color(0x08306b)};
        List<Double> all = new ArrayList<>();
        List<RunResults.EpochMetrics> chosen = spread(recorded, VARIATION_EPOCHS);
        for (int i = 0; i < chosen.size(); i++) {
            RunResults.EpochMetrics e = chosen.get(i);
            List<Double> values = new ArrayList<>();
            for (int c : order) {
                Double v = c < e.relativeLossVariation().length ? finite(e.relativeLossVariation()[c]) : null;
                values.add(v);
                if (v != null) {
                    all.add(v);
                }
            }
            if (values.stream().anyMatch(v -> v != null)) {
                CategorySeries s = chart.addSeries("epoch " + e.epoch(), labels, values);
                Color color = palette[palette.length - chosen.size() + i];
                s.setLineColor(color);
                s.setMarkerColor(color);
                s.setMarker(SeriesMarkers.CIRCLE);
            }
        }
        if (chart.getSeriesMap().size() < 2) {
            return Optional.empty();
        }
        symmetricYAxis(chart, all.stream().mapToDouble(Double::doubleValue).toArray());
        return Optional.of(chart);
    }

    /**
     * The final confusion matrix as a heat map, each row (true class) normalised to percent.
     *
     * @param run the run
     * @return the chart, or empty without a square confusion matrix
     */
    public static Optional<HeatMapChart> confusion(RunResults run) {
        long[][] m = run.confusion();
        if (m == null || m.length == 0 || java.util.Arrays.stream(m).anyMatch(r -> r.length != m.length)) {
            return Optional.empty();
        }
        int n = m.length;
        int side = Math.max(560, Math.min(1400, 200 + 36 * n));
        HeatMapChart chart = new HeatMapChartBuilder().width(side + 140).height(side).build();
        chart.setTitle("Confusion matrix (row-normalised, %)");
        chart.setXAxisTitle("predicted class");
        chart.setYAxisTitle("true class");
        style(chart);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            String name = c < run.classes().size() ? run.classes().get(c).name() : Integer.toString(c);
            names.add(n <= 20 ? c + " " + name : Integer.toString(c));
        }
        // Row 0 at the top, as confusion matrices are read: the y axis grows upwards.
        List<String> rows = new ArrayList<>(names);
        java.util.Collections.reverse(rows);
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            long total = java.util.Arrays.stream(m[t]).sum();
            if (total == 0) {
                continue;
            }
            for (int p = 0; p < n; p++) {
                cells.add(new Number[] {p, n - 1 - t, 100.0 * m[t][p] / total});
            }
        }
        if (cells.isEmpty()) {
            return Optional.empty();
        }
        chart.addSeries("row %", names, rows, cells);
        chart.getStyler()
                .setRangeColors(new Color[] {Color.WHITE, new Color(0x9ecae1), new Color(0x08306b)})
                .setMin(0)
                .setMax(100)
                .setShowValue(n <= 15)
                .setHeatMapValueDecimalPattern("0")
                .setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11))
                .setValueFontColor(Color.BLACK)
                .setDrawBorder(true)
                .setPlotContentSize(1.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(n <= 20 ? 45 : 0);
        chart.getStyler().setPlotGridLinesVisible(false);
        return Optional.of(chart);
    }

    /**
     * The reliability diagram of the final test predictions: accuracy and mean confidence per
     * confidence bin, with the diagonal of perfect calibration, and the ECE in the title.
     *
     * @param run the run
     * @return the chart, or empty when the run did not record calibration
     */
    public static Optional<CategoryChart> reliability(RunResults run) {
        RunResults.Calibration cal = run.calibration();
        if (cal == null || cal.accuracy().length == 0) {
            return Optional.empty();
        }
        int bins = cal.accuracy().length;
        double ece = Double.isNaN(cal.ece()) ? run.last().ece() : cal.ece();
        long samples = java.util.Arrays.stream(cal.count()).sum();
        String title = "Reliability diagram" + (Double.isNaN(ece) ? "" : String.format(Locale.ROOT, ", ECE = %.2f%%", 100 * ece))
                + String.format(Locale.ROOT, " (%d bins, %,d test images)", bins, samples);
        CategoryChart chart = barChart(title, "confidence (bin centre)", "accuracy", bins);
        List<String> labels = new ArrayList<>();
        List<Double> accuracy = new ArrayList<>();
        List<Double> confidence = new ArrayList<>();
        List<Double> diagonal = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            double lower = b < cal.lower().length ? cal.lower()[b] : (double) b / bins;
            double upper = b < cal.upper().length ? cal.upper()[b] : (double) (b + 1) / bins;
            double centre = (lower + upper) / 2;
            labels.add(String.format(Locale.ROOT, "%.2f", centre));
            accuracy.add(b < cal.count().length && cal.count()[b] == 0 ? null : finite(cal.accuracy()[b]));
            confidence.add(b < cal.confidence().length ? finite(cal.confidence()[b]) : null);
            diagonal.add(centre);
        }
        if (accuracy.stream().allMatch(v -> v == null)) {
            return Optional.empty();
        }
        // Side by side, opaque: every colour on the chart is a legend entry (overlapping translucent
        // bars mixed a third colour that the legend did not explain).
        chart.getStyler().setOverlapped(false).setAvailableSpaceFill(0.8);
        chart.addSeries("accuracy", labels, replaceNulls(accuracy)).setFillColor(BLUE);
        chart.addSeries("mean confidence", labels, replaceNulls(confidence)).setFillColor(ORANGE);
        CategorySeries perfect = chart.addSeries("perfect calibration", labels, diagonal);
        perfect.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        perfect.setLineColor(GREY);
        perfect.setMarker(SeriesMarkers.NONE);
        perfect.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setXAxisLabelRotation(45);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        return Optional.of(chart);
    }

    // ---- helpers ----

    private static List<Double> replaceNulls(List<Double> values) {
        // An empty bin is drawn as no bar: XChart draws a zero-height bar for 0.
        return values.stream().map(v -> v == null ? 0.0 : v).toList();
    }

    private static XYChart lineChart(String title, String x, String y) {
        XYChart chart = new XYChart(WIDTH, HEIGHT);
        chart.setTitle(title);
        chart.setXAxisTitle(x);
        chart.setYAxisTitle(y);
        style(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisDecimalPattern("0");
        return chart;
    }

    private static boolean addEpochSeries(XYChart chart, RunResults run, String name,
            ToDoubleFunction<RunResults.EpochMetrics> value, double scale, Color color) {
        List<Integer> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (RunResults.EpochMetrics e : run.history()) {
            double v = value.applyAsDouble(e);
            if (Double.isFinite(v)) {
                x.add(e.epoch());
                y.add(scale * v);
            }
        }
        if (x.isEmpty()) {
            return false;
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(x.size() <= 40 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        return true;
    }

    private static CategoryChart barChart(String title, String x, String y, int categories) {
        int width = Math.max(WIDTH, Math.min(2400, 160 + 28 * categories));
        CategoryChart chart = new CategoryChart(width, HEIGHT + (categories > 6 ? 60 : 0));
        chart.setTitle(title);
        chart.setXAxisTitle(x);
        chart.setYAxisTitle(y);
        style(chart);
        chart.getStyler()
                .setOverlapped(true)
                .setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(categories > 6 ? 45 : 0);
        if (categories > NAMED_CLASSES * 2) {
            chart.getStyler().setXAxisMaxLabelCount(NAMED_CLASSES * 2);
        }
        return chart;
    }

    /**
     * Applies the report's look (white background, light grid, sans-serif fonts, no tooltips) to a
     * chart, so that {@code lpl compare --plot} draws like {@code lpl report}.
     *
     * @param chart an XY or category chart
     */
    public static void style(Chart<? extends AxesChartStyler, ?> chart) {
        AxesChartStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0xbbbbbb));
        s.setLegendBorderColor(new Color(0xdddddd));
        s.setPlotGridLinesColor(new Color(0xe5e5e5));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setChartTitleBoxVisible(false);
        s.setToolTipsEnabled(false);
        s.setLocale(Locale.ROOT);
        s.setAntiAlias(true);
    }

    /**
     * Category labels of classes: {@code name (count)}, or {@code index (count)} for many classes;
     * unique (a repeated name gets its index in front). Also the labels of {@code lpl compare --plot}.
     *
     * @param run the run whose class names and training counts label the axis
     * @param order the class indices, in axis order
     * @return one label per class of {@code order}
     */
    public static List<String> classLabels(RunResults run, List<Integer> order) {
        boolean named = order.size() <= NAMED_CLASSES;
        List<String> labels = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int c : order) {
            RunResults.ClassResult cls = run.classes().get(c);
            String count = cls.trainCount() >= 0 ? " (" + cls.trainCount() + ")" : "";
            String label = (named ? cls.name() : Integer.toString(cls.index())) + count;
            if (!seen.add(label)) {
                label = cls.index() + " " + label;
                seen.add(label);
            }
            labels.add(label);
        }
        return labels;
    }

    private static Color groupColor(String group) {
        return switch (group) {
            case "many" -> GREEN;
            case "medium" -> PURPLE;
            default -> RED;
        };
    }

    private static void symmetricYAxis(CategoryChart chart, double[] values) {
        double max = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                max = Math.max(max, Math.abs(v));
            }
        }
        double bound = max == 0 ? 0.1 : niceCeiling(max * 1.1);
        chart.getStyler().setYAxisMin(-bound).setYAxisMax(bound);
    }

    private static double niceCeiling(double v) {
        double step = Math.pow(10, Math.floor(Math.log10(v)) - 1);
        return Math.ceil(v / step) * step;
    }

    private static <T> List<T> spread(List<T> items, int k) {
        if (items.size() <= k) {
            return items;
        }
        List<T> chosen = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            chosen.add(items.get((int) Math.round((double) i * (items.size() - 1) / (k - 1))));
        }
        return chosen;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
