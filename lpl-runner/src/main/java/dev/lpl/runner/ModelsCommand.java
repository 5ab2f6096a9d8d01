package dev.lpl.runner;

import ai.djl.ndarray.NDManager;
import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.api.model.ModelFactory;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.plugin.PluginKind;
import dev.lpl.core.run.EngineSession;
import dev.lpl.core.run.RunFactory;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lpl models}: every network plugin with its description and its trainable-parameter
 * counts, by default for 10 and 100 classes on 3×32×32 input (CIFAR). Each network is built and
 * initialised exactly as a run builds it ({@link RunFactory#model}: the options of {@code
 * model.<name>} with their defaults, {@code --set} overrides, Kaiming-normal weights) on a
 * throwaway NDManager that is closed right after counting, so at most one network's weights are
 * held at a time (WRN-28-10: 146 MB). The engine is started through {@code EngineSession}: the
 * networks are built on the device {@code training.backend} chooses, with {@code training.threads}.
 */
@Command(name = "models", mixinStandardHelpOptions = true, description = {
    "List every network with its trainable-parameter counts (BN running statistics excluded).",
    "Each is built as a run builds it, by default for 10 and 100 classes on 3x32x32 input and a linear head."})
final class ModelsCommand implements Callable<Integer> {

    @ParentCommand
    LplCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--classes", defaultValue = "10,100", split = ",", paramLabel = "C",
            description = "Class counts to count for, default: ${DEFAULT-VALUE}.")
    List<Integer> classes = new ArrayList<>();

    @Option(names = "--image", defaultValue = "3x32x32", paramLabel = "CxHxW",
            description = "Input shape, default: ${DEFAULT-VALUE}.")
    String image;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one key for every model (repeatable), e.g. --set model.head=cosine")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        int[] shape = parseImage(image);
        if (classes.isEmpty() || classes.stream().anyMatch(c -> c == null || c < 2)) {
            throw new LplException("--classes must list class counts of at least 2, e.g. 10,100");
        }
        Bootstrap lpl = parent.bootstrap();
        RunFactory runFactory = lpl.runFactory();
        Map<String, ModelFactory> models = lpl.registry().all(PluginKind.MODEL);
        List<String[]> rows = new ArrayList<>();
        EngineSession session = null;
        for (Map.Entry<String, ModelFactory> e : models.entrySet()) {
            List<String> sets = new ArrayList<>();
            sets.add("model.type=" + e.getKey());
            sets.addAll(overrides);
            RunConfig config = lpl.configLoader().load(null, sets);
            Settings root = config.settings();
            if (session == null) { // training.backend and training.threads of the first model's configuration
                session = runFactory.engineSession(root).start();
            }
            String[] row = new String[classes.size() + 2];
            row[0] = e.getKey();
            for (int i = 0; i < classes.size(); i++) {
                row[i + 1] = count(runFactory, root, shape, classes.get(i), session);
            }
            row[row.length - 1] = e.getValue().description();
            rows.add(row);
        }
        PrintWriter out = spec.commandLine().getOut();
        int nameWidth = Math.max(5, rows.stream().mapToInt(r -> r[0].length()).max().orElse(5));
        StringBuilder format = new StringBuilder("%-" + nameWidth + "s");
        String[] header = new String[classes.size() + 2];
        header[0] = "MODEL";
        for (int i = 0; i < classes.size(); i++) {
            header[i + 1] = "C=" + classes.get(i);
            format.append("  %12s");
        }
        header[header.length - 1] = "DESCRIPTION";
        format.append("  %s%n");
        out.printf(Locale.ROOT, format.toString(), (Object[]) header);
        for (String[] row : rows) {
            out.printf(Locale.ROOT, format.toString(), (Object[]) row);
        }
        out.printf(Locale.ROOT, "trainable parameters on %s input, %s head (--set model.head=cosine: the"
                + " same D x C weight without bias)%n", image, headName(lpl, overrides));
        out.flush();
        return 0;
    }

    private static String count(RunFactory runFactory, Settings root, int[] shape, int numClasses,
            EngineSession session) {
        try (NDManager manager = session.engine().newBaseManager(session.device())) {
            ClassifierBlock block = runFactory.model(root, shape[0], shape[1], shape[2], numClasses, manager);
            return String.format(Locale.ROOT, "%,d", block.trainableParameterCount());
        } catch (LplException | IllegalArgumentException e) {
            // e.g. an input too small for the network: the table still lists the others.
            return "n/a";
        }
    }

    private static String headName(Bootstrap lpl, List<String> overrides) {
        return lpl.runFactory().head(lpl.configLoader().load(null, overrides).settings()).configName();
    }

    private static int[] parseImage(String image) {
        int[] shape;
        try {
            shape = Arrays.stream(image.toLowerCase(Locale.ROOT).split("x")).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new LplException("--image " + image + " must be CxHxW, e.g. 3x32x32");
        }
        if (shape.length != 3 || Arrays.stream(shape).anyMatch(v -> v < 1)) {
            throw new LplException("--image " + image + " must be CxHxW with positive sizes, e.g. 3x32x32");
        }
        return shape;
    }
}
