package dev.lpl.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lpl.core.run.CrashInjector;
import dev.lpl.core.run.CrashPoint;
import dev.lpl.core.run.Json;
import dev.lpl.runner.CommandLineTest.Result;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line around crashes: a process killed (halted by {@code -Dlpl.crash-at}) after its
 * last epoch's checkpoint is finished by {@code train --resume}; a corrupt checkpoint is one line
 * naming the file, exit 2, no stack trace, in {@code train --resume} and {@code eval}; {@code
 * --from-checkpoint} continues from the previous one.
 */
class CrashSafetyCommandTest {

    private static final List<String> TRAIN = List.of(
            "--set", "data.type=synthetic", "--set", "data.synthetic.train-per-class=32",
            "--set", "data.synthetic.test-per-class=8", "--set", "data.synthetic.imbalance-ratio=4",
            "--set", "model.type=small-cnn",
            "--set", "model.small-cnn.width=8", "--set", "training.backend=cpu", "--set", "training.epochs=2",
            "--set", "data.batch-size=32", "--set", "method.type=ce", "--set", "training.checkpoint.keep-last=2",
            "--progress", "none");

    @AfterEach
    void disarm() {
        CrashInjector.reset();
    }

    private static List<String> train(Path dir) {
        List<String> args = new ArrayList<>(List.of("train", "--out", dir.toString()));
        args.addAll(TRAIN);
        return args;
    }

    private static void truncate(Path file) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() / 2);
        }
    }

    private static void assertOneLineError(Result r, String firstLine) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines().findFirst().orElseThrow()).isEqualTo(firstLine);
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception:");
    }

    @Test
    void aProcessHaltedAfterItsLastCheckpointIsFinishedByResume(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + CrashInjector.PROPERTY + "=" + CrashPoint.CHECKPOINT_RENAMED + ":2",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(train(dir));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("log.txt").toFile());
        builder.environment().put("OPT_OUT_TRACKING", "true");
        builder.environment().put("DJL_OFFLINE", "true");
        Process process = builder.start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String log = Files.readString(tmp.resolve("log.txt"));
        assertThat(process.exitValue()).as(log).isEqualTo(CrashInjector.HALT_STATUS);
        assertThat(log).contains("lpl: crash injected at CHECKPOINT_RENAMED (occurrence 2, lpl.crash-at)");
        assertThat(Json.mapper().readTree(dir.resolve("summary.json").toFile()).get("status").asText())
                .isEqualTo("running");

        Result resumed = CommandLineTest.lpl("train", "--resume", dir.toString(), "--progress", "none");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("all 2 epochs were already checkpointed; finishing the run's bookkeeping"
                + " (metrics.jsonl, checkpoints/best, summary.json)").contains("run completed (summary.json: status completed)");
        assertThat(Json.mapper().readTree(dir.resolve("summary.json").toFile()).get("status").asText())
                .isEqualTo("completed");
        assertThat(Files.readAllLines(dir.resolve("metrics.jsonl"))).hasSize(2);
        assertOneLineError(CommandLineTest.lpl("train", "--resume", dir.toString()),
                "error: run " + dir + " has already completed; nothing to resume");
    }

    @Test
    void aCorruptCheckpointIsOneLineAndTheEarlierOneResumes(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        CrashInjector.arm(CrashPoint.CHECKPOINT_RENAMED, 2);
        assertThatThrownBy(() -> CommandLineTest.lpl(train(dir).toArray(String[]::new)))
                .isInstanceOf(CrashInjector.Crash.class);
        CrashInjector.reset();
        Path model = dir.resolve("checkpoints/epoch-0002/model.npz");
        truncate(model);

        Result resume = CommandLineTest.lpl("train", "--resume", dir.toString(), "--progress", "none");
        assertOneLineError(resume, "error: checkpoint file " + model + " is truncated or corrupt (zip END"
                + " header not found); resume from the previous checkpoint with: lpl train --resume " + dir
                + " --from-checkpoint epoch-0001");
        Result eval = CommandLineTest.lpl("eval", dir.toString(), "--checkpoint", "epoch-0002");
        assertOneLineError(eval, "error: checkpoint file " + model + " is truncated or corrupt (zip END"
                + " header not found); evaluate another checkpoint with --checkpoint NAME (available:"
                + " epoch-0001, epoch-0002)"); // no validation split, so no best checkpoint
        assertOneLineError(CommandLineTest.lpl("train", "--from-checkpoint", "epoch-0001"),
                "error: --from-checkpoint picks the checkpoint --resume continues from; add --resume RUN_DIR");

        Result from = CommandLineTest.lpl("train", "--resume", dir.toString(), "--from-checkpoint", "epoch-0001",
                "--progress", "none");
        assertThat(from.code()).as(from.err()).isZero();
        assertThat(from.out()).contains("note: discarded checkpoint epoch-0002 (after epoch-0001)")
                .contains("resuming at epoch 2, batch 0");
        assertThat(Json.mapper().readTree(dir.resolve("summary.json").toFile()).get("status").asText())
                .isEqualTo("completed");
        assertThat(Files.readAllLines(dir.resolve("metrics.jsonl"))).hasSize(2);
        assertThat(CommandLineTest.lpl("eval", dir.toString(), "--checkpoint", "epoch-0002").code()).isZero();
    }
}
