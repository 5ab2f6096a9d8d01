package dev.lpl.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.lpl.api.LplException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrictConfigTest {

    private final ConfigLoader loader = new ConfigLoader(getClass().getClassLoader());

    @Test
    void defaultsComeFromReferenceConf() {
        RunConfig config = loader.load(null, List.of());
        assertThat(config.config().getInt("training.epochs")).isEqualTo(20);
        assertThat(config.config().getString("optimizer.type")).isEqualTo("sgd");
        assertThat(config.config().getIsNull("run.name")).isTrue();
    }

    @Test
    void overridesAndFilesApplyInOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("exp.conf");
        Files.writeString(file, "training.epochs = 7\noptimizer.sgd { momentum = 0.5 }\n");
        RunConfig config = loader.load(file, List.of("training.epochs=3", "data.path=/data/my images"));
        assertThat(config.config().getInt("training.epochs")).isEqualTo(3);
        assertThat(config.config().getDouble("optimizer.sgd.momentum")).isEqualTo(0.5);
        assertThat(config.config().getString("data.path")).isEqualTo("/data/my images");
        assertThat(config.sources()).containsExactly(file.toString(), "--set training.epochs=3", "--set data.path=/data/my images");
    }

    @Test
    void filesWithTheLplPrefixAreAccepted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("exp.conf");
        Files.writeString(file, "lpl { training { epochs = 9 } }\n");
        assertThat(loader.load(file, List.of()).config().getInt("training.epochs")).isEqualTo(9);
        assertThat(loader.load(null, List.of("lpl.training.epochs=4")).config().getInt("training.epochs")).isEqualTo(4);
    }

    @Test
    void unknownKeyNamesTheNearestValidKey() {
        assertThatThrownBy(() -> loader.load(null, List.of("optimizer.sgd.learning-rat=0.2")))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("unknown configuration key optimizer.sgd.learning-rat; did you mean optimizer.sgd.learning-rate?");
        assertThatThrownBy(() -> loader.load(null, List.of("trainig.epochs=2")))
                .hasMessageContaining("did you mean training.epochs?");
    }

    @Test
    void everyProblemIsListedOneLineEach(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("exp.conf");
        Files.writeString(file, "training { epoch = 3, backnd = cpu }\n");
        assertThatThrownBy(() -> loader.load(file, List.of()))
                .hasMessageContaining("(and 1 more problem)")
                .hasMessageContaining("did you mean training.backend?")
                .hasMessageContaining("did you mean training.epochs?");
    }

    @Test
    void blockAndValueMismatchesAreErrors() {
        assertThatThrownBy(() -> loader.load(null, List.of("optimizer=sgd")))
                .hasMessageContaining("optimizer is a block");
        assertThatThrownBy(() -> loader.load(null, List.of("training.epochs={ a = 1 }")))
                .hasMessageContaining("training.epochs takes a value");
        assertThatThrownBy(() -> loader.load(null, List.of("schedule.multi-step.milestones=3")))
                .hasMessageContaining("expected a list");
    }

    @Test
    void nullDefaultsAcceptValues() {
        assertThat(loader.load(null, List.of("run.name=abc")).config().getString("run.name")).isEqualTo("abc");
    }

    @Test
    void wrongTypesAreReportedWithTheKey() {
        RunConfig config = loader.load(null, List.of("training.epochs=many"));
        assertThatThrownBy(() -> config.settings("training").getInt("epochs"))
                .isInstanceOf(LplException.class)
                .hasMessage("invalid configuration value training.epochs: expected an integer, got \"many\"");
    }

    @Test
    void rangesAreReportedWithTheAllowedRange() {
        var settings = TypesafeSettings.parse("a { x = -0.5 }").getSettings("a");
        assertThatThrownBy(() -> settings.getDouble("x", 0, 1))
                .hasMessage("invalid configuration value a.x: -0.5 is out of range; allowed: [0.0, 1.0]");
    }

    @Test
    void missingOrBrokenFilesAreUserErrors(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> loader.load(dir.resolve("nope.conf"), List.of()))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("does not exist");
        Path broken = dir.resolve("broken.conf");
        Files.writeString(broken, "training { epochs = \n");
        assertThatThrownBy(() -> loader.load(broken, List.of()))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("is not valid HOCON");
        assertThatThrownBy(() -> loader.load(null, List.of("noequals")))
                .hasMessageContaining("write --set key=value");
    }

    @Test
    void nearestIgnoresFarKeys() {
        assertThat(StrictKeys.nearest("zzzzzzzzzzzz", List.of("training.epochs"))).isNull();
        Config defaults = ConfigFactory.parseString("a { b = 1, c { d = null } }");
        assertThat(StrictKeys.declaredKeys(defaults)).containsKeys("a", "a.b", "a.c", "a.c.d");
    }

    @Test
    void anExperimentFileThatSetsNoKeysIsRefused(@TempDir Path dir) throws Exception {
        for (String text : List.of("", "# only a comment\n\n", "lpl {}\n")) {
            Path file = Files.writeString(dir.resolve("empty.conf"), text);
            assertThatThrownBy(() -> loader.load(file, List.of()))
                    .isInstanceOf(LplException.class)
                    .hasMessage("experiment file " + file + " sets no keys (is it the file you meant?); to use the"
                            + " defaults, leave out -c");
        }
    }

    @Test
    void aNumberBeyondTheDoubleRangeIsRefusedEvenWhereUnused() {
        assertThatThrownBy(() -> loader.load(null, List.of("optimizer.sgd.momentum=1e400")))
                .isInstanceOf(LplException.class)
                .hasMessage("invalid configuration value optimizer.sgd.momentum: a number beyond +-1.8e308"
                        + " (such as 1e400) is not finite; write a finite value");
        assertThatThrownBy(() -> loader.load(null, List.of("training.epochs=-1e999")))
                .hasMessageStartingWith("invalid configuration value training.epochs: a number beyond");
    }
}
