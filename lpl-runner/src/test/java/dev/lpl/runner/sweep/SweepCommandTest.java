package dev.lpl.runner.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lpl.core.run.Json;
import dev.lpl.runner.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
    @Tag("slow")
    void aRunOfAnotherConfigurationIsNeverReusedAndRerunChangedRunsItAgain(@TempDir Path dir) throws Exception {
        Path base = dir.resolve("base.conf");
        Files.writeString(base, "training.epochs = 1\n");
        Path file = dir.resolve("stale.conf");
        Files.writeString(file, """
                sweep {
                  base = "base.conf"
                  set {
                    data.synthetic { train-per-class = 100, test-per-class = 10 }
                    model.small-cnn.width = 16
                  }
                  grid { "method.type" = [ce], "run.seed" = [1] }
                  output-root = "%s"
                  threads-per-run = 1
                }
                """.formatted(dir.resolve("out")));
        Path cell = dir.resolve("out/method-ce_seed-1");
        Result plan = lpl("sweep", "-c", file.toString(), "--executor", "slurm", "--dry-run");
        assertThat(plan.code()).as(plan.err()).isZero();
        List<String> planned = Files.readAllLines(dir.resolve("out/slurm/fingerprints.txt"));
        Result first = lpl("sweep", "-c", file.toString());
        assertThat(first.code()).as(first.out() + first.err()).isZero();
        // the sweep resolves a cell exactly as its lpl train does: the fingerprint it expected is the run's
        assertThat(planned).containsExactly(
                Json.mapper().readTree(cell.resolve("manifest.json").toFile()).path("result_fingerprint").asText());
        // the task's log has a line per epoch
        assertThat(Files.readString(dir.resolve("out/logs/method-ce_seed-1.log")))
                .containsPattern("(?m)^epoch +1/1  loss [0-9.]+  acc .* bal-acc .*s$");

        Result unchanged = lpl("sweep", "-c", file.toString());
        assertThat(unchanged.code()).as(unchanged.err()).isZero();
        assertThat(unchanged.out()).contains("(0 to run, 1 skipped)").contains("skip method-ce_seed-1 (completed)");

        // the base file changes: the completed cell is refused, nothing is touched
        Files.writeString(base, "training.epochs = 2\n");
        String summary = Files.readString(cell.resolve("summary.json"));
        for (String executor : new String[] {"local", "slurm"}) {
            Result refused = lpl("sweep", "-c", file.toString(), "--executor", executor);
            assertThat(refused.code()).as(executor + ": " + refused.out() + refused.err()).isEqualTo(2);
            assertThat(refused.err()).doesNotContain("\tat ");
            assertThat(refused.err().lines().findFirst().orElse("")).isEqualTo("error: sweep cell method-ce_seed-1 ("
                    + (executor.equals("slurm") ? cell.toAbsolutePath().normalize() : cell)
                    + ") was completed with another configuration: training.epochs (1 → 2); rerun it with"
                    + " --rerun-changed (the old run is moved to "
                    + (executor.equals("slurm") ? dir.resolve("out").toAbsolutePath().normalize() : dir.resolve("out"))
                    + "/.replaced/method-ce_seed-1-<timestamp>) or restore the old setting");
        }
        assertThat(Files.readString(cell.resolve("summary.json"))).isEqualTo(summary);
        assertThat(dir.resolve("out/.replaced")).doesNotExist();
        assertThat(dir.resolve("out/slurm/state.json")).doesNotExist();
        assertThat(Files.readAllLines(dir.resolve("out/slurm/fingerprints.txt"))).isEqualTo(planned);

        // an interrupted cell of another configuration is refused too, not resumed
        Files.writeString(cell.resolve("summary.json"), summary.replace("\"completed\"", "\"stopped\""));
        Result interrupted = lpl("sweep", "-c", file.toString());
        assertThat(interrupted.code()).isEqualTo(2);
        assertThat(interrupted.err()).contains("was started (not finished; not resumed) with another configuration:"
                + " training.epochs (1 → 2)");
        assertThat(Files.readAllLines(cell.resolve("metrics.jsonl"))).hasSize(1);
        Files.writeString(cell.resolve("summary.json"), summary);

        Result dry = lpl("sweep", "-c", file.toString(), "--rerun-changed", "--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("(1 to run, 0 skipped)")
                .contains("rerun method-ce_seed-1 (changed: training.epochs (1 → 2); its old run would be moved to");
        assertThat(dir.resolve("out/.replaced")).doesNotExist();

        Result rerun = lpl("sweep", "-c", file.toString(), "--rerun-changed");
        assertThat(rerun.code()).as(rerun.out() + rerun.err()).isZero();
        assertThat(rerun.out()).contains("rerun method-ce_seed-1 (changed: training.epochs (1 → 2); old run moved to "
                + dir.resolve("out/.replaced/method-ce_seed-1-"));
        List<Path> replaced;
        try (var children = Files.list(dir.resolve("out/.replaced"))) {
            replaced = children.toList();
        }
        assertThat(replaced).hasSize(1);
        assertThat(Files.readString(replaced.get(0).resolve("summary.json"))).isEqualTo(summary);
        assertThat(Files.readAllLines(cell.resolve("metrics.jsonl"))).hasSize(2);
        double balanced = Json.mapper().readTree(cell.resolve("summary.json").toFile())
                .at("/final/balanced_accuracy").asDouble();
        assertThat(rerun.out()).contains(String.format(Locale.ROOT, "balanced accuracy %.2f%%", 100 * balanced));
        // the table holds the 2-epoch run's figure
        assertThat(Files.readString(dir.resolve("out/comparison.md")))
                .contains(String.format(Locale.ROOT, "%.2f ± —", 100 * balanced));
        assertThat(Files.readString(dir.resolve("out/logs/method-ce_seed-1.log"))).contains("epoch   2/2");

        Result again = lpl("sweep", "-c", file.toString());
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("(0 to run, 1 skipped)");
    }

    @Test
    void slurmDryRunWritesTheBatchScriptAndSubmitsNothing(@TempDir Path dir) throws Exception {
        Path file = grid(dir, "ce, lpl");
        Result r = lpl("sweep", "-c", file.toString(), "--executor", "slurm", "--max-parallel", "1",
                "--partition", "debug", "--time", "0:30:00", "--dry-run");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("2 runs (2 to run, 0 skipped) as a Slurm job array, 1 at a time, 1 CPU each")
                .contains("would submit: sbatch --parsable --array=0-1%1 " + dir.resolve("out/slurm/sweep.sbatch"));
        assertThat(Files.readString(dir.resolve("out/slurm/sweep.sbatch")))
                .contains("#SBATCH --job-name=lpl-tiny", "#SBATCH --array=0-1%1", "#SBATCH --partition=debug",
                        "#SBATCH --time=0:30:00", "dev.lpl.runner.Main \"$@\"");
        assertThat(Files.readAllLines(dir.resolve("out/slurm/tasks.txt"))).hasSize(2)
                .allMatch(l -> l.startsWith("train --set ") && l.endsWith(" --progress lines"));
        assertThat(Files.readAllLines(dir.resolve("out/slurm/fingerprints.txt"))).hasSize(2)
                .allMatch(l -> l.matches("[0-9a-f]{64}"));
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
