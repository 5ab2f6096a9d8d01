package dev.lpl.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lpl.core.run.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lpl env}, and that the commands that compute outside a run ({@code lpl bench}, {@code lpl
 * models}, {@code lpl loss}) start the engine through {@code training.backend}.
 */
class EnvCommandTest {

    @Test
    void envPrintsAlignedLinesForABugReport() {
        CommandLineTest.Result r = CommandLineTest.lpl("env", "--set", "training.backend=cpu");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .containsPattern("(?m)^lpl version\\s+\\S+")
                .containsPattern("(?m)^java version\\s+" + System.getProperty("java.version") + "$")
                .containsPattern("(?m)^java vendor\\s+\\S+")
                .containsPattern("(?m)^os arch\\s+" + System.getProperty("os.arch") + "$")
                .containsPattern("(?m)^engine name\\s+PyTorch$")
                .containsPattern("(?m)^engine version\\s+\\d+\\.\\d+\\.\\d+$")
                .containsPattern("(?m)^engine library\\s+/\\S+")
                .containsPattern("(?m)^engine library source\\s+\\S+")
                .containsPattern("(?m)^devices gpus\\s+\\d+$")
                .containsPattern("(?m)^devices default\\s+(cpu|gpu)\\(\\d*\\)$")
                .containsPattern("(?m)^devices backend\\s+cpu$")
                .containsPattern("(?m)^devices backend device\\s+cpu\\(\\)$")
                .containsPattern("(?m)^threads intra op\\s+\\d+$")
                .containsPattern("(?m)^threads inter op\\s+\\d+$")
                .containsPattern("(?m)^threads training.threads\\s+0$")
                .containsPattern("(?m)^cpu features\\s+\\S+")
                .containsPattern("(?m)^allocator tuning\\s+\\S+")
                .containsPattern("(?m)^offline OPT_OUT_TRACKING\\s+true$") // set for surefire (pom.xml)
                .containsPattern("(?m)^offline DJL_OFFLINE\\s+true$")
                .containsPattern("(?m)^offline ai.djl.offline\\s+true$")
                .doesNotContain("engine error");
        // every value starts in the same column
        List<Integer> columns = r.out().lines().map(EnvCommandTest::valueColumn).distinct().toList();
        assertThat(columns).hasSize(1);
    }

    private static int valueColumn(String line) {
        int gap = line.indexOf("  ");
        int column = gap;
        while (line.charAt(column) == ' ') {
            column++;
        }
        return column;
    }

    @Test
    void envWritesJsonWithTheSameFields() throws Exception {
        CommandLineTest.Result r = CommandLineTest.lpl("env", "--json", "--set", "training.threads=1");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = Json.mapper().readTree(r.out());
        assertThat(json.fieldNames()).toIterable().containsExactly(
                "lpl", "java", "os", "engine", "devices", "threads", "cpu", "allocator", "offline");
        assertThat(json.path("lpl").path("version").asText()).isNotBlank();
        assertThat(json.path("java").path("version").asText()).isEqualTo(System.getProperty("java.version"));
        assertThat(json.path("java").path("vendor").asText()).isNotBlank();
        assertThat(json.path("os").path("name").asText()).isEqualTo(System.getProperty("os.name"));
        assertThat(json.path("os").path("cpus").asInt()).isPositive();
        JsonNode engine = json.path("engine");
        assertThat(engine.path("name").asText()).isEqualTo("PyTorch");
        assertThat(engine.path("version").asText()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(engine.path("djl_version").asText()).isNotBlank();
        assertThat(Path.of(engine.path("library").asText())).isDirectory();
        assertThat(engine.path("library_source").asText()).isNotBlank();
        assertThat(engine.has("error")).isFalse();
        JsonNode devices = json.path("devices");
        assertThat(devices.path("gpus").isInt()).isTrue();
        assertThat(devices.path("backend").asText()).isEqualTo("auto"); // the default
        assertThat(devices.path("backend_device").asText())
                .isEqualTo(devices.path("gpus").asInt() > 0 ? "gpu(0)" : "cpu()");
        assertThat(json.path("threads").path("training_threads").asInt()).isEqualTo(1);
        assertThat(json.path("threads").path("intra_op").asInt()).isPositive();
        assertThat(json.path("threads").path("inter_op").asInt()).isPositive();
        assertThat(json.path("cpu").path("features").asText()).isNotBlank();
        assertThat(json.path("allocator").has("tuning")).isTrue();
        assertThat(json.path("offline").path("OPT_OUT_TRACKING").asText()).isEqualTo("true");
        assertThat(json.path("offline").path("DJL_OFFLINE").asText()).isEqualTo("true");
        assertThat(json.path("offline").path("ai.djl.offline").asText()).isEqualTo("true");
    }

    @Test
    void envRefusesAnUnknownBackendInOneLine() {
        assertRefusesUnknownBackend(CommandLineTest.lpl("env", "--set", "training.backend=cpux"));
    }

    @Test
    void benchModelsAndLossReadTrainingBackend(@TempDir Path dir) {
        assertRefusesUnknownBackend(CommandLineTest.lpl("bench", "--model", "small-cnn", "--methods", "ce",
                "--rounds", "1", "--warmup", "0", "--pipeline-batches", "0", "--set", "training.backend=cpux"));
        assertRefusesUnknownBackend(CommandLineTest.lpl("models", "--classes", "10", "--set", "training.backend=cpux"));
        assertRefusesUnknownBackend(CommandLineTest.lpl("loss", "--method", "ce", "--set", "training.backend=cpux",
                "--logits", dir.resolve("l.npy").toString(), "--labels", dir.resolve("y.npy").toString(),
                "--class-counts", dir.resolve("n.npy").toString(), "--out", dir.resolve("o.npz").toString()));

        CommandLineTest.Result cpu = CommandLineTest.lpl("bench", "--model", "small-cnn", "--batch", "4",
                "--methods", "ce", "--rounds", "1", "--warmup", "0", "--pipeline-batches", "0",
                "--no-eval", "--set", "training.backend=cpu");
        assertThat(cpu.code()).as(cpu.err()).isZero();
    }

    private static void assertRefusesUnknownBackend(CommandLineTest.Result r) {
        assertThat(r.code()).as(r.out()).isEqualTo(2);
        assertThat(r.err().lines().findFirst().orElseThrow())
                .startsWith("error: unknown backend 'cpux' (training.backend); did you mean 'cpu'?");
    }
}
