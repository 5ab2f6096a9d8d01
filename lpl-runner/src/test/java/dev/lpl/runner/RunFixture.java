package dev.lpl.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run directory written by hand with the data contract of {@code lpl train}: {@code
 * manifest.json}, {@code metrics.jsonl} (one object per epoch) and {@code summary.json}. With
 * {@link #legacy()} it lacks what older runs lack: the relative loss variation, ECE and calibration.
 */
public final class RunFixture {

    /** Four classes: two many-shot, one medium, one few. */
    public static final List<String> NAMES = List.of("head-a", "head-b", "middle", "tail");
    /** Their training counts. */
    public static final long[] COUNTS = {500, 150, 40, 8};

    private String run = "fixture";
    private String method = "lpl";
    private String status = "completed";
    private int epochs = 3;
    private int epochsCompleted = 3;
    private long seed = 42;
    private Object ratio = 100;
    private Object alpha = 0.15;
    private double top1Error = 0.3;
    private double balanced = 0.6;
    private double many = 0.8;
    private double medium = 0.5;
    private Double few = 0.25;
    private double ece = 0.1;
    private double bestImprovement = 0.01;
    private boolean legacy;
    /** null: a run written before lpl had a validation split (no selection); else "validation" or "final". */
    private String selection;
    private final Map<String, Object> extraConfig = new LinkedHashMap<>();

    /**
     * Starts a fixture.
     *
     * @param run the run's name
     * @return the fixture
     */
    public static RunFixture named(String run) {
        RunFixture f = new RunFixture();
        f.run = run;
        return f;
    }

    public RunFixture method(String value) {
        method = value;
        return this;
    }

    public RunFixture status(String value, int completed) {
        status = value;
        epochsCompleted = completed;
        return this;
    }

    public RunFixture seed(long value) {
        seed = value;
        return this;
    }

    public RunFixture ratio(Object value) {
        ratio = value;
        return this;
    }

    public RunFixture alpha(Object value) {
        alpha = value;
        return this;
    }

    /**
     * Sets the final figures (fractions; few may be null for an empty group).
     */
    public RunFixture figures(double top1Error, double balanced, double many, double medium, Double few, double ece) {
        this.top1Error = top1Error;
        this.balanced = balanced;
        this.many = many;
        this.medium = medium;
        this.few = few;
        this.ece = ece;
        return this;
    }

    /** The best epoch's top-1 error is lower, and every accuracy higher, by this much. */
    public RunFixture bestImprovement(double value) {
        bestImprovement = value;
        return this;
    }

    /**
     * Writes the summary of a run with a validation split: {@code "selection": "validation"}, a
     * {@code best} selected on validation ({@link #bestImprovement} better than final), a {@code
     * test_selected} twice as much better, and validation figures in {@code metrics.jsonl}.
     */
    public RunFixture withValidation() {
        selection = "validation";
        return this;
    }

    /** Writes the summary of a run without a validation split: {@code "selection": "final"}, no {@code best}. */
    public RunFixture withoutValidation() {
        selection = "final";
        return this;
    }

    /**
     * Sets a configuration value in the manifest (dotted key below {@code lpl}).
     *
     * @param dottedKey e.g. {@code data.synthetic.imbalance-ratio}
     * @param value the value
     * @return this
     */
    public RunFixture config(String dottedKey, Object value) {
        extraConfig.put(dottedKey, value);
        return this;
    }

    /** Writes the files an older lpl wrote: no relative loss variation, ECE or calibration. */
    public RunFixture legacy() {
        legacy = true;
        return this;
    }

    /**
     * Writes the run directory.
     *
     * @param directory where (created)
     * @return the directory
     */
    public Path write(Path directory) {
        try {
            Files.createDirectories(directory);
            ObjectMapper pretty = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectMapper compact = new ObjectMapper();
            Files.writeString(directory.resolve("manifest.json"), pretty.writeValueAsString(manifest()));
            StringBuilder metrics = new StringBuilder();
            for (int e = 1; e <= epochsCompleted; e++) {
                metrics.append(compact.writeValueAsString(metricsLine(e))).append('\n');
            }
            Files.writeString(directory.resolve("metrics.jsonl"), metrics.toString());
            Files.writeString(directory.resolve("summary.json"), pretty.writeValueAsString(summary()));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> manifest() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", run);
        m.put("created", "2026-01-02T03:04:05Z");
        m.put("versions", Map.of("lpl", "0.1.0-SNAPSHOT", "djl", "0.36.0", "engine", "PyTorch 2.7.1", "java", "17.0.15"));
        m.put("git_commit", null);
        m.put("host", "fixture-host");
        m.put("device", "cpu()");
        m.put("seeds", Map.of("root", seed, "init", 7));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", "synthetic");
        data.put("identity", Map.of("generator", "fixture"));
        data.put("classes", NAMES);
        data.put("train_size", Arrays.stream(COUNTS).sum());
        data.put("test_size", 400);
        data.put("train_class_counts", COUNTS);
        data.put("long_tail", Map.of("profile", "exponential", "ratio", ratio));
        m.put("dataset", data);
        m.put("method", method);
        m.put("model", Map.of("name", "small-cnn", "trainable_parameters", 65834));
        Map<String, Object> longTail = new LinkedHashMap<>();
        longTail.put("profile", "exponential");
        longTail.put("ratio", ratio);
        Map<String, Object> config = mutable(Map.of(
                "run", Map.of("seed", seed),
                "data", Map.of("type", "synthetic", "long-tail", longTail),
                "method", Map.of("type", method, "lpl", Map.of("optimizer", Map.of("pgd", Map.of("alpha", alpha)))),
                "training", Map.of("epochs", epochs)));
        extraConfig.forEach((key, value) -> {
            String[] parts = key.split("\\.");
            Map<String, Object> node = config;
            for (int i = 0; i < parts.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<>());
                node = child;
            }
            node.put(parts[parts.length - 1], value);
        });
        m.put("config", config);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mutable(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, v instanceof Map<?, ?> child ? mutable((Map<String, Object>) child) : v));
        return copy;
    }

    /** Epoch e of E: figures improve linearly to the final ones. */
    private Map<String, Object> metricsLine(int e) {
        double progress = (double) e / epochsCompleted;
        boolean last = e == epochsCompleted;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", e);
        m.put("epochs", epochs);
        m.put("train_loss", 2.0 / e);
        m.put("test_accuracy", last ? 1 - top1Error : progress * (1 - top1Error));
        m.put("balanced_accuracy", last ? balanced : progress * balanced);
        m.put("many_shot_accuracy", last ? many : progress * many);
        m.put("medium_shot_accuracy", last ? medium : progress * medium);
        m.put("few_shot_accuracy", few == null ? null : last ? few : progress * few);
        m.put("per_class_accuracy", List.of(many * progress, many * progress, medium * progress, few == null ? 0 : few * progress));
        m.put("learning_rate", 0.1 / e);
        m.put("epoch_seconds", 1.5);
        m.put("step_seconds", 1.0);
        m.put("objective_seconds", 0.1);
        m.put("data_wait_seconds", 0.01);
        m.put("eval_seconds", 0.3);
        m.put("steps", 10);
        if ("validation".equals(selection)) {
            m.put("val_balanced_accuracy", last ? balanced - 0.05 : progress * (balanced - 0.05));
            m.put("val_accuracy", last ? 0.95 - top1Error : progress * (0.95 - top1Error));
        }
        if (!legacy) {
            List<Object> variation = new ArrayList<>(List.of(-0.2 * progress, -0.1 * progress, 0.3 * progress, 0.6 * progress));
            if (e == 1) {
                variation.set(3, null); // no tail sample in this epoch
            }
            m.put("relative_loss_variation", "ce".equals(method) ? List.of(0, 0, 0, 0) : variation);
            m.put("ece", last ? ece : ece * 2);
        }
        return m;
    }

    private Map<String, Object> summary() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("run", run);
        s.put("status", status);
        s.put("method", method);
        s.put("model", "small-cnn");
        s.put("dataset", "synthetic");
        s.put("epochs_completed", epochsCompleted);
        s.put("epochs", epochs);
        s.put("final", figures(epochsCompleted, 0));
        if (selection == null) {
            s.put("best", figures(Math.max(1, epochsCompleted - 1), bestImprovement));
        } else {
            s.put("selection", selection);
            if ("validation".equals(selection)) {
                Map<String, Object> best = figures(Math.max(1, epochsCompleted - 1), bestImprovement);
                best.put("selected_on", "validation");
                best.put("val_balanced_accuracy", balanced - 0.05 + bestImprovement);
                s.put("best", best);
            }
            Map<String, Object> tested = figures(Math.max(1, epochsCompleted - 1), 2 * bestImprovement);
            tested.put("selected_on", "test");
            s.put("test_selected", tested);
        }
        List<Map<String, Object>> classes = new ArrayList<>();
        double[] accuracy = {many, many, medium, few == null ? 0 : few};
        String[] groups = {"many", "many", "medium", "few"};
        for (int c = 0; c < NAMES.size(); c++) {
            Map<String, Object> cls = new LinkedHashMap<>();
            cls.put("class", c);
            cls.put("name", NAMES.get(c));
            cls.put("train_count", COUNTS[c]);
            cls.put("shot_group", groups[c]);
            cls.put("accuracy", accuracy[c]);
            classes.add(cls);
        }
        s.put("classes", classes);
        s.put("confusion", new long[][] {{90, 5, 5, 0}, {10, 80, 10, 0}, {20, 20, 50, 10}, {30, 30, 15, 25}});
        s.put("time", Map.of("total_seconds", 4.5, "mean_step_ms", 100.0));
        if (!legacy) {
            int bins = 15;
            List<Double> lower = new ArrayList<>();
            List<Double> upper = new ArrayList<>();
            List<Long> count = new ArrayList<>();
            List<Double> confidence = new ArrayList<>();
            List<Double> acc = new ArrayList<>();
            for (int b = 0; b < bins; b++) {
                lower.add((double) b / bins);
                upper.add((double) (b + 1) / bins);
                long n = b < 4 ? 0 : 10L * (b - 3);
                count.add(n);
                double centre = (b + 0.5) / bins;
                confidence.add(n == 0 ? null : centre);
                acc.add(n == 0 ? null : Math.max(0, centre - 0.1));
            }
            Map<String, Object> calibration = new LinkedHashMap<>();
            calibration.put("bins", bins);
            calibration.put("bin_lower", lower);
            calibration.put("bin_upper", upper);
            calibration.put("count", count);
            calibration.put("confidence", confidence);
            calibration.put("accuracy", acc);
            calibration.put("ece", ece);
            s.put("calibration", calibration);
        }
        return s;
    }

    private Map<String, Object> figures(int epoch, double improvement) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("epoch", epoch);
        f.put("test_accuracy", 1 - top1Error + improvement);
        f.put("top1_error", top1Error - improvement);
        f.put("balanced_accuracy", balanced + improvement);
        f.put("many_shot_accuracy", many + improvement);
        f.put("medium_shot_accuracy", medium + improvement);
        f.put("few_shot_accuracy", few == null ? null : few + improvement);
        f.put("train_loss", 2.0 / epoch);
        if (!legacy) {
            f.put("ece", ece + improvement);
        }
        return f;
    }
}
