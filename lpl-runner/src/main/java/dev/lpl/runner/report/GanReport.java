package dev.lpl.runner.report;

import dev.lpl.api.LplException;
import dev.lpl.core.gan.GanRun;
import dev.lpl.core.run.Provenance;
import dev.lpl.core.run.RunDirectory;
import dev.lpl.core.rundir.GanMetricsLine;
import dev.lpl.core.rundir.Manifest;
import dev.lpl.core.rundir.RunFiles;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report of a GAN run ({@code lpl report RUN_DIR} on a directory of {@code lpl gan train}):
 * the GAN-test figure (the evaluator classifier's accuracy on generated images, balanced and per
 * class, per epoch), the losses and D's accuracies per epoch, and the sample grids (one row per
 * class, the same latents every epoch), latest first.
 */
public final class GanReport {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 480;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private GanReport() {}

    /**
     * Returns whether a directory is a GAN run.
     *
     * @param run a run directory
     * @return whether its manifest says {@code kind: gan}
     */
    public static boolean isGanRun(Path run) {
        Path manifest = run.resolve(RunDirectory.MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return false;
        }
        try {
            return RunFiles.readManifest(run).isGan();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Writes the report.
     *
     * @param run the GAN run directory
     * @param target the report directory (replaced if it holds a previous report)
     * @return the report
     */
    public static ReportWriter.Report write(Path run, Path target) {
        List<GanMetricsLine> lines = new ArrayList<>();
        try {
            if (Files.isRegularFile(run.resolve(RunDirectory.METRICS))) {
                lines.addAll(RunFiles.readGanMetrics(run));
            }
            Manifest manifest = RunFiles.readManifest(run);
            Manifest.Dataset data = manifest.dataset();
            List<String> classes = data == null || data.classes() == null ? List.of() : data.classes();
            Manifest.Gan gan = manifest.gan() == null ? new Manifest.Gan(null, null, null, null, null, null)
                    : manifest.gan();
            if (Files.exists(target)) {
                if (!Files.isRegularFile(target.resolve(ReportWriter.INDEX))) {
                    try (Stream<Path> s = Files.list(target)) {
                        if (s.findAny().isPresent()) {
                            throw new LplException(target + " exists and is not a report; choose another --out");
                        }
                    }
                }
                dev.lpl.core.run.AtomicFiles.deleteRecursively(target);
            }
            Files.createDirectories(target);
            List<String> plots = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            StringBuilder html = new StringBuilder();
            String name = text(manifest.run());
            String type = text(gan.type());
            html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>").append(escape(name))
                    .append("</title><style>body{font-family:sans-serif;max-width:1000px;margin:2em auto}"
                            + "img{max-width:100%}figure{margin:1.5em 0}</style></head><body>\n");
            html.append("<h1>GAN run ").append(escape(name)).append("</h1>\n<p>").append(escape(type))
                    .append(" on ").append(escape(text(data == null ? null : data.name()))).append(", ")
                    .append(lines.size()).append(" epoch(s) done. G: ")
                    .append(text(gan.generatorParameters())).append(" parameters, D: ")
                    .append(text(gan.discriminatorParameters())).append(".</p>\n");
            XYChart ganTest = chart("GAN-test: evaluator accuracy on generated images", "accuracy (%)");
            boolean any = series(ganTest, "balanced", lines, GanMetricsLine::ganTestBalancedAccuracy, Color.BLACK);
            for (int c = 0; c < classes.size() && any; c++) {
                int k = c;
                series(ganTest, classes.get(c), lines, l -> element(l.ganTestPerClassAccuracy(), k),
                        Charts.SERIES.get(c % Charts.SERIES.size()));
            }
            if (any) {
                ChartFiles.write(ganTest, target, "gan-test");
                plots.add("gan-test.png");
                String evaluator = manifest.evaluator() == null ? "" : text(manifest.evaluator().run());
                html.append(figure("gan-test.png", "GAN-test", "Per epoch, the accuracy that the classifier run "
                        + escape(evaluator) + " (trained on real images) gives generated images of each class ("
                        + "thin lines) and their mean (balanced, black). Generated images that are not recognisably"
                        + " their class are useless as augmentation."));
            } else {
                skipped.add("GAN-test: no evaluator (gan.evaluator.run is null)");
                html.append("<p>No GAN-test figure: the run has no evaluator classifier (gan.evaluator.run).</p>\n");
            }
            XYChart losses = chart("Losses and D's accuracies", "value");
            boolean drawn = series(losses, "d_loss", lines, GanMetricsLine::dLoss, Charts.BLUE);
            series(losses, "g_loss", lines, GanMetricsLine::gLoss, Charts.ORANGE);
            series(losses, "D real acc", lines, GanMetricsLine::dRealAccuracy, Charts.GREEN);
            series(losses, "D fake acc", lines, GanMetricsLine::dFakeAccuracy, Charts.RED);
            series(losses, "D class acc (real)", lines, GanMetricsLine::dClassAccuracy, Charts.PURPLE);
            if (drawn) {
                ChartFiles.write(losses, target, "losses");
                plots.add("losses.png");
                html.append(figure("losses.png", "Losses", "Mean D and G loss per epoch; D's accuracy on real and"
                        + " generated images (real/fake head) and of its class head on real images (ACGAN, infoGAN)."
                        + " Accuracies as fractions."));
            }
            Path samples = run.resolve(GanRun.SAMPLES);
            List<Path> grids = new ArrayList<>();
            if (Files.isDirectory(samples)) {
                try (Stream<Path> s = Files.list(samples)) {
                    grids.addAll(s.filter(p -> p.getFileName().toString().matches("epoch-\\d+\\.png")).sorted()
                            .toList());
                }
            }
            if (!grids.isEmpty()) {
                Files.createDirectories(target.resolve(GanRun.SAMPLES));
                html.append("<h2>Samples</h2>\n<p>One row per class (top to bottom: ").append(escape(
                        String.join(", ", classes))).append("); each column one latent z, the same in every row and"
                        + " every epoch.</p>\n");
                for (int i = grids.size() - 1; i >= 0; i--) {
                    Path grid = grids.get(i);
                    Files.copy(grid, target.resolve(GanRun.SAMPLES).resolve(grid.getFileName()));
                    html.append(figure(GanRun.SAMPLES + "/" + grid.getFileName(), "Epoch " + Integer.parseInt(
                            grid.getFileName().toString().replaceAll("\\D", "")), ""));
                }
            }
            Files.copy(run.resolve(RunDirectory.RESOLVED_CONF), target.resolve(ReportWriter.RESOLVED_CONF));
            html.append("<p><a href=\"resolved.conf\">resolved.conf</a>. Generated by lpl ")
                    .append(Provenance.lplVersion()).append(" (lpl report) on ")
                    .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(".</p></body></html>\n");
            Files.writeString(target.resolve(ReportWriter.INDEX), html, StandardCharsets.UTF_8);
            return new ReportWriter.Report(target, target.resolve(ReportWriter.INDEX), plots, skipped);
        } catch (IOException | UncheckedIOException e) {
            throw new LplException("cannot write the report to " + target + ": " + e.getMessage(), e);
        }
    }

    private static String figure(String src, String title, String caption) {
        return "<figure><h2>" + escape(title) + "</h2><img src=\"" + src + "\" alt=\"" + escape(title)
                + "\"><figcaption>" + caption + "</figcaption></figure>\n";
    }

    private static XYChart chart(String title, String y) {
        XYChart chart = new XYChart(WIDTH, HEIGHT);
        chart.setTitle(title);
        chart.setXAxisTitle("epoch");
        chart.setYAxisTitle(y);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        return chart;
    }

    /** A manifest value as {@code JsonNode.asText()} printed it: empty when absent. */
    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    /** An element of a list of figures; null when the list is absent or too short. */
    private static Double element(List<Double> values, int index) {
        return values == null || index >= values.size() ? null : values.get(index);
    }

    /**
     * Adds one figure's series: every line's epoch and figure, skipping lines where it is absent or
     * not finite.
     */
    private static boolean series(XYChart chart, String name, List<GanMetricsLine> lines,
            Function<GanMetricsLine, Double> value, Color color) {
        List<Integer> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        boolean percent = chart.getYAxisTitle().startsWith("accuracy");
        for (GanMetricsLine line : lines) {
            Double v = value.apply(line);
            if (v != null && Double.isFinite(v)) {
                x.add(line.epoch() == null ? 0 : line.epoch());
                y.add(percent ? 100 * v : v);
            }
        }
        if (x.isEmpty()) {
            return false;
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(SeriesMarkers.CIRCLE);
        if (!name.equals("balanced") && percent) {
            s.setLineWidth(1f);
        }
        return true;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
