package dev.lpl.runner;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.lpl.api.LplException;
import dev.lpl.api.data.ImageDataset;
import dev.lpl.api.data.ImageSet;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.run.Checkpoints;
import dev.lpl.core.run.Json;
import dev.lpl.core.run.PreparedRun;
import dev.lpl.data.image.ImageDecoder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lpl predict}: the classes a run's network gives image files, with their probabilities.
 *
 * <p>The network and its checkpoint are loaded as {@code lpl eval} loads them ({@link
 * RunCheckpoint}); the images are turned into what the run's test images are: decoded with the
 * image datasets' decoder ({@link ImageDecoder}: RGB or BT.601 grey as the dataset has channels,
 * resized bilinearly to the dataset's H×W without keeping the aspect ratio), normalised with the
 * run's mean and standard deviation, scored in test-size batches without autograd, and the
 * probabilities are the softmax of the method's prediction logits (or of post-hoc adjusted logits).
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false, description = {
    "Classify image files with a run's network: the top classes and their probabilities per image.",
    "Images are prepared as the run's test images: decoded (PNG, JPEG, BMP, GIF), converted to the dataset's"
            + " channels (RGB, or grey by BT.601 luma), resized bilinearly to its height x width (the aspect ratio"
            + " is not kept) and normalised with its mean and standard deviation. Probabilities are the softmax of"
            + " the method's prediction logits, as lpl eval predicts. A directory stands for its image files,"
            + " sorted by name; other files in it are skipped with a warning. A named file that is not a readable"
            + " image stops the command.",
    "Nothing in the run directory is changed."})
final class PredictCommand implements Callable<Integer> {

