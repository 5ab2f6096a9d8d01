package dev.lpl.core.run;

import static java.util.Objects.requireNonNull;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lpl.api.LplException;
import dev.lpl.api.data.ImageDataset;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.api.training.EpochResult;
import dev.lpl.api.training.RunInfo;
import dev.lpl.api.training.RunListener;
import dev.lpl.api.training.WeightOptimizer;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.interop.ModelWeights;
import dev.lpl.core.train.Calibration;
import dev.lpl.core.train.MethodObjective;
import dev.lpl.core.train.ShotGroup;
import dev.lpl.core.train.TrainingEngine;
import dev.lpl.core.train.TrainingEngine.EpochOutcome;
import dev.lpl.core.train.TrainingEngine.Position;
import dev.lpl.core.train.TrainingProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A run ready to train: everything validated and built, the run directory created (or, to resume,
 * reopened and the latest checkpoint restored). {@link #run} writes {@code resolved.conf}, {@code
 * manifest.json} and {@code train-indices.txt} (new runs), trains, and after every epoch appends a
 * line to {@code metrics.jsonl}, rewrites {@code summary.json} and {@code metrics.prom}, and writes
 * a checkpoint; a stop request writes a mid-epoch checkpoint.
 */
public final class PreparedRun implements AutoCloseable {

    /**
     * What the run is.
     *
     * @param name the run's name
     * @param method the method's name (the preset's, when one was used)
     * @param model the model's name
     * @param dataset the dataset (training set after long-tail sampling)
     * @param classCounts the training count of every class
     * @param parameters trainable parameters of the network
     * @param device the device
     * @param engine the engine's name and version
     * @param epochs the number of epochs
     * @param batchSize the batch size
     * @param seeds the root seed and its child seeds
     * @param longTail how the training set was sampled
     * @param trainIndices the source indices kept by long-tail sampling, or null without it
     */
    public record Description(
            String name,
            String method,
            String model,
            ImageDataset dataset,
            long[] classCounts,
            long parameters,
            String device,
            String engine,
            int epochs,
            int batchSize,
            Map<String, Object> seeds,
            Map<String, Object> longTail,
            int[] trainIndices) {}

    /**
     * The trainable parts of a run.
     *
     * @param engine the training loop
     * @param block the network
     * @param optimizer the weight optimizer
     * @param objective the method's objective
     * @param manager the model's manager
     * @param checkpoints the run's checkpoints
     * @param checkpointEvery write a checkpoint every this many epochs (0: only at the end)
     * @param metrics the run's Micrometer metrics
     */
    public record Training(
            TrainingEngine engine,
            ClassifierBlock block,
            WeightOptimizer optimizer,
            MethodObjective objective,
            NDManager manager,
            Checkpoints checkpoints,
            int checkpointEvery,
            RunMetrics metrics) {}

    /** How a call to {@link #run} ended. */
    public enum Status {
        /** The last epoch finished. */
        COMPLETED,
        /** A stop was requested; a checkpoint was written. */
        STOPPED
    }

    /**
     * The outcome of {@link #run}.
     *
     * @param status completed or stopped
     * @param last the last epoch finished in this call, or null if none finished
     * @param checkpoint the checkpoint written on a stop, or null
     */
    public record Outcome(Status status, EpochOutcome last, Path checkpoint) {}

    private final RunConfig config;
    private final Description description;
    private final RunDirectory directory;
    private final Training training;
    private final List<RunListener> listeners;
    private final List<AutoCloseable> resources;
    private final List<Map<String, Object>> history = new ArrayList<>();
    private Map<String, Object> detail = Map.of();
    private Position start;
    private boolean resumed;
    private Path stopCheckpoint;
    private ModelWeights.Loaded initialWeights;

    PreparedRun(
            RunConfig config,
            Description description,
            RunDirectory directory,
            Training training,
            List<RunListener> listeners,
            List<AutoCloseable> resources) {
        this.config = requireNonNull(config, "config is null");
        this.description = requireNonNull(description, "description is null");
        this.directory = requireNonNull(directory, "directory is null");
        this.training = requireNonNull(training, "training is null");
        this.listeners = List.copyOf(listeners);
        this.resources = List.copyOf(resources);
        this.start = Position.startOf(0, description.classCounts().length);
    }

