package dev.lpl.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code lpl models} and {@code lpl presets}. */
class ModelsAndPresetsCommandTest {

    @Test
    void modelsListsEveryNetworkWithItsCountsForTenAndHundredClasses() {
        CommandLineTest.Result r = CommandLineTest.lpl("models");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("MODEL");
        assertThat(r.out().lines().findFirst().orElseThrow())
                .matches("MODEL\\s+C=10\\s+C=100\\s+DESCRIPTION");
        assertThat(r.out())
                .containsPattern("(?m)^resnet32\\s+464,154\\s+470,004\\s+CIFAR ResNet-32")
                .containsPattern("(?m)^resnet110\\s+1,727,962\\s+1,733,812\\s+")
                .containsPattern("(?m)^se-resnet110\\s+1,742,810\\s+1,748,660\\s+CIFAR SE-ResNet-110")
                .containsPattern("(?m)^wrn-28-10\\s+36,479,194\\s+36,536,884\\s+Wide-ResNet-28-10")
                .containsPattern("(?m)^wrn-16-8\\s+10,961,370\\s+11,007,540\\s+Wide-ResNet-16-8")
                .containsPattern("(?m)^resnet50\\s+23,528,522\\s+23,712,932\\s+ImageNet ResNet-50")
                .containsPattern("(?m)^small-cnn\\s+[0-9,]+\\s+[0-9,]+\\s+small CNN")
                .contains("3x32x32 input, linear head");
    }

    @Test
    void modelsFollowsTheOverridesAndTheOptions() {
        CommandLineTest.Result r = CommandLineTest.lpl(
                "models", "--classes", "10", "--set", "model.head=cosine", "--set", "model.resnet110.shortcut=b");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().findFirst().orElseThrow()).matches("MODEL\\s+C=10\\s+DESCRIPTION");
        assertThat(r.out())
                .containsPattern("(?m)^resnet32\\s+464,144\\s+")
                .containsPattern("(?m)^resnet110\\s+1,730,704\\s+")
                .contains("cosine head");

        CommandLineTest.Result tiny = CommandLineTest.lpl("models", "--image", "1x2x2", "--classes", "10");
        assertThat(tiny.code()).isZero();
        assertThat(tiny.out()).containsPattern("(?m)^small-cnn\\s+n/a\\s+");

        CommandLineTest.Result bad = CommandLineTest.lpl("models", "--image", "32x32");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).startsWith("error: --image 32x32 must be CxHxW");
    }

    @Test
    void presetsListsEveryBundledPreset() {
        CommandLineTest.Result r = CommandLineTest.lpl("presets");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("NAME");
        assertThat(r.out())
                .containsPattern("(?m)^cifar10-lt-r100-lpl\\s+CIFAR-10-LT rho 100, ResNet-32")
                .containsPattern("(?m)^cifar100-lt-r10-la-lpl\\s+")
                .containsPattern("(?m)^cifar100-wrn-28-10-isda\\s+CIFAR-100, WRN-28-10")
                .contains("lpl train -c NAME");
        assertThat(r.out().lines().filter(l -> l.startsWith("cifar")).count()).isEqualTo(98);
    }

    @Test
    void presetsShowsTheKeysOfOnePreset() {
        CommandLineTest.Result r = CommandLineTest.lpl("presets", "cifar10-lt-r100-ldam-drw");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("# cifar10-lt-r100-ldam-drw: CIFAR-10-LT rho 100")
                .contains("milestones=[")
                .contains("type=ldam-drw")
                .contains("type=resnet32");

        CommandLineTest.Result unknown = CommandLineTest.lpl("presets", "cifar-nothing");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("error: no bundled experiment preset or sweep is named cifar-nothing");
    }

    @Test
    void presetsListsAndShowsTheBundledSweeps() {
        CommandLineTest.Result r = CommandLineTest.lpl("presets");
        assertThat(r.out())
                .containsPattern("(?m)^SWEEP\\s+DESCRIPTION$")
                .containsPattern("(?m)^fashion-mnist-lt-lpl-ablation\\s+LPL ablation on Fashion-MNIST-LT")
                .containsPattern("(?m)^fashion-mnist-lt-la-lpl\\s+LA\\+LPL against LA and LPL")
                .contains("lpl sweep -c NAME");
        CommandLineTest.Result one = CommandLineTest.lpl("presets", "fashion-mnist-lt-la-lpl");
        assertThat(one.code()).as(one.err()).isZero();
        assertThat(one.out()).startsWith("# fashion-mnist-lt-la-lpl: LA+LPL against LA and LPL")
                .contains("variants {").contains("include classpath(\"presets/recipes/fashion-mnist-lt.conf\")");
        CommandLineTest.Result typo = CommandLineTest.lpl("sweep", "-c", "fashion-mnist-lt-lpl-ablatoin", "--dry-run");
        assertThat(typo.code()).isEqualTo(2);
        assertThat(typo.err().lines().findFirst().orElseThrow()).isEqualTo("error: sweep file fashion-mnist-lt-lpl-ablatoin"
                + " does not exist and no bundled sweep has that name; did you mean fashion-mnist-lt-lpl-ablation?"
                + " (lpl presets lists them)");
    }

    /**
     * Every command that takes a configuration ({@link ConfigOptions}) reads {@code -c} the same way,
     * so a mistyped preset or a missing file gets the same one-line error in each.
     */
    @Test
    void everyCommandThatTakesAConfigurationReportsAnUnknownPresetOrFileInOneLine() {
        String[] loss = {"loss", "--method", "ce", "--logits", "l.npy", "--labels", "y.npy", "--class-counts", "n.npy",
            "--out", "out.npz"};
        List<List<String>> commands = List.of(List.of("train"), List.of("train", "--dry-run"), List.of("gan", "train"),
                List.of("data", "describe"), List.of("data", "fetch", "cifar10"), List.of(loss));
        String missing = Path.of("no-such-dir", "missing.conf").toString();
        for (List<String> command : commands) {
            CommandLineTest.Result r = lpl(command, "-c", "cifar10-lt-r100-lpll");
            assertThat(r.code()).as(command + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().lines().toList()).as(String.join(" ", command)).containsExactly(
                    "error: experiment file cifar10-lt-r100-lpll does not exist and no bundled experiment preset has"
                            + " that name; did you mean cifar10-lt-r100-lpl? (lpl presets lists them)",
                    "(run with --debug for details)");
            CommandLineTest.Result file = lpl(command, "--config", missing);
            assertThat(file.code()).as(command + ": " + file.err()).isEqualTo(2);
            assertThat(file.err().lines().findFirst().orElseThrow()).as(String.join(" ", command))
                    .startsWith("error: ").contains(missing + " does not exist").contains("check the path given to -c");
            assertThat(lpl(command, "--help").out()).as(String.join(" ", command))
                    .contains("-c, --config=FILE|PRESET").contains("--set=KEY=VALUE");
        }
    }

    private static CommandLineTest.Result lpl(List<String> command, String... more) {
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of(more));
        return CommandLineTest.lpl(args.toArray(String[]::new));
    }

    @Test
    void trainChecksAPresetBeforeAnyWork() {
        // A preset with a bad override fails in the strict check, before any data is read.
        CommandLineTest.Result r = CommandLineTest.lpl(
                "train", "-c", "cifar10-lt-r100-lpl", "--set", "model.resnet32.shortcutt=b");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith(
                "error: unknown configuration key model.resnet32.shortcutt; did you mean model.resnet32.shortcut?");
    }
}
