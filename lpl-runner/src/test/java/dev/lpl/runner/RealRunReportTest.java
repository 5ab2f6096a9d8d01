package dev.lpl.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lpl.runner.report.RunDirectoryReader;
import dev.lpl.runner.report.RunResults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short real run, trained by {@code lpl train}, then reported and compared. */
@Tag("slow")
class RealRunReportTest {

    @TempDir
    Path tmp;

    @Test
    void aRealRunIsReportedAndCompared() throws Exception {
        Path run = tmp.resolve("run");
        CommandLineTest.Result train = CommandLineTest.lpl("train", "--progress", "none", "--out", run.toString(),
                "--set", "training.epochs=2", "--set", "data.synthetic.train-per-class=40",
                "--set", "data.synthetic.test-per-class=10", "--set", "data.synthetic.imbalance-ratio=10",
                "--set", "data.batch-size=32");
        assertThat(train.code()).as(train.err()).isZero();

        RunResults results = RunDirectoryReader.read(run);
        assertThat(results.completed()).isTrue();
        assertThat(results.history()).hasSize(2);
        assertThat(results.classes()).hasSize(10);

        CommandLineTest.Result report = CommandLineTest.lpl("report", run.toString());
        assertThat(report.code()).as(report.err()).isZero();
        assertThat(report.out()).endsWith(" plots)\n").contains("report: " + run.resolve("report/index.html"));
        List<Path> pngs;
        try (Stream<Path> files = Files.list(run.resolve("report"))) {
            pngs = files.filter(p -> p.toString().endsWith(".png")).toList();
        }
        assertThat(pngs).extracting(p -> p.getFileName().toString())
                .contains("loss.png", "accuracy.png", "per-class-accuracy.png", "confusion.png");
        for (Path png : pngs) {
            assertThat(ImageIO.read(png.toFile())).as(png.toString()).isNotNull();
            assertThat(Files.readString(run.resolve("report/index.html"))).contains("<img src=\"" + png.getFileName() + "\"");
        }

        CommandLineTest.Result compare = CommandLineTest.lpl("compare", run.toString());
        assertThat(compare.code()).as(compare.err()).isZero();
        assertThat(compare.out()).startsWith("| method |").contains("| lpl    |   1 |");
    }
}
