package dev.lpl.methods;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.core.config.Presets;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.contract.Configured;
import dev.lpl.core.train.MethodObjective;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The module's {@code lpl-presets.conf}: every preset passes the strict configuration check and
 * builds its objective exactly as a run does, and the presets expand to the documented settings.
 */
class PresetsTest {

    private static final Set<String> EXPECTED = Set.of("ldam-drw", "ldam-cosine", "ce-drw", "cb-ce", "cb-focal",
            "focal-loss", "la-post-hoc", "lpl-fixed", "lpl-varied", "lpl-lt-cifar10", "lpl-lt-cifar100", "la+lpl",
            "la+lpl-cifar100", "lq", "cb-finetune");

    /** The presets of this module's own file (other modules on the test class path may add more). */
    private static Set<String> ownPresets() throws Exception {
        URL classes = MethodsPlugin.class.getProtectionDomain().getCodeSource().getLocation();
        Config file = ConfigFactory.parseURL(new URL(classes, Presets.RESOURCE));
        return new TreeSet<>(file.getObject("lpl-presets").keySet());
    }

    private static long[] counts(int numClasses) {
        long[] counts = new long[numClasses];
        for (int c = 0; c < numClasses; c++) {
            counts[c] = (long) Math.floor(5000 * Math.pow(100, -c / (double) (numClasses - 1)));
        }
        return counts;
    }

    @Test
    void everyPresetLoadsAndBuildsItsObjective() throws Exception {
        Set<String> names = ownPresets();
        assertThat(names).containsExactlyInAnyOrderElementsOf(EXPECTED);
        Map<String, Presets.Preset> loaded = Presets.load(getClass().getClassLoader()).all();
        Random random = new Random(1);
        for (String name : names) {
            assertThat(loaded).containsKey(name);
            assertThat(loaded.get(name).description()).as(name).isNotBlank().doesNotContain("\n")
                    .matches(".*\\([^()]*(19|20)\\d\\d\\)$");
            RunConfig config = Configured.config("method.type=" + name);
            assertThat(config.config().getString("method.preset")).isEqualTo(name);
            int numClasses = name.endsWith("cifar100") ? 100 : 10;
            try (MethodObjective objective = Configured.objective("method.type=" + name);
                    NDManager manager = NDManager.newBaseManager()) {
                float[] u = new float[128 * numClasses];
                for (int n = 0; n < u.length; n++) {
                    u[n] = (float) random.nextGaussian();
                }
                long[] y = new long[128];
                for (int i = 0; i < 128; i++) {
                    y[i] = i % numClasses;
                }
                NDArray logits = manager.create(u, new Shape(128, numClasses));
                for (int epoch : new int[] {0, 199}) {
                    TrainingView view = new TrainingView(counts(numClasses), epoch, 200, manager);
                    float loss = objective.compute(logits, manager.create(y), view).loss().getFloat();
                    assertThat(Float.isFinite(loss) && loss > 0).as("%s at epoch %d: %s", name, epoch, loss).isTrue();
                }
            }
        }
    }

