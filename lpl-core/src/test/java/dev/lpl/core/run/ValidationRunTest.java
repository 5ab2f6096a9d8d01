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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny run with and without a validation set: the figures of every epoch, the honest {@code
 * best} (validation only), the labelled {@code test_selected}, {@code checkpoints/best} and the
 * files of the split.
 */
class ValidationRunTest {

    private static final Bootstrap LPL = Bootstrap.start(List.of());

    private static RunConfig config(String... extra) {
        List<String> sets = new ArrayList<>(List.of(
                "data.type=tiny", "model.type=tiny-mlp", "method.type=identity", "training.backend=cpu",
                "training.epochs=5", "data.batch-size=32", "data.augment.crop-padding=1",
                "optimizer.sgd.learning-rate=0.02", "data.eval-batch-size=64", "schedule.type=constant"));
        sets.addAll(List.of(extra));
        return LPL.configLoader().load(null, sets);
    }

    private static List<JsonNode> metrics(Path dir) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"))) {
            out.add(Json.mapper().readTree(line));
        }
        return out;
    }

    /** The 1-based epoch of the first line with the highest value of a key. */
    private static int firstArgmax(List<JsonNode> lines, String key) {
        JsonNode best = lines.get(0);
        for (JsonNode line : lines) {
            if (line.get(key).asDouble() > best.get(key).asDouble()) {
                best = line;
            }
        }
        return best.get("epoch").asInt();
    }

    @Test
    void withAValidationSetBestIsSelectedOnItAndTheBestCheckpointHoldsThatEpoch(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        try (PreparedRun run = LPL.runFactory().prepare(config("data.validation.per-class=20"), dir)) {
            assertThat(run.description().classCounts()).containsExactly(180, 180);
            run.run(TrainingProgress.NONE);
        }
        List<String> indices = Files.readAllLines(dir.resolve("validation-indices.txt"));
        assertThat(indices).hasSize(40).doesNotHaveDuplicates();
        JsonNode validation = Json.mapper().readTree(dir.resolve("manifest.json").toFile()).get("dataset").get("validation");
        assertThat(validation.get("per_class").asInt()).isEqualTo(20);
        assertThat(validation.get("size").asInt()).isEqualTo(40);
        assertThat(validation.get("indices_file").asText()).isEqualTo("validation-indices.txt");
        assertThat(validation.get("indices_sha256").asText())
                .isEqualTo(Hashes.sha256(indices.stream().mapToInt(Integer::parseInt).toArray()));
        List<String> trainIndices = Files.readAllLines(dir.resolve("train-indices.txt"));
        assertThat(trainIndices).hasSize(360).doesNotContainAnyElementsOf(indices);

        List<JsonNode> lines = metrics(dir);
        assertThat(lines).hasSize(5);
        for (JsonNode line : lines) {
            for (String key : List.of("train_accuracy", "test_loss", "val_accuracy", "val_balanced_accuracy",
                    "val_many_shot_accuracy", "val_medium_shot_accuracy", "val_few_shot_accuracy", "val_ece",
                    "val_loss", "val_per_class_accuracy", "test_accuracy", "balanced_accuracy", "ece")) {
                assertThat(line.has(key)).as(key).isTrue();
            }
            assertThat(line.get("train_accuracy").asDouble()).isBetween(0.0, 1.0);
            assertThat(line.get("test_loss").asDouble()).isPositive();
            assertThat(line.get("val_loss").asDouble()).isPositive();
            assertThat(line.get("val_per_class_accuracy")).hasSize(2);
            // balanced: accuracy = balanced accuracy = mean of the two classes'
            double mean = (line.get("val_per_class_accuracy").get(0).asDouble()
                    + line.get("val_per_class_accuracy").get(1).asDouble()) / 2;
            assertThat(line.get("val_accuracy").asDouble()).isCloseTo(mean, within(1e-9));
            assertThat(line.get("val_balanced_accuracy").asDouble()).isCloseTo(mean, within(1e-9));
        }
        assertThat(lines.get(4).get("train_accuracy").asDouble()).as("the tiny set is learnt").isGreaterThan(0.8);

        JsonNode summary = Json.mapper().readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.get("selection").asText()).isEqualTo("validation");
        int bestEpoch = firstArgmax(lines, "val_balanced_accuracy");
        JsonNode best = summary.get("best");
        assertThat(best.get("selected_on").asText()).isEqualTo("validation");
        assertThat(best.get("epoch").asInt()).isEqualTo(bestEpoch);
        JsonNode bestLine = lines.get(bestEpoch - 1);
        for (String key : List.of("val_balanced_accuracy", "val_accuracy", "val_loss", "val_ece", "balanced_accuracy",
                "test_accuracy", "test_loss", "train_accuracy")) {
            assertThat(best.get(key).asDouble()).as(key).isEqualTo(bestLine.get(key).asDouble());
        }
        JsonNode testSelected = summary.get("test_selected");
        assertThat(testSelected.get("selected_on").asText()).isEqualTo("test");
        assertThat(testSelected.get("epoch").asInt()).isEqualTo(firstArgmax(lines, "balanced_accuracy"));
        JsonNode last = summary.get("final");
        assertThat(last.get("epoch").asInt()).isEqualTo(5);
        assertThat(last.get("val_balanced_accuracy").asDouble()).isEqualTo(lines.get(4).get("val_balanced_accuracy").asDouble());
        assertThat(last.get("test_loss").asDouble()).isEqualTo(lines.get(4).get("test_loss").asDouble());
        assertThat(last.get("train_accuracy").asDouble()).isEqualTo(lines.get(4).get("train_accuracy").asDouble());

        // checkpoints/best holds the selected epoch: its weights give the recorded validation figures
        Path bestCheckpoint = dir.resolve("checkpoints/best");
        assertThat(Json.mapper().readTree(bestCheckpoint.resolve("state.json").toFile()).get("epoch").asInt())
                .isEqualTo(bestEpoch);
        try (PreparedRun run = LPL.runFactory().openForEvaluation(LPL.configLoader(), dir, bestCheckpoint)) {
            PreparedRun.Evaluation v = run.evaluateValidation().orElseThrow();
            assertThat(v.metrics().balancedAccuracy()).isEqualTo(best.get("val_balanced_accuracy").asDouble());
            assertThat(v.loss()).isCloseTo(best.get("val_loss").asDouble(), within(1e-6));
            PreparedRun.Evaluation t = run.evaluate(0);
            assertThat(t.metrics().balancedAccuracy()).isEqualTo(best.get("balanced_accuracy").asDouble());
            assertThat(t.loss()).isCloseTo(best.get("test_loss").asDouble(), within(1e-6));
        }
    }

    @Test
    void withoutAValidationSetThereIsNoBestAndTheTestSelectedFiguresAreLabelled(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        try (PreparedRun run = LPL.runFactory().prepare(config(), dir)) {
            assertThat(run.description().classCounts()).containsExactly(200, 200);
            run.run(TrainingProgress.NONE);
            assertThat(run.evaluateValidation()).isEmpty();
        }
        JsonNode summary = Json.mapper().readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.get("selection").asText()).isEqualTo("final");
        assertThat(summary.has("best")).isFalse();
        assertThat(summary.get("final").has("val_balanced_accuracy")).isFalse();
        assertThat(summary.get("final").has("test_loss")).isTrue();
        List<JsonNode> lines = metrics(dir);
        assertThat(summary.get("test_selected").get("selected_on").asText()).isEqualTo("test");
        assertThat(summary.get("test_selected").get("epoch").asInt()).isEqualTo(firstArgmax(lines, "balanced_accuracy"));
        assertThat(lines.get(0).has("val_accuracy")).isFalse();
        assertThat(lines.get(0).has("train_accuracy")).isTrue();
        assertThat(lines.get(0).has("test_loss")).isTrue();
        assertThat(dir.resolve("checkpoints/best")).doesNotExist();
        assertThat(dir.resolve("validation-indices.txt")).doesNotExist();
        JsonNode manifest = Json.mapper().readTree(dir.resolve("manifest.json").toFile());
        assertThat(manifest.get("dataset").get("validation").isNull()).isTrue();
    }

    @Test
    void theTestLossIsTheMeanCrossEntropyOfThePredictions(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        try (PreparedRun run = LPL.runFactory().prepare(config("training.epochs=1", "data.validation.fraction=0.1"), dir)) {
            run.run(TrainingProgress.NONE);
            // the tiny test set is separable: after training the loss is small, and a fresh
            // network's would be near log 2
            assertThat(run.evaluate(0).loss()).isLessThan(Math.log(2));
            assertThat(run.evaluateValidation().orElseThrow().metrics().confusion()[0][0]
                    + run.evaluateValidation().orElseThrow().metrics().confusion()[0][1]).isEqualTo(20);
        }
    }

    @Test
    void aResumedRunMustHaveTheSameSplit(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        try (PreparedRun run = LPL.runFactory().prepare(config("data.validation.per-class=20"), dir)) {
            run.run(TrainingProgress.NONE, () -> true);
        }
        Path conf = dir.resolve("resolved.conf");
        Files.writeString(conf, Files.readString(conf).replace("seed=42", "seed=43").replace("seed = 42", "seed = 43"));
        assertThatThrownBy(() -> LPL.runFactory().resume(LPL.configLoader(), dir).close())
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("the validation set differs from when run tiny-identity-") // the name it was started under
                .hasMessageContaining(" started (indices sha256 was ");
    }

    @Test
    void perClassAndFractionTogetherAreOneConfigurationError() {
        assertThatThrownBy(() -> LPL.runFactory().validate(config("data.validation.per-class=5",
                "data.validation.fraction=0.1")))
                .isInstanceOf(LplException.class)
                .hasMessage("invalid configuration value data.validation.fraction: both data.validation.per-class (5)"
                        + " and data.validation.fraction (0.1) are set; set one of them and leave the other at its"
                        + " default (per-class = 0, fraction = null)");
        assertThatThrownBy(() -> LPL.runFactory().validate(config("data.validation.fraction=1.5")))
                .hasMessageStartingWith("invalid configuration value data.validation.fraction: 1.5 is out of range");
        assertThatThrownBy(() -> LPL.runFactory().validate(config("data.validation.per-class=-1")))
                .hasMessageStartingWith("invalid configuration value data.validation.per-class: -1 is out of range");
    }
}
