package dev.lpl.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lpl.api.LplException;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.train.TrainingProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run stopped and resumed must end exactly as the uninterrupted run (same seed, CPU). */
class ResumeTest {

    private static final Bootstrap LPL = Bootstrap.start(List.of());
    private static final List<String> TIMING = List.of(
            "epoch_seconds", "step_seconds", "objective_seconds", "data_wait_seconds", "eval_seconds", "steps", "resident_mb");

    private static RunConfig config(String... extra) {
        List<String> sets = new ArrayList<>(List.of(
                "data.type=tiny", "model.type=tiny-mlp", "method.type=identity", "training.backend=cpu",
                "training.epochs=4", "data.batch-size=32", "data.augment.crop-padding=1",
                "optimizer.sgd.learning-rate=0.05", "data.eval-batch-size=64", "schedule.type=cosine"));
        sets.addAll(List.of(extra));
        return LPL.configLoader().load(null, sets);
    }

    private static List<JsonNode> metrics(Path dir) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"))) {
            com.fasterxml.jackson.databind.node.ObjectNode node =
                    (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(line);
            TIMING.forEach(node::remove);
            out.add(node);
        }
        return out;
    }

    private static PreparedRun.Outcome runStoppingAfter(Path dir, int steps, String... extra) {
        AtomicInteger count = new AtomicInteger();
        try (PreparedRun run = LPL.runFactory().prepare(config(extra), dir)) {
            return run.run(TrainingProgress.NONE, () -> count.incrementAndGet() >= steps);
        }
    }

    private static PreparedRun.Outcome resume(Path dir) {
        try (PreparedRun run = LPL.runFactory().resume(LPL.configLoader(), dir)) {
            return run.run(TrainingProgress.NONE);
        }
    }

    @Test
    void stoppedMidEpochAndResumedEqualsUninterrupted(@TempDir Path tmp) throws Exception {
        try (PreparedRun run = LPL.runFactory().prepare(config(), tmp.resolve("straight"))) {
            assertThat(run.run(TrainingProgress.NONE).status()).isEqualTo(PreparedRun.Status.COMPLETED);
        }
        Path dir = tmp.resolve("interrupted");
        PreparedRun.Outcome stopped = runStoppingAfter(dir, 12 + 12 + 4); // polled after every step but the last of an epoch: epoch 3, batch 4
        assertThat(stopped.status()).isEqualTo(PreparedRun.Status.STOPPED);
        assertThat(stopped.checkpoint().getFileName().toString()).isEqualTo("epoch-0002-batch-00004");
        JsonNode summary = Json.mapper().readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.get("status").asText()).isEqualTo("stopped");
        assertThat(summary.get("epochs_completed").asInt()).isEqualTo(2);

        assertThat(resume(dir).status()).isEqualTo(PreparedRun.Status.COMPLETED);
        assertThat(metrics(dir)).isEqualTo(metrics(tmp.resolve("straight")));
        assertThat(Json.mapper().readTree(dir.resolve("summary.json").toFile()).get("status").asText())
                .isEqualTo("completed");
        assertThatThrownBy(() -> resume(dir)).isInstanceOf(LplException.class).hasMessageContaining("already completed");
    }

    @Test
    void resumedFromAnEpochCheckpointAfterACrashEqualsUninterrupted(@TempDir Path tmp) throws Exception {
        try (PreparedRun run = LPL.runFactory().prepare(config(), tmp.resolve("straight"))) {
            run.run(TrainingProgress.NONE);
        }
        Path dir = tmp.resolve("crashed");
        runStoppingAfter(dir, 2 * 12 + 1);
        assertThat(dir.resolve("checkpoints/epoch-0002-batch-00001")).exists();
        // as if the process had died before its stop checkpoint: only epoch checkpoints remain, and
        // metrics.jsonl has a line the checkpoint does not cover
        AtomicFiles.deleteRecursively(dir.resolve("checkpoints/epoch-0002-batch-00001"));
        AtomicFiles.deleteRecursively(dir.resolve("checkpoints/epoch-0002"));
        assertThat(Files.readAllLines(dir.resolve("metrics.jsonl"))).hasSize(2);
        resume(dir);
        assertThat(metrics(dir)).isEqualTo(metrics(tmp.resolve("straight")));
        assertThat(new Checkpoints(dir, 2).list()).extracting(p -> p.getFileName().toString())
                .containsExactly("epoch-0003", "epoch-0004");
        assertThat(dir.resolve("checkpoints/best")).as("no validation set, no best checkpoint").doesNotExist();
        assertThat(Files.readString(dir.resolve("metrics.prom"))).contains("lpl_test_accuracy");
    }

    @Test
    void withAValidationSetStoppedMidEpochAndResumedEqualsUninterrupted(@TempDir Path tmp) throws Exception {
        String validation = "data.validation.per-class=25";
        try (PreparedRun run = LPL.runFactory().prepare(config(validation), tmp.resolve("straight"))) {
            assertThat(run.run(TrainingProgress.NONE).status()).isEqualTo(PreparedRun.Status.COMPLETED);
        }
        Path dir = tmp.resolve("interrupted");
        // 350 training images, 11 batches of 32 per epoch (10 polls): stop in the third epoch after its 5th batch
        PreparedRun.Outcome stopped = runStoppingAfter(dir, 10 + 10 + 5, validation);
        assertThat(stopped.checkpoint().getFileName().toString()).isEqualTo("epoch-0002-batch-00005");
        JsonNode state = Json.mapper().readTree(stopped.checkpoint().resolve("state.json").toFile());
        assertThat(state.get("samples").asLong()).isEqualTo(5 * 32);
        assertThat(state.get("train_correct").asLong()).isBetween(1L, 5 * 32L);

        assertThat(resume(dir).status()).isEqualTo(PreparedRun.Status.COMPLETED);
        List<JsonNode> resumed = metrics(dir);
        assertThat(resumed.get(2).has("val_balanced_accuracy")).isTrue();
        assertThat(resumed).isEqualTo(metrics(tmp.resolve("straight")));
        JsonNode a = Json.mapper().readTree(dir.resolve("summary.json").toFile());
        JsonNode b = Json.mapper().readTree(tmp.resolve("straight/summary.json").toFile());
        assertThat(a.get("best")).isEqualTo(b.get("best"));
        assertThat(a.get("test_selected")).isEqualTo(b.get("test_selected"));
        assertThat(Files.readString(dir.resolve("validation-indices.txt")))
                .isEqualTo(Files.readString(tmp.resolve("straight/validation-indices.txt")));
    }

    @Test
    void aNonFiniteLossKeepsTheLastGoodCheckpoint(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("nan");
        try (PreparedRun run = LPL.runFactory().prepare(config("method.type=explode-late"), dir)) {
            assertThatThrownBy(() -> run.run(TrainingProgress.NONE))
                    .isInstanceOf(LplException.class)
                    .hasMessageStartingWith("training loss became NaN at epoch 2, batch 1")
                    .hasMessageContaining("the last good checkpoint is")
                    .hasMessageContaining("epoch-0001");
        }
        JsonNode summary = Json.mapper().readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.get("status").asText()).isEqualTo("failed");
        assertThat(summary.get("reason").asText()).contains("NaN");
        assertThat(new Checkpoints(dir, 2).latest()).get().extracting(p -> p.getFileName().toString())
                .isEqualTo("epoch-0001");
    }

    @Test
    void onlyRunDirectoriesCanBeResumed(@TempDir Path tmp) {
        assertThatThrownBy(() -> LPL.runFactory().resume(LPL.configLoader(), tmp))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("is not an lpl run directory");
    }
}
