package dev.lpl.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A third-party method added as a separate jar: the example plugin ({@code
 * examples/plugin-example}, built before this module) is copied into a plugin directory, and the
 * shaded runner jar, run as a process, finds it there with {@code --plugins DIR} or {@code
 * LPL_PLUGINS=DIR} — and only then.
 */
class PluginJarIT {

    private static final String DESCRIPTION = "additive margin on the true-class logit, delta_y = -m e_y"
            + " (AM-softmax without normalisation, Wang et al., IEEE SPL 2018; example plugin)";
    private static final Pattern LISTED = Pattern.compile(
            "(?m)^method\\s+additive-margin\\s+" + Pattern.quote(DESCRIPTION) + "\\s*$");

    private static Path runner;
    private static Path work;
    private static Path plugins;

    @BeforeAll
    static void setUp() throws IOException {
        runner = Path.of(System.getProperty("lpl.runner.jar", "../lpl-runner/target/lpl-runner.jar")).toAbsolutePath();
        assertThat(runner).as("the shaded runner jar (built by lpl-runner's package phase)").exists();
        Path plugin = Path.of(System.getProperty("lpl.plugin.example.jar", "")).toAbsolutePath();
        assertThat(plugin).as("the example plugin jar (built by examples/plugin-example's package phase)")
                .isRegularFile();
        work = Path.of(System.getProperty("lpl.it.work", "target/it-work")).toAbsolutePath();
        Files.createDirectories(work);
        plugins = Files.createTempDirectory(work, "plugins");
        Files.copy(plugin, plugins.resolve(plugin.getFileName()));
    }

    record Result(int exitCode, String stdout, String stderr) {}

    private static Result lpl(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", runner.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        pb.environment().remove("LPL_PLUGINS");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(work, "stdout", ".txt");
        Path err = Files.createTempFile(work, "stderr", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = pb.start();
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("lpl finished in time").isTrue();
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Result lpl(String... args) throws Exception {
        return lpl(Map.of(), args);
    }

    @Test
    void listShowsThePluginsMethodWithPluginsDir() throws Exception {
        Result r = lpl("--plugins", plugins.toString(), "list");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).containsPattern(LISTED);
        assertThat(r.stdout()).as("the built-in methods are still there").containsPattern("(?m)^method\\s+lpl\\s");
    }

    @Test
    void listDoesNotShowItWithoutThePluginDirectory() throws Exception {
        Result r = lpl("list");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).containsPattern("(?m)^method\\s+lpl\\s").doesNotContain("additive-margin");
    }

    @Test
    void listFindsItThroughTheEnvironment() throws Exception {
        Result r = lpl(Map.of("LPL_PLUGINS", plugins.toString()), "list");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).containsPattern(LISTED);
    }

    @Test
    void trainsWithThePluginsMethodAndItsOption() throws Exception {
        Path runDir = Files.createTempDirectory(work, "run-additive-margin"); // empty: lpl never overwrites a run
        Result r = lpl("--plugins", plugins.toString(), "train",
                "--set", "method.type=additive-margin", "--set", "method.additive-margin.margin=0.2",
                "--set", "training.epochs=1", "--set", "data.synthetic.train-per-class=100",
                "--set", "data.synthetic.test-per-class=20", "--out", runDir.toString(), "--progress", "none");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        JsonNode summary = new ObjectMapper().readTree(runDir.resolve("summary.json").toFile());
        assertThat(summary.get("status").asText()).isEqualTo("completed");
        assertThat(summary.get("method").asText()).isEqualTo("additive-margin");
        assertThat(Files.readString(runDir.resolve("resolved.conf"))).contains("additive-margin");
    }

    @Test
    void aMisspeltOptionOfThePluginIsAOneLineError() throws Exception {
        Result r = lpl("--plugins", plugins.toString(), "train",
                "--set", "method.type=additive-margin", "--set", "method.additive-margin.margn=1");
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isEqualTo(2);
        assertThat(r.stderr().lines().findFirst().orElse("")).isEqualTo(
                "error: unknown configuration key method.additive-margin.margn;"
                        + " did you mean method.additive-margin.margin?");
        assertThat(r.stderr()).doesNotContain("Exception");
    }
}
