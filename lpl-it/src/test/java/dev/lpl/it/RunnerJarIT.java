package dev.lpl.it;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the shaded runner jar as a process, as a user does: {@code java -jar lpl-runner.jar ...}.
 * (The container tests of the integration-test issue will run the same jar inside Docker.)
 */
class RunnerJarIT {

    private static Path jar;
    private static Path work;

    @BeforeAll
    static void locate() throws IOException {
        jar = Path.of(System.getProperty("lpl.runner.jar", "../lpl-runner/target/lpl-runner.jar")).toAbsolutePath();
        assertThat(jar).as("the shaded runner jar (built by lpl-runner's package phase)").exists();
        work = Path.of(System.getProperty("lpl.it.work", "target/it-work")).toAbsolutePath();
        Files.createDirectories(work);
    }

    record Result(int exitCode, String stdout, String stderr) {}

    private static Result lpl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().put("DJL_OFFLINE", "true");
        Path out = Files.createTempFile(work, "stdout", ".txt");
        Path err = Files.createTempFile(work, "stderr", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = pb.start();
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("lpl finished in time").isTrue();
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void listShowsEveryBuiltInPlugin() throws Exception {
        Result r = lpl("list");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        for (String name : List.of("ce", "lpl", "mean", "fixed-index", "all-positive", "fixed", "varied-balanced",
                "varied-longtail", "pgd", "synthetic", "fashion-mnist", "small-cnn", "resnet32", "sgd",
                "multi-step", "cosine", "cpu", "auto")) {
            assertThat(r.stdout()).containsPattern("(?m)^\\S+\\s+" + java.util.regex.Pattern.quote(name) + "\\s");
        }
    }

    @Test
    void shortTrainingOnTheEmbeddedDataWritesARunDirectory() throws Exception {
        Path runDir = Files.createTempDirectory(work, "run-").resolve("it-lpl");
        Result r = lpl("train", "--set", "training.epochs=2", "--set", "data.synthetic.train-per-class=200",
                "--set", "data.synthetic.test-per-class=50", "--out", runDir.toString(), "--progress", "lines");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).contains("balanced accuracy").contains("few-shot");
        ObjectMapper json = new ObjectMapper();
        JsonNode summary = json.readTree(runDir.resolve("summary.json").toFile());
        assertThat(summary.get("status").asText()).isEqualTo("completed");
        assertThat(summary.get("method").asText()).isEqualTo("lpl");
        assertThat(Files.readAllLines(runDir.resolve("metrics.jsonl"))).hasSize(2);
        JsonNode manifest = json.readTree(runDir.resolve("manifest.json").toFile());
        assertThat(manifest.get("dataset").get("name").asText()).isEqualTo("synthetic");
        assertThat(Files.readString(runDir.resolve("resolved.conf"))).contains("synthetic");
    }

    @Test
    void sigtermWritesACheckpointAndResumeEndsAsAnUninterruptedRun() throws Exception {
        Path base = Files.createTempDirectory(work, "resume-");
        String[] settings = {"--set", "training.epochs=3", "--set", "data.synthetic.train-per-class=300",
            "--set", "data.synthetic.test-per-class=20", "--progress", "lines"};
        List<String> straight = new ArrayList<>(List.of("train", "--out", base.resolve("straight").toString()));
        straight.addAll(List.of(settings));
        assertThat(lpl(straight.toArray(String[]::new)).exitCode()).isZero();

        Path runDir = base.resolve("stopped");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "train", "--out", runDir.toString()));
        command.addAll(List.of(settings));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(base.resolve("stopped.log").toFile());
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().put("DJL_OFFLINE", "true");
        Process process = pb.start();
        Path firstEpoch = runDir.resolve("checkpoints/epoch-0001");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!Files.isDirectory(firstEpoch) && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(firstEpoch).as("first epoch checkpoint").isDirectory();
        process.destroy(); // SIGTERM
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String log = Files.readString(base.resolve("stopped.log"));
        assertThat(process.exitValue()).as(log).isEqualTo(3);
        assertThat(log).contains("SIGTERM received").contains("resume with: lpl train --resume");

        Result resumed = lpl("train", "--resume", runDir.toString(), "--progress", "lines");
        assertThat(resumed.exitCode()).as(resumed.stdout() + resumed.stderr()).isZero();
        List<String> a = withoutTimings(base.resolve("straight/metrics.jsonl"));
        List<String> b = withoutTimings(runDir.resolve("metrics.jsonl"));
        assertThat(b).hasSize(3).isEqualTo(a);
    }

    private static List<String> withoutTimings(Path metrics) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            var node = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(line);
            for (String key : List.of("epoch_seconds", "step_seconds", "objective_seconds", "data_wait_seconds",
                    "eval_seconds", "steps", "resident_mb")) {
                node.remove(key);
            }
            out.add(node.toString());
        }
        return out;
    }

    @Test
    void badConfigurationExitsNonZeroWithOneLine() throws Exception {
        Result r = lpl("train", "--set", "training.epocs=2");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr().lines().findFirst().orElse(""))
                .isEqualTo("error: unknown configuration key training.epocs; did you mean training.epochs?");
        assertThat(r.stderr()).doesNotContain("Exception");
    }
}
