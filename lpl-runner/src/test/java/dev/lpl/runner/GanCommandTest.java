package dev.lpl.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lpl.runner.CommandLineTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lpl gan train} end to end on the embedded synthetic dataset, its report, and its user errors. */
class GanCommandTest {

    private static Result lpl(String... args) {
        return CommandLineTest.lpl(args);
    }

    private static void oneLineError(Result r, String start) {
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).startsWith("error: " + start).doesNotContain("at dev.lpl");
        // the problem and its fix in one line; only the hint to --debug follows
        assertThat(r.err().strip().lines().skip(1).toList()).as(r.err())
                .allMatch(l -> l.equals("(run with --debug for details)"));
    }

    @Test
    void trainsAGanWritesItsRunDirectoryAndReportsIt(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("gan");
        Result r = lpl("gan", "train", "--out", run.toString(), "--set", "data.type=synthetic", "--set",
                "data.synthetic.train-per-class=20", "--set", "data.synthetic.test-per-class=5", "--set",
                "data.synthetic.imbalance-ratio=1", "--set", "method.type=ce", "--set", "gan.type=acgan", "--set",
                "gan.width=8", "--set", "gan.epochs=2", "--set", "gan.steps-per-epoch=3", "--set",
                "training.threads=1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("epoch 2/2").contains("use it: --set data.augment.generated.run=");
        for (String file : new String[] {"resolved.conf", "manifest.json", "metrics.jsonl", "summary.json",
            "checkpoints/epoch-0002/generator.npz", "checkpoints/epoch-0002/adam-discriminator.npz",
            "samples/epoch-0001.png", "samples/epoch-0002.png"}) {
            assertThat(run.resolve(file)).as(file).isRegularFile();
        }
        assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(2);
        Result report = lpl("report", run.toString());
        assertThat(report.code()).as(report.err()).isZero();
        assertThat(run.resolve("report/index.html")).content().contains("GAN run").contains("samples/epoch-0002.png")
                .contains("No GAN-test figure");
        assertThat(run.resolve("report/losses.png")).isRegularFile();
        assertThat(run.resolve("report/samples/epoch-0001.png")).isRegularFile();

        oneLineError(lpl("gan", "train", "--resume", run.toString()), "GAN run " + run + " has already completed");
    }

    @Test
    void userErrorsAreOneLine(@TempDir Path tmp) {
        oneLineError(lpl("gan", "train", "--resume", tmp.toString(), "--set", "gan.epochs=2"),
                "--resume continues a GAN run with its own configuration");
        oneLineError(lpl("gan", "train", "--resume", tmp.toString()), tmp + " is not an lpl run directory");
        oneLineError(lpl("gan", "train", "--set", "data.type=synthetic", "--set", "gan.type=bigan"),
                "invalid configuration value gan.type");
        oneLineError(lpl("gan", "train", "--set", "data.type=synthetic", "--set", "gan.evaluator.run="
                + tmp.resolve("nothing")), "invalid configuration value gan.evaluator.run");
        oneLineError(lpl("train", "--set", "data.type=synthetic", "--set", "data.augment.generated.run=" + tmp),
                "invalid configuration value data.augment.generated.run");
    }
}
