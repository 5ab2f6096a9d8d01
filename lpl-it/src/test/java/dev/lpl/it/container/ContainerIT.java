package dev.lpl.it.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.utility.MountableFile;

/**
 * The runner jar inside Docker, as users deploy it: the image of {@code docker/Dockerfile} (a Java 17
 * runtime plus the shaded jar), one container per {@code lpl} command.
 */
@ExtendWith(DockerRequired.class)
class ContainerIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    /** A short training on the embedded data: 300 head-class images, 20 test images per class. */
    private static final List<String> SMALL = List.of("--set", "data.synthetic.train-per-class=300",
            "--set", "data.synthetic.test-per-class=20", "--progress", "lines");

    private static Path jar;
    private static Path work;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void locate() throws IOException {
        jar = Path.of(System.getProperty("lpl.runner.jar", "../lpl-runner/target/lpl-runner.jar")).toAbsolutePath();
        work = Path.of(System.getProperty("lpl.it.work", "target/it-work")).toAbsolutePath();
        Files.createDirectories(work);
    }

    @Test
    void listInsideTheContainerShowsEveryPluginOfTheShadedJar() throws Exception {
        String onHost = hostLpl("list");
        try (LplContainer lpl = new LplContainer("list")) {
            LplContainer.Result r = lpl.runToExit(TIMEOUT);
            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(r.stdout()).as("the same plugins as the jar run on the host").isEqualTo(onHost);
            for (String name : List.of("ce", "lpl", "la", "ldam", "isda", "synthetic", "cifar10", "resnet32",
                    "wrn-28-10", "sgd", "cpu")) {
                assertThat(r.stdout()).containsPattern("(?m)^\\S+\\s+" + java.util.regex.Pattern.quote(name) + "\\s");
            }
        }
    }

    @Test
    void shortTrainingInsideTheContainerWritesAValidRunDirectory() throws Exception {
        Path copied = Files.createTempDirectory(work, "container-run-");
        List<String> args = new ArrayList<>(List.of("train", "--set", "training.epochs=2", "--out", "/runs/short"));
        args.addAll(SMALL);
        try (LplContainer lpl = new LplContainer(args.toArray(String[]::new))) {
            LplContainer.Result r = lpl.runToExit(TIMEOUT);
            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(r.stdout()).contains("balanced accuracy").contains("few-shot");
            for (String file : List.of("summary.json", "metrics.jsonl", "manifest.json", "resolved.conf")) {
                lpl.copyFileFromContainer("/runs/short/" + file, copied.resolve(file).toString());
            }
        }
        JsonNode summary = JSON.readTree(copied.resolve("summary.json").toFile());
        assertThat(summary.get("status").asText()).isEqualTo("completed");
        assertThat(summary.get("method").asText()).isEqualTo("lpl");
        assertThat(summary.get("final").get("balanced_accuracy").asDouble()).isBetween(0.0, 1.0);
        List<String> metrics = Files.readAllLines(copied.resolve("metrics.jsonl"));
        assertThat(metrics).hasSize(2);
        assertThat(epochs(copied.resolve("metrics.jsonl"))).containsExactly(1, 2);
        JsonNode manifest = JSON.readTree(copied.resolve("manifest.json").toFile());
        assertThat(manifest.get("dataset").get("name").asText()).isEqualTo("synthetic");
        assertThat(manifest.get("versions").get("engine").asText()).startsWith("PyTorch ");
        assertThat(manifest.get("versions").get("djl").asText()).isEqualTo("0.36.0");
    }

    @Test
    void aStoppedContainerIsResumedByANewOneWithoutLosingOrRepeatingAnEpoch() throws Exception {
        Path runs = Files.createTempDirectory(work, "container-resume-");
        Path runDir = runs.resolve("stopped");
        List<String> args = new ArrayList<>(List.of("train", "--set", "training.epochs=4", "--out", "/runs/stopped"));
        args.addAll(SMALL);
        String firstLog;
        try (LplContainer first = new LplContainer(args.toArray(String[]::new))) {
            first.withRunsDirectory(runs).start();
            Path firstEpoch = runDir.resolve("checkpoints/epoch-0001");
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!Files.isDirectory(firstEpoch) && first.isRunning() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(firstEpoch).as("first epoch's checkpoint, written inside the container").isDirectory();
            first.sigterm(Duration.ofMinutes(2));
            LplContainer.Result stopped = first.result();
            firstLog = stopped.all();
            assertThat(stopped.exitCode()).as(firstLog).isEqualTo(3);
            assertThat(stopped.stdout() + stopped.stderr()).contains("SIGTERM received")
                    .contains("resume with: lpl train --resume");
        }
        JsonNode stoppedSummary = JSON.readTree(runDir.resolve("summary.json").toFile());
        assertThat(stoppedSummary.get("status").asText()).as(firstLog).isEqualTo("stopped");
        List<Integer> before = epochs(runDir.resolve("metrics.jsonl"));
        assertThat(before).as("epochs finished before the stop").isNotEmpty().hasSizeLessThan(4);

        try (LplContainer second = new LplContainer("train", "--resume", "/runs/stopped", "--progress", "lines")) {
            second.withRunsDirectory(runs);
            LplContainer.Result r = second.runToExit(TIMEOUT);
            assertThat(r.exitCode()).as(r.all()).isZero();
        }
        JsonNode summary = JSON.readTree(runDir.resolve("summary.json").toFile());
        assertThat(summary.get("status").asText()).isEqualTo("completed");
        assertThat(epochs(runDir.resolve("metrics.jsonl"))).as("every epoch exactly once")
                .containsExactly(1, 2, 3, 4);
    }

    @Test
    void aMethodPluginJarInThePluginsDirectoryIsDiscoveredAndTrains() throws Exception {
        Path plugin = Path.of(System.getProperty("lpl.plugin.example.jar",
                "../examples/plugin-example/target/lpl-plugin-example-0.1.0-SNAPSHOT.jar")).toAbsolutePath();
        assertThat(plugin).as("the example plugin jar, built from examples/plugin-example").isRegularFile();
        MountableFile pluginJar = MountableFile.forHostPath(plugin);
        try (LplContainer list = new LplContainer("list")) {
            list.withCopyFileToContainer(pluginJar, "/opt/lpl/plugins/" + plugin.getFileName());
            LplContainer.Result r = list.runToExit(TIMEOUT);
            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(r.stdout()).containsPattern("(?m)^method\\s+additive-margin\\s");
        }
        List<String> args = new ArrayList<>(List.of("train", "--set", "method.type=additive-margin",
                "--set", "method.additive-margin.margin=0.2", "--set", "training.epochs=1", "--out", "/runs/plugin"));
        args.addAll(SMALL);
        Path copied = Files.createTempDirectory(work, "container-plugin-");
        try (LplContainer train = new LplContainer(args.toArray(String[]::new))) {
            train.withCopyFileToContainer(pluginJar, "/opt/lpl/plugins/" + plugin.getFileName());
            LplContainer.Result r = train.runToExit(TIMEOUT);
            assertThat(r.exitCode()).as(r.all()).isZero();
            train.copyFileFromContainer("/runs/plugin/summary.json", copied.resolve("summary.json").toString());
        }
        JsonNode summary = JSON.readTree(copied.resolve("summary.json").toFile());
        assertThat(summary.get("status").asText()).isEqualTo("completed");
        assertThat(summary.get("method").asText()).isEqualTo("additive-margin");
    }

    @Test
    void aBadConfigurationMakesTheContainerExitNonZeroWithOneLine() {
        try (LplContainer lpl = new LplContainer("train", "--set", "training.epocs=2")) {
            LplContainer.Result r = lpl.runToExit(TIMEOUT);
            assertThat(r.exitCode()).as(r.all()).isEqualTo(2);
            assertThat(r.stderr().lines().findFirst().orElse("")).as(r.all())
                    .isEqualTo("error: unknown configuration key training.epocs; did you mean training.epochs?");
            assertThat(r.stderr()).as("no stack trace without --debug").doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(r.stdout()).isEmpty();
        }
    }

    private static List<Integer> epochs(Path metrics) throws IOException {
        List<Integer> epochs = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            epochs.add(JSON.readTree(line).get("epoch").asInt());
        }
        return epochs;
    }

    private static String hostLpl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        pb.environment().remove("LPL_PLUGINS");
        Path out = Files.createTempFile(work, "host-stdout", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = pb.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
