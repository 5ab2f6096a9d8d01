package dev.lpl.it.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code lpl sweep --executor slurm} against a real single-node Slurm cluster
 * ({@code lpl-it/src/test/slurm/start-slurm.sh}): a grid of 2 methods x 2 seeds on the embedded
 * synthetic data runs as one job array; one task cancelled with {@code scancel} after its first
 * epoch's checkpoint is resubmitted, resumes and completes; the comparison table has every cell.
 */
@ExtendWith(SlurmRequired.class)
class SlurmSweepIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path jar;
    private static Path work;
    private Path root;

    @BeforeAll
    static void locate() throws IOException {
        jar = Path.of(System.getProperty("lpl.runner.jar", "../lpl-runner/target/lpl-runner.jar")).toAbsolutePath().normalize();
        assertThat(jar).as("the shaded runner jar (built by lpl-runner's package phase)").exists();
        work = Path.of(System.getProperty("lpl.it.work", "target/it-work")).toAbsolutePath();
        Files.createDirectories(work);
    }

    /** Leaves nothing queued when a test fails half-way. */
    @AfterEach
    void cancelLeftovers() throws Exception {
        Path state = root == null ? null : root.resolve("slurm/state.json");
        if (state != null && Files.isRegularFile(state)) {
            for (JsonNode job : JSON.readTree(state.toFile()).path("jobs")) {
                new ProcessBuilder("scancel", job.asText()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static ProcessBuilder lpl(Path out, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().put("DJL_OFFLINE", "true");
        return pb;
    }

    private static String run(Path out, String... args) throws Exception {
        Process p = lpl(out, args).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("lpl finished in time").isTrue();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }

    private static List<Integer> epochs(Path metrics) throws IOException {
        List<Integer> epochs = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            epochs.add(JSON.readTree(line).get("epoch").asInt());
        }
        return epochs;
    }

    @Test
    void aGridRunsAsAJobArrayAndACancelledTaskIsResumed() throws Exception {
        Path dir = Files.createTempDirectory(work, "slurm-sweep-");
        root = dir.resolve("runs");
        Path grid = dir.resolve("grid.conf");
        Files.writeString(grid, """
                sweep {
                  set {
                    # 5 epochs: after the first epoch's checkpoint, 4 more leave scancel ample time on a busy machine
                    training.epochs = 5
                    data.synthetic { train-per-class = 200, test-per-class = 20 }
                  }
                  grid { "method.type" = [ce, lpl], "run.seed" = [1, 2] }
                  output-root = "%s"
                  threads-per-run = 1
                }
                """.formatted(root));
        String[] sweep = {"sweep", "-c", grid.toString(), "--executor", "slurm", "--max-parallel", "2",
            "--poll-seconds", "1"};
        Path out = dir.resolve("sweep.txt");
        Process process = lpl(out, sweep).start();

        // Cancel the first task once its first epoch's checkpoint exists.
        Path victim = root.resolve("method-ce_seed-1");
        Path checkpoint = victim.resolve("checkpoints/epoch-0001");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!Files.isDirectory(checkpoint) && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(checkpoint).as("first epoch's checkpoint of the first task\n" + Files.readString(out)).isDirectory();
        String job = JSON.readTree(root.resolve("slurm/state.json").toFile()).at("/tasks/method-ce_seed-1/job").asText();
        Process scancel = new ProcessBuilder("scancel", job + "_0").redirectErrorStream(true).start();
        assertThat(scancel.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(scancel.exitValue()).as(new String(scancel.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();

        assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("the sweep finished in time").isTrue();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        assertThat(text).contains("4 runs (4 to run, 0 skipped) as a Slurm job array, 2 at a time")
                .contains("submitted job array " + job + " (--array=0-3%2)")
                .contains("method-ce_seed-1: " + job + "_0 left the queue (")
                .contains("resubmitting with --resume (retry 1 of 2)")
                .contains("method-ce_seed-1 completed (2 attempts)");

        // Every run completed; the cancelled one was resumed: every epoch exactly once.
        for (String run : List.of("method-ce_seed-1", "method-ce_seed-2", "method-lpl_seed-1", "method-lpl_seed-2")) {
            JsonNode summary = JSON.readTree(root.resolve(run).resolve("summary.json").toFile());
            assertThat(summary.get("status").asText()).as(run).isEqualTo("completed");
            assertThat(epochs(root.resolve(run).resolve("metrics.jsonl"))).as(run).containsExactly(1, 2, 3, 4, 5);
        }
        JsonNode state = JSON.readTree(root.resolve("slurm/state.json").toFile());
        assertThat(state.path("jobs")).hasSize(2);
        assertThat(state.at("/tasks/method-ce_seed-1/attempts").asInt()).isEqualTo(2);
        assertThat(state.at("/tasks/method-ce_seed-2/attempts").asInt()).isEqualTo(1);
        assertThat(state.at("/tasks/method-lpl_seed-2/status").asText()).isEqualTo("completed");
        String resumedJob = state.at("/tasks/method-ce_seed-1/job").asText();
        assertThat(Files.readString(root.resolve("logs/" + job + "_0.log"))).as("the cancelled attempt's log")
                .contains("SIGTERM received");
        assertThat(Files.readString(root.resolve("logs/" + resumedJob + "_0.log"))).as("the resubmitted attempt's log")
                .contains("lpl train --resume " + victim).containsPattern("(?m)^epoch +5/5  loss ");
        assertThat(Files.readString(root.resolve("logs/" + job + "_1.log"))).as("a task's log: a line per epoch")
                .containsPattern("(?m)^epoch +1/5  loss .*ETA ").containsPattern("(?m)^epoch +5/5  loss ");
        assertThat(Files.readString(root.resolve("slurm/sweep.sbatch")))
                .contains("#SBATCH --array=0-3%2", "#SBATCH --output=" + root.resolve("logs") + "/%A_%a.log",
                        "-jar " + jar);

        // The table: both methods, two seeds each, every figure present.
        List<String> csv = Files.readAllLines(root.resolve("comparison.csv"));
        assertThat(csv).hasSize(3);
        assertThat(csv.get(1)).startsWith("ce,2,");
        assertThat(csv.get(2)).startsWith("lpl,2,");
        for (String row : csv.subList(1, 3)) {
            assertThat(Stream.of(row.split(",", -1))).as(row).noneMatch(String::isEmpty);
        }
        assertThat(text).containsPattern("\\| ce +\\| +2 \\|").containsPattern("\\| lpl +\\| +2 \\|");

        // --status shows the finished sweep; the same command again submits nothing.
        String status = run(dir.resolve("status.txt"), "sweep", "--status", root.toString());
        assertThat(status).contains("4 runs (4 completed)")
                .containsPattern("method-ce_seed-1\\s+completed\\s+2\\s+1\\s+" + resumedJob + "_0");
        String again = run(dir.resolve("again.txt"), sweep);
        assertThat(again).contains("(0 to run, 4 skipped)").doesNotContain("submitted job array");
        assertThat(JSON.readTree(root.resolve("slurm/state.json").toFile()).path("jobs")).hasSize(2);

        // The grid's configuration changes: the completed runs are not reused, nothing is submitted.
        Files.writeString(grid, Files.readString(grid).replace("training.epochs = 5", "training.epochs = 6"));
        Path refusedOut = dir.resolve("refused.txt");
        Process refused = lpl(refusedOut, sweep).start();
        assertThat(refused.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String refusal = Files.readString(refusedOut, StandardCharsets.UTF_8);
        assertThat(refused.exitValue()).as(refusal).isEqualTo(2);
        assertThat(refusal).contains("4 sweep cells in " + root + " hold runs of another configuration: sweep cells"
                + " method-ce_seed-1, method-ce_seed-2, method-lpl_seed-1, method-lpl_seed-2 were completed with another"
                + " configuration: training.epochs (5 → 6); rerun them with --rerun-changed");
        assertThat(JSON.readTree(root.resolve("slurm/state.json").toFile()).path("jobs")).hasSize(2);
    }
}
