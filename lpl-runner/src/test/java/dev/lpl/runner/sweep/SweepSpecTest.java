package dev.lpl.runner.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepSpecTest {

    @Test
    void theDefaultGroupingPoolsOnlyOverSeeds() {
        assertThat(SweepSpec.defaultGroupBy(List.of("method.type", "run.seed"))).isEqualTo("method");
        assertThat(SweepSpec.defaultGroupBy(List.of("method.lpl.optimizer.pgd.alpha", "lpl.run.seed", "training.epochs")))
                .isEqualTo("method,method.lpl.optimizer.pgd.alpha,training.epochs");
    }

    @Test
    void aSweepFileWithoutGroupByGetsTheDefault(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.conf");
        Files.writeString(file, "sweep.grid { \"run.seed\" = [1, 2], \"training.epochs\" = [1, 2] }\n");
        assertThat(SweepSpec.read(file).groupBy()).isEqualTo("method,training.epochs");
        Files.writeString(file, "sweep { grid { \"run.seed\" = [1, 2] }, group-by = dataset }\n");
        assertThat(SweepSpec.read(file).groupBy()).isEqualTo("dataset");
    }

    @Test
    void theBundledSweepFilesRead() throws Exception {
        SweepSpec spec = SweepSpec.read(Path.of("..", "examples", "sweeps", "fashion-mnist-lt-ce-vs-lpl.conf"));
        assertThat(spec.grid()).containsOnlyKeys("method.type", "run.seed");
        assertThat(spec.base()).isRegularFile();
        assertThat(spec.groupBy()).isEqualTo("method");
    }
}
