package dev.lpl.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    record Result(int code, String out, String err) {}

    static Result lpl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void listShowsEveryPluginWithADescription() {
        Result r = lpl("list");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("KIND");
        assertThat(r.out()).containsPattern("(?m)^method\\s+lpl\\s+LPL")
                .containsPattern("(?m)^method\\s+ce\\s+")
                .containsPattern("(?m)^split\\s+fixed-index\\s+")
                .containsPattern("(?m)^bound\\s+varied-longtail\\s+")
                .containsPattern("(?m)^inner-optimizer\\s+pgd\\s+")
                .containsPattern("(?m)^dataset\\s+synthetic\\s+")
                .containsPattern("(?m)^model\\s+resnet32\\s+")
                .containsPattern("(?m)^weight-optimizer\\s+sgd\\s+")
                .containsPattern("(?m)^backend\\s+auto\\s+");
    }

    @Test
    void userErrorsPrintOneLineAndExitWithTwo() {
        Result r = lpl("train", "--set", "method.lpl.optimizer.pgd.alpah=0.1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines().findFirst().orElseThrow()).isEqualTo(
                "error: unknown configuration key method.lpl.optimizer.pgd.alpah; did you mean method.lpl.optimizer.pgd.alpha?");
        assertThat(r.err()).doesNotContain("at dev.lpl");

        Result negative = lpl("train", "--set", "method.lpl.bound.varied-longtail.delta-epsilon-tail=-1");
        assertThat(negative.code()).isEqualTo(2);
        assertThat(negative.err()).startsWith("error: invalid configuration value method.lpl.bound.varied-longtail.delta-epsilon-tail");

        Result unknownMethod = lpl("train", "--set", "method.type=lpll");
        assertThat(unknownMethod.err()).startsWith("error: unknown method 'lpll' (method.type); did you mean 'lpl'?");
    }

    @Test
    void anUnknownMethodIsMatchedAgainstMethodPresetsAndExperimentPresetsToo() {
        Result preset = lpl("train", "--dry-run", "--set", "method.type=la-lpl");
        assertThat(preset.code()).isEqualTo(2);
        assertThat(preset.err()).startsWith("error: unknown method 'la-lpl' (method.type); did you mean 'la+lpl' (a method"
                + " preset)? methods: balanced-softmax, ce, ").contains("; method presets: cb-ce, ").contains("la+lpl, ");
        Result experiment = lpl("train", "--dry-run", "--set", "method.type=cifar10-lt-r100-lpl");
        assertThat(experiment.code()).isEqualTo(2);
        assertThat(experiment.err()).startsWith("error: method.type = cifar10-lt-r100-lpl names an experiment preset (a"
                + " whole experiment: data, model, method, schedule), not a method; run it with lpl train -c"
                + " cifar10-lt-r100-lpl\n");
        assertThat(lpl("train", "--dry-run", "--set", "method.type=la+lpl").code()).isZero();
    }

    @Test
    void metricsHostNeedsMetricsPort() {
        Result r = lpl("train", "--metrics-host", "0.0.0.0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: --metrics-host names the address --metrics-port serves on;"
                + " add --metrics-port PORT\n");
    }

    /**
     * Each command's summary in {@code lpl --help} is its first description string: a whole sentence,
     * never cut; no description holds a line break of its own (picocli wraps).
     */
    @Test
    void helpSummariesAreWholeSentencesAndDescriptionsHaveNoLineBreaks() {
        picocli.CommandLine cli = LplCommand.commandLine();
        java.util.List<picocli.CommandLine> commands = new java.util.ArrayList<>();
        java.util.ArrayDeque<picocli.CommandLine> todo = new java.util.ArrayDeque<>(java.util.List.of(cli));
        while (!todo.isEmpty()) {
            picocli.CommandLine c = todo.pop();
            todo.addAll(c.getSubcommands().values());
            if (!(c.getCommand() instanceof picocli.CommandLine.HelpCommand)) { // picocli's own
                commands.add(c);
            }
        }
        for (picocli.CommandLine c : commands) {
            String name = c.getCommandSpec().qualifiedName();
            String[] description = c.getCommandSpec().usageMessage().description();
            assertThat(description).as(name).isNotEmpty();
            assertThat(description[0]).as(name + " summary").endsWith(".");
            for (String line : description) {
                assertThat(line).as(name).doesNotContain("\n").doesNotContain("%n");
            }
            for (picocli.CommandLine.Model.OptionSpec option : c.getCommandSpec().options()) {
                assertThat(option.description()).as(name + " " + option.longestName()).hasSizeLessThanOrEqualTo(1);
                for (String line : option.description()) {
                    assertThat(line).as(name + " " + option.longestName()).doesNotContain("\n").doesNotContain("%n");
                }
            }
        }
        assertThat(commands).hasSizeGreaterThan(10);
        // as printed: every command's summary, wrapped over lines, ends a sentence
        String help = lpl("--help").out();
        String list = help.substring(help.indexOf("Commands:\n") + "Commands:\n".length());
        for (String entry : list.split("\n(?=  \\S)")) {
            assertThat(entry.strip()).as(entry).endsWith(".");
        }
    }

    @Test
    void resumeRefusesNewSettingsAndNonRunDirectories(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Result mixed = lpl("train", "--resume", dir.toString(), "--set", "training.epochs=3");
        assertThat(mixed.code()).isEqualTo(2);
        assertThat(mixed.err()).startsWith("error: --resume continues a run with its own configuration");
        Result notARun = lpl("train", "--resume", dir.toString());
        assertThat(notARun.code()).isEqualTo(2);
        assertThat(notARun.err()).startsWith("error: " + dir + " is not an lpl run directory");
        Result eval = lpl("eval", dir.toString());
        assertThat(eval.code()).isEqualTo(2);
        assertThat(eval.err()).contains("has no checkpoint to evaluate");
    }

    @Test
    void methodsThatNeedAHeadRefuseTheOther() {
        Result ldam = lpl("train", "--set", "method.type=ldam", "--set", "model.head=linear");
        assertThat(ldam.code()).isEqualTo(2);
        assertThat(ldam.err()).startsWith("error: method ldam needs model.head = cosine, but the configuration sets linear;"
                + " set model.head = cosine or auto");
        Result lsoftmax = lpl("train", "--set", "method.type=lsoftmax", "--set", "model.head=linear");
        assertThat(lsoftmax.code()).isEqualTo(2);
        assertThat(lsoftmax.err()).startsWith("error: method lsoftmax needs model.head = linear-no-bias");
        Result isda = lpl("train", "--set", "method.type=isda", "--set", "model.head=cosine");
        assertThat(isda.code()).isEqualTo(2);
        assertThat(isda.err()).startsWith("error: method isda needs model.head = linear");
    }

    @Test
    void debugShowsTheStackTrace() {
        Result r = lpl("--debug", "train", "--set", "training.epochs=zero");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("at dev.lpl");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"train", "list", "loss", "bench", "eval", "predict", "env"}) {
            Result r = lpl(command, "--help");
            assertThat(r.code()).as(command).isZero();
            assertThat(r.out()).startsWith("Usage: lpl " + command);
        }
    }

    @Test
    void usageErrorsSuggestTheCommand() {
        Result r = lpl("trian");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("train");
    }
}
