package dev.lpl.runner.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lpl.api.LplException;
import dev.lpl.core.config.ResultKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a run's recorded configuration, the refusal's wording and moving a run aside. */
class CellCheckTest {

    private static final Path ROOT = Path.of("runs/x");

    private static SweepRun cell(String name) {
        return new SweepRun(name, List.of(), ROOT.resolve(name));
    }

    private static final ResultKeys.Difference EPOCHS = new ResultKeys.Difference("training.epochs", "1", "2");

    @Test
    void oneChangedCellIsNamedWithItsKeysAndTheTwoWaysOn() {
        assertThat(CellCheck.refusal(List.of(new CellCheck.Changed(cell("ce-seed1"), "completed", List.of(EPOCHS))),
                ROOT)).isEqualTo("sweep cell ce-seed1 (runs/x/ce-seed1) was completed with another configuration:"
                + " training.epochs (1 → 2); rerun it with --rerun-changed (the old run is moved to"
                + " runs/x/.replaced/ce-seed1-<timestamp>) or restore the old setting");
    }

    @Test
    void cellsWithTheSameChangeAreNamedTogether() {
        ResultKeys.Difference lr = new ResultKeys.Difference("training.learning-rate", "0.1", "0.05");
        String message = CellCheck.refusal(List.of(
                new CellCheck.Changed(cell("a"), "completed", List.of(EPOCHS)),
                new CellCheck.Changed(cell("b"), "completed", List.of(EPOCHS)),
                new CellCheck.Changed(cell("c"), "resumable", List.of(EPOCHS, lr))), ROOT);
        assertThat(message).isEqualTo("3 sweep cells in runs/x hold runs of another configuration: sweep cells a, b"
                + " were completed with another configuration: training.epochs (1 → 2); cell c was started (not"
                + " finished; not resumed) with another configuration: training.epochs (1 → 2),"
                + " training.learning-rate (0.1 → 0.05); rerun them with --rerun-changed (the old runs are moved to"
                + " runs/x/.replaced/NAME-<timestamp>) or restore the old settings");
    }

    @Test
    void theRecordedConfigurationIsTheManifestsElseResolvedConf(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("resolved.conf"), "training { epochs = 3 }\nrun { name = x, seed = 1 }\n");
        assertThat(CellCheck.recorded(dir).values()).containsEntry("training.epochs", "3")
                .containsEntry("run.seed", "1").doesNotContainKey("run.name");
        assertThat(CellCheck.recordedFingerprint(dir)).isEmpty();
        Files.writeString(dir.resolve("manifest.json"), "{\"result_fingerprint\": \"ab12\","
                + " \"config\": {\"training\": {\"epochs\": 2}}}");
        assertThat(CellCheck.recorded(dir).values()).containsExactly(java.util.Map.entry("training.epochs", "2"));
        assertThat(CellCheck.recordedFingerprint(dir)).isEqualTo("ab12");
        Files.writeString(dir.resolve("manifest.json"), "{\"config\": {\"training\": {\"epo");
        assertThat(CellCheck.recorded(dir).values()).containsEntry("training.epochs", "3");
        Files.writeString(dir.resolve("resolved.conf"), "training { epochs = ");
        assertThatThrownBy(() -> CellCheck.recorded(dir)).isInstanceOf(LplException.class)
                .hasMessageContaining("cannot tell which configuration the run in " + dir + " used");
    }

    @Test
    void aChangedRunIsMovedAsideNeverOverOtherRuns(@TempDir Path dir) throws Exception {
        SweepRun run = new SweepRun("cell", List.of(), dir.resolve("cell"));
        for (int i = 0; i < 2; i++) {
            Files.createDirectories(run.directory());
            Files.writeString(run.directory().resolve("summary.json"), "{\"n\": " + i + "}");
            Path to = CellCheck.moveAside(run, dir, "20260101-000000");
            assertThat(to).isEqualTo(dir.resolve(".replaced/cell-20260101-000000" + (i == 0 ? "" : "-2")));
            assertThat(to.resolve("summary.json")).hasContent("{\"n\": " + i + "}");
            assertThat(run.directory()).doesNotExist();
        }
    }

    @Test
    void aRetriedFailedRunTakesItsLogAlong(@TempDir Path dir) throws Exception {
        SweepRun run = new SweepRun("cell", List.of(), dir.resolve("cell"));
        Files.createDirectories(run.directory());
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve("logs/cell.log"), "epoch 1/2 ...\n");
        Path to = CellCheck.moveAside(run, dir, "failed-20260101-000000");
        assertThat(to).isEqualTo(dir.resolve(".replaced/cell-failed-20260101-000000"));
        assertThat(to.resolve("sweep-task.log")).hasContent("epoch 1/2 ...");
        assertThat(dir.resolve("logs/cell.log")).doesNotExist();
        try (var entries = Files.list(dir)) { // nothing left that lpl compare DIR would read as a run
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(".replaced", "logs");
        }
    }
}
