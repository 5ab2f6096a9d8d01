package dev.lpl.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lpl.api.LplException;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.train.TrainingProgress;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A truncated or corrupt checkpoint file is one error naming the file (an {@link LplException},
 * so the command line exits 2 without a stack trace), in resume and in evaluation; resume offers
 * the previous checkpoint, and resuming from it ends as the uninterrupted run.
 */
class CorruptCheckpointTest {

    private static final Bootstrap LPL = Bootstrap.start(List.of());

    @TempDir
    static Path shared;

    private static Path straight;

    @BeforeAll
    static void uninterrupted() {
        straight = shared.resolve("straight").resolve("run");
        try (PreparedRun run = LPL.runFactory().prepare(CrashRecoveryTest.config("training.checkpoint.keep-last=2"),
                straight)) {
            run.run(TrainingProgress.NONE);
        }
    }

    @AfterEach
    void disarm() {
        CrashInjector.reset();
    }

    /** The last epoch checkpointed, then a crash before its prune: epoch-0001 to epoch-0003 exist, the run is not complete. */
    private static Path crashedAfterLastCheckpoint(Path tmp) {
        Path dir = tmp.resolve("run");
        CrashInjector.arm(CrashPoint.CHECKPOINT_RENAMED, 3);
        assertThatThrownBy(() -> {
            try (PreparedRun run = LPL.runFactory().prepare(
                    CrashRecoveryTest.config("training.checkpoint.keep-last=2"), dir)) {
                run.run(TrainingProgress.NONE);
            }
        }).isInstanceOf(CrashInjector.Crash.class);
        CrashInjector.reset();
        return dir;
    }

    static void truncate(Path file) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() / 2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"model.npz", "optimizer.npz", "method.npz", "state.json"})
    void aTruncatedFileIsNamedAndThePreviousCheckpointOffered(String file, @TempDir Path tmp) throws Exception {
        Path dir = crashedAfterLastCheckpoint(tmp);
        Path damaged = dir.resolve("checkpoints/epoch-0003").resolve(file);
        truncate(damaged);
        assertThatThrownBy(() -> LPL.runFactory().resume(LPL.configLoader(), dir))
                .isInstanceOf(LplException.class)
                .isNotInstanceOf(Checkpoints.UnreadableException.class)
                .hasMessageStartingWith("checkpoint file " + damaged + " is ")
                .hasMessageEndingWith("; resume from the previous checkpoint with: lpl train --resume " + dir
                        + " --from-checkpoint epoch-0002")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));

        try (PreparedRun run = LPL.runFactory().resume(LPL.configLoader(), dir, "epoch-0002")) {
            assertThat(run.start().epoch()).isEqualTo(2);
            assertThat(run.resumeNotes()).contains("discarded checkpoint epoch-0003 (after epoch-0002)");
            assertThat(Files.readAllLines(dir.resolve("metrics.jsonl"))).hasSize(2);
            run.run(TrainingProgress.NONE);
        }
        assertThat(CrashRecoveryTest.metrics(dir)).isEqualTo(CrashRecoveryTest.metrics(straight));
        assertThat(CrashRecoveryTest.summary(dir)).isEqualTo(CrashRecoveryTest.summary(straight));
        assertThat(CrashRecoveryTest.names(dir.resolve("checkpoints")))
                .containsExactly("best", "epoch-0002", "epoch-0003");
        assertThat(CrashRecoveryTest.epoch(dir.resolve("checkpoints/best")))
                .isEqualTo(CrashRecoveryTest.epoch(straight.resolve("checkpoints/best")));
        assertThat(CrashRecoveryTest.arrays(dir.resolve("checkpoints/epoch-0003/model.npz")))
                .isEqualTo(CrashRecoveryTest.arrays(straight.resolve("checkpoints/epoch-0003/model.npz")));
    }

    @Test
    void garbageInAnNpzIsNamed(@TempDir Path tmp) throws Exception {
        Path dir = crashedAfterLastCheckpoint(tmp);
        Path damaged = dir.resolve("checkpoints/epoch-0003/model.npz");
        byte[] bytes = Files.readAllBytes(damaged);
        for (int i = 100; i < bytes.length - 100; i++) {
            bytes[i] = (byte) (bytes[i] ^ 0x5a);
        }
        Files.write(damaged, bytes);
        assertThatThrownBy(() -> LPL.runFactory().resume(LPL.configLoader(), dir))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("checkpoint file " + damaged + " is truncated or corrupt")
                .hasMessageContaining("--from-checkpoint epoch-0002");
    }

    @Test
    void evaluatingACorruptCheckpointNamesTheFile(@TempDir Path tmp) throws Exception {
        Path dir = crashedAfterLastCheckpoint(tmp);
        Path damaged = dir.resolve("checkpoints/best/model.npz");
        truncate(damaged);
        assertThatThrownBy(() -> LPL.runFactory().openForEvaluation(LPL.configLoader(), dir,
                dir.resolve("checkpoints/best")))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("checkpoint file " + damaged + " is truncated or corrupt")
                .hasMessageEndingWith("; evaluate another checkpoint with --checkpoint NAME (available: best, epoch-0001,"
                        + " epoch-0002, epoch-0003)");
    }

    @Test
    void anUnknownCheckpointToResumeFromListsTheAvailableOnes(@TempDir Path tmp) {
        Path dir = crashedAfterLastCheckpoint(tmp);
        assertThatThrownBy(() -> LPL.runFactory().resume(LPL.configLoader(), dir, "epoch-0009"))
                .isInstanceOf(LplException.class)
                .hasMessage("checkpoint epoch-0009 does not exist in " + dir + "; available: epoch-0001, epoch-0002, epoch-0003");
    }

    @Test
    void theOnlyCheckpointCorruptSaysSo(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        CrashInjector.arm(CrashPoint.CHECKPOINT_RENAMED, 1);
        assertThatThrownBy(() -> {
            try (PreparedRun run = LPL.runFactory().prepare(CrashRecoveryTest.config(), dir)) {
                run.run(TrainingProgress.NONE);
            }
        }).isInstanceOf(CrashInjector.Crash.class);
        CrashInjector.reset();
        Files.writeString(dir.resolve("checkpoints/epoch-0001/state.json"), "{\"epoch\": 1, \"batch");
        assertThatThrownBy(() -> LPL.runFactory().resume(LPL.configLoader(), dir))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("checkpoint file " + dir.resolve("checkpoints/epoch-0001/state.json")
                        + " is not valid JSON (truncated or corrupt: ")
                .hasMessageEndingWith("; no earlier checkpoint is left; start the run again under another name");
    }
}
