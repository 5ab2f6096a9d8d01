package dev.lpl.core.run;

import static java.util.Objects.requireNonNull;

import ai.djl.engine.Engine;
import dev.lpl.api.data.ImageDataset;
import dev.lpl.api.training.EpochResult;
import dev.lpl.api.training.RunInfo;
import dev.lpl.api.training.RunListener;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.train.ShotGroup;
import dev.lpl.core.train.TrainingEngine;
import dev.lpl.core.train.TrainingEngine.EpochOutcome;
import dev.lpl.core.train.TrainingProgress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run ready to train: everything validated and built, the run directory created. {@link #run}
 * writes {@code resolved.conf} and {@code manifest.json}, trains, appends a line to {@code
 * metrics.jsonl} and rewrites {@code summary.json} after every epoch.
 */
public final class PreparedRun implements AutoCloseable {

    /**
     * What the run is.
     *
     * @param name the run's name
     * @param method the method's name
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
            Map<String, Object> longTail) {}

    private final RunConfig config;
    private final Description description;
    private final RunDirectory directory;
    private final TrainingEngine engine;
    private final List<RunListener> listeners;
    private final List<AutoCloseable> resources;

    PreparedRun(
            RunConfig config,
            Description description,
            RunDirectory directory,
            TrainingEngine engine,
            List<RunListener> listeners,
            List<AutoCloseable> resources) {
        this.config = requireNonNull(config, "config is null");
        this.description = requireNonNull(description, "description is null");
        this.directory = requireNonNull(directory, "directory is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.listeners = List.copyOf(listeners);
        this.resources = List.copyOf(resources);
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
     * Trains the run to its last epoch.
     *
     * @param progress progress display
     * @return the last epoch's outcome
     */
    public EpochOutcome run(TrainingProgress progress) {
        directory.write(RunDirectory.RESOLVED_CONF, "# lpl resolved configuration of run " + description.name()
                + System.lineSeparator() + "# repeat with: lpl train -c " + RunDirectory.RESOLVED_CONF
                + System.lineSeparator() + config.render());
        directory.write(RunDirectory.MANIFEST, Json.pretty(manifest()));
        ImageDataset dataset = description.dataset();
        RunInfo info = new RunInfo(description.name(), directory.path(), description.method(), dataset.name(),
                dataset.classNames(), description.classCounts(), description.epochs());
        listeners.forEach(l -> l.runStarted(info));
        long start = System.nanoTime();
        List<EpochOutcome> history = new ArrayList<>();
        EpochOutcome last = engine.train(0, progress, outcome -> {
            history.add(outcome);
            directory.appendLine(RunDirectory.METRICS, Json.line(metricsLine(outcome)));
            boolean finished = outcome.result().epoch() + 1 == description.epochs();
            directory.write(RunDirectory.SUMMARY, Json.pretty(summary(history, finished, (System.nanoTime() - start) / 1e9)));
            listeners.forEach(l -> l.epochFinished(outcome.result()));
        });
        listeners.forEach(l -> l.runFinished(last.result()));
        return last;
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
        m.put("git_commit", Provenance.gitCommit(java.nio.file.Path.of("")).orElse(null));
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
        m.put("model", Map.of("name", description.model(), "trainable_parameters", description.parameters()));
        m.put("config_sources", config.sources());
        m.put("config", config.config().root().unwrapped());
        return m;
    }

    private static Map<String, Object> metricsLine(EpochOutcome outcome) {
        EpochResult r = outcome.result();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("epoch", r.epoch() + 1);
        line.put("epochs", r.epochs());
        line.put("train_loss", r.trainLoss());
        line.put("test_accuracy", r.testAccuracy());
        line.put("balanced_accuracy", r.balancedAccuracy());
        line.put("many_shot_accuracy", r.manyShotAccuracy());
        line.put("medium_shot_accuracy", r.mediumShotAccuracy());
        line.put("few_shot_accuracy", r.fewShotAccuracy());
        line.put("per_class_accuracy", r.perClassAccuracy());
        line.put("learning_rate", r.learningRate());
        line.put("epoch_seconds", r.seconds());
        line.put("step_seconds", outcome.timings().steps());
        line.put("objective_seconds", outcome.timings().objective());
        line.put("data_wait_seconds", outcome.timings().dataWait());
        line.put("eval_seconds", outcome.timings().evaluation());
        line.put("steps", outcome.timings().batches());
        return line;
    }

    private Map<String, Object> summary(List<EpochOutcome> history, boolean finished, double seconds) {
        EpochOutcome last = history.get(history.size() - 1);
        EpochOutcome best = history.stream()
                .max(java.util.Comparator.comparingDouble(o -> o.result().balancedAccuracy()))
                .orElse(last);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("run", description.name());
        s.put("status", finished ? "completed" : "running");
        s.put("method", description.method());
        s.put("model", description.model());
        s.put("dataset", description.dataset().name());
        s.put("epochs_completed", last.result().epoch() + 1);
        s.put("epochs", description.epochs());
        s.put("final", figures(last.result()));
        Map<String, Object> bestFigures = figures(best.result());
        s.put("best", bestFigures);
        List<Map<String, Object>> classes = new ArrayList<>();
        double[] acc = last.result().perClassAccuracy();
        for (int c = 0; c < acc.length; c++) {
            Map<String, Object> cls = new LinkedHashMap<>();
            cls.put("class", c);
            cls.put("name", description.dataset().classNames().get(c));
            cls.put("train_count", description.classCounts()[c]);
            cls.put("shot_group", ShotGroup.of(description.classCounts()[c]).label());
            cls.put("accuracy", acc[c]);
            classes.add(cls);
        }
        s.put("classes", classes);
        s.put("confusion", last.metrics().confusion());
        double steps = history.stream().mapToDouble(o -> o.timings().steps()).sum();
        int batches = history.stream().mapToInt(o -> o.timings().batches()).sum();
        Map<String, Object> time = new LinkedHashMap<>();
        time.put("total_seconds", seconds);
        time.put("mean_step_ms", batches == 0 ? Double.NaN : 1000 * steps / batches);
        time.put("mean_objective_ms", batches == 0 ? Double.NaN
                : 1000 * history.stream().mapToDouble(o -> o.timings().objective()).sum() / batches);
        time.put("data_wait_seconds", history.stream().mapToDouble(o -> o.timings().dataWait()).sum());
        time.put("eval_seconds", history.stream().mapToDouble(o -> o.timings().evaluation()).sum());
        s.put("time", time);
        return s;
    }

    private static Map<String, Object> figures(EpochResult r) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("epoch", r.epoch() + 1);
        f.put("test_accuracy", r.testAccuracy());
        f.put("top1_error", 1 - r.testAccuracy());
        f.put("balanced_accuracy", r.balancedAccuracy());
        f.put("many_shot_accuracy", r.manyShotAccuracy());
        f.put("medium_shot_accuracy", r.mediumShotAccuracy());
        f.put("few_shot_accuracy", r.fewShotAccuracy());
        f.put("train_loss", r.trainLoss());
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
