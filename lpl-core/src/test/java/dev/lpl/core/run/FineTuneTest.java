package dev.lpl.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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

/** Class-balanced fine-tuning: a second phase in one run, recorded, resumable and checked. */
class FineTuneTest {

    private static final Bootstrap LPL = Bootstrap.start(List.of());

    private static RunConfig config(String... extra) {
        List<String> sets = new ArrayList<>(List.of(
                "data.type=tiny", "model.type=tiny-mlp", "method.type=identity", "training.backend=cpu",
                "training.epochs=4", "data.batch-size=32", "optimizer.sgd.learning-rate=0.05",
                "data.eval-batch-size=64", "schedule.type=cosine", "training.finetune.start=0.5",
                "training.finetune.learning-rate=0.002"));
        sets.addAll(List.of(extra));
        return LPL.configLoader().load(null, sets);
    }

    private static List<JsonNode> lines(Path dir) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"))) {
            com.fasterxml.jackson.databind.node.ObjectNode node =
                    (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(line);
            List.of("epoch_seconds", "step_seconds", "objective_seconds", "data_wait_seconds", "eval_seconds",
                    "steps", "resident_mb").forEach(node::remove);
            out.add(node);
        }
        return out;
    }

    @Test
    void theLastEpochsAreAFineTuningPhaseAtItsLearningRate(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        try (PreparedRun run = LPL.runFactory().prepare(config(), dir)) {
            assertThat(run.run(TrainingProgress.NONE).status()).isEqualTo(PreparedRun.Status.COMPLETED);
        }
        List<JsonNode> lines = lines(dir);
        assertThat(lines).extracting(l -> l.get("phase").asText())
                .containsExactly("train", "train", "finetune", "finetune");
        assertThat(lines.get(1).get("learning_rate").asDouble()).isGreaterThan(0.01); // cosine, mid-run
        assertThat(lines.get(2).get("learning_rate").asDouble()).isCloseTo(0.002, within(1e-12));
        assertThat(lines.get(3).get("learning_rate").asDouble()).isCloseTo(0.002, within(1e-12));
        JsonNode phases = Json.mapper().readTree(dir.resolve("summary.json").toFile()).get("phases");
        assertThat(phases).hasSize(2);
        assertThat(phases.get(0).get("name").asText()).isEqualTo("train");
        assertThat(phases.get(0).get("last_epoch").asInt()).isEqualTo(2);
        assertThat(phases.get(0).get("final").get("balanced_accuracy").asDouble())
                .isEqualTo(lines.get(1).get("balanced_accuracy").asDouble());
        assertThat(phases.get(1).get("name").asText()).isEqualTo("finetune");
        assertThat(phases.get(1).get("first_epoch").asInt()).isEqualTo(3);
        assertThat(phases.get(1).get("sampling").asText()).isEqualTo("class-balanced");
    }

    @Test
    void stoppedInTheFineTuningPhaseAndResumedEqualsUninterrupted(@TempDir Path tmp) throws Exception {
        try (PreparedRun run = LPL.runFactory().prepare(config(), tmp.resolve("straight"))) {
            run.run(TrainingProgress.NONE);
        }
        Path dir = tmp.resolve("interrupted");
        AtomicInteger count = new AtomicInteger();
        try (PreparedRun run = LPL.runFactory().prepare(config(), dir)) {
            assertThat(run.run(TrainingProgress.NONE, () -> count.incrementAndGet() >= 12 + 12 + 12 + 3).status())
                    .isEqualTo(PreparedRun.Status.STOPPED);
        }
        try (PreparedRun run = LPL.runFactory().resume(LPL.configLoader(), dir)) {
            assertThat(run.run(TrainingProgress.NONE).status()).isEqualTo(PreparedRun.Status.COMPLETED);
        }
        assertThat(lines(dir)).isEqualTo(lines(tmp.resolve("straight")));
    }

    @Test
    void aStartThatLeavesAPhaseEmptyIsRefused(@TempDir Path tmp) {
        assertThatThrownBy(() -> LPL.runFactory().prepare(config("training.finetune.start=0.1"), tmp.resolve("a")))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("invalid configuration value training.finetune.start")
                .hasMessageContaining("at least one epoch to each phase");
    }
}
