package dev.lpl.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.lpl.api.LplPlugin;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.api.model.HeadType;
import dev.lpl.api.model.ModelFactory;
import dev.lpl.api.model.ModelSpec;
import dev.lpl.core.config.TypesafeSettings;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ModelsPluginTest {

    @Test
    void isFoundByTheServiceLoader() {
        List<LplPlugin> plugins =
                ServiceLoader.load(LplPlugin.class).stream()
                        .map(ServiceLoader.Provider::get)
                        .filter(ModelsPlugin.class::isInstance)
                        .toList();
        assertThat(plugins).hasSize(1);
        assertThat(plugins.get(0).models())
                .extracting(ModelFactory::name)
                .containsExactly(
                        "small-cnn", "resnet32", "resnet110", "se-resnet110", "wrn-28-10",
                        "wrn-16-8", "resnet50");
    }

    @Test
    void namesAreKebabCaseAndDescriptionsOneLine() {
        for (ModelFactory factory : new ModelsPlugin().models()) {
            assertThat(factory.name()).matches("[a-z0-9]+(-[a-z0-9]+)*");
            assertThat(factory.description()).isNotBlank().doesNotContain("\n");
        }
        LplPlugin plugin = new ModelsPlugin();
        assertThat(plugin.perturbations()).isEmpty();
        assertThat(plugin.datasets()).isEmpty();
    }

    @Test
    void referenceDefaultsBuildEveryModel() {
        Config reference = ConfigFactory.defaultReference();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (ModelFactory factory : new ModelsPlugin().models()) {
                String key = "lpl.model." + factory.name();
                assertThat(reference.hasPath(key)).as(key).isTrue();
                TypesafeSettings settings =
                        new TypesafeSettings(reference.getConfig(key), "model." + factory.name());
                ClassifierBlock block =
                        factory.create(settings, new ModelSpec(3, 32, 32, 10, HeadType.LINEAR));
                TestModels.initialize(block, manager, new Shape(1, 3, 32, 32));
                assertThat(block.trainableParameterCount()).isPositive();
            }
        }
        assertThat(reference.getString("lpl.model.resnet32.shortcut")).isEqualTo("a");
        assertThat(reference.getDouble("lpl.model.resnet32.dropout")).isZero();
        assertThat(reference.getInt("lpl.model.small-cnn.width")).isEqualTo(32);
        assertThat(reference.getString("lpl.model.se-resnet110.shortcut")).isEqualTo("b");
        assertThat(reference.getInt("lpl.model.se-resnet110.reduction")).isEqualTo(16);
        assertThat(reference.getDouble("lpl.model.wrn-28-10.dropout")).isEqualTo(0.3);
        assertThat(reference.getDouble("lpl.model.wrn-16-8.dropout")).isEqualTo(0.3);
    }
}
