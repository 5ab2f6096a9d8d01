package dev.lpl.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResultKeysTest {

    private static final String BASE = """
            run { name = a, seed = 1, output-root = runs }
            data {
              type = synthetic, path = null, cache-dir = null, prefetch = 4, eval-batch-size = 128, batch-size = 128
              synthetic { imbalance-ratio = 100 }
              fashion-mnist { download = true, url = "http://x/", md5 { a = b } }
              long-tail { profile = none, ratio = 100 }
              augment { flip = true }
            }
            method {
              type = ce
              ce {}
              lpl { split { type = mean, mean { x = 1 }, fixed-index { tau = auto } }, detach = true }
              loss { type = cross-entropy, focal { gamma = 1.0 } }
              weighting { type = none }
            }
            training {
              epochs = 2, threads = 0, backend = auto, backends { auto {} }
              checkpoint { every = 1, keep-last = 2 }
              finetune { start = null, learning-rate = 0.001 }
              listeners = [], listener {}
            }
            """;

    private static ResultKeys keys(String overrides) {
        Config config = ConfigFactory.parseString(overrides).withFallback(ConfigFactory.parseString(BASE)).resolve();
        return ResultKeys.of(config);
    }

    @Test
    void keepsWhatChangesAResultAndDropsBookkeepingAndUnselectedChoices() {
        assertThat(keys("").values()).containsOnlyKeys(
                "run.seed", "data.type", "data.batch-size", "data.synthetic.imbalance-ratio",
                "data.long-tail.profile", "data.augment.flip", "method.type", "method.loss.type",
                "method.weighting.type", "training.epochs", "training.finetune.start");
    }

    @Test
    void aSelectedMethodBringsItsOwnKeysAndItsNestedChoice() {
        assertThat(keys("method.type = lpl").values())
                .containsEntry("method.lpl.split.type", "mean")
                .containsEntry("method.lpl.split.mean.x", "1")
                .containsEntry("method.lpl.detach", "true")
                .doesNotContainKey("method.lpl.split.fixed-index.tau");
    }

    @Test
    void initFromIsAResultKeyOnlyWhenItNamesAFile() {
        assertThat(keys("model { type = small-cnn, init-from = null }").values()).doesNotContainKey("model.init-from")
                .isEqualTo(keys("model { type = small-cnn }").values());
        assertThat(keys("model { type = small-cnn, init-from = \"w.safetensors\" }").values())
                .containsEntry("model.init-from", "w.safetensors");
        assertThat(keys("model { type = small-cnn, init-from = null, init-from-parts = features },"
                + " training.freeze = none").values()).isEqualTo(keys("model { type = small-cnn }").values());
        assertThat(keys("model { type = small-cnn, init-from = w, init-from-parts = features },"
                + " training.freeze = features").values())
                .containsEntry("model.init-from-parts", "features").containsEntry("training.freeze", "features");
        assertThat(keys("model { type = small-cnn, class-scale = false }").values())
                .isEqualTo(keys("model { type = small-cnn }").values());
        assertThat(keys("model { type = small-cnn, init-from = w, class-scale = true },"
                + " training.freeze = all-but-scale").values())
                .containsEntry("model.class-scale", "true").containsEntry("training.freeze", "all-but-scale")
                .doesNotContainKey("model.init-from-parts");
    }

    @Test
    void inertSettingsAppearOnlyWhenTheyAct() {
        assertThat(keys("data.long-tail.profile = exponential, training.finetune.start = 0.9").values())
                .containsEntry("data.long-tail.ratio", "100")
                .containsEntry("training.finetune.learning-rate", "0.001");
    }

    @Test
    void differencesNameEveryChangedKeyAndNumbersCompareByValue() {
        ResultKeys one = keys("training.epochs = 1, training.threads = 2, training.channels-last = false, run.name = x");
        ResultKeys two = keys("training.epochs = 2, training.threads = 1, run.name = y");
        assertThat(one.differences(two)).extracting(Object::toString).containsExactly("training.epochs (1 → 2)");
        assertThat(keys("data.synthetic.imbalance-ratio = 100.0")).isEqualTo(keys(""));
        assertThat(keys("method.type = lpl").differences(keys(""))).extracting(ResultKeys.Difference::key)
                .contains("method.type", "method.lpl.detach");
        assertThat(one.fingerprint()).isNotEqualTo(two.fingerprint()).hasSize(64);
        assertThat(one.without(Set.of("training")).fingerprint()).isEqualTo(two.without(Set.of("training")).fingerprint());
    }

    @Test
    void listsAreCanonical() {
        assertThat(keys("training.milestones = [80, 90.0]").values()).containsEntry("training.milestones", "[80, 90]");
        assertThat(keys("").without(Set.of("run.seed")).values()).doesNotContainKey("run.seed");
        assertThat(List.of(keys("").fingerprint())).doesNotContain(keys("run.seed = 2").fingerprint());
    }

    @Test
    void noValidationSetIsTheExperimentOfRunsWrittenBeforeTheSplitExisted() {
        ResultKeys before = keys(""); // no data.validation block at all
        ResultKeys none = keys("data.validation { per-class = 0, fraction = null, indices-file = null }");
        assertThat(none).isEqualTo(before);
        assertThat(keys("data.validation { per-class = 50, fraction = null, indices-file = null }").values())
                .containsEntry("data.validation.per-class", "50");
        assertThat(keys("data.validation { per-class = 0, fraction = 0.1, indices-file = null }").values())
                .containsEntry("data.validation.fraction", "0.1");
    }
}
