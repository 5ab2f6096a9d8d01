package dev.lpl.runner.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lpl.runner.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepCommandTest {

    record Result(int code, String out, String err) {}

    static Result lpl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private static Path grid(Path dir, String methods) throws Exception {
        Path file = dir.resolve("tiny.conf");
        Files.writeString(file, """
                sweep {
                  set {
                    training.epochs = 1
                    data.synthetic { train-per-class = 100, test-per-class = 10 }
                    model.small-cnn.width = 16
                  }
                  grid { "method.type" = [%s], "run.seed" = [1] }
                  output-root = "%s"
                  parallel = 2
                  threads-per-run = 1
                }
                """.formatted(methods, dir.resolve("out")));
        return file;
    }

    @Test
    void specExpandsTheGridInOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("g.conf");
        Files.writeString(file, "sweep { grid { \"method.type\" = [ce, lpl], \"run.seed\" = [1, 2], "
                + "\"data.long-tail.ratio\" = [100] } }");
        SweepSpec spec = SweepSpec.read(file);
        assertThat(spec.runs()).extracting(SweepRun::name).containsExactly(
                "method-ce_seed-1_ratio-100", "method-ce_seed-2_ratio-100",
                "method-lpl_seed-1_ratio-100", "method-lpl_seed-2_ratio-100");
        assertThat(spec.runs().get(3).overrides())
                .containsExactly("method.type=lpl", "run.seed=2", "data.long-tail.ratio=100");
        assertThat(spec.outputRoot()).isEqualTo(Path.of("runs/g"));
    }

    @Test
    void badSweepFilesAreOneLineErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "sweep { grid { \"method.type\" = [] } }");
        Result empty = lpl("sweep", "-c", file.toString());
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.err()).contains("must be a non-empty list");
        Files.writeString(file, "sweep { gird { } }");
        assertThat(lpl("sweep", "-c", file.toString()).err()).contains("unknown key sweep.gird");
    }

    @Test
    void everyConfigurationIsCheckedBeforeAnyProcessStarts(@TempDir Path dir) throws Exception {
        Result r = lpl("sweep", "-c", grid(dir, "ce, nope").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: sweep run method-nope_seed-1: unknown method 'nope'");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    @Tag("slow")
    void runsTheGridThenSkipsCompletedRuns(@TempDir Path dir) throws Exception {
        Path file = grid(dir, "ce, lpl");
        Result dry = lpl("sweep", "-c", file.toString(), "--dry-run");
        assertThat(dry.code()).isZero();
        assertThat(dry.out()).contains("2 runs (2 to run, 0 skipped)").contains("lpl train");
        Result first = lpl("sweep", "-c", file.toString());
        assertThat(first.code()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).contains("[2/2]").contains("| ce ").contains("| lpl ");
        assertThat(dir.resolve("out/comparison.md")).exists();
        assertThat(dir.resolve("out/comparison.csv")).exists();
        assertThat(dir.resolve("out/method-lpl_seed-1/summary.json")).exists();
        Result again = lpl("sweep", "-c", file.toString());
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("(0 to run, 2 skipped)");
    }

    @Test
    void slurmDryRunWritesTheBatchScriptAndSubmitsNothing(@TempDir Path dir) throws Exception {
        Path file = grid(dir, "ce, lpl");
        Result r = lpl("sweep", "-c", file.toString(), "--executor", "slurm", "--max-parallel", "1",
                "--partition", "debug", "--time", "0:30:00", "--dry-run");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("2 runs (2 to run, 0 skipped) as a Slurm job array, 1 at a time, 1 CPUs each")
                .contains("would submit: sbatch --parsable --array=0-1%1 " + dir.resolve("out/slurm/sweep.sbatch"));
        assertThat(Files.readString(dir.resolve("out/slurm/sweep.sbatch")))
                .contains("#SBATCH --job-name=lpl-tiny", "#SBATCH --array=0-1%1", "#SBATCH --partition=debug",
                        "#SBATCH --time=0:30:00", "dev.lpl.runner.Main \"$@\"");
        assertThat(Files.readAllLines(dir.resolve("out/slurm/tasks.txt"))).hasSize(2)
                .allMatch(l -> l.startsWith("train --set ") && l.endsWith(" --progress none"));
        assertThat(dir.resolve("out/method-ce_seed-1")).doesNotExist();
    }

    @Test
    void statusAndExecutorMistakesAreOneLineErrors(@TempDir Path dir) throws Exception {
        Result none = lpl("sweep");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("give the sweep file with -c GRID");
        Result executor = lpl("sweep", "-c", grid(dir, "ce").toString(), "--executor", "pbs");
        assertThat(executor.code()).isEqualTo(2);
        assertThat(executor.err()).contains("--executor pbs is not known; use local or slurm");
        Result local = lpl("sweep", "-c", grid(dir, "ce").toString(), "--partition", "gpu");
        assertThat(local.err()).contains("--partition, --gpus-per-run and --time apply to --executor slurm");
        Result status = lpl("sweep", "--status", dir.toString());
        assertThat(status.code()).isEqualTo(2);
        assertThat(status.err()).contains("holds no Slurm sweep");
    }
}
