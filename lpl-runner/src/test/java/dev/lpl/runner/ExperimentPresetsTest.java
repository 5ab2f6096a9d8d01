package dev.lpl.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.api.model.HeadType;
import dev.lpl.api.training.LearningRateSchedule;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.plugin.PluginKind;
import dev.lpl.core.train.MethodObjective;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundled experiment presets: every one passes the strict check and builds its method,
 * optimizer, schedule and network (not its dataset: that needs the CIFAR files); the recipes hold
 * the paper's numbers; {@code -c NAME} finds them.
 */
class ExperimentPresetsTest {

    private static Bootstrap lpl;
    private static final ExperimentPresets PRESETS = ExperimentPresets.bundled();

    @BeforeAll
    static void start() {
        lpl = Bootstrap.start(List.of());
    }

    private static RunConfig load(String name, String... overrides) {
        return PRESETS.load(lpl.configLoader(), Path.of(name), List.of(overrides));
    }

    @Test
    void theBundledPresetsAreExactlyTheFilesOfThePresetsDirectory() throws Exception {
        List<String> files;
        try (Stream<Path> s = Files.list(Path.of("..", "presets"))) {
            files = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".conf"))
                    .map(n -> n.substring(0, n.length() - 5))
                    .sorted()
                    .toList();
        }
        assertThat(PRESETS.all()).extracting(ExperimentPresets.Preset::name).containsExactlyElementsOf(files);
        assertThat(files).hasSize(98);
        for (ExperimentPresets.Preset p : PRESETS.all()) {
            assertThat(p.name()).matches("cifar(10|100)-[a-z0-9-]+");
            assertThat(p.description()).as(p.name()).startsWith("CIFAR-").doesNotContain("\n");
            assertThat(p.resource()).isEqualTo("presets/" + p.name() + ".conf");
        }
    }

    @Test
    void everyPresetPassesTheStrictCheckAndBuildsItsMethodOptimizerScheduleAndNetwork() {
        Map<String, Long> counted = new HashMap<>();
        Engine engine = Engine.getInstance();
        for (ExperimentPresets.Preset preset : PRESETS.all()) {
            RunConfig config = load(preset.name());
            Settings root = config.settings();
            String dataset = root.getString("data.type");
            assertThat(dataset).as(preset.name()).isIn("cifar10", "cifar100");
            assertThat(preset.name()).startsWith(dataset + "-");
            if (lpl.registry().all(PluginKind.DATASET).containsKey(dataset)) {
                lpl.registry().get(PluginKind.DATASET, dataset, "data.type");
            }
            try (MethodObjective objective = lpl.runFactory().method(root)) {
                assertThat(objective).as(preset.name()).isNotNull();
            }
            assertThat(lpl.runFactory().weightOptimizer(root)).isNotNull();
            LearningRateSchedule schedule = schedule(root);
            assertThat(schedule.factor(0, 0, root.getInt("training.epochs"))).isPositive();
            int classes = dataset.equals("cifar10") ? 10 : 100;
            String model = root.getString("model.type");
            HeadType head = lpl.runFactory().head(root);
            String key = config.config().getConfig("model").root().render(ConfigRenderOptions.concise()) + head
                    + classes;
            long count = counted.computeIfAbsent(key, k -> {
                try (NDManager manager = engine.newBaseManager()) {
                    ClassifierBlock block = lpl.runFactory().model(root, 3, 32, 32, classes, manager);
                    return block.trainableParameterCount();
                }
            });
            assertThat(count).as(preset.name()).isEqualTo(expectedCount(model, head, classes));
        }
        // for 10 and 100 classes: resnet32 linear, cosine, with dropout; resnet110 linear, bias-free linear,
        // with dropout; wrn-28-10 linear, bias-free linear
        assertThat(counted).hasSize(16);
    }

    private static long expectedCount(String model, HeadType head, int classes) {
        long linear = switch (model + "/" + classes) {
            case "resnet32/10" -> 464_154L;
            case "resnet32/100" -> 470_004L;
            case "resnet110/10" -> 1_730_714L; // option B
            case "resnet110/100" -> 1_736_564L;
            case "wrn-28-10/10" -> 36_479_194L;
            case "wrn-28-10/100" -> 36_536_884L;
            default -> throw new AssertionError(model + "/" + classes);
        };
        // the cosine and the bias-free linear heads have no bias: C parameters fewer
        return head == HeadType.LINEAR ? linear : linear - classes;
    }

    private static LearningRateSchedule schedule(Settings root) {
        String name = root.getString("schedule.type");
        return lpl.registry().get(PluginKind.SCHEDULE, name, "schedule.type").create(root.getSettings("schedule"));
    }

    @Test
    void ganPresetsNameTheirGanRunAndBuildTheirGan() {
        for (String dataset : List.of("cifar10", "cifar100")) {
            for (String model : List.of("resnet110", "wrn-28-10")) {
                for (String gan : List.of("cgan", "acgan", "infogan")) {
                    Config c = load(dataset + "-" + model + "-" + gan).config();
                    assertThat(c.getString("method.type")).isEqualTo("ce");
                    assertThat(c.getString("model.type")).isEqualTo(model);
                    assertThat(c.getString("gan.type")).isEqualTo(gan);
                    // one GAN per dataset and method, shared by both networks
                    assertThat(c.getString("data.augment.generated.run")).isEqualTo("runs/" + dataset + "-" + gan);
                    assertThat(Math.round(c.getDouble("data.augment.generated.fraction") * 128)).isEqualTo(21);
                    assertThat(c.getInt("gan.noise")).isEqualTo(100);
                    assertThat(c.getDouble("gan.learning-rate")).isEqualTo(2e-4);
                    assertThat(c.getDouble("gan.beta1")).isEqualTo(0.5);
                    int classes = dataset.equals("cifar10") ? 10 : 100;
                    dev.lpl.core.gan.GanSpec spec = dev.lpl.core.gan.GanRun.spec(
                            new dev.lpl.core.config.TypesafeSettings(c.getConfig("gan"), "gan"),
                            new dev.lpl.api.data.ImageSet(new byte[3 * 32 * 32], new int[1], 3, 32, 32), classes);
                    assertThat(spec.generatorInput()).isEqualTo(100 + classes + (gan.equals("infogan") ? 2 : 0));
                }
            }
        }
    }

    @Test
    void longTailedPresetsFollowLdamDrwsRecipe() {
        RunConfig config = load("cifar100-lt-r10-ldam-drw");
        Config c = config.config();
        assertThat(c.getString("data.type")).isEqualTo("cifar100");
        assertThat(c.getString("data.long-tail.profile")).isEqualTo("exponential");
        assertThat(c.getDouble("data.long-tail.ratio")).isEqualTo(10.0);
        assertThat(c.getInt("data.augment.crop-padding")).isEqualTo(4);
        assertThat(c.getString("data.augment.padding-mode")).isEqualTo("zero");
        assertThat(c.getBoolean("data.augment.flip")).isTrue();
        assertThat(c.getInt("data.batch-size")).isEqualTo(128);
        assertThat(c.getString("model.type")).isEqualTo("resnet32");
        assertThat(c.getString("model.resnet32.shortcut")).isEqualTo("a");
        // The method preset's head wins: the recipe does not set one.
        assertThat(c.getString("model.head")).isEqualTo("cosine");
        assertThat(c.getString("method.type")).isEqualTo("ldam");
        assertThat(c.getString("method.weighting.type")).isEqualTo("deferred");
        assertThat(c.getDouble("optimizer.sgd.learning-rate")).isEqualTo(0.1);
        assertThat(c.getDouble("optimizer.sgd.momentum")).isEqualTo(0.9);
        assertThat(c.getBoolean("optimizer.sgd.nesterov")).isFalse();
        assertThat(c.getDouble("optimizer.sgd.weight-decay")).isEqualTo(2e-4);
        assertThat(c.getInt("training.epochs")).isEqualTo(200);
        LearningRateSchedule schedule = schedule(config.settings());
        double[] expected = {0.2, 0.4, 0.6, 0.8, 1.0, 1.0};
        for (int e = 0; e < expected.length; e++) {
            assertThat(schedule.factor(e, 0, 200)).as("epoch %d", e).isCloseTo(expected[e], within(1e-12));
        }
        assertThat(schedule.factor(159, 0.99, 200)).isEqualTo(1.0);
        assertThat(schedule.factor(160, 0, 200)).isCloseTo(0.01, within(1e-12));
        assertThat(schedule.factor(179, 0.5, 200)).isCloseTo(0.01, within(1e-12));
        assertThat(schedule.factor(180, 0, 200)).isCloseTo(1e-4, within(1e-12));
        assertThat(schedule.factor(199, 0.9, 200)).isCloseTo(1e-4, within(1e-12));
    }

    @Test
    void longTailedPresetsPickTheLplRowOfTheirDataset() {
        assertThat(load("cifar10-lt-r100-lpl").config().getString("method.preset")).isEqualTo("lpl-lt-cifar10");
        assertThat(load("cifar100-lt-r100-lpl").config().getString("method.preset")).isEqualTo("lpl-lt-cifar100");
        assertThat(load("cifar100-lt-r100-lpl").config().getInt("method.lpl.split.fixed-index.tau")).isEqualTo(40);
        assertThat(load("cifar10-lt-r10-la-lpl").config().getString("method.preset")).isEqualTo("la+lpl");
        assertThat(load("cifar100-lt-r10-la-lpl").config().getString("method.preset")).isEqualTo("la+lpl-cifar100");
        assertThat(load("cifar100-lt-r10-la-lpl").config().getDouble("method.lpl.logit-adjustment")).isEqualTo(1.0);
        assertThat(load("cifar10-lt-r100-la").config().getString("method.type")).isEqualTo("la");
        assertThat(load("cifar10-lt-r100-ce").config().getString("method.type")).isEqualTo("ce");
        assertThat(lpl.runFactory().head(load("cifar10-lt-r100-ce").settings())).isEqualTo(HeadType.LINEAR);
        assertThat(lpl.runFactory().head(load("cifar10-lt-r100-ldam-drw").settings())).isEqualTo(HeadType.COSINE);
    }

    @Test
    void balancedPresetsFollowIsdasRecipes() {
        Config resnet = load("cifar100-resnet110-lpl-varied").config();
        assertThat(resnet.getString("data.long-tail.profile")).isEqualTo("none");
        assertThat(resnet.getString("data.augment.padding-mode")).isEqualTo("reflect");
        assertThat(resnet.getString("model.type")).isEqualTo("resnet110");
        assertThat(resnet.getString("model.resnet110.shortcut")).isEqualTo("b");
        assertThat(resnet.getString("method.preset")).isEqualTo("lpl-varied");
        assertThat(resnet.getBoolean("optimizer.sgd.nesterov")).isTrue();
        assertThat(resnet.getDouble("optimizer.sgd.weight-decay")).isEqualTo(1e-4);
        assertThat(resnet.getInt("training.epochs")).isEqualTo(160);
        LearningRateSchedule s = schedule(load("cifar100-resnet110-lpl-varied").settings());
        // ISDA's adjust_learning_rate(optimizer, epoch + 1): 1-based epochs 80 and 120 are the first at the lower rate.
        assertThat(s.factor(0, 0, 160)).isEqualTo(1.0);
        assertThat(s.factor(78, 0.5, 160)).isEqualTo(1.0);
        assertThat(s.factor(79, 0, 160)).isCloseTo(0.1, within(1e-12));
        assertThat(s.factor(119, 0, 160)).isCloseTo(0.01, within(1e-12));

        RunConfig wrnConfig = load("cifar10-wrn-28-10-isda");
        Config wrn = wrnConfig.config();
        assertThat(wrn.getString("model.type")).isEqualTo("wrn-28-10");
        assertThat(wrn.getDouble("model.wrn-28-10.dropout")).isEqualTo(0.3);
        assertThat(lpl.runFactory().head(wrnConfig.settings())).isEqualTo(HeadType.LINEAR);
        assertThat(wrn.getString("method.type")).isEqualTo("isda");
        assertThat(wrn.getDouble("optimizer.sgd.weight-decay")).isEqualTo(5e-4);
        assertThat(wrn.getInt("training.epochs")).isEqualTo(240);
        LearningRateSchedule w = schedule(wrnConfig.settings());
        assertThat(w.factor(58, 0, 240)).isEqualTo(1.0);
        assertThat(w.factor(59, 0, 240)).isCloseTo(0.2, within(1e-12));
        assertThat(w.factor(119, 0, 240)).isCloseTo(0.04, within(1e-12));
        assertThat(w.factor(159, 0, 240)).isCloseTo(0.008, within(1e-12));
        assertThat(w.factor(239, 0, 240)).isCloseTo(0.0016, within(1e-12));
    }

    @Test
    void theOtherBaselinesFollowTheirOwnRecipes() {
        Config mwn = load("cifar100-lt-r10-meta-weight-net").config();
        assertThat(mwn.getString("method.type")).isEqualTo("meta-weight-net");
        assertThat(mwn.getInt("training.epochs")).isEqualTo(100);
        assertThat(mwn.getInt("data.batch-size")).isEqualTo(100);
        assertThat(mwn.getDouble("optimizer.sgd.weight-decay")).isEqualTo(5e-4);
        assertThat(mwn.getBoolean("optimizer.sgd.nesterov")).isTrue();
        assertThat(mwn.getIntList("schedule.multi-step.milestones")).containsExactly(80, 90);
        assertThat(mwn.getDouble("data.long-tail.ratio")).isEqualTo(10.0);
        assertThat(mwn.getInt("method.meta-weight-net.meta-per-class")).isEqualTo(10);

        Config dropout = load("cifar10-resnet110-isda-dropout").config();
        assertThat(dropout.getString("method.type")).isEqualTo("isda");
        assertThat(dropout.getDouble("model.resnet110.dropout")).isEqualTo(0.3);
        assertThat(load("cifar100-lt-r100-isda-dropout").config().getDouble("model.resnet32.dropout")).isEqualTo(0.3);
        Config preset = lpl.configLoader().load(null, List.of("method.type=isda+dropout")).config();
        assertThat(preset.getString("method.type")).isEqualTo("isda");
        assertThat(preset.getString("method.preset")).isEqualTo("isda+dropout");
        assertThat(preset.getDouble("model.resnet110.dropout")).isEqualTo(0.3);
        assertThat(preset.getDouble("model.se-resnet110.dropout")).isEqualTo(0.3);

        assertThat(load("cifar100-resnet110-disturb-label").config().getDouble("method.disturb-label.alpha"))
                .isEqualTo(0.1);
        assertThat(load("cifar10-resnet110-disturb-label").config().getDouble("method.disturb-label.alpha"))
                .isEqualTo(0.05);
        assertThat(lpl.runFactory().head(load("cifar10-wrn-28-10-lsoftmax").settings()))
                .isEqualTo(HeadType.LINEAR_NO_BIAS);
        assertThat(load("cifar10-lt-r100-cb-finetune").config().getDouble("training.finetune.start")).isEqualTo(0.9);
        assertThat(load("cifar10-lt-r100-ldam").config().getString("method.preset")).isEqualTo("ldam-cosine");
        assertThat(load("cifar100-resnet110-lq").config().getString("method.loss.type")).isEqualTo("lq");
    }

    @Test
    void overridesWinAndTheSourceNamesThePreset() {
        RunConfig config = load("cifar10-lt-r100-lpl.conf", "training.epochs=3", "model.resnet32.shortcut=b");
        assertThat(config.config().getInt("training.epochs")).isEqualTo(3);
        assertThat(config.config().getString("model.resnet32.shortcut")).isEqualTo("b");
        assertThat(config.sources().get(0))
                .isEqualTo("experiment preset cifar10-lt-r100-lpl (bundled presets/cifar10-lt-r100-lpl.conf)");
        assertThat(config.sources()).contains("--set training.epochs=3");
    }

    @Test
    void anExistingFileWinsOverAPresetOfTheSameName() throws Exception {
        Path dir = Files.createTempDirectory("lpl-presets");
        try {
            // Paths are resolved against the working directory, so an absolute file is used here; a
            // relative path with a directory part is never taken for a preset name.
            Path file = dir.resolve("cifar10-lt-r100-ce");
            Files.writeString(file, "training.epochs = 7\n");
            assertThat(PRESETS.load(lpl.configLoader(), file, List.of()).config().getInt("training.epochs"))
                    .isEqualTo(7);
            Path copy = dir.resolve("my.conf");
            Files.writeString(copy, "include \"" + Path.of("..", "presets", "cifar10-lt-r100-ce.conf")
                    .toAbsolutePath().normalize() + "\"\ntraining.epochs = 5\n");
            Config viaFile = PRESETS.load(lpl.configLoader(), copy, List.of()).config();
            assertThat(viaFile.getInt("training.epochs")).isEqualTo(5);
            assertThat(viaFile.getString("model.type")).isEqualTo("resnet32");
        } finally {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
        assertThatThrownBy(() -> PRESETS.load(lpl.configLoader(), Path.of("no-such-dir", "cifar10-lt-r100-ce"), List.of()))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void anUnknownNameSuggestsTheNearestPreset() {
        assertThatThrownBy(() -> load("cifar10-lt-r100-lpll"))
                .isInstanceOf(LplException.class)
                .hasMessage("experiment file cifar10-lt-r100-lpll does not exist and no bundled experiment preset has that name;"
                        + " did you mean cifar10-lt-r100-lpl? (lpl presets lists them)");
        assertThatThrownBy(() -> load("nothing-like-it"))
                .isInstanceOf(LplException.class)
                .hasMessageNotContaining("did you mean")
                .hasMessageContaining("lpl presets");
        assertThat(PRESETS.find("recipes/cifar-lt")).isEmpty();
        assertThat(PRESETS.find("")).isEmpty();
    }
}
