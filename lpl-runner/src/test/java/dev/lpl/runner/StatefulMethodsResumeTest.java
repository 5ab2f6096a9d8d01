package dev.lpl.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.run.Json;
import dev.lpl.core.run.PreparedRun;
import dev.lpl.core.train.TrainingProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Methods with training state or randomness of their own (center loss's centers, DisturbLabel's
 * draws, Meta-Weight-Net's network, meta set and meta batches, L-Softmax's per-iteration λ, the
 * fine-tuning phase's class-balanced epochs), stopped mid-epoch and resumed, end exactly as the
 * uninterrupted run (a small synthetic set and network, CPU).
 */
class StatefulMethodsResumeTest {

    private static final Bootstrap LPL = Bootstrap.start(List.of());

    private static RunConfig config(String method) {
        List<String> sets = new ArrayList<>(List.of(
                "data.type=synthetic", "data.synthetic.train-per-class=64", "data.synthetic.test-per-class=8",
                "data.synthetic.imbalance-ratio=4", "model.type=small-cnn", "model.small-cnn.width=16",
                "training.backend=cpu", "training.epochs=3", "data.batch-size=32", "data.eval-batch-size=80",
                "method.meta-weight-net.meta-per-class=4", "method.meta-weight-net.meta-batch-size=20",
                "training.finetune.learning-rate=0.01"));
        if (method.equals("cb-finetune")) {
            sets.add("training.finetune.start=0.6");
        }
        sets.add("method.type=" + method);
        return LPL.configLoader().load(null, sets);
    }

    private static List<JsonNode> metrics(Path dir) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"))) {
            ObjectNode node = (ObjectNode) Json.mapper().readTree(line);
            List.of("epoch_seconds", "step_seconds", "objective_seconds", "data_wait_seconds", "eval_seconds",
                    "steps", "resident_mb").forEach(node::remove);
            out.add(node);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"meta-weight-net", "center", "disturb-label", "lsoftmax", "cb-finetune"})
    void stoppedMidEpochAndResumedEqualsUninterrupted(String method, @TempDir Path tmp) throws Exception {
        try (PreparedRun run = LPL.runFactory().prepare(config(method), tmp.resolve("straight"))) {
            assertThat(run.run(TrainingProgress.NONE).status()).isEqualTo(PreparedRun.Status.COMPLETED);
        }
        Path dir = tmp.resolve("interrupted");
        AtomicInteger steps = new AtomicInteger();
        try (PreparedRun run = LPL.runFactory().prepare(config(method), dir)) {
            // stop in the middle of the last epoch (in cb-finetune's fine-tuning phase)
            long images = java.util.Arrays.stream(run.description().classCounts()).sum();
            int stopAfter = 2 * (int) ((images + 31) / 32) + 3;
            assertThat(run.run(TrainingProgress.NONE, () -> steps.incrementAndGet() >= stopAfter).status())
                    .isEqualTo(PreparedRun.Status.STOPPED);
        }
        try (PreparedRun run = LPL.runFactory().resume(LPL.configLoader(), dir)) {
            assertThat(run.run(TrainingProgress.NONE).status()).isEqualTo(PreparedRun.Status.COMPLETED);
        }
        assertThat(metrics(dir)).isEqualTo(metrics(tmp.resolve("straight")));
    }
}
