package dev.lpl.core.rundir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lpl.core.run.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run directory's schema: every record survives a write and a read unchanged; the text the
 * records write is the text the untyped maps wrote before the schema existed (field order, {@code
 * null} for non-finite numbers, explicit nulls, absent fields); files written before it read; an
 * unknown status reads as {@link RunStatus#UNKNOWN}.
 */
class RunFilesTest {

    private static final String NL = System.lineSeparator();

    private static Manifest manifest() {
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.putObject("run").put("seed", 42);
        config.putObject("training").put("epochs", 3);
        Map<String, Long> seeds = new LinkedHashMap<>();
        seeds.put("root", 42L);
        seeds.put("init", -1101381395727650417L);
        Map<String, Object> longTail = new LinkedHashMap<>();
        longTail.put("profile", "exponential");
        longTail.put("ratio", 100);
        return new Manifest(null, "r1", "2026-01-02T03:04:05Z",
                new Manifest.Versions("0.1.0", "0.36.0", "PyTorch 2.7.1", "17.0.15", "Linux 6 amd64"), null, "host",
                "cpu()", seeds, new Manifest.Dataset("tiny", Map.of("generator", "tiny"), List.of("top", "bottom"),
                        360, 100, List.of(180L, 180L), longTail, null, List.of(1, 4, 4), null, null),
                "identity", new Manifest.Model("tiny-mlp", 154L, null), null, null, null, List.of("--set a=b"),
                config, "ab12");
    }

    private static MetricsLine line(int epoch, boolean validated) {
        Double v = validated ? 0.5 : null;
        return new MetricsLine(epoch, 3, "train", 0.98, 0.5, 0.99, 0.99, 0.99, Double.NaN, Double.NaN, 0.2, 0.25,
                List.of(1.0, 0.98), v, v, v, validated ? Double.NaN : null, v, v, v,
                validated ? List.of(1.0, Double.NaN) : null, List.of(0.0, Double.NaN), 0.02, 0.35, 0.28, 0.08,
                0.001, 0.06, 12L, 234.9, null);
    }

    private static Summary summary() {
        MetricsLine last = line(3, true);
        return new Summary("r1", RunStatus.STOPPED, new Summary.StoppedAt(3, 17), "checkpoints/epoch-0003-batch-000017",
                null, "identity", "tiny-mlp", "tiny", 2, 3, "validation", Summary.Figures.of(last, null),
                Summary.Figures.of(line(2, true), "validation"), Summary.Figures.of(line(1, true), "test"),
                List.of(new Summary.Phase("train", 1, 2, "schedule", "instance", Summary.Figures.of(last, null)),
                        new Summary.Phase("finetune", 3, 3, 0.002, "class-balanced", null)),
                List.of(new Summary.ClassResult(0, "top", 180L, "many", 1.0),
                        new Summary.ClassResult(1, "bottom", 180L, "many", Double.NaN)),
                List.of(List.of(50L, 0L), List.of(1L, 49L)),
                new Summary.Calibration(2, List.of(0.0, 0.5), List.of(0.5, 1.0), List.of(0L, 100L),
                        List.of(Double.NaN, 0.9), List.of(Double.NaN, 0.99), 0.09),
                new Summary.Time(1.5, 23.3, Double.NaN, 0.01, 0.2));
    }

    @Test
    void everyRecordSurvivesAWriteAndARead(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(RunFiles.MANIFEST), RunFiles.manifestText(manifest()));
        Files.writeString(dir.resolve(RunFiles.SUMMARY), RunFiles.summaryText(summary()));
        Files.writeString(dir.resolve(RunFiles.METRICS), RunFiles.metricsLineText(line(1, false)) + "\n\n"
                + RunFiles.metricsLineText(line(2, true)) + "\n");
        assertThat(RunFiles.readManifest(dir)).isEqualTo(manifest());
        assertThat(RunFiles.readSummary(dir)).isEqualTo(summary());
        assertThat(RunFiles.readMetrics(dir)).containsExactly(line(1, false), line(2, true));
        Summary.Detail detail = summary().detail();
        assertThat(RunFiles.fromTree(RunFiles.tree(detail), Summary.Detail.class)).isEqualTo(detail);
        assertThat(RunFiles.fromTree(RunFiles.tree(Summary.Detail.NONE), Summary.Detail.class))
                .isEqualTo(Summary.Detail.NONE);
        assertThat(RunFiles.tree(Summary.Detail.NONE).toString()).isEqualTo("{}");
    }

    @Test
    void theTextIsWhatTheUntypedMapsWrote() {
        // the maps PreparedRun built before the schema existed, written as it wrote them (Json)
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", 1);
        m.put("epochs", 3);
        m.put("phase", "train");
        m.put("train_loss", 0.98);
        m.put("train_accuracy", 0.5);
        m.put("test_accuracy", 0.99);
        m.put("balanced_accuracy", 0.99);
        m.put("many_shot_accuracy", 0.99);
        m.put("medium_shot_accuracy", Double.NaN);
        m.put("few_shot_accuracy", Double.NaN);
        m.put("ece", 0.2);
        m.put("test_loss", 0.25);
        m.put("per_class_accuracy", new double[] {1.0, 0.98});
        m.put("relative_loss_variation", new double[] {0.0, Double.NaN});
        m.put("learning_rate", 0.02);
        m.put("epoch_seconds", 0.35);
        m.put("step_seconds", 0.28);
        m.put("objective_seconds", 0.08);
        m.put("data_wait_seconds", 0.001);
        m.put("eval_seconds", 0.06);
        m.put("steps", 12);
        m.put("resident_mb", 234.9);
        assertThat(RunFiles.metricsLineText(line(1, false))).isEqualTo(Json.line(m));

        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("run", "r1");
        manifest.put("created", "2026-01-02T03:04:05Z");
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("lpl", "0.1.0");
        versions.put("djl", "0.36.0");
        versions.put("engine", "PyTorch 2.7.1");
        versions.put("java", "17.0.15");
        versions.put("os", "Linux 6 amd64");
        manifest.put("versions", versions);
        manifest.put("git_commit", null);
        manifest.put("host", "host");
        manifest.put("device", "cpu()");
        manifest.put("seeds", manifest().seeds());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", "tiny");
        data.put("identity", Map.of("generator", "tiny"));
        data.put("classes", List.of("top", "bottom"));
        data.put("train_size", 360);
        data.put("test_size", 100);
        data.put("train_class_counts", new long[] {180, 180});
        data.put("long_tail", manifest().dataset().longTail());
        data.put("validation", null);
        data.put("image_shape", List.of(1, 4, 4));
        manifest.put("dataset", data);
        manifest.put("method", "identity");
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", "tiny-mlp");
        model.put("trainable_parameters", 154L);
        manifest.put("model", model);
        manifest.put("config_sources", List.of("--set a=b"));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("run", Map.of("seed", 42));
        config.put("training", Map.of("epochs", 3));
        manifest.put("config", config);
        manifest.put("result_fingerprint", "ab12");
        assertThat(RunFiles.manifestText(manifest())).isEqualTo(Json.pretty(manifest));
    }

    @Test
    void aSummaryWrittenBeforeTheSchemaReads(@TempDir Path dir) throws Exception {
        // the summary.json of a tiny fine-tuned run written by lpl before the schema existed (abridged)
        String text = String.join(NL, "{",
                "  \"run\" : \"tiny-identity-20261208-020625\",",
                "  \"status\" : \"completed\",",
                "  \"method\" : \"identity\",",
                "  \"model\" : \"tiny-mlp\",",
                "  \"dataset\" : \"tiny\",",
                "  \"epochs_completed\" : 3,",
                "  \"epochs\" : 3,",
                "  \"selection\" : \"final\",",
                "  \"final\" : {",
                "    \"epoch\" : 3,",
                "    \"test_accuracy\" : 0.98,",
                "    \"top1_error\" : 0.020000000000000018,",
                "    \"balanced_accuracy\" : 0.98,",
                "    \"many_shot_accuracy\" : 0.98,",
                "    \"medium_shot_accuracy\" : null,",
                "    \"few_shot_accuracy\" : null,",
                "    \"ece\" : 0.22028117895126342,",
                "    \"train_loss\" : 0.7117890763282776,",
                "    \"test_loss\" : 0.29606336834840474,",
                "    \"train_accuracy\" : 0.5225",
                "  },",
                "  \"phases\" : [ {",
                "    \"name\" : \"train\",",
                "    \"first_epoch\" : 1,",
                "    \"last_epoch\" : 1,",
                "    \"learning_rate\" : \"schedule\",",
                "    \"sampling\" : \"instance\"",
                "  }, {",
                "    \"name\" : \"finetune\",",
                "    \"first_epoch\" : 2,",
                "    \"last_epoch\" : 3,",
                "    \"learning_rate\" : 0.002,",
                "    \"sampling\" : \"class-balanced\"",
                "  } ],",
                "  \"classes\" : [ {",
                "    \"class\" : 0,",
                "    \"name\" : \"top\",",
                "    \"train_count\" : 200,",
                "    \"shot_group\" : \"many\",",
                "    \"accuracy\" : 0.98",
                "  } ],",
                "  \"confusion\" : [ [ 49, 1 ], [ 1, 49 ] ],",
                "  \"time\" : {",
                "    \"total_seconds\" : 1.0,",
                "    \"mean_step_ms\" : 23.2",
                "  }",
                "}", "");
        Files.writeString(dir.resolve(RunFiles.SUMMARY), text);
        Summary summary = RunFiles.readSummary(dir);
        assertThat(summary.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(summary.last().epoch()).isEqualTo(3);
        assertThat(summary.last().fewShotAccuracy()).as("null is an undefined figure").isNaN();
        assertThat(summary.last().valBalancedAccuracy()).as("absent").isNull();
        assertThat(summary.best()).isNull();
        assertThat(summary.phases()).extracting(Summary.Phase::learningRate).containsExactly("schedule", 0.002);
        assertThat(summary.classes().get(0).index()).isZero();
        assertThat(summary.confusion()).containsExactly(List.of(49L, 1L), List.of(1L, 49L));
        assertThat(summary.calibration()).isNull();
        assertThat(summary.time().meanObjectiveMs()).isNull();
        assertThat(RunFiles.summaryText(summary)).as("written back unchanged").isEqualTo(text);
    }

    @Test
    void metricsLinesOfOlderAndNewerRunsRead(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(RunFiles.METRICS), String.join("\n",
                "{\"epoch\":1,\"epochs\":3,\"train_loss\":0.9,\"test_accuracy\":0.5,\"balanced_accuracy\":0.5,"
                        + "\"few_shot_accuracy\":null,\"per_class_accuracy\":[0.5,null],\"learning_rate\":0.1}",
                "{\"epoch\":2,\"epochs\":3,\"train_loss\":0.8,\"future_list\":[1,2]}",
                "{\"epoch\":3,\"future_figure\":1.5,\"future_text\":\"a\"}", ""));
        List<MetricsLine> lines = RunFiles.readMetrics(dir);
        assertThat(lines.get(0).phase()).as("older runs had no phase").isNull();
        assertThat(lines.get(0).ece()).isNull();
        assertThat(lines.get(0).fewShotAccuracy()).isNaN();
        assertThat(MetricsLine.array(lines.get(0).perClassAccuracy())).containsExactly(0.5, Double.NaN);
        assertThat(lines.get(0).validated()).isFalse();
        assertThat(lines.get(1).other()).containsExactly(Map.entry("future_list", List.of(1, 2)));
        assertThat(RunFiles.metricsLineText(lines.get(1))).as("unknown fields are kept")
                .isEqualTo("{\"epoch\":2,\"epochs\":3,\"train_loss\":0.8,\"future_list\":[1,2]}");
        assertThat(lines.get(2).other()).containsOnly(Map.entry("future_figure", 1.5), Map.entry("future_text", "a"));
        assertThat(RunFiles.values(lines.get(0))).containsEntry("few_shot_accuracy", Double.NaN)
                .doesNotContainKey("ece");
    }

    @Test
    void anUnknownOrMissingStatusIsUnknownNotAnError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(RunFiles.SUMMARY), "{\"run\": \"x\", \"status\": \"paused-by-a-newer-lpl\"}");
        assertThat(RunFiles.readSummary(dir).status()).isEqualTo(RunStatus.UNKNOWN);
        Files.writeString(dir.resolve(RunFiles.SUMMARY), "{\"run\": \"x\"}");
        assertThat(RunFiles.readSummary(dir).status()).isEqualTo(RunStatus.UNKNOWN);
        Files.writeString(dir.resolve(RunFiles.SUMMARY), "{\"run\": \"x\", \"status\": null}");
        assertThat(RunFiles.readSummary(dir).status()).isEqualTo(RunStatus.UNKNOWN);
        assertThat(Arrays.stream(RunStatus.values()).map(RunStatus::text))
                .containsExactly("running", "completed", "stopped", "failed", "unknown");
        for (RunStatus status : RunStatus.values()) {
            assertThat(RunStatus.of(status.text())).isEqualTo(status);
        }
    }

    @Test
    void malformedFilesNameTheFileAndLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(RunFiles.METRICS), "{\"epoch\": 1}\n{\"epoch\": 2, \"train_loss\": \n");
        assertThatThrownBy(() -> RunFiles.readMetrics(dir)).isInstanceOf(RunFiles.MalformedException.class)
                .hasMessageContaining(RunFiles.METRICS + " line 2");
        Files.writeString(dir.resolve(RunFiles.METRICS), "[1, 2]\n");
        assertThatThrownBy(() -> RunFiles.readMetrics(dir)).hasMessageContaining("expected one object per line");
        Files.writeString(dir.resolve(RunFiles.SUMMARY), "{\n  \"run\": \"bad\",\n  \"status\": \n}\n");
        assertThatThrownBy(() -> RunFiles.readSummary(dir)).isInstanceOf(RunFiles.MalformedException.class)
                .satisfies(e -> assertThat(((RunFiles.MalformedException) e).line()).isEqualTo(4));
        Files.writeString(dir.resolve(RunFiles.SUMMARY), "{\"epochs\": \"many\"}");
        assertThatThrownBy(() -> RunFiles.readSummary(dir)).isInstanceOf(RunFiles.MalformedException.class)
                .hasMessageContaining("epochs");
        Files.writeString(dir.resolve(RunFiles.MANIFEST), "[]");
        assertThatThrownBy(() -> RunFiles.readManifest(dir)).hasMessageContaining("expected an object");
    }
}
