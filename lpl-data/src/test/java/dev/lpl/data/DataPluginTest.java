package dev.lpl.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.lpl.api.LplPlugin;
import dev.lpl.api.data.DatasetFactory;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class DataPluginTest {

    @Test
    void isFoundByTheServiceLoaderAndListsEveryDataset() {
        List<LplPlugin> plugins = ServiceLoader.load(LplPlugin.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p instanceof DataPlugin)
                .toList();

        assertThat(plugins).hasSize(1);
        assertThat(plugins.get(0).datasets())
                .extracting(DatasetFactory::name)
                .containsExactly("synthetic", "fashion-mnist", "cifar10", "cifar100", "image-folder", "image-list");
    }

    @Test
    void namesAreKebabCaseAndDescriptionsAreOneLine() {
        for (DatasetFactory factory : new DataPlugin().datasets()) {
            assertThat(factory.name()).matches("[a-z0-9]+(-[a-z0-9]+)*");
            assertThat(factory.description()).isNotBlank().doesNotContain("\n");
        }
    }

    @Test
    void referenceConfHasABlockForEveryDataset() {
        Config reference = ConfigFactory.parseResources(DataPlugin.class.getClassLoader(), "reference.conf");
        for (DatasetFactory factory : new DataPlugin().datasets()) {
            assertThat(reference.hasPath("lpl.data.\"" + factory.name() + "\""))
                    .as("lpl.data.%s", factory.name())
                    .isTrue();
        }
        assertThat(reference.getConfig("lpl.data.synthetic").root().keySet())
                .containsExactlyInAnyOrder("train-per-class", "test-per-class", "imbalance-ratio",
                        "noise", "jitter", "rotation", "distractor", "min-contrast");
    }

    @Test
    void fixedLabelSetsTellTheirNumberOfClassesWithoutFiles(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.util.Map<String, Integer> expected = java.util.Map.of(
                "synthetic", 10, "fashion-mnist", 10, "cifar10", 10, "cifar100", 100);
        var context = new dev.lpl.api.data.DatasetContext(null, dir.resolve("cache"), 0);
        for (DatasetFactory factory : new DataPlugin().datasets()) {
            if (expected.containsKey(factory.name())) {
                assertThat(factory.numClasses(TestSettings.dataset(factory.name(), ""), context))
                        .as(factory.name()).hasValue(expected.get(factory.name()));
            }
        }
        assertThat(dir.resolve("cache")).doesNotExist();
    }
}