    /**
     * Returns what the run is.
     *
     * @return the description
     */
    public Description description() {
        return description;
    }

    /**
     * Returns the run directory.
     *
     * @return the directory
     */
    public RunDirectory directory() {
        return directory;
    }

    /**
     * Returns the run's metrics (for a live endpoint).
     *
     * @return the metrics
     */
    public RunMetrics metrics() {
        return training.metrics();
    }

    /**
     * Returns where training will start.
     *
     * @return the position (epoch 0, batch 0 for a new run)
     */
    public Position start() {
        return start;
    }

    /**
     * Records that the network's weights were loaded from a file ({@code model.init-from}); the
     * manifest names the file and its SHA-256.
     *
     * @param loaded what was loaded
     */
    void initializedFrom(ModelWeights.Loaded loaded) {
        initialWeights = requireNonNull(loaded, "loaded is null");
    }

    /**
     * Loads the weights (and optimizer and method state) of a checkpoint, for evaluation.
     *
     * @param checkpoint the checkpoint directory
     */
    void restore(Path checkpoint) {
        if (!Files.isDirectory(checkpoint)) {
            throw new LplException("checkpoint " + checkpoint + " does not exist; lpl eval lists the run's checkpoints");
        }
        checkSameData();
        start = Checkpoints.restore(checkpoint, training.block(), training.optimizer(),
                training.objective().perturbation(), training.manager()).position();
        resumed = true;
    }

    /**
     * The test-set evaluation of the current weights.
     *
     * @param metrics accuracy, balanced accuracy, shot groups, confusion matrix
     * @param calibration confidence calibration and ECE
     */
    public record Evaluation(dev.lpl.core.train.ClassificationMetrics metrics, Calibration calibration) {}

    /**
     * Evaluates the current weights on the test set.
     *
     * @param postHocTau τ of post-hoc logit adjustment (predict argmax(u − τ·log π)); 0 uses the
     *     method's own prediction logits
     * @return the evaluation
     */
    public Evaluation evaluate(double postHocTau) {
        long[] counts = description.classCounts();
        dev.lpl.core.train.Evaluator.Result result;
        if (postHocTau == 0) {
            result = training.engine().evaluate();
        } else {
            long total = Arrays.stream(counts).sum();
            float[] shift = new float[counts.length];
            for (int c = 0; c < counts.length; c++) {
                shift[c] = (float) (postHocTau * Math.log((double) counts[c] / total + 1e-12));
            }
            result = training.engine().evaluate(logits -> logits.sub(logits.getManager().create(shift)));
        }
        return new Evaluation(new dev.lpl.core.train.ClassificationMetrics(result.confusion(), counts),
                result.calibration());
    }

