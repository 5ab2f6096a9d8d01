package dev.lpl.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lpl.api.LplException;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.train.TrainingEngine.EpochOutcome;
import dev.lpl.core.train.TrainingProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFactoryTest {

    private static final Bootstrap LPL = Bootstrap.start(List.of());

    private static RunConfig config(String... extra) {
        List<String> sets = new ArrayList<>(List.of(
                "data.type=tiny", "model.type=tiny-mlp", "method.type=identity", "training.backend=cpu",
                "training.epochs=4", "data.batch-size=32", "data.augment.crop-padding=0", "data.augment.flip=false",
                "optimizer.sgd.learning-rate=0.05", "data.eval-batch-size=64"));
        sets.addAll(List.of(extra));
        return LPL.configLoader().load(null, sets);
    }

    @Test
    void trainsAndWritesTheRunDirectory(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        EpochOutcome last;
        try (var run = LPL.runFactory().prepare(config(), dir)) {
            assertThat(run.description().classCounts()).containsExactly(200, 200);
            last = run.run(TrainingProgress.NONE).last();
        }
        assertThat(last.result().testAccuracy()).isGreaterThan(0.9);
        assertThat(Files.readString(dir.resolve("resolved.conf"))).contains("tiny-mlp");
        List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
        assertThat(lines).hasSize(4);
        JsonNode first = Json.mapper().readTree(lines.get(0));
        assertThat(first.get("epoch").asInt()).isEqualTo(1);
        assertThat(first.get("per_class_accuracy")).hasSize(2);
        assertThat(first.get("steps").asInt()).isEqualTo(13);
        JsonNode summary = Json.mapper().readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.get("status").asText()).isEqualTo("completed");
        assertThat(summary.get("final").get("test_accuracy").asDouble()).isEqualTo(last.result().testAccuracy());
        assertThat(summary.get("final").get("few_shot_accuracy").isNull()).isTrue();
        JsonNode manifest = Json.mapper().readTree(dir.resolve("manifest.json").toFile());
        assertThat(manifest.get("seeds").get("root").asLong()).isEqualTo(42);
        assertThat(manifest.get("dataset").get("identity").get("generator").asText()).isEqualTo("tiny");
        assertThat(manifest.get("versions").get("engine").asText()).startsWith("PyTorch");
        assertThat(manifest.get("config").get("method").get("type").asText()).isEqualTo("identity");
    }

    @Test
    void sameSeedSameResults(@TempDir Path tmp) throws Exception {
        for (String name : List.of("a", "b")) {
            try (var run = LPL.runFactory().prepare(config(), tmp.resolve(name))) {
                run.run(TrainingProgress.NONE);
            }
        }
        List<JsonNode> a = read(tmp.resolve("a/metrics.jsonl"));
        List<JsonNode> b = read(tmp.resolve("b/metrics.jsonl"));
        for (int e = 0; e < a.size(); e++) {
            assertThat(b.get(e).get("train_loss").asDouble()).isEqualTo(a.get(e).get("train_loss").asDouble());
            assertThat(b.get(e).get("test_accuracy").asDouble()).isEqualTo(a.get(e).get("test_accuracy").asDouble());
        }
    }

    private static List<JsonNode> read(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(Json.mapper().readTree(line));
        }
        return out;
    }

    @Test
    void existingRunDirectoryIsNeverOverwritten(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("summary.json"), "precious");
        assertThatThrownBy(() -> LPL.runFactory().prepare(config(), dir))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("already exists and is not empty");
        assertThat(Files.readString(dir.resolve("summary.json"))).isEqualTo("precious");
    }

    @Test
    void unknownPluginNamesListTheKnownOnesAndTheNearest(@TempDir Path tmp) {
        assertThatThrownBy(() -> LPL.runFactory().prepare(config("method.type=identiy"), tmp.resolve("x")))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("unknown method 'identiy' (method.type); did you mean 'identity'?")
                .hasMessageContaining("explode");
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @Test
    void outOfRangeValuesFailBeforeAnyWork(@TempDir Path tmp) {
        assertThatThrownBy(() -> LPL.runFactory().prepare(config("optimizer.sgd.weight-decay=-1"), tmp.resolve("x")))
                .hasMessage("invalid configuration value optimizer.sgd.weight-decay: -1.0 is out of range; allowed: [0.0, 1.0]");
        assertThatThrownBy(() -> LPL.runFactory().prepare(config("data.long-tail.profile=zipf"), tmp.resolve("x")))
                .hasMessageContaining("data.long-tail.profile");
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @Test
    void nonFiniteLossStopsTheRunWithAClearMessage(@TempDir Path tmp) {
        try (var run = LPL.runFactory().prepare(config("method.type=explode"), tmp.resolve("nan"))) {
            assertThatThrownBy(() -> run.run(TrainingProgress.NONE))
                    .isInstanceOf(LplException.class)
                    .hasMessageStartingWith("training loss became NaN at epoch 1, batch 1");
        }
    }

    @Test
    void enabledRunListenersSeeEveryEpoch(@TempDir Path tmp) {
        dev.lpl.core.testing.TinyPlugin.EVENTS.clear();
        try (var run = LPL.runFactory().prepare(config("training.listener.recorder.enabled=true", "training.epochs=2",
                "training.listener.recorder.prefix=\"r:\""), tmp.resolve("l"))) {
            run.run(TrainingProgress.NONE);
        }
        assertThat(dev.lpl.core.testing.TinyPlugin.EVENTS).containsExactly(
                "r:start tiny 2 from 0 method.type=identity",
                "r:epoch 1 scalars epoch=1.0 balanced=true per-class=2",
                "r:epoch 2 scalars epoch=2.0 balanced=true per-class=2",
                "r:finished 2", "r:closed");
        dev.lpl.core.testing.TinyPlugin.EVENTS.clear();
        try (var run = LPL.runFactory().prepare(config("training.epochs=1"), tmp.resolve("off"))) {
            run.run(TrainingProgress.NONE);
        }
        assertThat(dev.lpl.core.testing.TinyPlugin.EVENTS).isEmpty();
        assertThatThrownBy(() -> LPL.runFactory().prepare(config("training.listeners=[recorder]"), tmp.resolve("m")))
                .hasMessage("training.listeners is no longer read; enable a listener with"
                        + " training.listener.recorder.enabled = true (lpl list shows the run listeners)");
    }

    @Test
    void aFailingListenerIsDroppedAndTrainingGoesOn(@TempDir Path tmp) throws Exception {
        dev.lpl.core.testing.TinyPlugin.EVENTS.clear();
        try (var run = LPL.runFactory().prepare(config("training.listener.faulty.enabled=true",
                "training.listener.recorder.enabled=true", "training.epochs=2"), tmp.resolve("f"))) {
            assertThat(run.run(TrainingProgress.NONE).status()).isEqualTo(PreparedRun.Status.COMPLETED);
        }
        // faulty threw in epoch 1 and was called no more; recorder saw everything
        assertThat(dev.lpl.core.testing.TinyPlugin.EVENTS).containsExactly(
                "faulty start", "start tiny 2 from 0 method.type=identity",
                "faulty epoch 1", "epoch 1 scalars epoch=1.0 balanced=true per-class=2",
                "epoch 2 scalars epoch=2.0 balanced=true per-class=2", "finished 2", "closed");
        assertThat(java.nio.file.Files.readAllLines(tmp.resolve("f").resolve("metrics.jsonl"))).hasSize(2);
    }

    @Test
    void presetsExpandAndExplicitKeysWin(@TempDir Path tmp) {
        RunConfig plain = config("method.type=tiny-fast");
        assertThat(plain.config().getString("method.type")).isEqualTo("identity");
        assertThat(plain.config().getString("method.preset")).isEqualTo("tiny-fast");
        assertThat(plain.config().getInt("training.epochs")).isEqualTo(4); // config() sets epochs=4 explicitly
        RunConfig noEpochs = LPL.configLoader().load(null, List.of("method.type=tiny-fast"));
        assertThat(noEpochs.config().getInt("training.epochs")).isEqualTo(1);
        assertThat(noEpochs.sources()).contains("preset tiny-fast");
        assertThatThrownBy(() -> LPL.configLoader().load(null, List.of("method.type=tiny-fast", "method.preset=x")))
                .hasMessageContaining("remove method.preset");
        try (var run = LPL.runFactory().prepare(config("method.type=tiny-fast", "training.epochs=1"), tmp.resolve("p"))) {
            assertThat(run.description().method()).isEqualTo("tiny-fast");
        }
    }

    @Test
    void methodsSeeTheFeaturesAndTheLinearClassifierWeight(@TempDir Path tmp) {
        dev.lpl.core.testing.TinyPlugin.EVENTS.clear();
        try (var run = LPL.runFactory().prepare(config("method.type=features", "training.epochs=1"), tmp.resolve("f"))) {
            run.run(TrainingProgress.NONE);
        }
        assertThat(dev.lpl.core.testing.TinyPlugin.EVENTS).contains("features (32, 8) weight (2, 8)");
    }

    @Test
    void longTailSamplingAppliesToAnyDataset(@TempDir Path tmp) {
        try (var run = LPL.runFactory().prepare(
                config("data.long-tail.profile=exponential", "data.long-tail.ratio=10", "training.epochs=1"),
                tmp.resolve("lt"))) {
            assertThat(run.description().classCounts()).containsExactly(200, 20);
            assertThat(run.description().longTail()).containsKey("indices_sha256");
        }
    }
}
