package dev.lpl.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.data.TrainSubset;
import dev.lpl.core.train.TrainingProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A long-tailed run saves its kept indices, and a later run can train on exactly that subset. */
class IndicesFileTest {

    private static final Bootstrap LPL = Bootstrap.start(List.of());

    private static RunConfig config(String... extra) {
        List<String> sets = new ArrayList<>(List.of(
                "data.type=tiny", "model.type=tiny-mlp", "method.type=identity", "training.backend=cpu",
                "training.epochs=1", "data.batch-size=32", "data.augment.crop-padding=0", "data.augment.flip=false",
                "data.long-tail.profile=exponential", "data.long-tail.ratio=10"));
        sets.addAll(List.of(extra));
        return LPL.configLoader().load(null, sets);
    }

    @Test
    void aSavedSubsetIsReusedExactly(@TempDir Path tmp) throws Exception {
        Path first = tmp.resolve("first");
        try (var run = LPL.runFactory().prepare(config(), first)) {
            assertThat(run.description().classCounts()).containsExactly(200, 20);
            run.run(TrainingProgress.NONE);
        }
        Path indices = first.resolve(RunDirectory.TRAIN_INDICES);
        assertThat(Files.readAllLines(indices)).hasSize(220);
        JsonNode firstManifest = Json.mapper().readTree(first.resolve(RunDirectory.MANIFEST).toFile());

        // Another seed would sample another subset; the file pins it.
        RunConfig reuse = config("run.seed=7", "data.long-tail.indices-file=\"" + indices + "\"");
        TrainSubset described = LPL.runFactory().loadDataset(reuse);
        assertThat(described.kept()).hasSize(220);
        Path second = tmp.resolve("second");
        try (var run = LPL.runFactory().prepare(reuse, second)) {
            assertThat(run.description().classCounts()).containsExactly(200, 20);
            run.run(TrainingProgress.NONE);
        }
        JsonNode secondManifest = Json.mapper().readTree(second.resolve(RunDirectory.MANIFEST).toFile());
        JsonNode a = firstManifest.get("dataset").get("long_tail");
        JsonNode b = secondManifest.get("dataset").get("long_tail");
        assertThat(b.get("profile").asText()).isEqualTo("indices-file");
        assertThat(b.get("indices_sha256").asText()).isEqualTo(a.get("indices_sha256").asText());
        assertThat(Files.readString(second.resolve(RunDirectory.TRAIN_INDICES))).isEqualTo(Files.readString(indices));

        RunConfig sampledWithSeven = config("run.seed=7");
        assertThat(Hashes.sha256(LPL.runFactory().loadDataset(sampledWithSeven).kept()))
                .isNotEqualTo(a.get("indices_sha256").asText());
    }

    @Test
    void aMissingIndicesFileFailsBeforeAnyWork(@TempDir Path tmp) {
        assertThatThrownBy(() -> LPL.runFactory().prepare(
                config("data.long-tail.indices-file=\"" + tmp.resolve("none.txt") + "\""), tmp.resolve("x")))
                .hasMessageStartingWith("invalid configuration value data.long-tail.indices-file: "
                        + tmp.resolve("none.txt") + " does not exist");
        assertThat(tmp.resolve("x")).doesNotExist();
    }
}
