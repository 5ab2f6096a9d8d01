package dev.lpl.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lpl.api.LplException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointChoiceTest {

    private static Path run(Path dir, String selection, String... checkpoints) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("resolved.conf"), "lpl {}\n");
        Files.writeString(dir.resolve("summary.json"), selection == null ? "{\"status\": \"completed\"}"
                : "{\"status\": \"completed\", \"selection\": \"" + selection + "\"}");
        for (String name : checkpoints) {
            Path c = Files.createDirectories(dir.resolve("checkpoints").resolve(name));
            Files.writeString(c.resolve("state.json"), "{\"epoch\": 1}");
        }
        return dir;
    }

    @Test
    void bestOnlyWithAValidationSplitElseTheLatest(@TempDir Path dir) throws Exception {
        Path validated = run(dir.resolve("v"), "validation", "epoch-0001", "epoch-0002", "best");
        assertThat(CheckpointChoice.of(validated, null).checkpoint()).isEqualTo(validated.resolve("checkpoints/best"));
        assertThat(CheckpointChoice.of(validated, null).how()).isEqualTo("best, selected on validation balanced accuracy");
        Path plain = run(dir.resolve("p"), "final", "epoch-0001", "epoch-0002", "best");
        assertThat(CheckpointChoice.of(plain, null).checkpoint()).isEqualTo(plain.resolve("checkpoints/epoch-0002"));
        assertThat(CheckpointChoice.of(plain, null).how()).isEqualTo("latest: the run has no validation split");
        Path older = run(dir.resolve("o"), null, "epoch-0001", "best");
        assertThat(CheckpointChoice.of(older, null).checkpoint()).isEqualTo(older.resolve("checkpoints/epoch-0001"));
        assertThat(CheckpointChoice.of(plain, "best").checkpoint()).isEqualTo(plain.resolve("checkpoints/best"));
        Path named = plain.resolve("checkpoints/epoch-0001");
        assertThat(CheckpointChoice.of(named, null).runDirectory()).isEqualTo(plain.toAbsolutePath().normalize());
    }

    @Test
    void aMissingCheckpointListsTheAvailableOnes(@TempDir Path dir) throws Exception {
        Path plain = run(dir.resolve("p"), "final", "epoch-0001");
        assertThatThrownBy(() -> CheckpointChoice.of(plain, "best")).isInstanceOf(LplException.class)
                .hasMessage("checkpoint best does not exist in " + plain + " (the run has no validation split, so no"
                        + " best checkpoint was selected); available: latest, epoch-0001");
        assertThatThrownBy(() -> CheckpointChoice.of(dir, null)).isInstanceOf(LplException.class)
                .hasMessageStartingWith(dir + " is not an lpl run directory (no resolved.conf)");
        Path empty = run(dir.resolve("e"), "final");
        assertThatThrownBy(() -> CheckpointChoice.of(empty, null)).isInstanceOf(LplException.class)
                .hasMessageStartingWith(empty + " has no checkpoint yet");
    }
}
