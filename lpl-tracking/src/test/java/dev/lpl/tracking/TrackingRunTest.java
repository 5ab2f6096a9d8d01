package dev.lpl.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.run.Json;
import dev.lpl.core.run.PreparedRun;
import dev.lpl.core.train.TrainingProgress;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real runs (the synthetic set, a small CNN, CPU) with both listeners: stopped in the middle of
 * epoch 2 and resumed, the TensorBoard files read back by the independent Python reader and {@code
 * metrics.csv} compared with {@code metrics.jsonl}; a TensorBoard listener that cannot write
 * leaves the run and the CSV alone.
 */
class TrackingRunTest {

    private static final Bootstrap LPL = Bootstrap.start(List.of());

    private static RunConfig config(String... extra) {
        List<String> sets = new ArrayList<>(List.of(
                "data.type=synthetic", "data.synthetic.train-per-class=64", "data.synthetic.test-per-class=8",
                "data.synthetic.imbalance-ratio=10", "model.type=small-cnn", "model.small-cnn.width=8",
                "training.backend=cpu", "training.epochs=3", "data.batch-size=32", "data.eval-batch-size=80",
                "method.type=ce"));
        sets.addAll(List.of(extra));
        return LPL.configLoader().load(null, sets);
    }

    @Test
    void stoppedAndResumedRunIsReadBackFromTheEventFilesAndTheCsv(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        AtomicInteger steps = new AtomicInteger();
        // with a validation set: its val_* figures are recorded too
        try (PreparedRun run = LPL.runFactory().prepare(config("training.listener.tensorboard.enabled=true",
                "data.validation.per-class=4"), dir)) {
            long images = Arrays.stream(run.description().classCounts()).sum();
            int stopAfter = (int) ((images + 31) / 32) + 1; // one step into epoch 2
            assertThat(run.run(TrainingProgress.NONE, () -> steps.incrementAndGet() >= stopAfter).status())
                    .isEqualTo(PreparedRun.Status.STOPPED);
        }
        assertThat(csvRows(dir)).hasSize(1);
        try (PreparedRun run = LPL.runFactory().resume(LPL.configLoader(), dir)) {
            assertThat(run.run(TrainingProgress.NONE).status()).isEqualTo(PreparedRun.Status.COMPLETED);
        }
        List<JsonNode> metrics = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"))) {
            metrics.add(Json.mapper().readTree(line));
        }
        assertThat(metrics).hasSize(3);
        assertThat(metrics.get(0).has("val_balanced_accuracy")).isTrue();

        String summary = PythonReader.check("--run", dir.toString());
        assertThat(summary).startsWith("OK files=2 ").contains(" steps=1,2,3 ").contains(" method.type=ce ")
                .endsWith(" ends=[(3, 1)]");

        List<String> classes = new ArrayList<>();
        Json.mapper().readTree(dir.resolve("manifest.json").toFile()).path("dataset").path("classes")
                .forEach(n -> classes.add(n.asText()));
        List<CSVRecord> rows = csvRows(dir);
        assertThat(rows).hasSize(metrics.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i).toMap();
            int checked = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = metrics.get(i).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isNumber()) {
                    assertThat(cell(row, e.getKey())).as("%s of epoch %d", e.getKey(), i + 1)
                            .isEqualTo(e.getValue().asDouble());
                    checked++;
                } else if (e.getValue().isArray()) {
                    for (int c = 0; c < e.getValue().size(); c++) {
                        assertThat(cell(row, e.getKey() + "/" + classes.get(c)))
                                .isEqualTo(e.getValue().get(c).asDouble());
                        checked++;
                    }
                } else if (e.getValue().isNull()) { // metrics.jsonl writes NaN as null, the CSV an empty cell
                    assertThat(row.get(e.getKey())).as("%s of epoch %d", e.getKey(), i + 1).isEmpty();
                    checked++;
                }
            }
            assertThat(row.size()).as("columns %s for line %s", row.keySet(), metrics.get(i))
                    .isEqualTo(checked); // no column that metrics.jsonl lacks
        }
    }

    @Test
    void aTensorBoardListenerThatCannotWriteLeavesTheRunAndTheCsvAlone(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        // resolved.conf is a file when the listener starts: it cannot create its directory there
        try (PreparedRun run = LPL.runFactory().prepare(config("training.epochs=2",
                "training.listener.tensorboard.enabled=true", "training.listener.tensorboard.directory=resolved.conf"),
                dir)) {
            assertThat(run.run(TrainingProgress.NONE).status()).isEqualTo(PreparedRun.Status.COMPLETED);
        }
        assertThat(Files.readAllLines(dir.resolve("metrics.jsonl"))).hasSize(2);
        assertThat(csvRows(dir)).hasSize(2);
        assertThat(dir.resolve("resolved.conf")).isRegularFile();
    }

    @Test
    void csvIsOnByDefaultAndTensorBoardOff(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        try (PreparedRun run = LPL.runFactory().prepare(config("training.epochs=1"), dir)) {
            run.run(TrainingProgress.NONE);
        }
        assertThat(dir.resolve("metrics.csv")).isRegularFile();
        assertThat(dir.resolve("tensorboard")).doesNotExist();
        try (PreparedRun run = LPL.runFactory().prepare(config("training.epochs=1",
                "training.listener.csv.enabled=false"), tmp.resolve("off"))) {
            run.run(TrainingProgress.NONE);
        }
        assertThat(tmp.resolve("off").resolve("metrics.csv")).doesNotExist();
    }

    private static double cell(Map<String, String> row, String column) {
        assertThat(row).containsKey(column);
        String text = row.get(column);
        return text.isEmpty() ? Double.NaN : Double.parseDouble(text);
    }

    private static List<CSVRecord> csvRows(Path dir) throws Exception {
        try (Reader reader = Files.newBufferedReader(dir.resolve("metrics.csv"));
                CSVParser parser = CSVParser.builder().setReader(reader)
                        .setFormat(CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()).get()) {
            return parser.getRecords();
        }
    }
}
