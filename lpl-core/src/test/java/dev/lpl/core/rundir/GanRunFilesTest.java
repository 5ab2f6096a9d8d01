package dev.lpl.core.rundir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lpl.core.run.Json;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GAN side of the run directory's schema ({@link GanMetricsLine}, {@link GanSummary}, GAN
 * manifests): the records survive a write and a read, and the files GAN runs wrote before the schema
 * existed (captured from tiny {@code lpl gan train} runs into {@code gan-before-schema/}: a cGAN
 * without class head, an infoGAN with codes, an ACGAN with an evaluator, an ACGAN stopped mid-epoch)
 * read and write back as they were. Metrics lines and summaries without {@code stopped_at} come back
 * to the character; summaries with it and manifests come back equal as JSON, since the old writer's
 * {@code Map.of} put a few small objects' keys ({@code seeds}, {@code stopped_at}, {@code evaluator})
 * in an order that changed from JVM to JVM, which the records now fix.
 */
class GanRunFilesTest {

    private static final String NL = System.lineSeparator();
    private static final List<String> RUNS = List.of("cgan", "infogan", "acgan-evaluated", "acgan-stopped");

    private static Path before(String run) throws URISyntaxException {
        return Path.of(GanRunFilesTest.class.getResource("gan-before-schema/" + run).toURI());
    }

    private static GanMetricsLine line(int epoch, boolean classHead, boolean tested) {
        return new GanMetricsLine(epoch, 3, 1.38, 0.70, 0.27, 0.94, classHead ? 0.33 : null,
                classHead ? null : 0.32, tested ? 0.5 : null, tested ? List.of(0.0, Double.NaN) : null, 48L, 3L,
                0.075, 0.082, epoch == 3 ? Map.of("newer_field", "x") : null);
    }

    private static GanSummary summary(RunStatus status, GanMetricsLine last) {
        boolean stopped = status == RunStatus.STOPPED;
        return new GanSummary("g1", Manifest.GAN, status, stopped ? new Summary.StoppedAt(2, 1) : null,
                stopped ? "checkpoints/epoch-0001-batch-00001" : null,
                status == RunStatus.FAILED ? "non-finite loss at epoch 2, batch 1" : null, "acgan", "tiny",
                last == null ? 0 : last.epoch(), 3, last, last == null ? null : "samples/epoch-0001.png",
                last == null ? null : "checkpoints/epoch-0001/generator.npz");
    }

    /** Nulls a written line has where a read one has {@code NaN}: the text is the same. */
    private static GanMetricsLine asRead(GanMetricsLine line) {
        return RunFiles.fromTree(RunFiles.tree(line), GanMetricsLine.class);
    }

    @Test
    void everyGanRecordSurvivesAWriteAndARead(@TempDir Path dir) throws Exception {
        List<GanMetricsLine> lines = List.of(line(1, true, false), line(2, false, true), line(3, true, true));
        StringBuilder text = new StringBuilder();
        for (GanMetricsLine line : lines) {
            text.append(RunFiles.ganMetricsLineText(line)).append('\n');
        }
        Files.writeString(dir.resolve(RunFiles.METRICS), text);
        List<GanMetricsLine> read = RunFiles.readGanMetrics(dir);
        assertThat(read).containsExactlyElementsOf(lines.stream().map(GanRunFilesTest::asRead).toList());
        assertThat(read.get(1).dClassAccuracy()).isNaN(); // written as null: no class head
        assertThat(read.get(0).ganTestBalancedAccuracy()).isNaN();
        assertThat(read.get(0).ganTested()).isFalse();
        assertThat(read.get(1).ganTested()).isTrue();
        assertThat(read.get(2).other()).containsEntry("newer_field", "x");
        assertThat(read.get(0).infoLoss()).isNull(); // absent: no latent codes
        assertThat(RunFiles.parseGanMetricsLine(RunFiles.ganMetricsLineText(lines.get(2)))).isEqualTo(read.get(2));
        for (RunStatus status : List.of(RunStatus.RUNNING, RunStatus.COMPLETED, RunStatus.STOPPED, RunStatus.FAILED)) {
            GanSummary summary = summary(status, status == RunStatus.FAILED ? null : line(1, true, true));
            Files.writeString(dir.resolve(RunFiles.SUMMARY), RunFiles.ganSummaryText(summary));
            GanSummary back = RunFiles.readGanSummary(dir);
            assertThat(back).as(status.text()).isEqualTo(new GanSummary(summary.run(), summary.kind(),
                    summary.status(), summary.stoppedAt(), summary.checkpoint(), summary.reason(), summary.gan(),
                    summary.dataset(), summary.epochsCompleted(), summary.epochs(),
                    summary.last() == null ? null : asRead(summary.last()), summary.samples(), summary.generator()));
            assertThat(RunFiles.ganSummaryText(back)).isEqualTo(RunFiles.ganSummaryText(summary));
        }
    }

