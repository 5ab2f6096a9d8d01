package dev.lpl.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lpl.core.run.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lpl eval} picks {@code best} (selected on validation) only for a run with a validation
 * split, else the final checkpoint, and says which; a run of an older lpl (no {@code selection})
 * is treated as having no validation split and its {@code best} as selected on the test set.
 * {@code lpl report} labels figures selected on the test set as such.
 */
class ModelSelectionCommandsTest {

    @TempDir
    static Path tmp;

    private static Path validated;
    private static Path plain;

    private static Path train(String name, String... extra) {
        Path out = tmp.resolve(name);
        List<String> args = new ArrayList<>(List.of("train", "--progress", "none", "--out", out.toString(),
                "--set", "training.epochs=3", "--set", "data.synthetic.train-per-class=40",
                "--set", "data.synthetic.test-per-class=6", "--set", "data.synthetic.imbalance-ratio=4",
                "--set", "model.small-cnn.width=8", "--set", "data.batch-size=32", "--set", "method.type=ce",
                "--set", "training.backend=cpu"));
        for (String set : extra) {
            args.addAll(List.of("--set", set));
        }
        CommandLineTest.Result r = CommandLineTest.lpl(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        return out;
    }

    @BeforeAll
    static void trainBoth() {
        validated = train("validated", "data.validation.per-class=4");
        plain = train("plain");
    }

    private static JsonNode summary(Path run) throws Exception {
        return Json.mapper().readTree(run.resolve("summary.json").toFile());
    }

    @Test
    void aRunWithAValidationSplitIsEvaluatedAtItsBestCheckpoint() throws Exception {
        int bestEpoch = summary(validated).get("best").get("epoch").asInt();
        Path json = tmp.resolve("validated.json");
        CommandLineTest.Result r = CommandLineTest.lpl("eval", validated.toString(), "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("^run \\S+, checkpoint best \\(epoch ")
                .contains(", checkpoint best (epoch " + bestEpoch
                + ", selected on validation balanced accuracy)\n")
                .contains("validation set (40 images, balanced):");
        JsonNode doc = Json.mapper().readTree(json.toFile());
        assertThat(doc.get("selected_on").asText()).isEqualTo("validation");
        assertThat(doc.get("epochs_completed").asInt()).isEqualTo(bestEpoch);
        assertThat(doc.get("validation").get("balanced_accuracy").asDouble())
                .isEqualTo(summary(validated).get("best").get("val_balanced_accuracy").asDouble());

        CommandLineTest.Result latest = CommandLineTest.lpl("eval", validated.toString(), "--checkpoint", "latest");
        assertThat(latest.out()).contains(", checkpoint epoch-0003 (final)\n");
    }

    @Test
    void aRunWithoutOneIsEvaluatedAtItsFinalCheckpointAndHasNoBest() {
        assertThat(plain.resolve("checkpoints/best")).doesNotExist();
        CommandLineTest.Result r = CommandLineTest.lpl("eval", plain.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains(", checkpoint epoch-0003 (final)\n").doesNotContain("validation");

        CommandLineTest.Result best = CommandLineTest.lpl("eval", plain.toString(), "--checkpoint", "best");
        assertThat(best.code()).isEqualTo(2);
        assertThat(best.err()).startsWith("error: checkpoint best does not exist in " + plain
                + " (the run has no validation split, so no best checkpoint was selected); available: latest,"
                + " epoch-0002, epoch-0003\n");
    }

    @Test
    void anOlderRunsBestIsLabelledAsSelectedOnTheTestSet() throws Exception {
        Path old = tmp.resolve("old");
        copy(plain, old);
        ObjectNode summary = (ObjectNode) summary(old);
        summary.remove("selection");
        summary.remove("test_selected");
        summary.set("best", summary.get("final"));
        Files.writeString(old.resolve("summary.json"), Json.pretty(summary));
        copy(old.resolve("checkpoints/epoch-0002"), old.resolve("checkpoints/best"));

        CommandLineTest.Result r = CommandLineTest.lpl("eval", old.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains(", checkpoint epoch-0003 (final)\n");
        CommandLineTest.Result best = CommandLineTest.lpl("eval", old.toString(), "--checkpoint", "best");
        assertThat(best.code()).as(best.err()).isZero();
        assertThat(best.out()).contains(", checkpoint best (epoch 2, selected on test balanced accuracy:"
                + " optimistic, not a fair comparison)\n");
    }

    @Test
    void theReportLabelsHowTheSecondColumnWasSelected() throws Exception {
        int bestEpoch = summary(validated).get("best").get("epoch").asInt();
        assertThat(CommandLineTest.lpl("report", validated.toString()).code()).isZero();
        assertThat(Files.readString(validated.resolve("report/index.html")))
                .contains("best on validation balanced accuracy (epoch " + bestEpoch + ")")
                .doesNotContain("selected on test");
        int testEpoch = summary(plain).get("test_selected").get("epoch").asInt();
        assertThat(CommandLineTest.lpl("report", plain.toString()).code()).isZero();
        assertThat(Files.readString(plain.resolve("report/index.html")))
                .contains("selected on test balanced accuracy (epoch " + testEpoch + "; optimistic)");
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
