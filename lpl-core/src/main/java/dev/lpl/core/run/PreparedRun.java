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
import dev.lpl.core.rundir.Manifest;
import dev.lpl.core.rundir.MetricsLine;
import dev.lpl.core.rundir.RunFiles;
import dev.lpl.core.rundir.RunStatus;
import dev.lpl.core.rundir.Summary;
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
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * A run ready to train: everything validated and built, the run directory reserved (or, to resume,
 * reopened and the latest checkpoint restored). {@link #run} creates the run directory with {@code
 * resolved.conf}, {@code manifest.json}, {@code train-indices.txt} and {@code
 * validation-indices.txt} at once (new runs; {@link
 * RunDirectory#publish}), trains, and at the end of every epoch, in this order: writes a checkpoint
 * (when due; its rename commits the epoch, and its {@code state.json} carries every metrics line,
 * the epoch's detail and the best epoch), replaces {@code checkpoints/best} (a best epoch), appends
 * the line to {@code metrics.jsonl}, rewrites {@code metrics.prom} and {@code summary.json}. A stop
 * request writes a mid-epoch checkpoint.
 *
 * <p>Resuming restores the latest checkpoint (or a named one) and rebuilds from its {@code
 * state.json} whatever a crash after its rename left undone: {@code metrics.jsonl} (rewritten),
 * {@code best} (repaired), and, when the checkpoint is the last epoch's, {@code summary.json}
 * ({@code completed}). So a crash at any instant costs at most the work since the last checkpoint.
 *
 * <p>Model selection is honest: {@code summary.json}'s {@code selection} is {@code validation} when
 * the run has a validation set ({@code data.validation}), else {@code final}. Its {@code final} is
 * the last epoch; {@code best} (only with a validation set, as is {@code checkpoints/best}) is the
 * epoch with the highest validation balanced accuracy (ties: the earliest); {@code test_selected}
 * is the epoch with the highest test balanced accuracy, an optimistic figure kept only because
 * some papers report it, always labelled {@code "selected_on": "test"}.
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
     * @param validation the manifest's {@code dataset.validation} block, or null without a
     *     validation set
     * @param validationIndices the validation set's source indices, or null without one
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
            int[] trainIndices,
            Map<String, Object> validation,
            int[] validationIndices) {}

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

    /** What {@code best} is selected on: the validation balanced accuracy ({@link ModelSelection#VALIDATION_KEY}). */
    private static final ToDoubleFunction<MetricsLine> VALIDATION_FIGURE =
            line -> MetricsLine.orNaN(line.valBalancedAccuracy());
    /** What {@code test_selected} is selected on: the test balanced accuracy ({@link ModelSelection#TEST_KEY}). */
    private static final ToDoubleFunction<MetricsLine> TEST_FIGURE = line -> MetricsLine.orNaN(line.balancedAccuracy());

    /** state.json keys of the bookkeeping a checkpoint carries. */
    private static final String HISTORY = "history";
    private static final String DETAIL = "detail";
    private static final String BEST_EPOCH = "best_epoch";

    private final RunConfig config;
    private final Description description;
    private final RunDirectory directory;
    private final Training training;
    private final List<RunListener> listeners;
    private final List<AutoCloseable> resources;
    private final List<MetricsLine> history = new ArrayList<>();
    private Summary.Detail detail = Summary.Detail.NONE;
    private Integer bestEpoch;
    private final List<String> resumeNotes = new ArrayList<>();
    private Position start;
    private boolean resumed;
    private Path stopCheckpoint;
    private ModelWeights.Loaded initialWeights;
    private Map<String, Object> generated;

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
     * Records the GAN run whose frozen generator supplies a share of every batch ({@code
     * data.augment.generated}); the manifest names it, its generator's SHA-256 and the share.
     *
     * @param identity what {@code GeneratedShare#identity} returns
     */
    void generatedBy(Map<String, Object> identity) {
        generated = Map.copyOf(requireNonNull(identity, "identity is null"));
    }

    /**
     * Returns what resuming repaired or cleaned up (stale temporaries, {@code best}, discarded
     * checkpoints), one sentence each, for the user.
     *
     * @return the notes; empty for a new run
     */
    public List<String> resumeNotes() {
        return List.copyOf(resumeNotes);
    }

    /**
     * Returns whether every epoch is already done: a resumed run whose last epoch was checkpointed
     * before a crash; {@link #run} then only finishes its bookkeeping.
     *
     * @return whether no epoch is left to train
     */
    public boolean allEpochsDone() {
        return start.epoch() >= description.epochs();
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
        try {
            start = Checkpoints.restore(checkpoint, training.block(), training.optimizer(),
                    training.objective().perturbation(), training.manager()).position();
        } catch (Checkpoints.UnreadableException e) {
            throw new LplException(e.getMessage() + "; evaluate another checkpoint with --checkpoint NAME (available: "
                    + checkpointNames() + ")", e);
        }
        resumed = true;
    }

    private String checkpointNames() {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(directory.path().resolve(Checkpoints.DIRECTORY).resolve(Checkpoints.BEST))) {
            names.add(Checkpoints.BEST);
        }
        training.checkpoints().list().forEach(p -> names.add(p.getFileName().toString()));
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /**
     * The evaluation of the current weights on the test (or validation) set.
     *
     * @param metrics accuracy, balanced accuracy, shot groups, confusion matrix
     * @param calibration confidence calibration and ECE
     * @param loss mean cross-entropy of the prediction logits
     */
    public record Evaluation(dev.lpl.core.train.ClassificationMetrics metrics, Calibration calibration, double loss) {}

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
            result = training.engine().evaluate(postHocAdjustment(postHocTau));
        }
        return new Evaluation(new dev.lpl.core.train.ClassificationMetrics(result.confusion(), counts),
                result.calibration(), result.loss());
    }

    /**
     * Returns the class probabilities the current weights give other images, computed as the test
     * set's predictions are (the same normalisation, inference mode, the method's prediction logits
     * or post-hoc logit adjustment as in {@link #evaluate}).
     *
     * @param images images of the test set's shape C×H×W (labels are ignored)
     * @param postHocTau τ of post-hoc logit adjustment; 0 uses the method's own prediction logits
     * @return N×C probabilities, row-major, class order of the dataset's class names
     */
    public float[] predict(dev.lpl.api.data.ImageSet images, double postHocTau) {
        return training.engine().probabilities(images, postHocTau == 0 ? null : postHocAdjustment(postHocTau));
    }

    /** Post-hoc logit adjustment (Menon et al., ICLR 2021): u − τ·log π with the training prior π. */
    private java.util.function.UnaryOperator<ai.djl.ndarray.NDArray> postHocAdjustment(double postHocTau) {
        long[] counts = description.classCounts();
        long total = Arrays.stream(counts).sum();
        float[] shift = new float[counts.length];
        for (int c = 0; c < counts.length; c++) {
            shift[c] = (float) (postHocTau * Math.log((double) counts[c] / total + 1e-12));
        }
        return logits -> logits.sub(logits.getManager().create(shift));
    }

    /**
     * Evaluates the current weights on the validation set, with the method's own predictions.
     *
     * @return the evaluation, if the run has a validation set
     */
    public Optional<Evaluation> evaluateValidation() {
        return training.engine().evaluateValidation().map(result -> new Evaluation(
                new dev.lpl.core.train.ClassificationMetrics(result.confusion(), description.classCounts()),
                result.calibration(), result.loss()));
    }

    /**
     * Restores the latest checkpoint, or a named one, and the bookkeeping of the epochs it covers
     * (to resume): deletes what a crash left (temporaries, half-deleted checkpoints), discards the
     * checkpoints after a named one, rewrites {@code metrics.jsonl} from the checkpoint and puts
     * the right epoch into {@code checkpoints/best}.
     *
     * @param from the checkpoint to resume from (a name under {@code checkpoints/}), or null for
     *     the latest
     */
    void restoreLatest(String from) {
        checkSameData();
        Checkpoints checkpoints = training.checkpoints();
        directory.removeStaleTemporaries()
                .forEach(p -> resumeNotes.add("deleted " + p.getFileName() + ", left by a crash while the run was created"));
        checkpoints.removeTemporaries()
                .forEach(n -> resumeNotes.add("deleted checkpoints/" + n + ", left by a crash"));
        Optional<Path> chosen = from == null ? checkpoints.latest() : Optional.of(checkpoints.named(from)
                .orElseThrow(() -> new LplException("checkpoint " + from + " does not exist in " + directory.path()
                        + "; available: " + checkpointNames())));
        JsonNode state = null;
        if (chosen.isPresent()) {
            Checkpoints.Restored restored;
            try {
                restored = Checkpoints.restore(chosen.get(), training.block(), training.optimizer(),
                        training.objective().perturbation(), training.manager());
            } catch (Checkpoints.UnreadableException e) {
                List<Path> all = checkpoints.list();
                int index = all.indexOf(chosen.get());
                String hint = index > 0
                        ? "resume from the previous checkpoint with: lpl train --resume " + directory.path()
                                + " --from-checkpoint " + all.get(index - 1).getFileName()
                        : "no earlier checkpoint is left; start the run again under another name";
                throw new LplException(e.getMessage() + "; " + hint, e);
            }
            start = restored.position();
            state = restored.state();
            if (from != null) {
                checkpoints.discardAfter(chosen.get()).forEach(n -> resumeNotes.add("discarded checkpoint " + n
                        + " (after " + from + ")"));
            }
            checkpoints.prune(); // a crash may have come between a checkpoint and its prune
        }
        if (state != null && state.has(HISTORY)) {
            try {
                state.get(HISTORY).forEach(line -> history.add(RunFiles.fromTree(line, MetricsLine.class)));
                detail = state.path(DETAIL).isObject()
                        ? RunFiles.fromTree(state.get(DETAIL), Summary.Detail.class) : Summary.Detail.NONE;
            } catch (IllegalArgumentException e) {
                throw new LplException("the state.json of checkpoint " + chosen.orElseThrow() + " is corrupt: "
                        + e.getMessage(), e);
            }
            bestEpoch = state.path(BEST_EPOCH).isInt() ? state.get(BEST_EPOCH).asInt() : null;
            directory.writeLines(RunDirectory.METRICS, history.stream().map(RunFiles::metricsLineText).toList());
            checkpoints.repairBest(bestEpoch).ifPresent(resumeNotes::add);
        } else {
            restoreLegacyBookkeeping();
        }
        resumed = true;
    }

    /** Checkpoints written before they carried the bookkeeping: metrics.jsonl and summary.json hold it. */
    private void restoreLegacyBookkeeping() {
        for (String line : directory.truncateLines(RunDirectory.METRICS, start.epoch())) {
            try {
                history.add(RunFiles.parseMetricsLine(line));
            } catch (IOException e) {
                throw new LplException(directory.path().resolve(RunDirectory.METRICS) + " is corrupt: " + e.getMessage(), e);
            }
        }
        Path summary = directory.path().resolve(RunDirectory.SUMMARY);
        if (Files.isRegularFile(summary) && !history.isEmpty()) {
            try {
                detail = RunFiles.readSummary(directory.path()).detail();
            } catch (IOException e) {
                // the summary is rewritten at the next epoch
            }
        }
    }

    private void checkSameData() {
        try {
            Manifest.Dataset data = RunFiles.readManifest(directory.path()).dataset();
            Map<String, String> recorded = data == null || data.identity() == null ? Map.of() : data.identity();
            Map<String, String> now = description.dataset().identity();
            if (!recorded.equals(now)) {
                String key = now.keySet().stream().filter(k -> !now.get(k).equals(recorded.get(k)))
                        .findFirst().orElse(recorded.keySet().stream().filter(k -> !now.containsKey(k)).findFirst().orElse("?"));
                throw new LplException("the data differs from when run " + description.name() + " started (identity "
                        + key + ": was " + recorded.get(key) + ", now " + now.get(key)
                        + "); resume with the same dataset files");
            }
            Map<String, Object> validation = data == null ? null : data.validation();
            String recordedHash = validation == null ? null
                    : String.valueOf(validation.getOrDefault("indices_sha256", ""));
            String hash = description.validation() == null ? null
                    : String.valueOf(description.validation().get("indices_sha256"));
            if (!java.util.Objects.equals(recordedHash, hash)) {
                throw new LplException("the validation set differs from when run " + description.name() + " started"
                        + " (indices sha256 was " + recordedHash + ", now " + hash + "); use the run's resolved.conf"
                        + " unchanged, or set data.validation.indices-file to its " + RunDirectory.VALIDATION_INDICES);
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
            Map<String, String> files = new LinkedHashMap<>();
            files.put(RunDirectory.RESOLVED_CONF, "# lpl resolved configuration of run " + description.name()
                    + System.lineSeparator() + "# repeat with: lpl train -c " + RunDirectory.RESOLVED_CONF
                    + " --out NEW_DIR" + System.lineSeparator() + config.render());
            files.put(RunDirectory.MANIFEST, RunFiles.manifestText(manifest()));
            if (description.trainIndices() != null) {
                files.put(RunDirectory.TRAIN_INDICES, Arrays.stream(description.trainIndices())
                        .mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n")));
            }
            if (description.validationIndices() != null) {
                files.put(RunDirectory.VALIDATION_INDICES, Arrays.stream(description.validationIndices())
                        .mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n")));
            }
            directory.publish(files);
        }
        ImageDataset dataset = description.dataset();
        RunInfo info = new RunInfo(description.name(), directory.path(), description.method(), dataset.name(),
                dataset.classNames(), description.classCounts(), description.epochs(), start.epoch(),
                ListenerFigures.hyperparameters(config.config()));
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
                    writeSummary(RunStatus.STOPPED, new Summary.StoppedAt(position.epoch() + 1, position.batch()),
                            relative(stopCheckpoint), null);
                }
            }, stopRequested);
        } catch (TrainingEngine.NonFiniteLossException e) {
            Optional<Path> good = training.checkpoints().latest();
            writeSummary(RunStatus.FAILED, null, null, e.getMessage());
            throw new LplException(e.getMessage() + "; "
                    + good.map(p -> "the last good checkpoint is " + p + " (nothing after it was saved)")
                            .orElse("no checkpoint was written before it"), e);
        }
        if (!finished) {
            return new Outcome(Status.STOPPED, last[0], stopCheckpoint);
        }
        if (last[0] == null) {
            // resumed after the last epoch's checkpoint: finish the bookkeeping a crash cut short
            writeSummary(RunStatus.COMPLETED, null, null, null);
            CrashInjector.reached(CrashPoint.SUMMARY_WRITTEN);
        }
        EpochResult lastResult = last[0] == null ? null
                : last[0].result().withScalars(
                        ListenerFigures.scalars(RunFiles.values(history.get(history.size() - 1))));
        listeners.forEach(l -> l.runFinished(lastResult));
        return new Outcome(Status.COMPLETED, last[0], null);
    }

    private void finishEpoch(EpochOutcome outcome) {
        EpochResult result = outcome.result();
        // best = highest validation balanced accuracy (ties: the earliest); no validation set, no best
        boolean best = outcome.validation() != null && ModelSelection.isNewBest(history, VALIDATION_FIGURE,
                outcome.validation().metrics().balancedAccuracy());
        MetricsLine line = metricsLine(outcome, training.engine().phase(result.epoch()));
        history.add(line);
        detail = detail(outcome);
        int completed = result.epoch() + 1;
        if (best) {
            bestEpoch = completed;
        }
        CrashInjector.reached(CrashPoint.EPOCH_EVALUATED);
        // The checkpoint's rename commits the epoch (its state.json holds the line, the detail and
        // the best epoch); everything after it is rebuilt from it on resume if a crash cuts it short.
        boolean lastEpoch = completed == description.epochs();
        int every = training.checkpointEvery();
        if (lastEpoch || best || (every > 0 && completed % every == 0)) {
            Path checkpoint = writeCheckpoint(Position.startOf(completed, description.classCounts().length));
            if (best) {
                training.checkpoints().markBest(checkpoint);
            }
        }
        directory.appendLine(RunDirectory.METRICS, RunFiles.metricsLineText(line));
        CrashInjector.reached(CrashPoint.METRICS_APPENDED);
        training.metrics().epochFinished(result, outcome.calibration().ece());
        directory.write(RunDirectory.METRICS_PROM, training.metrics().scrape());
        writeSummary(lastEpoch ? RunStatus.COMPLETED : RunStatus.RUNNING, null, null, null);
        CrashInjector.reached(CrashPoint.SUMMARY_WRITTEN);
        EpochResult figures = result.withScalars(ListenerFigures.scalars(RunFiles.values(line)));
        listeners.forEach(l -> l.epochFinished(figures));
    }

    private Path writeCheckpoint(Position position) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("run", description.name());
        extra.put("created", Instant.now().toString());
        extra.put("learning_rate", training.optimizer().learningRate());
        extra.put(BEST_EPOCH, bestEpoch);
        extra.put(HISTORY, history.stream().map(RunFiles::tree).toList());
        extra.put(DETAIL, RunFiles.tree(detail));
        return training.checkpoints().write(position, training.block(), training.optimizer(),
                training.objective().perturbation(), extra);
    }

    private String relative(Path path) {
        return directory.path().relativize(path).toString();
    }

    private Manifest manifest() {
        ImageDataset dataset = description.dataset();
        Manifest.Versions versions = new Manifest.Versions(Provenance.lplVersion(), Engine.getDjlVersion(),
                description.engine(), System.getProperty("java.version"), System.getProperty("os.name") + " "
                        + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        Map<String, Long> seeds = new LinkedHashMap<>();
        description.seeds().forEach((stream, seed) -> seeds.put(stream, ((Number) seed).longValue()));
        Manifest.Dataset data = new Manifest.Dataset(dataset.name(), dataset.identity(), dataset.classNames(),
                dataset.train().size(), dataset.test().size(),
                Arrays.stream(description.classCounts()).boxed().toList(), description.longTail(),
                description.validation(),
                List.of(dataset.train().channels(), dataset.train().height(), dataset.train().width()), null, null);
        Manifest.Model model = new Manifest.Model(description.model(), description.parameters(),
                initialWeights == null ? null : initialWeights.provenance());
        return new Manifest(null, description.name(), Instant.now().toString(), versions,
                Provenance.gitCommit(Path.of("")).orElse(null), Provenance.host(), description.device(), seeds, data,
                description.method(), model, generated == null ? null : new java.util.TreeMap<>(generated), null, null,
                config.sources(), RunFiles.tree(config.config().root().unwrapped()),
                // what a sweep compares before reusing this run (dev.lpl.core.config.ResultKeys)
                dev.lpl.core.config.ResultKeys.of(config.config()).fingerprint());
    }

    private static MetricsLine metricsLine(EpochOutcome outcome, String phase) {
        EpochResult r = outcome.result();
        TrainingEngine.SetEvaluation validation = outcome.validation();
        var v = validation == null ? null : validation.metrics();
        // whole-process resident memory after the epoch (heap + engine's native memory): a native leak shows here
        java.util.OptionalLong resident = ResidentMemory.current();
        Double residentMb = resident.isPresent() ? Math.round(resident.getAsLong() / 1048576.0 * 10) / 10.0 : null;
        return new MetricsLine(
                r.epoch() + 1,
                r.epochs(),
                phase,
                r.trainLoss(),
                outcome.trainAccuracy(),
                r.testAccuracy(),
                r.balancedAccuracy(),
                r.manyShotAccuracy(),
                r.mediumShotAccuracy(),
                r.fewShotAccuracy(),
                outcome.calibration().ece(),
                outcome.testLoss(),
                MetricsLine.list(r.perClassAccuracy()),
                v == null ? null : v.accuracy(),
                v == null ? null : v.balancedAccuracy(),
                v == null ? null : v.groupAccuracy(ShotGroup.MANY),
                v == null ? null : v.groupAccuracy(ShotGroup.MEDIUM),
                v == null ? null : v.groupAccuracy(ShotGroup.FEW),
                v == null ? null : validation.calibration().ece(),
                v == null ? null : validation.loss(),
                v == null ? null : MetricsLine.list(v.perClassAccuracy()),
                MetricsLine.list(outcome.lossVariation()),
                r.learningRate(),
                r.seconds(),
                outcome.timings().steps(),
                outcome.timings().objective(),
                outcome.timings().dataWait(),
                outcome.timings().evaluation(),
                (long) outcome.timings().batches(),
                residentMb,
                null);
    }

    private Summary.Detail detail(EpochOutcome outcome) {
        List<Summary.ClassResult> classes = new ArrayList<>();
        double[] acc = outcome.result().perClassAccuracy();
        for (int c = 0; c < acc.length; c++) {
            long count = description.classCounts()[c];
            classes.add(new Summary.ClassResult(c, description.dataset().classNames().get(c), count,
                    ShotGroup.of(count).label(), acc[c]));
        }
        List<List<Long>> confusion = Arrays.stream(outcome.metrics().confusion())
                .map(row -> Arrays.stream(row).boxed().toList()).toList();
        Calibration calibration = outcome.calibration();
        List<Double> lower = new ArrayList<>();
        List<Double> upper = new ArrayList<>();
        for (int b = 0; b < Calibration.BINS; b++) {
            lower.add((double) b / Calibration.BINS);
            upper.add((double) (b + 1) / Calibration.BINS);
        }
        return new Summary.Detail(classes, confusion, new Summary.Calibration(Calibration.BINS, lower, upper,
                Arrays.stream(calibration.counts()).boxed().toList(), MetricsLine.list(calibration.confidences()),
                MetricsLine.list(calibration.accuracies()), calibration.ece()));
    }

    private void writeSummary(RunStatus status, Summary.StoppedAt stoppedAt, String checkpoint, String reason) {
        boolean validated = description.validation() != null;
        Summary.Figures last = null;
        Summary.Figures best = null;
        Summary.Figures testSelected = null;
        if (!history.isEmpty()) {
            last = Summary.Figures.of(history.get(history.size() - 1), null);
            if (validated) {
                best = Summary.Figures.of(ModelSelection.firstArgmax(history, VALIDATION_FIGURE),
                        ModelSelection.VALIDATION);
            }
            testSelected = Summary.Figures.of(ModelSelection.firstArgmax(history, TEST_FIGURE), ModelSelection.TEST);
        }
        double steps = sum(MetricsLine::stepSeconds);
        double batches = sum(MetricsLine::steps);
        Summary.Time time = new Summary.Time(sum(MetricsLine::epochSeconds),
                batches == 0 ? Double.NaN : 1000 * steps / batches,
                batches == 0 ? Double.NaN : 1000 * sum(MetricsLine::objectiveSeconds) / batches,
                sum(MetricsLine::dataWaitSeconds), sum(MetricsLine::evalSeconds));
        Summary summary = new Summary(description.name(), status, stoppedAt, checkpoint, reason, description.method(),
                description.model(), description.dataset().name(), history.size(), description.epochs(),
                validated ? ModelSelection.VALIDATION : ModelSelection.FINAL, last, best, testSelected,
                training.engine().fineTune().map(this::phases).orElse(null),
                detail.classes(), detail.confusion(), detail.calibration(), time);
        directory.write(RunDirectory.SUMMARY, RunFiles.summaryText(summary));
    }

    /** The two phases of a fine-tuned run: their epochs (1-based, inclusive) and last figures. */
    private List<Summary.Phase> phases(TrainingEngine.FineTune fineTune) {
        List<Summary.Phase> phases = new ArrayList<>();
        int[][] ranges = {{1, fineTune.startEpoch()}, {fineTune.startEpoch() + 1, description.epochs()}};
        String[] names = {TrainingEngine.FineTune.TRAIN, TrainingEngine.FineTune.FINETUNE};
        for (int k = 0; k < 2; k++) {
            int last = ranges[k][1];
            Summary.Figures figures = history.stream().filter(h -> MetricsLine.orNaN(h.epoch()) == last).findFirst()
                    .map(h -> Summary.Figures.of(h, null)).orElse(null);
            phases.add(new Summary.Phase(names[k], ranges[k][0], last, k == 0 ? "schedule" : fineTune.learningRate(),
                    k == 0 ? "instance" : "class-balanced", figures));
        }
        return phases;
    }

    /** The sum of a figure over the finished epochs; a missing or undefined value counts 0. */
    private double sum(java.util.function.Function<MetricsLine, ? extends Number> figure) {
        return history.stream().mapToDouble(h -> {
            double v = MetricsLine.orNaN(figure.apply(h));
            return Double.isNaN(v) ? 0 : v;
        }).sum();
    }

    @Override
    public void close() {
        listeners.forEach(RunListener::close); // guarded: never throws
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                // closing is best effort; the run's files are already written
            }
        }
    }
}
