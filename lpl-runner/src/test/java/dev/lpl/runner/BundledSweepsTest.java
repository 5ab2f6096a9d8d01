package dev.lpl.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lpl.core.Bootstrap;
import dev.lpl.core.config.ResultKeys;
import dev.lpl.core.config.RunConfig;
import dev.lpl.runner.sweep.SweepRun;
import dev.lpl.runner.sweep.SweepSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sweeps bundled in {@code presets/sweeps/}: each reads from the class path, every cell passes
 * the strict configuration check and builds its method, and the cells that two sweeps share (same
 * output root, same name) are the same experiment, so that they run once.
 */
class BundledSweepsTest {

    @Test
    void everyBundledSweepIsValidAndSharedCellsAreTheSameExperiment() {
        List<ExperimentPresets.Preset> bundled = ExperimentPresets.bundledSweeps().all();
        assertThat(bundled).extracting(ExperimentPresets.Preset::name)
                .contains("fashion-mnist-lt-la-lpl", "fashion-mnist-lt-lpl-ablation");
        Bootstrap lpl = Bootstrap.start(List.of());
        Map<Path, ResultKeys> cells = new HashMap<>();
        for (ExperimentPresets.Preset preset : bundled) {
            SweepSpec sweep = SweepCommand.readSweep(Path.of(preset.name()));
            assertThat(sweep.base()).isNull();
            assertThat(sweep.groupBy()).isEqualTo("label");
            for (SweepRun run : sweep.runs()) {
                List<String> sets = new ArrayList<>(sweep.fixed());
                sets.addAll(run.overrides());
                RunConfig config = lpl.configLoader().load(null, sets);
                assertThat(lpl.runFactory().perturbation(config.settings())).as(run.name()).isNotNull();
                assertThat(config.config().getString("data.type")).isEqualTo("fashion-mnist");
                assertThat(config.config().getInt("training.epochs")).isEqualTo(8);
                ResultKeys keys = ResultKeys.of(config.config());
                ResultKeys other = cells.putIfAbsent(run.directory(), keys);
                if (other != null) {
                    assertThat(keys.values()).as("shared cell " + run.name()).isEqualTo(other.values());
                }
            }
        }
        SweepSpec ablation = SweepCommand.readSweep(Path.of("fashion-mnist-lt-lpl-ablation"));
        assertThat(ablation.runs()).hasSize(42);
        assertThat(ablation.variants().keySet()).startsWith("ce", "la", "lpl", "split-mean");
        assertThat(SweepCommand.readSweep(Path.of("fashion-mnist-lt-la-lpl")).runs()).hasSize(12);
    }

    @Test
    void theLaLplSweepComparesThePresetWithItsFormerConstants() {
        Bootstrap lpl = Bootstrap.start(List.of());
        SweepSpec sweep = SweepCommand.readSweep(Path.of("fashion-mnist-lt-la-lpl.conf"));
        Map<String, RunConfig> byLabel = new HashMap<>();
        for (SweepRun run : sweep.runs()) {
            List<String> sets = new ArrayList<>(sweep.fixed());
            sets.addAll(run.overrides());
            RunConfig config = lpl.configLoader().load(null, sets);
            byLabel.put(config.config().getString("run.label"), config);
        }
        assertThat(byLabel).containsOnlyKeys("la", "lpl", "la+lpl", "la+lpl-c100-constants");
        var former = byLabel.get("la+lpl-c100-constants").config().getConfig("method.lpl");
        assertThat(former.getInt("split.fixed-index.tau")).isEqualTo(3);
        assertThat(former.getDouble("optimizer.pgd.alpha")).isEqualTo(0.2);
        assertThat(former.getDouble("bound.varied-longtail.delta-epsilon-tail")).isEqualTo(10.0);
        assertThat(former.getDouble("logit-adjustment")).isEqualTo(1.0);
        var derived = byLabel.get("la+lpl").config().getConfig("method.lpl");
        assertThat(derived.getDouble("optimizer.pgd.alpha")).isEqualTo(0.15);
        assertThat(derived.getDouble("logit-adjustment")).isEqualTo(1.0);
    }
}
