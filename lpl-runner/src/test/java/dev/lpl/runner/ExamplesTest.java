package dev.lpl.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lpl.core.Bootstrap;
import dev.lpl.core.config.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every example experiment file passes the strict check and builds its method. */
class ExamplesTest {

    @Test
    void everyExampleIsValid() throws Exception {
        Path examples = Path.of("..", "examples");
        Bootstrap lpl = Bootstrap.start(List.of());
        List<Path> files;
        try (Stream<Path> s = Files.list(examples)) {
            files = s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(4);
        for (Path file : files) {
            RunConfig config = lpl.configLoader().load(file, List.of());
            assertThat(lpl.runFactory().perturbation(config.settings())).as(file.toString()).isNotNull();
        }
        RunConfig lplFm = lpl.configLoader().load(examples.resolve("fashion-mnist-lt-lpl.conf"), List.of());
        assertThat(lplFm.config().getString("data.long-tail.profile")).isEqualTo("exponential");
        assertThat(lplFm.config().getInt("data.long-tail.ratio")).isEqualTo(100);
        assertThat(lplFm.config().getString("method.type")).isEqualTo("lpl");
    }
}