    /** Restores the latest checkpoint and the metrics of the epochs it covers (to resume). */
    void restoreLatest() {
        checkSameData();
        Optional<Path> latest = training.checkpoints().latest();
        if (latest.isPresent()) {
            start = Checkpoints.restore(latest.get(), training.block(), training.optimizer(),
                    training.objective().perturbation(), training.manager()).position();
        }
        for (String line : directory.truncateLines(RunDirectory.METRICS, start.epoch())) {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> map = Json.mapper().readValue(line, LinkedHashMap.class);
                history.add(map);
            } catch (IOException e) {
                throw new LplException(directory.path().resolve(RunDirectory.METRICS) + " is corrupt: " + e.getMessage(), e);
            }
        }
        Path summary = directory.path().resolve(RunDirectory.SUMMARY);
        if (Files.isRegularFile(summary) && !history.isEmpty()) {
            try {
                JsonNode node = Json.mapper().readTree(summary.toFile());
                Map<String, Object> kept = new LinkedHashMap<>();
                for (String key : List.of("classes", "confusion", "calibration")) {
                    if (node.has(key)) {
                        kept.put(key, Json.mapper().convertValue(node.get(key), Object.class));
                    }
                }
                detail = kept;
            } catch (IOException e) {
                // the summary is rewritten at the next epoch
            }
        }
        resumed = true;
    }

    private void checkSameData() {
        try {
            JsonNode manifest = Json.mapper().readTree(directory.path().resolve(RunDirectory.MANIFEST).toFile());
            Map<String, String> recorded = new LinkedHashMap<>();
            manifest.path("dataset").path("identity").fields()
                    .forEachRemaining(e -> recorded.put(e.getKey(), e.getValue().asText()));
            Map<String, String> now = description.dataset().identity();
            if (!recorded.equals(now)) {
                String key = now.keySet().stream().filter(k -> !now.get(k).equals(recorded.get(k)))
                        .findFirst().orElse(recorded.keySet().stream().filter(k -> !now.containsKey(k)).findFirst().orElse("?"));
                throw new LplException("the data differs from when run " + description.name() + " started (identity "
                        + key + ": was " + recorded.get(key) + ", now " + now.get(key)
                        + "); resume with the same dataset files");
            }
        } catch (IOException e) {
            throw new LplException(directory.path().resolve(RunDirectory.MANIFEST) + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Trains the run to its last epoch.
     *
     * @param progress progress display
     * @return how the call ended
     */
    public Outcome run(TrainingProgress progress) {
        return run(progress, () -> false);
    }

    /**
     * Trains the run to its last epoch, or until a stop is requested.
     *
     * @param progress progress display
     * @param stopRequested polled after every step
     * @return how the call ended
     */
    public Outcome run(TrainingProgress progress, BooleanSupplier stopRequested) {
        if (!resumed) {
            directory.write(RunDirectory.RESOLVED_CONF, "# lpl resolved configuration of run " + description.name()
                    + System.lineSeparator() + "# repeat with: lpl train -c " + RunDirectory.RESOLVED_CONF
                    + " --out NEW_DIR" + System.lineSeparator() + config.render());
            directory.write(RunDirectory.MANIFEST, Json.pretty(manifest()));
            if (description.trainIndices() != null) {
                directory.write(RunDirectory.TRAIN_INDICES, Arrays.stream(description.trainIndices())
                        .mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n")));
            }
        }
        ImageDataset dataset = description.dataset();
        RunInfo info = new RunInfo(description.name(), directory.path(), description.method(), dataset.name(),
                dataset.classNames(), description.classCounts(), description.epochs());
        listeners.forEach(l -> l.runStarted(info));
        EpochOutcome[] last = new EpochOutcome[1];
        boolean finished;
        try {
            finished = training.engine().train(start, progress, new TrainingEngine.Hooks() {
                @Override
                public void epochFinished(EpochOutcome outcome) {
                    last[0] = outcome;
                    finishEpoch(outcome);
                }

                @Override
                public void stopped(Position position) {
                    stopCheckpoint = writeCheckpoint(position);
                    writeSummary("stopped", Map.of("stopped_at", Map.of("epoch", position.epoch() + 1,
                            "batch", position.batch()), "checkpoint", relative(stopCheckpoint)));
                }
            }, stopRequested);
        } catch (TrainingEngine.NonFiniteLossException e) {
            Optional<Path> good = training.checkpoints().latest();
            writeSummary("failed", Map.of("reason", e.getMessage()));
            throw new LplException(e.getMessage() + "; "
                    + good.map(p -> "the last good checkpoint is " + p + " (nothing after it was saved)")
                            .orElse("no checkpoint was written before it"), e);
        }
        if (!finished) {
            return new Outcome(Status.STOPPED, last[0], stopCheckpoint);
        }
        listeners.forEach(l -> l.runFinished(last[0] == null ? null : last[0].result()));
        return new Outcome(Status.COMPLETED, last[0], null);
    }

    private void finishEpoch(EpochOutcome outcome) {
        EpochResult result = outcome.result();
        boolean best = history.stream().noneMatch(h -> number(h.get("balanced_accuracy")) >= result.balancedAccuracy());
        Map<String, Object> line = metricsLine(outcome, training.engine().phase(result.epoch()));
        history.add(line);
        directory.appendLine(RunDirectory.METRICS, Json.line(line));
        detail = detail(outcome);
        training.metrics().epochFinished(result, outcome.calibration().ece());
        directory.write(RunDirectory.METRICS_PROM, training.metrics().scrape());
        int completed = result.epoch() + 1;
        boolean lastEpoch = completed == description.epochs();
        int every = training.checkpointEvery();
        if (lastEpoch || best || (every > 0 && completed % every == 0)) {
            Path checkpoint = writeCheckpoint(Position.startOf(completed, description.classCounts().length));
            if (best) {
                training.checkpoints().markBest(checkpoint);
            }
        }
        writeSummary(lastEpoch ? "completed" : "running", Map.of());
        listeners.forEach(l -> l.epochFinished(result));
    }

    private Path writeCheckpoint(Position position) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("run", description.name());
        extra.put("created", Instant.now().toString());
        extra.put("learning_rate", training.optimizer().learningRate());
        return training.checkpoints().write(position, training.block(), training.optimizer(),
                training.objective().perturbation(), extra);
    }

    private String relative(Path path) {
        return directory.path().relativize(path).toString();
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private Map<String, Object> manifest() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", description.name());
        m.put("created", Instant.now().toString());
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("lpl", Provenance.lplVersion());
        versions.put("djl", Engine.getDjlVersion());
        versions.put("engine", description.engine());
        versions.put("java", System.getProperty("java.version"));
        versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " " + System.getProperty("os.arch"));
        m.put("versions", versions);
        m.put("git_commit", Provenance.gitCommit(Path.of("")).orElse(null));
        m.put("host", Provenance.host());
        m.put("device", description.device());
        m.put("seeds", description.seeds());
        ImageDataset dataset = description.dataset();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", dataset.name());
        data.put("identity", dataset.identity());
        data.put("classes", dataset.classNames());
        data.put("train_size", dataset.train().size());
        data.put("test_size", dataset.test().size());
        data.put("train_class_counts", description.classCounts());
        data.put("long_tail", description.longTail());
        data.put("image_shape", List.of(dataset.train().channels(), dataset.train().height(), dataset.train().width()));
        m.put("dataset", data);
        m.put("method", description.method());
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", description.model());
        model.put("trainable_parameters", description.parameters());
        if (initialWeights != null) {
            model.put("init_from", initialWeights.provenance());
        }
        m.put("model", model);
        m.put("config_sources", config.sources());
        m.put("config", config.config().root().unwrapped());
        // what a sweep compares before reusing this run (dev.lpl.core.config.ResultKeys)
        m.put("result_fingerprint", dev.lpl.core.config.ResultKeys.of(config.config()).fingerprint());
        return m;
    }

    private static Map<String, Object> metricsLine(EpochOutcome outcome, String phase) {
        EpochResult r = outcome.result();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("epoch", r.epoch() + 1);
        line.put("epochs", r.epochs());
        line.put("phase", phase);
        line.put("train_loss", r.trainLoss());
        line.put("test_accuracy", r.testAccuracy());
        line.put("balanced_accuracy", r.balancedAccuracy());
        line.put("many_shot_accuracy", r.manyShotAccuracy());
        line.put("medium_shot_accuracy", r.mediumShotAccuracy());
        line.put("few_shot_accuracy", r.fewShotAccuracy());
        line.put("ece", outcome.calibration().ece());
        line.put("per_class_accuracy", r.perClassAccuracy());
        line.put("relative_loss_variation", outcome.lossVariation());
        line.put("learning_rate", r.learningRate());
        line.put("epoch_seconds", r.seconds());
        line.put("step_seconds", outcome.timings().steps());
        line.put("objective_seconds", outcome.timings().objective());
        line.put("data_wait_seconds", outcome.timings().dataWait());
        line.put("eval_seconds", outcome.timings().evaluation());
        line.put("steps", outcome.timings().batches());
        // whole-process resident memory after the epoch (heap + engine's native memory): a native leak shows here
        ResidentMemory.current().ifPresent(bytes -> line.put("resident_mb", Math.round(bytes / 1048576.0 * 10) / 10.0));
        return line;
    }

    private Map<String, Object> detail(EpochOutcome outcome) {
        Map<String, Object> d = new LinkedHashMap<>();
        List<Map<String, Object>> classes = new ArrayList<>();
        double[] acc = outcome.result().perClassAccuracy();
        for (int c = 0; c < acc.length; c++) {
            Map<String, Object> cls = new LinkedHashMap<>();
            cls.put("class", c);
            cls.put("name", description.dataset().classNames().get(c));
            cls.put("train_count", description.classCounts()[c]);
            cls.put("shot_group", ShotGroup.of(description.classCounts()[c]).label());
            cls.put("accuracy", acc[c]);
            classes.add(cls);
        }
        d.put("classes", classes);
        d.put("confusion", outcome.metrics().confusion());
        Calibration calibration = outcome.calibration();
        Map<String, Object> cal = new LinkedHashMap<>();
        double[] lower = new double[Calibration.BINS];
        double[] upper = new double[Calibration.BINS];
        for (int b = 0; b < Calibration.BINS; b++) {
            lower[b] = (double) b / Calibration.BINS;
            upper[b] = (double) (b + 1) / Calibration.BINS;
        }
        cal.put("bins", Calibration.BINS);
        cal.put("bin_lower", lower);
        cal.put("bin_upper", upper);
        cal.put("count", calibration.counts());
        cal.put("confidence", calibration.confidences());
        cal.put("accuracy", calibration.accuracies());
        cal.put("ece", calibration.ece());
        d.put("calibration", cal);
        return d;
    }

    private void writeSummary(String status, Map<String, Object> extra) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("run", description.name());
        s.put("status", status);
        s.putAll(extra);
        s.put("method", description.method());
        s.put("model", description.model());
        s.put("dataset", description.dataset().name());
        s.put("epochs_completed", history.size());
        s.put("epochs", description.epochs());
        if (!history.isEmpty()) {
            Map<String, Object> last = history.get(history.size() - 1);
            Map<String, Object> best = history.stream()
                    .max(java.util.Comparator.comparingDouble(h -> number(h.get("balanced_accuracy"))))
                    .orElse(last);
            s.put("final", figures(last));
            s.put("best", figures(best));
        }
        training.engine().fineTune().ifPresent(fineTune -> s.put("phases", phases(fineTune)));
        s.putAll(detail);
        Map<String, Object> time = new LinkedHashMap<>();
        double steps = sum("step_seconds");
        double batches = sum("steps");
        time.put("total_seconds", sum("epoch_seconds"));
        time.put("mean_step_ms", batches == 0 ? Double.NaN : 1000 * steps / batches);
        time.put("mean_objective_ms", batches == 0 ? Double.NaN : 1000 * sum("objective_seconds") / batches);
        time.put("data_wait_seconds", sum("data_wait_seconds"));
        time.put("eval_seconds", sum("eval_seconds"));
        s.put("time", time);
        directory.write(RunDirectory.SUMMARY, Json.pretty(s));
    }

    /** The two phases of a fine-tuned run: their epochs (1-based, inclusive) and last figures. */
    private List<Map<String, Object>> phases(TrainingEngine.FineTune fineTune) {
        List<Map<String, Object>> phases = new ArrayList<>();
        int[][] ranges = {{1, fineTune.startEpoch()}, {fineTune.startEpoch() + 1, description.epochs()}};
        String[] names = {TrainingEngine.FineTune.TRAIN, TrainingEngine.FineTune.FINETUNE};
        for (int k = 0; k < 2; k++) {
            Map<String, Object> phase = new LinkedHashMap<>();
            phase.put("name", names[k]);
            phase.put("first_epoch", ranges[k][0]);
            phase.put("last_epoch", ranges[k][1]);
            phase.put("learning_rate", k == 0 ? "schedule" : fineTune.learningRate());
            phase.put("sampling", k == 0 ? "instance" : "class-balanced");
            int last = ranges[k][1];
            history.stream().filter(h -> number(h.get("epoch")) == last).findFirst()
                    .ifPresent(h -> phase.put("final", figures(h)));
            phases.add(phase);
        }
        return phases;
    }

    private double sum(String key) {
        return history.stream().mapToDouble(h -> {
            double v = number(h.get(key));
            return Double.isNaN(v) ? 0 : v;
        }).sum();
    }

    private static Map<String, Object> figures(Map<String, Object> line) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("epoch", line.get("epoch"));
        f.put("test_accuracy", line.get("test_accuracy"));
        f.put("top1_error", 1 - number(line.get("test_accuracy")));
        for (String key : List.of("balanced_accuracy", "many_shot_accuracy", "medium_shot_accuracy",
                "few_shot_accuracy", "ece", "train_loss")) {
            f.put(key, line.get(key));
        }
        return f;
    }

    @Override
    public void close() {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                // closing is best effort; the run's files are already written
            }
        }
    }
}
