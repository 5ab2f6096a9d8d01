package dev.lpl.runner;

import dev.lpl.api.LplException;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.bench.StepBenchmark;
import dev.lpl.core.bench.ThroughputBenchmark;
import dev.lpl.core.run.Json;
import dev.lpl.core.run.ResidentMemory;
import dev.lpl.core.train.CpuFeatures;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lpl bench}: the training step time of each method on one network and batch size. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = {
    "Time the training step of each method (exactly the training code) on one network and batch.",
    "Methods are interleaved round by round; prints the median and spread, images/s and the ratio to the first"
            + " method (the median over rounds of the paired ratio, robust to a machine whose speed drifts)."})
final class BenchCommand implements Callable<Integer> {

    @ParentCommand
    LplCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "resnet32", description = "Network (model.type), default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size, default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--methods", defaultValue = "ce,lpl", split = ",",
            description = "Methods or method presets, the first is the reference; default: ${DEFAULT-VALUE}.")
    List<String> methods;

    @Option(names = "--image", defaultValue = "3x32x32", description = "Input CxHxW, default: ${DEFAULT-VALUE}.")
    String image;

    @Option(names = "--classes", defaultValue = "10", description = "Number of classes, default: ${DEFAULT-VALUE}.")
    int classes;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed steps per method, default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--rounds", defaultValue = "20", description = "Rounds over all methods, default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--steps", defaultValue = "1", description = "Timed steps per method and round, default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--precision", paramLabel = "fp32|bf16", split = ",",
            description = "training.precision of every method (default: the configuration's, fp32); two, e.g."
                    + " fp32,bf16, time every method in each, interleaved (rows METHOD@fp32, METHOD@bf16).")
    List<String> precisions = List.of();

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key for every method (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--pipeline-batches", defaultValue = "40",
            description = "Batches per epoch of the input-pipeline test (0 = skip it), default: ${DEFAULT-VALUE}.")
    int pipelineBatches;

    @Option(names = "--no-eval", description = "Skip the evaluation throughput test.")
    boolean noEval;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the timings as JSON.")
    Path json;

    @Override
    public Integer call() throws IOException {
        int[] shape;
        try {
            shape = Arrays.stream(image.toLowerCase(Locale.ROOT).split("x")).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new LplException("--image " + image + " must be CxHxW, e.g. 3x32x32");
        }
        if (shape.length != 3 || Arrays.stream(shape).anyMatch(v -> v < 1)) {
            throw new LplException("--image " + image + " must be CxHxW with positive sizes, e.g. 3x32x32");
        }
        if (batch < 1 || classes < 2 || rounds < 1 || steps < 1 || warmup < 0 || methods.isEmpty()) {
            throw new LplException("--batch, --rounds and --steps must be positive, --classes at least 2, --warmup >= 0");
        }
        Bootstrap lpl = parent.bootstrap();
        List<String> sets = new ArrayList<>();
        sets.add("model.type=" + model);
        List<String> subjects = methods;
        if (precisions.size() == 1) {
            sets.add("training.precision=" + precisions.get(0));
        } else if (precisions.size() > 1) {
            subjects = new ArrayList<>();
            for (String method : methods) {
                for (String precision : precisions) {
                    subjects.add(method + "@" + precision);
                }
            }
        }
        sets.addAll(overrides);
        StepBenchmark.Options options = new StepBenchmark.Options(
                shape[0], shape[1], shape[2], classes, batch, warmup, rounds, steps, 42);
        List<StepBenchmark.Timing> timings =
                new StepBenchmark(lpl.configLoader(), lpl.runFactory()).run(subjects, sets, options);
        PrintWriter out = spec.commandLine().getOut();
        var resolved = lpl.configLoader().load(null, sets).settings().getSettings("training");
        int threads = resolved.getInt("threads", 0, 4096);
        out.printf(Locale.ROOT, "%s, batch %d, %s input, %s, %s; %s per method%n",
                model, batch, image, Plural.of(classes, "class"),
                Plural.of(threads > 0 ? threads : Runtime.getRuntime().availableProcessors(), "thread"),
                Plural.of((long) rounds * steps, "timed step"));
        out.printf(Locale.ROOT, "precision %s, %s, CPU: %s%n",
                precisions.size() > 1 ? String.join(" and ", precisions) : resolved.getString("precision"),
                resolved.getBoolean("channels-last") ? "channels-last input" : "channels-first input",
                CpuFeatures.detect().summary());
        String format = "%-16s %10s %9s %9s %12s %12s %8s %10s%n";
        out.printf(Locale.ROOT, format, "method", "median ms", "p10 ms", "p90 ms", "objective ms", "images/s",
                "vs " + subjects.get(0), "objective-");
        out.printf(Locale.ROOT, format, "", "", "", "", "", "", "", "based");
        StepBenchmark.Timing reference = timings.get(0);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (StepBenchmark.Timing t : timings) {
            double median = t.stepQuantile(0.5);
            // the steps differ only in the objective, so its extra time over the reference's step is a
            // low-noise estimate of the step ratio where the machine's noise swamps the step times
            double objectiveBased = 1 + (t.objectiveMedian() - reference.objectiveMedian()) / reference.stepQuantile(0.5);
            out.printf(Locale.ROOT, format, t.method(), fmt(median), fmt(t.stepQuantile(0.1)), fmt(t.stepQuantile(0.9)),
                    String.format(Locale.ROOT, "%.3f", t.objectiveMedian()), fmt(t.imagesPerSecond()),
                    String.format(Locale.ROOT, "%.3f", t.pairedRatio()), String.format(Locale.ROOT, "%.4f", objectiveBased));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("method", t.method());
            row.put("median_ms", median);
            row.put("p10_ms", t.stepQuantile(0.1));
            row.put("p90_ms", t.stepQuantile(0.9));
            row.put("objective_median_ms", t.objectiveMedian());
            row.put("images_per_second", t.imagesPerSecond());
            row.put("paired_ratio", t.pairedRatio());
            row.put("objective_based_ratio", objectiveBased);
            row.put("paired_ratios", t.pairedRatios());
            row.put("step_ms", t.stepMillis());
            rows.add(row);
        }
        double trainImagesPerSecond = timings.get(0).imagesPerSecond();
        Map<String, Object> extra = new LinkedHashMap<>();
        if (pipelineBatches > 0) {
            double pipeline = ThroughputBenchmark.inputPipeline(options, pipelineBatches, 2);
            out.printf(Locale.ROOT, "input pipeline   %s images/s alone (pad-crop 4, flip, normalise, batch assembly;"
                    + " background thread), %.1fx %s's training throughput%n", fmt(pipeline),
                    pipeline / trainImagesPerSecond, methods.get(0));
            extra.put("input_pipeline_images_per_second", pipeline);
        }
        if (!noEval) {
            ThroughputBenchmark.Evaluation eval =
                    new ThroughputBenchmark(lpl.configLoader(), lpl.runFactory()).evaluation(sets, options);
            out.printf(Locale.ROOT, "evaluation       %s images/s without autograd, %.2fx %s's training throughput"
                    + " (recording autograd: %s images/s)%n", fmt(eval.imagesPerSecond()),
                    eval.imagesPerSecond() / trainImagesPerSecond, methods.get(0),
                    fmt(eval.withAutogradImagesPerSecond()));
            extra.put("evaluation_images_per_second", eval.imagesPerSecond());
            extra.put("evaluation_with_autograd_images_per_second", eval.withAutogradImagesPerSecond());
            extra.put("evaluation_vs_training", eval.imagesPerSecond() / trainImagesPerSecond);
        }
        OptionalLong peak = ResidentMemory.peak();
        OptionalLong now = ResidentMemory.current();
        if (peak.isPresent() && now.isPresent()) {
            out.printf(Locale.ROOT, "memory           peak resident %d MB, now %d MB (Java heap used %d MB)%n",
                    peak.getAsLong() >> 20, now.getAsLong() >> 20,
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
            extra.put("peak_resident_bytes", peak.getAsLong());
            extra.put("resident_bytes", now.getAsLong());
        }
        out.flush();
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("model", model);
            doc.put("batch", batch);
            doc.put("image", image);
            doc.put("classes", classes);
            doc.put("processors", Runtime.getRuntime().availableProcessors());
            doc.put("methods", rows);
            doc.putAll(extra);
            Files.writeString(json, Json.pretty(doc));
        }
        return 0;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