    @Test
    void ganMetricsLinesWrittenBeforeTheSchemaWriteBackToTheCharacter() throws Exception {
        for (String run : RUNS) {
            List<String> old = Files.readAllLines(before(run).resolve(RunFiles.METRICS));
            List<GanMetricsLine> read = RunFiles.readGanMetrics(before(run));
            assertThat(read).as(run).hasSize(old.size());
            for (int i = 0; i < old.size(); i++) {
                assertThat(RunFiles.ganMetricsLineText(read.get(i))).as(run + " line " + (i + 1)).isEqualTo(old.get(i));
            }
        }
        GanMetricsLine cgan = RunFiles.readGanMetrics(before("cgan")).get(1);
        assertThat(cgan.epoch()).isEqualTo(2);
        assertThat(cgan.dClassAccuracy()).isNaN();
        assertThat(cgan.infoLoss()).isNull();
        assertThat(cgan.ganTestPerClassAccuracy()).isNull();
        assertThat(RunFiles.readGanMetrics(before("infogan")).get(0).infoLoss()).isPositive();
        GanMetricsLine tested = RunFiles.readGanMetrics(before("acgan-evaluated")).get(1);
        assertThat(tested.ganTestPerClassAccuracy()).hasSize(2);
        assertThat(tested.ganTested()).isTrue();
    }

    @Test
    void ganSummariesWrittenBeforeTheSchemaWriteBackAsTheyWere() throws Exception {
        for (String run : RUNS) {
            String old = Files.readString(before(run).resolve(RunFiles.SUMMARY));
            GanSummary read = RunFiles.readGanSummary(before(run));
            String text = RunFiles.ganSummaryText(read);
            assertThat(Json.mapper().readTree(text)).as(run).isEqualTo(Json.mapper().readTree(old));
            if (read.stoppedAt() == null) {
                assertThat(text).as(run).isEqualTo(old);
            }
            assertThat(read.kind()).isEqualTo(Manifest.GAN);
            // a summary's final line is the run's last metrics line
            List<GanMetricsLine> lines = RunFiles.readGanMetrics(before(run));
            assertThat(read.last()).as(run).isEqualTo(lines.get(lines.size() - 1));
        }
        GanSummary stopped = RunFiles.readGanSummary(before("acgan-stopped"));
        assertThat(stopped.status()).isEqualTo(RunStatus.STOPPED);
        assertThat(stopped.stoppedAt()).isEqualTo(new Summary.StoppedAt(2, 1));
        assertThat(stopped.checkpoint()).isEqualTo("checkpoints/epoch-0001-batch-00001");
        assertThat(RunFiles.readGanSummary(before("cgan")).status()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void ganManifestsWrittenBeforeTheSchemaWriteBackWithoutAValidationBlock() throws Exception {
        for (String run : List.of("cgan", "acgan-evaluated")) {
            String old = Files.readString(before(run).resolve(RunFiles.MANIFEST));
            Manifest read = RunFiles.readManifest(before(run));
            assertThat(read.isGan()).isTrue();
            String text = RunFiles.manifestText(read);
            assertThat(Json.mapper().readTree(text)).as(run).isEqualTo(Json.mapper().readTree(old));
            assertThat(Json.mapper().readTree(text).get("dataset").has("validation")).as(run).isFalse();
        }
        assertThat(RunFiles.readManifest(before("acgan-evaluated")).evaluator().model()).isEqualTo("tiny-mlp");
    }

    @Test
    void aGanManifestWithANullValidationReadsAndAClassifierManifestKeepsItsNull(@TempDir Path dir)
            throws Exception {
        ObjectNode old = (ObjectNode) Json.mapper().readTree(before("cgan").resolve(RunFiles.MANIFEST).toFile());
        ((ObjectNode) old.get("dataset")).putNull("validation");
        Files.writeString(dir.resolve(RunFiles.MANIFEST), Json.pretty(old));
        Manifest read = RunFiles.readManifest(dir);
        assertThat(read.dataset().validation()).isNull();
        assertThat(Json.mapper().readTree(RunFiles.manifestText(read)).get("dataset").has("validation")).isFalse();
        Manifest classifier = new Manifest(null, read.run(), read.created(), read.versions(), null, read.host(),
                read.device(), read.seeds(), read.dataset(), "identity", null, null, null, null, null, null, null);
        assertThat(RunFiles.manifestText(classifier)).contains("\"validation\" : null," + NL);
    }

    @Test
    void checkpointHistoriesWrittenBeforeTheSchemaWriteBackAsTheyWere() throws Exception {
        for (String run : List.of("cgan", "acgan-stopped")) {
            Path file = before(run).resolve("state.json");
            JsonNode state = Json.mapper().readTree(file.toFile());
            List<JsonNode> history = new ArrayList<>();
            state.get("history").forEach(node -> history.add(
                    RunFiles.tree(RunFiles.fromTree(node, GanMetricsLine.class))));
            ((ObjectNode) state).set("history", Json.mapper().valueToTree(history));
            assertThat(Json.pretty(state)).as(run).isEqualTo(Files.readString(file));
        }
    }
}