    @ParentCommand
    LplCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR|CHECKPOINT",
            description = "A run directory or one of its checkpoints/<name> directories.")
    Path target;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE|DIR",
            description = "Image files, or directories whose image files are classified.")
    List<Path> inputs;

    @Option(names = "--checkpoint", paramLabel = "NAME",
            description = "best (the default with a validation split), latest (the default without one), or a"
                    + " name under RUN_DIR/checkpoints.")
    String checkpoint;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "5",
            description = "Classes shown per image, most probable first (default: ${DEFAULT-VALUE}; at most the"
                    + " number of classes).")
    int topK;

    @Option(names = "--post-hoc-tau", paramLabel = "T", defaultValue = "0",
            description = "Post-hoc logit adjustment strength, as for lpl eval; 0 (default) uses the method's own"
                    + " predictions.")
    double tau;

    @ArgGroup(exclusive = true)
    Format format;

    /** The output format: a table unless one of these is given. */
    static final class Format {

        @Option(names = "--json", description = "One JSON object per image and line (JSON Lines).")
        boolean json;

        @Option(names = "--csv", description = "CSV: one row per image and rank, with a header.")
        boolean csv;
    }

    @Override
    public Integer call() throws IOException {
        if (topK < 1) {
            throw new LplException("--top-k " + topK + " must be at least 1");
        }
        if (!(tau >= 0) || Double.isInfinite(tau)) {
            throw new LplException("--post-hoc-tau " + tau + " must be a finite number >= 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunCheckpoint resolved = RunCheckpoint.resolve(target, checkpoint);
        List<Path> files = ImageInputs.list(inputs, warning -> {
            err.println("warning: " + warning);
            err.flush();
        });
        Bootstrap lpl = parent.bootstrap();
        try (PreparedRun run = lpl.runFactory().openForEvaluation(lpl.configLoader(), resolved.runDir(),
                resolved.checkpointDir())) {
            ImageDataset dataset = run.description().dataset();
            ImageSet test = dataset.test();
            int c = test.channels();
            int h = test.height();
            int w = test.width();
            byte[] pixels = new byte[Math.multiplyExact(files.size(), c * h * w)];
            ImageDecoder.decodeAll(files, c, h, w, file -> "", "it was removed while lpl predict ran", pixels);
            ImageSet images = new ImageSet(pixels, new int[files.size()], c, h, w);
            float[] probabilities = run.predict(images, tau);
            List<String> names = dataset.classNames();
            int k = Math.min(topK, names.size());
            List<List<Integer>> ranked = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                ranked.add(top(probabilities, i * names.size(), names.size(), k));
            }
            if (format != null && format.json) {
                for (int i = 0; i < files.size(); i++) {
                    List<Map<String, Object>> predictions = new ArrayList<>();
                    for (int index : ranked.get(i)) {
                        Map<String, Object> p = new LinkedHashMap<>();
                        p.put("class", names.get(index));
                        p.put("index", index);
                        p.put("probability", probabilities[i * names.size() + index]);
                        predictions.add(p);
                    }
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("image", files.get(i).toString());
                    line.put("predictions", predictions);
                    out.println(Json.line(line));
                }
            } else if (format != null && format.csv) {
                CsvSchema schema = CsvSchema.builder().addColumn("image").addColumn("rank").addColumn("class")
                        .addColumn("index").addColumn("probability").build().withHeader();
                // RFC 4180: quote only the fields that need it (Jackson otherwise quotes every long one)
                CsvMapper csv = CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();
                try (SequenceWriter writer = csv.writer(schema).writeValues(out)) {
                    for (int i = 0; i < files.size(); i++) {
                        List<Integer> top = ranked.get(i);
                        for (int r = 0; r < top.size(); r++) {
                            int index = top.get(r);
                            writer.write(List.of(files.get(i).toString(), r + 1, names.get(index), index,
                                    probabilities[i * names.size() + index]));
                        }
                    }
                }
            } else {
                table(out, run, resolved, files, names, ranked, probabilities, c, h, w);
            }
            out.flush();
        }
        return 0;
    }

    private void table(PrintWriter out, PreparedRun run, RunCheckpoint resolved, List<Path> files,
            List<String> names, List<List<Integer>> ranked, float[] probabilities, int c, int h, int w) {
        String name = resolved.checkpointDir().getFileName().toString();
        int epoch = run.start().epoch();
        boolean isFinal = resolved.selection().completed() && epoch == run.description().epochs()
                && new Checkpoints(resolved.runDir(), 1).latest()
                        .map(p -> p.getFileName().toString().equals(name)).orElse(false);
        String selectedOn = name.equals(Checkpoints.BEST) ? resolved.selection().bestSelectedOn() : null;
        out.printf(Locale.ROOT, "run %s, checkpoint %s (%s)%s%n", run.description().name(), name,
                EvalCommand.how(epoch, selectedOn, isFinal),
                tau == 0 ? "" : String.format(Locale.ROOT, ", post-hoc logit adjustment tau %.3g", tau));
        out.printf(Locale.ROOT, "images prepared as the test images of %s: %dx%dx%d %s, resized to %dx%d (aspect"
                + " ratio not kept), normalised with the run's mean and std%n", run.description().dataset().name(),
                c, h, w, c == 1 ? "grey" : "RGB", w, h);
        List<String> shown = files.stream().map(Path::toString).toList();
        int imageWidth = Math.max("IMAGE".length(), shown.stream().mapToInt(String::length).max().orElse(0));
        int classWidth = Math.max("CLASS".length(), names.stream().mapToInt(String::length).max().orElse(0));
        String row = "%-" + imageWidth + "s  %-" + classWidth + "s  %11s%n";
        out.printf(Locale.ROOT, row, "IMAGE", "CLASS", "PROBABILITY");
        for (int i = 0; i < files.size(); i++) {
            List<Integer> top = ranked.get(i);
            for (int r = 0; r < top.size(); r++) {
                int index = top.get(r);
                out.printf(Locale.ROOT, row, r == 0 ? shown.get(i) : "", names.get(index),
                        String.format(Locale.ROOT, "%.1f%%", 100.0 * probabilities[i * names.size() + index]));
            }
        }
    }

    /** The indices of the k largest of {@code p[offset, offset + n)}, largest first (ties: lower index first). */
    static List<Integer> top(float[] p, int offset, int n, int k) {
        Integer[] order = new Integer[n];
        Arrays.setAll(order, j -> j);
        Arrays.sort(order, (a, b) -> {
            int byValue = Float.compare(p[offset + b], p[offset + a]);
            return byValue != 0 ? byValue : Integer.compare(a, b);
        });
        return List.of(Arrays.copyOf(order, k));
    }
}