    @Test
    void presetsExpandToTheirMethods() {
        Config ldamDrw = Configured.config("method.type=ldam-drw").config();
        assertThat(ldamDrw.getString("method.type")).isEqualTo("ldam");
        assertThat(ldamDrw.getString("method.weighting.type")).isEqualTo("deferred");
        assertThat(ldamDrw.getString("model.head")).isEqualTo("cosine");
        assertThat(ldamDrw.getDouble("method.weighting.deferred.start")).isEqualTo(0.8);
        assertThat(ldamDrw.getDouble("method.ldam.scale")).isEqualTo(30.0);

        Config ldam = Configured.config("method.type=ldam-cosine").config();
        assertThat(ldam.getString("model.head")).isEqualTo("cosine");
        assertThat(ldam.getString("method.weighting.type")).isEqualTo("none");

        Config cbFocal = Configured.config("method.type=cb-focal").config();
        assertThat(List.of(cbFocal.getString("method.type"), cbFocal.getString("method.loss.type"),
                cbFocal.getString("method.weighting.type"))).containsExactly("ce", "focal", "class-balanced");
        assertThat(Configured.config("method.type=focal-loss").config().getString("method.weighting.type"))
                .isEqualTo("none");
        assertThat(Configured.config("method.type=ce-drw").config().getString("method.loss.type"))
                .isEqualTo("cross-entropy");
        assertThat(Configured.config("method.type=la-post-hoc").config().getString("method.la.mode"))
                .isEqualTo("post-hoc");

        Config fixed = Configured.config("method.type=lpl-fixed").config();
        assertThat(fixed.getString("method.lpl.split.type")).isEqualTo("mean");
        assertThat(fixed.getString("method.lpl.bound.type")).isEqualTo("fixed");
        assertThat(fixed.getDouble("method.lpl.bound.fixed.epsilon")).isEqualTo(0.1);
        assertThat(fixed.getDouble("method.lpl.optimizer.pgd.alpha")).isEqualTo(0.005);

        Config varied = Configured.config("method.type=lpl-varied").config();
        assertThat(varied.getString("method.lpl.bound.type")).isEqualTo("varied-balanced");
        assertThat(varied.getDouble("method.lpl.bound.varied-balanced.epsilon")).isEqualTo(0.8);
        assertThat(varied.getDouble("method.lpl.bound.varied-balanced.delta-epsilon")).isEqualTo(0.08);
        assertThat(varied.getDouble("method.lpl.optimizer.pgd.alpha")).isEqualTo(0.01);

        Config lt100 = Configured.config("method.type=lpl-lt-cifar100").config();
        assertThat(lt100.getInt("method.lpl.split.fixed-index.tau")).isEqualTo(40);
        assertThat(lt100.getDouble("method.lpl.bound.varied-longtail.delta-epsilon-head")).isEqualTo(0.08);
        assertThat(lt100.getDouble("method.lpl.bound.varied-longtail.delta-epsilon-tail")).isEqualTo(0.4);
        assertThat(lt100.getDouble("method.lpl.logit-adjustment")).isZero();

        Config laLpl = Configured.config("method.type=la+lpl").config();
        assertThat(laLpl.getString("method.type")).isEqualTo("lpl");
        assertThat(laLpl.getDouble("method.lpl.logit-adjustment")).isEqualTo(1.0);
        // derived: the 10-class LPL row (lpl-lt-cifar10) plus the log-prior shift
        Config lt10 = Configured.config("method.type=lpl-lt-cifar10").config();
        for (String key : new String[] {"method.lpl.split", "method.lpl.bound", "method.lpl.optimizer"}) {
            assertThat(laLpl.getConfig(key)).as(key).isEqualTo(lt10.getConfig(key));
        }
        assertThat(laLpl.getInt("method.lpl.split.fixed-index.tau")).isEqualTo(4);
        assertThat(laLpl.getDouble("method.lpl.optimizer.pgd.alpha")).isEqualTo(0.15);
        assertThat(laLpl.getString("model.head")).isEqualTo("auto");

        Config lq = Configured.config("method.type=lq").config();
        assertThat(lq.getString("method.type")).isEqualTo("ce");
        assertThat(lq.getString("method.loss.type")).isEqualTo("lq");
        Config finetune = Configured.config("method.type=cb-finetune").config();
        assertThat(finetune.getString("method.type")).isEqualTo("ce");
        assertThat(finetune.getDouble("training.finetune.start")).isEqualTo(0.9);
        assertThat(finetune.getDouble("training.finetune.learning-rate")).isEqualTo(0.001);
    }

    @Test
    void focalIsAnAliasOfTheFocalLossPreset() {
        Config alias = Configured.config("method.type=focal").config();
        Config preset = Configured.config("method.type=focal-loss").config();
        assertThat(alias.getString("method.type")).isEqualTo("ce");
        assertThat(alias.getString("method.loss.type")).isEqualTo("focal");
        assertThat(alias.getString("method.preset")).isEqualTo("focal-loss");
        assertThat(alias.root().unwrapped()).isEqualTo(preset.root().unwrapped());
    }

    @Test
    void keysTheUserSetsWinOverThePreset() {
        Config config = Configured.config("method.type=la+lpl", "method.lpl.split.fixed-index.tau=27",
                "model.head=cosine").config();
        assertThat(config.getInt("method.lpl.split.fixed-index.tau")).isEqualTo(27);
        assertThat(config.getDouble("method.lpl.logit-adjustment")).isEqualTo(1.0);
        assertThat(Configured.config("method.type=ldam-drw", "method.weighting.deferred.start-epoch=100")
                .config().getInt("method.weighting.deferred.start-epoch")).isEqualTo(100);
    }
}
