package dev.lpl.runner.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lpl.api.LplException;
import dev.lpl.runner.RunFixture;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    static final List<String> ALL_PLOTS = List.of("loss.png", "accuracy.png", "per-class-accuracy.png",
            "loss-variation.png", "loss-variation-epochs.png", "confusion.png", "reliability.png");

    @TempDir
    Path tmp;

    static void assertValidPngs(Path dir, List<String> files) throws Exception {
        for (String file : files) {
            Path png = dir.resolve(file);
            assertThat(png).as(file).isRegularFile();
            byte[] head = new byte[8];
            try (var in = Files.newInputStream(png)) {
                assertThat(in.read(head)).isEqualTo(8);
            }
            assertThat(head).as(file + " signature").containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image).as(file).isNotNull();
            assertThat(image.getWidth()).as(file).isGreaterThanOrEqualTo(400);
            assertThat(image.getHeight()).as(file).isGreaterThanOrEqualTo(300);
        }
    }

    /** Each file is a non-empty SVG document (parsed as XML, its DTD not fetched). */
    static void assertValidSvgs(Path dir, List<String> files) throws Exception {
        DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
        xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        for (String file : files) {
            Path svg = dir.resolve(file);
            assertThat(Files.size(svg)).as(file).isGreaterThan(1000);
            assertThat(xml.newDocumentBuilder().parse(svg.toFile()).getDocumentElement().getTagName()).as(file)
                    .isEqualTo("svg");
        }
    }

    @Test
    void writesEveryPlotAndAPageThatShowsThem() throws Exception {
        Path dir = RunFixture.named("lpl-seed7").method("lpl").seed(7)
                .figures(0.25, 0.7, 0.8, 0.6, 0.4, 0.0512).write(tmp.resolve("run"));
        ReportWriter.Report report = ReportWriter.write(RunDirectoryReader.read(dir));

        Path out = dir.resolve("report");
        assertThat(report.directory()).isEqualTo(out);
        assertThat(report.index()).isEqualTo(out.resolve("index.html"));
        assertThat(report.plots()).containsExactlyElementsOf(ALL_PLOTS);
        assertThat(report.skipped()).isEmpty();
        assertValidPngs(out, ALL_PLOTS);
        List<String> svgs = ALL_PLOTS.stream().map(p -> p.replace(".png", ".svg")).toList();
        assertValidSvgs(out, svgs);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactlyInAnyOrderElementsOf(
                            Stream.of(ALL_PLOTS.stream(), svgs.stream(), Stream.of("index.html")).flatMap(s -> s).toList());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }

        String html = Files.readString(out.resolve("index.html"));
        for (String png : ALL_PLOTS) {
            assertThat(html).contains("<img src=\"" + png + "\"");
        }
        assertThat(html).startsWith("<!DOCTYPE html>")
                .contains("<title>lpl report: lpl-seed7</title>")
                .contains("<tr><th>method</th><td>lpl</td></tr>")
                .contains("<tr><th>dataset</th><td>synthetic, long-tail exponential ρ = 100</td></tr>")
                .contains("<tr><th>seed</th><td>7</td></tr>")
                .contains("small-cnn (65,834 trainable parameters)")
                .contains("djl 0.36.0")
                .contains("<tr><th>epochs</th><td>3 of 3</td></tr>")
                .contains("<tr><th>test accuracy</th><td class=\"n\">75.00%</td><td class=\"n\">76.00%</td></tr>")
                .contains("<tr><th>top-1 error</th><td class=\"n\">25.00%</td><td class=\"n\">24.00%</td></tr>")
                .contains("<tr><th>balanced accuracy</th><td class=\"n\">70.00%</td>")
                .contains("<tr><th>ECE (15 bins)</th><td class=\"n\">5.12%</td>")
                .contains("final (epoch 3)")
                .contains("selected on test balanced accuracy (epoch 2; optimistic)")
                // per-class table, by decreasing training count, with the final-epoch loss variation
                .contains("<td>tail</td><td class=\"n\">8</td><td>few</td><td class=\"n\">100</td><td class=\"n\">40.00%</td><td class=\"n\">+0.6000</td>")
                .doesNotContain("class=\"note\"");
        // self-contained: nothing fetched, no script
        assertThat(html).doesNotContain("http://").doesNotContain("https://").doesNotContain("<script")
                .doesNotContain("<link");
    }

    @Test
    void anOlderRunStillGetsAReportWithNotes() throws Exception {
        Path dir = RunFixture.named("old").figures(0.3, 0.6, 0.8, 0.5, null, 0.1).legacy().write(tmp.resolve("old"));
        ReportWriter.Report report = ReportWriter.write(RunDirectoryReader.read(dir));
        assertThat(report.plots()).containsExactly("loss.png", "accuracy.png", "per-class-accuracy.png", "confusion.png");
        assertThat(report.skipped()).containsExactly(
                "Relative loss variation: metrics.jsonl has no relative_loss_variation (a run written by an older lpl)",
                "Reliability diagram: summary.json has no calibration (a run written by an older lpl)");
        assertValidPngs(dir.resolve("report"), report.plots());
        assertThat(dir.resolve("report/loss-variation.png")).doesNotExist();
        String html = Files.readString(report.index());
        assertThat(html).contains("<p class=\"note\">Relative loss variation: not drawn, metrics.jsonl has no relative_loss_variation")
                .contains("<p class=\"note\">Reliability diagram: not drawn, summary.json has no calibration")
                .contains("<tr><th>ECE (15 bins)</th><td class=\"n\">—</td>")
                .contains("<tr><th>few-shot accuracy (&lt;20)</th><td class=\"n\">—</td>")
                .doesNotContain("loss-variation.png").doesNotContain("reliability.png");
    }

    @Test
    void crossEntropyRunsAndRunningRunsAreReportedToo() throws Exception {
        Path dir = RunFixture.named("ce").method("ce").status("running", 2).write(tmp.resolve("ce"));
        ReportWriter.Report report = ReportWriter.write(RunDirectoryReader.read(dir));
        assertThat(report.plots()).containsExactlyElementsOf(ALL_PLOTS);
        assertValidPngs(dir.resolve("report"), report.plots());
        assertThat(Files.readString(report.index())).contains("This run is <b>running</b>")
                .contains("<tr><th>epochs</th><td>2 of 3</td></tr>");
    }

    @Test
    void aSecondReportReplacesTheFirstAndOutNamesAnotherDirectory() throws Exception {
        Path dir = RunFixture.named("r").write(tmp.resolve("r"));
        RunResults run = RunDirectoryReader.read(dir);
        ReportWriter.write(run);
        Files.writeString(dir.resolve("report/stale.png"), "old");
        ReportWriter.write(run);
        assertThat(dir.resolve("report/stale.png")).doesNotExist();
        assertThat(dir.resolve("report/index.html")).isRegularFile();

        Path elsewhere = tmp.resolve("site/nested/r-report");
        ReportWriter.Report report = ReportWriter.write(run, elsewhere);
        assertThat(report.index()).isEqualTo(elsewhere.resolve("index.html")).isRegularFile();
        try (Stream<Path> files = Files.list(elsewhere.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("r-report");
        }
    }

    @Test
    void refusesToOverwriteSomethingThatIsNotAReport() throws Exception {
        Path dir = RunFixture.named("r").write(tmp.resolve("r"));
        RunResults run = RunDirectoryReader.read(dir);
        Path foreign = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(foreign.resolve("thesis.tex"), "precious");
        assertThatThrownBy(() -> ReportWriter.write(run, foreign))
                .isInstanceOf(LplException.class)
                .hasMessage("cannot write the report to " + foreign
                        + ": the directory is not empty and holds no previous report; choose another --out");
        assertThat(foreign.resolve("thesis.tex")).hasContent("precious");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> ReportWriter.write(run, file)).hasMessage("cannot write the report to " + file + ": it is a file");
    }

    @Test
    void aFailedReportLeavesThePreviousOneAndNoHalfWrittenFiles() throws Exception {
        Path dir = RunFixture.named("r").write(tmp.resolve("r"));
        RunResults run = RunDirectoryReader.read(dir);
        ReportWriter.write(run);
        String before = Files.readString(dir.resolve("report/index.html"));
        // The page cannot be rendered without a status: fails after the plots are written.
        RunResults broken = new RunResults(run.directory(), run.run(), null, run.method(), run.model(), run.dataset(),
                run.epochsCompleted(), run.epochs(), run.last(), run.best(), run.classes(), run.confusion(),
                run.calibration(), run.history(), run.manifest());
        assertThatThrownBy(() -> ReportWriter.write(broken)).isInstanceOf(NullPointerException.class);
        assertThat(dir.resolve("report/index.html")).hasContent(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".report"));
        }
        Path fresh = tmp.resolve("fresh");
        assertThatThrownBy(() -> ReportWriter.write(broken, fresh)).isInstanceOf(NullPointerException.class);
        assertThat(fresh).doesNotExist();
    }

    @Test
    void manyClassesAndAMissingClassListStillRender() throws Exception {
        Path dir = RunFixture.named("r").write(tmp.resolve("r"));
        RunResults run = RunDirectoryReader.read(dir);
        int c = 100;
        List<RunResults.ClassResult> classes = new java.util.ArrayList<>();
        long[][] confusion = new long[c][c];
        double[] variation = new double[c];
        for (int i = 0; i < c; i++) {
            long count = Math.round(500 * Math.pow(0.01, i / 99.0));
            classes.add(new RunResults.ClassResult(i, "class-" + i, count,
                    count > 100 ? "many" : count >= 20 ? "medium" : "few", (i % 10) / 10.0));
            confusion[i][i] = 7;
            confusion[i][(i + 1) % c] = 3;
            variation[i] = (i - 50) / 100.0;
        }
        RunResults.EpochMetrics e = run.history().get(2);
        RunResults.EpochMetrics wide = new RunResults.EpochMetrics(e.epoch(), e.trainLoss(), e.testAccuracy(),
                e.balancedAccuracy(), e.manyShotAccuracy(), e.mediumShotAccuracy(), e.fewShotAccuracy(),
                e.learningRate(), e.ece(), null, variation, e.phase());
        RunResults big = new RunResults(run.directory(), run.run(), run.status(), run.method(), run.model(), run.dataset(),
                run.epochsCompleted(), run.epochs(), run.last(), run.best(), classes, confusion,
                run.calibration(), List.of(wide), run.manifest());
        ReportWriter.Report report = ReportWriter.write(big, tmp.resolve("big"));
        assertThat(report.plots()).contains("per-class-accuracy.png", "loss-variation.png", "confusion.png");
        assertValidPngs(tmp.resolve("big"), report.plots());
    }
}
