package dev.lpl.runner.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lpl.api.LplException;
import dev.lpl.runner.RunFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryReaderTest {

    @TempDir
    Path tmp;

    @Test
    void readsEveryFieldOfTheContract() {
        Path dir = RunFixture.named("r1").method("lpl").seed(7).figures(0.25, 0.7, 0.8, 0.6, 0.4, 0.05).write(tmp.resolve("r1"));
        RunResults run = RunDirectoryReader.read(dir);
        assertThat(run.run()).isEqualTo("r1");
        assertThat(run.status()).isEqualTo("completed");
        assertThat(run.completed()).isTrue();
        assertThat(run.method()).isEqualTo("lpl");
        assertThat(run.dataset()).isEqualTo("synthetic");
        assertThat(run.model()).isEqualTo("small-cnn");
        assertThat(run.epochsCompleted()).isEqualTo(3);
        assertThat(run.epochs()).isEqualTo(3);
        assertThat(run.last().epoch()).isEqualTo(3);
        assertThat(run.last().top1Error()).isEqualTo(0.25);
        assertThat(run.last().testAccuracy()).isEqualTo(0.75);
        assertThat(run.last().fewShotAccuracy()).isEqualTo(0.4);
        assertThat(run.last().ece()).isEqualTo(0.05);
        assertThat(run.best().epoch()).isEqualTo(2);
        assertThat(run.best().top1Error()).isCloseTo(0.24, within(1e-12));
        assertThat(run.classes()).extracting(RunResults.ClassResult::name).containsExactlyElementsOf(RunFixture.NAMES);
        assertThat(run.classes().get(3).trainCount()).isEqualTo(8);
        assertThat(run.classes().get(3).shotGroup()).isEqualTo("few");
        assertThat(run.confusion()[3]).containsExactly(30, 30, 15, 25);
        assertThat(run.calibration().bins()).isEqualTo(15);
        assertThat(run.calibration().count()[0]).isZero();
        assertThat(run.calibration().accuracy()[0]).isNaN();
        assertThat(run.calibration().ece()).isEqualTo(0.05);
        assertThat(run.history()).hasSize(3);
        assertThat(run.history().get(0).relativeLossVariation()[3]).isNaN();
        assertThat(run.history().get(2).relativeLossVariation()).containsExactly(-0.2, -0.1, 0.3, 0.6);
        assertThat(run.history().get(2).ece()).isEqualTo(0.05);
        assertThat(run.seed()).contains("7");
        assertThat(run.config("data.long-tail.ratio").orElseThrow().asInt()).isEqualTo(100);
        assertThat(run.config("method.lpl.optimizer.pgd.alpha").orElseThrow().asDouble()).isEqualTo(0.15);
        assertThat(run.config("method.nope")).isEmpty();
        assertThat(run.classesByTrainCount()).containsExactly(0, 1, 2, 3);
        assertThat(run.lastWithLossVariation().orElseThrow().epoch()).isEqualTo(3);
    }

    @Test
    void fieldsOfOlderRunsAreAbsentNotErrors() {
        Path dir = RunFixture.named("old").figures(0.3, 0.6, 0.8, 0.5, null, 0.1).legacy().write(tmp.resolve("old"));
        RunResults run = RunDirectoryReader.read(dir);
        assertThat(run.last().ece()).isNaN();
        assertThat(run.last().fewShotAccuracy()).isNaN();
        assertThat(run.calibration()).isNull();
        assertThat(run.history()).allSatisfy(e -> assertThat(e.relativeLossVariation()).isNull());
        assertThat(run.lastWithLossVariation()).isEmpty();
    }

    @Test
    void withoutManifestTheSummaryStillReads() throws Exception {
        Path dir = RunFixture.named("m").write(tmp.resolve("m"));
        Files.delete(dir.resolve("manifest.json"));
        RunResults run = RunDirectoryReader.readSummary(dir);
        assertThat(run.method()).isEqualTo("lpl");
        assertThat(run.seed()).isEmpty();
        assertThat(run.config("data.long-tail.ratio")).isEmpty();
        assertThat(run.history()).isEmpty();
    }

    @Test
    void aDirectoryWithoutSummaryIsNotARunDirectory() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> RunDirectoryReader.read(empty))
                .isInstanceOf(LplException.class)
                .hasMessage("not a run directory: " + empty + " (no summary.json; lpl train writes it after the first epoch)");
        assertThatThrownBy(() -> RunDirectoryReader.read(tmp.resolve("absent")))
                .isInstanceOf(LplException.class)
                .hasMessage("no such directory: " + tmp.resolve("absent"));
        Path noMetrics = RunFixture.named("x").write(tmp.resolve("x"));
        Files.delete(noMetrics.resolve("metrics.jsonl"));
        assertThatThrownBy(() -> RunDirectoryReader.read(noMetrics))
                .hasMessage("not a run directory: " + noMetrics + " (no metrics.jsonl)");
    }

    @Test
    void aMalformedLineIsNamedWithFileAndLine() throws Exception {
        Path dir = RunFixture.named("bad").write(tmp.resolve("bad"));
        Path metrics = dir.resolve("metrics.jsonl");
        Files.writeString(metrics, Files.readString(metrics) + "{\"epoch\": 4, \"train_loss\": \n");
        assertThatThrownBy(() -> RunDirectoryReader.read(dir))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("malformed JSON in " + metrics + " line 4: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        Files.writeString(metrics, "[1, 2]\n");
        assertThatThrownBy(() -> RunDirectoryReader.read(dir))
                .hasMessage("malformed JSON in " + metrics + " line 1: expected one object per line");
        Files.writeString(dir.resolve("summary.json"), "{\n  \"run\": \"bad\",\n  \"status\": \n}\n");
        assertThatThrownBy(() -> RunDirectoryReader.readSummary(dir))
                .hasMessageStartingWith("malformed JSON in " + dir.resolve("summary.json") + " line 4: ");
    }

    @Test
    void findsRunsInADirectoryOfRuns() throws Exception {
        Path runs = tmp.resolve("runs");
        RunFixture.named("b").write(runs.resolve("b"));
        RunFixture.named("a").write(runs.resolve("a"));
        Files.createDirectories(runs.resolve("not-a-run"));
        Files.writeString(runs.resolve("notes.txt"), "hello");
        assertThat(RunDirectoryReader.findRuns(runs)).containsExactly(runs.resolve("a"), runs.resolve("b"));
        assertThat(RunDirectoryReader.findRuns(runs.resolve("a"))).containsExactly(runs.resolve("a"));
        assertThatThrownBy(() -> RunDirectoryReader.findRuns(runs.resolve("not-a-run")))
                .isInstanceOf(LplException.class)
                .hasMessage("not a run directory nor a directory of runs: " + runs.resolve("not-a-run")
                        + " (no summary.json in it or in its subdirectories)");
    }

    @Test
    void hiddenDirectoriesAreNeverRead() throws Exception {
        Path runs = tmp.resolve("hidden");
        RunFixture.named("a").write(runs.resolve("a"));
        RunFixture.named("old").write(runs.resolve(".replaced/a-20260101-000000")); // a sweep's replaced run
        RunFixture.named("b").write(runs.resolve(".b.tmp-1234")); // a run directory being created
        Files.delete(runs.resolve(".b.tmp-1234/summary.json"));
        RunFixture.named("c").write(runs.resolve(".c"));
        assertThat(RunDirectoryReader.findRuns(runs)).containsExactly(runs.resolve("a"));
        assertThat(RunDirectoryReader.findUnfinishedRuns(runs)).isEmpty();
    }
}
