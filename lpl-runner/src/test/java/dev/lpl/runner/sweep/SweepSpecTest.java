package dev.lpl.runner.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lpl.api.LplException;

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

    @Test
    void variantsAreCrossedWithTheGridInTheOrderWrittenAndLabelTheirRuns(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ablation.conf");
        Files.writeString(file, """
                sweep {
                  set { training.epochs = 2 }
                  variants {
                    ce { method.type = ce }
                    "alpha-0.3" { method.type = lpl, method.lpl.optimizer.pgd { alpha = 0.3 } }
                    "la+lpl" { method.type = "la+lpl" }
                  }
                  grid { "run.seed" = [1, 2] }
                }
                """);
        SweepSpec spec = SweepSpec.read(file);
        assertThat(spec.variants()).containsOnlyKeys("ce", "alpha-0.3", "la+lpl");
        assertThat(spec.groupBy()).isEqualTo("label");
        List<SweepRun> runs = spec.runs();
        assertThat(runs).extracting(SweepRun::name).containsExactly(
                "ce_seed-1", "ce_seed-2", "alpha-0.3_seed-1", "alpha-0.3_seed-2", "la+lpl_seed-1", "la+lpl_seed-2");
        assertThat(runs.get(2).overrides()).containsExactly(
                "method.type=lpl", "method.lpl.optimizer.pgd.alpha=0.3", "run.label=alpha-0.3", "run.seed=1");
        assertThat(runs.get(4).directory()).isEqualTo(spec.outputRoot().resolve("la+lpl_seed-1"));
        assertThat(spec.fixed()).containsExactly("training.epochs=2");
    }

    @Test
    void variantsAloneNeedNoGridAndOtherGridKeysJoinTheGrouping(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.conf");
        Files.writeString(file, "sweep.variants { a { training.epochs = 1 }, b { training.epochs = 2 } }\n");
        assertThat(SweepSpec.read(file).runs()).extracting(SweepRun::name).containsExactly("a", "b");
        Files.writeString(file, "sweep { variants { a { method.type = ce } }, grid { \"run.seed\" = [1], "
                + "\"data.long-tail.ratio\" = [10, 100] } }\n");
        assertThat(SweepSpec.read(file).groupBy()).isEqualTo("label,data.long-tail.ratio");
    }

    @Test
    void badVariantsAreRefusedNamingTheFix(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.conf");
        Files.writeString(file, "sweep { variants { a { run.seed = 1 } }, grid { \"run.seed\" = [1, 2] } }\n");
        assertThatThrownBy(() -> SweepSpec.read(file)).isInstanceOf(LplException.class)
                .hasMessage("sweep file " + file + ": run.seed is set by variant a and varied by the grid; keep it in one of them");
        Files.writeString(file, "sweep.variants { a { run.label = x } }\n");
        assertThatThrownBy(() -> SweepSpec.read(file)).hasMessageContaining("sets run.label, which a variant's runs get from its name");
        Files.writeString(file, "sweep.variants { alpha-0.05 { method.type = lpl } }\n");
        assertThatThrownBy(() -> SweepSpec.read(file)).hasMessageContaining("sweep.variants.alpha-0 sets 05.method.type,"
                + " which is no configuration key; a variant name holding a dot must be quoted, e.g. \"alpha-0.05\" { ... }");
        Files.writeString(file, "sweep.variants { a = 1 }\n");
        assertThatThrownBy(() -> SweepSpec.read(file)).hasMessageContaining("sweep.variants.a must be a non-empty block of keys");
        Files.writeString(file, "sweep.variant { a { method.type = ce } }\n");
        assertThatThrownBy(() -> SweepSpec.read(file)).hasMessageContaining("unknown key sweep.variant; did you mean sweep.variants?");
        Files.writeString(file, "sweep.set { training.epochs = 1 }\n");
        assertThatThrownBy(() -> SweepSpec.read(file)).hasMessageContaining("needs a non-empty sweep.grid");
    }
}
