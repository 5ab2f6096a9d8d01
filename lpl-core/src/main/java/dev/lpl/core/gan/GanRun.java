package dev.lpl.core.gan;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lpl.api.LplException;
import dev.lpl.api.Seeds;
import dev.lpl.api.Settings;
import dev.lpl.api.data.ImageDataset;
import dev.lpl.api.data.ImageSet;
import dev.lpl.core.config.ConfigLoader;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.data.Augmentation;
import dev.lpl.core.data.BatchLoader;
import dev.lpl.core.data.HostBatch;
import dev.lpl.core.data.TrainSubset;
import dev.lpl.core.run.AtomicFiles;
import dev.lpl.core.run.CrashInjector;
import dev.lpl.core.run.CrashPoint;
import dev.lpl.core.run.Checkpoints;
import dev.lpl.core.run.EngineSession;
import dev.lpl.core.run.Json;
import dev.lpl.core.run.PreparedRun;
import dev.lpl.core.run.Provenance;
import dev.lpl.core.run.RunDirectory;
import dev.lpl.core.run.RunFactory;
import dev.lpl.core.rundir.GanMetricsLine;
import dev.lpl.core.rundir.GanSummary;
import dev.lpl.core.rundir.Manifest;
import dev.lpl.core.rundir.MetricsLine;
import dev.lpl.core.rundir.RunFiles;
import dev.lpl.core.rundir.RunStatus;
import dev.lpl.core.rundir.Summary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A GAN training run ({@code lpl gan train}): the adversarial loop of {@link GanStep} on the
 * training set as lpl loads it (long-tail sampling included), in a run directory with the
 * guarantees of classifier runs — {@code resolved.conf}, {@code manifest.json} (kind {@code gan}),
 * {@code metrics.jsonl} (one line per epoch), {@code summary.json}, {@code checkpoints/} (G, D and
 * both optimizers' state, written to a temporary directory and renamed), a graceful stop with a
 * mid-epoch checkpoint, exact resume, and a guard that stops the run on a non-finite loss before
 * any update from it. Per epoch it also writes {@code samples/epoch-NNNN.png} (one row per class,
 * the same latents every epoch) and, with an evaluator classifier ({@code gan.evaluator.run}), the
 * GAN-test accuracy: the accuracy that classifier gives generated images of each class (Shmelkov,
 * Schmid and Alahari, "How good is my GAN?", ECCV 2018).
 */
public final class GanRun implements AutoCloseable {

    /** The value of {@code manifest.json}'s {@code kind} for a GAN run. */
    public static final String KIND = Manifest.GAN;
    /** The directory of the sample grids. */
    public static final String SAMPLES = "samples";
    /** The Adam state files of a checkpoint. */
    static final String ADAM_G = "adam-generator.npz";
    static final String ADAM_D = "adam-discriminator.npz";
    static final String STATE = "state.json";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);
    private static final String[] SUMS = {"d_loss", "g_loss", "real_correct", "fake_correct", "class_correct",
        "info_loss", "samples", "steps", "step_seconds"};

    /** How {@link #run} ended. */
    public enum Status {
        /** Every epoch finished. */
        COMPLETED,
        /** A stop was requested; a checkpoint was written. */
        STOPPED
    }

    private final RunConfig config;
    private final String name;
    private final RunDirectory directory;
    private final boolean fresh;
    private final GanModel model;
    private final Adam adamG;
    private final Adam adamD;
    private final GanStep step;
    private final BatchLoader loader;
    private final ImageDataset dataset;
    private final PreparedRun evaluator;
    private final Path evaluatorRun;
    private final long seed;
    private final int epochs;
    private final int stepsPerEpoch;
    private final int gridColumns;
    private final int testPerClass;
    private final int keep;
    private final List<GanMetricsLine> history = new ArrayList<>();
    private int startEpoch;
    private int startBatch;
    private double[] startSums = new double[SUMS.length];
    private Path stopCheckpoint;

    private GanRun(RunConfig config, String name, RunDirectory directory, boolean fresh, GanModel model, Adam adamG,
            Adam adamD, BatchLoader loader, ImageDataset dataset, PreparedRun evaluator, Path evaluatorRun) {
        this.config = config;
        this.name = name;
        this.directory = directory;
        this.fresh = fresh;
        this.model = model;
        this.adamG = adamG;
        this.adamD = adamD;
        Settings gan = config.settings().getSettings("gan");
        this.step = new GanStep(model, adamG, adamD, gan.getDouble("info-weight", 0, 1e6));
        this.loader = loader;
        this.dataset = dataset;
        this.evaluator = evaluator;
        this.evaluatorRun = evaluatorRun;
        this.seed = config.settings().getLong("run.seed");
        this.epochs = gan.getInt("epochs", 1, 1_000_000);
        this.stepsPerEpoch = gan.getInt("steps-per-epoch", 0, Integer.MAX_VALUE);
        this.gridColumns = gan.getInt("grid-columns", 1, 100);
        this.testPerClass = gan.getSettings("evaluator").getInt("samples-per-class", 1, 100_000);
        this.keep = gan.getInt("checkpoint-keep", 1, 1000);
    }

    /**
     * Returns the GAN's shape that a configuration and a dataset give.
     *
     * @param gan the {@code gan} block
     * @param train the training images
     * @param classes C
     * @return the shape
     */
    public static GanSpec spec(Settings gan, ImageSet train, int classes) {
        GanVariant variant = GanVariant.ofConfigName(gan.getChoice("type", GanVariant.names()));
        return new GanSpec(variant, train.channels(), train.height(), train.width(), classes,
                gan.getInt("noise", 1, 10_000), gan.getInt("width", 1, 4096));
    }

    /**
     * Prepares a new GAN run: validates the configuration, loads the data (and the evaluator
     * classifier), builds and initialises G and D, reserves the run directory.
     *
     * @param factory the run factory (data loading as classifier runs do it)
     * @param loader the configuration loader (for the evaluator run)
     * @param config the configuration
     * @param out the run directory, or null for {@code data.augment.generated.run} when the
     *     configuration sets it (and no {@code run.name}), else {@code run.output-root/<name>}
     * @return the run
     */
    public static GanRun prepare(RunFactory factory, ConfigLoader loader, RunConfig config, Path out) {
        Settings root = config.settings();
        Settings gan = root.getSettings("gan");
        GanVariant variant = GanVariant.ofConfigName(gan.getChoice("type", GanVariant.names()));
        // An experiment that trains a classifier with generated images (an experiment preset) names
        // its GAN run in data.augment.generated.run: lpl gan train -c on it writes exactly there.
        Settings generated = root.getSettings("data").getSettings("augment").getSettings("generated");
        Path target = out != null ? out : generated.has("run") && !root.has("run.name") ? generated.getPath("run")
                : null;
        String name = root.has("run.name") ? root.getString("run.name") : target != null
                ? target.getFileName().toString()
                : root.getString("data.type") + "-" + variant.configName() + "-" + LocalDateTime.now().format(STAMP);
        Path path = target != null ? target : root.getPath("run.output-root").resolve(name);
        RunDirectory.requireAvailable(path);
        return build(factory, loader, config, name, path, null);
    }

    /**
     * Prepares to continue a GAN run from its latest checkpoint, with its own configuration.
     *
     * @param factory the run factory
     * @param loader the configuration loader
     * @param path the run directory
     * @return the run, positioned after its latest checkpoint
     */
    public static GanRun resume(RunFactory factory, ConfigLoader loader, Path path) {
        Manifest manifest = manifest(path);
        Path summary = path.resolve(RunDirectory.SUMMARY);
        if (Files.isRegularFile(summary)
                && read(summary, f -> RunFiles.readGanSummary(path)).status() == RunStatus.COMPLETED) {
            throw new LplException("GAN run " + path + " has already completed; nothing to resume");
        }
        RunConfig config = loader.load(path.resolve(RunDirectory.RESOLVED_CONF), List.of());
        String name = manifest.run() != null ? manifest.run() : path.getFileName().toString();
        GanRun run = build(factory, loader, config, name, path, path);
        try {
            run.restoreLatest();
        } catch (RuntimeException e) {
            run.close();
            throw e;
        }
        return run;
    }

    /**
     * Reads the manifest of a GAN run directory.
     *
     * @param path the directory
     * @return its manifest
     * @throws LplException if it is not a GAN run directory, or its manifest cannot be read
     */
    public static Manifest manifest(Path path) {
        Path manifest = path.resolve(RunDirectory.MANIFEST);
        if (!Files.isRegularFile(manifest) || !Files.isRegularFile(path.resolve(RunDirectory.RESOLVED_CONF))) {
            throw new LplException(path + " is not an lpl run directory (no " + RunDirectory.MANIFEST + " or "
                    + RunDirectory.RESOLVED_CONF + "); pass the directory lpl gan train wrote");
        }
        Manifest node = read(manifest, file -> RunFiles.readManifest(path));
        if (!node.isGan()) {
            throw new LplException(path + " is a classifier run, not a GAN run; pass the directory lpl gan train wrote");
        }
        return node;
    }

    /** Reads one of a run directory's files. */
    @FunctionalInterface
    private interface Reader<T> {
        T read(Path file) throws IOException;
    }

    /**
     * Reads a file of a GAN run directory.
     *
     * @param file the file (named in the message)
     * @param reader how it is read
     * @return what it holds
     * @throws LplException if it cannot be read or is malformed
     */
    private static <T> T read(Path file, Reader<T> reader) {
        try {
            return reader.read(file);
        } catch (IOException e) {
            throw new LplException(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static JsonNode readJson(Path file) {
        return read(file, f -> Json.mapper().readTree(f.toFile()));
    }

    private static GanRun build(RunFactory factory, ConfigLoader loader, RunConfig config, String name, Path path,
            Path resumeFrom) {
        Settings root = config.settings();
        Settings gan = root.getSettings("gan");
        long seed = root.getLong("run.seed");
        int batchSize = gan.getInt("batch-size", 1, 1_000_000);
        double lr = gan.getDouble("learning-rate", Double.MIN_VALUE, 10);
        double beta1 = gan.getDouble("beta1", 0, 0.999999);
        double beta2 = gan.getDouble("beta2", 0, 0.999999);
        gan.getInt("epochs", 1, 1_000_000);
        gan.getDouble("info-weight", 0, 1e6);
        Settings evaluatorSettings = gan.getSettings("evaluator");
        Path evaluatorRun = evaluatorSettings.has("run") ? evaluatorSettings.getPath("run") : null;
        if (evaluatorRun != null && !Files.isDirectory(evaluatorRun)) {
            throw evaluatorSettings.invalid("run", evaluatorRun + " does not exist; name the directory of a classifier"
                    + " run of the same dataset (lpl train), or null for no GAN-test");
        }
        EngineSession session = factory.engineSession(root).start();

        TrainSubset loaded = factory.loadDataset(config);
        ImageDataset dataset = loaded.dataset();
        ImageSet train = dataset.train();
        GanSpec spec = spec(gan, train, dataset.numClasses());

        PreparedRun evaluator = null;
        if (evaluatorRun != null) {
            evaluator = openEvaluator(factory, loader, evaluatorRun, dataset);
        }
        session.seed(Seeds.derive(seed, "gan-init"));
        NDManager manager = session.engine().newBaseManager(session.device());
        manager.setName("lpl-gan");
        GanModel model;
        try {
            model = new GanModel(spec, manager, true);
        } catch (RuntimeException e) {
            manager.close();
            if (evaluator != null) {
                evaluator.close();
            }
            throw e;
        }
        float[] half = new float[train.channels()];
        Arrays.fill(half, 0.5f);
        // (x/255 − 0.5)/0.5: real images in [−1, 1], the range of G's tanh; no crop, no flip
        Augmentation toTanhRange = new Augmentation(0, Augmentation.PaddingMode.ZERO, false, half, half);
        BatchLoader batches = new BatchLoader(train, toTanhRange, batchSize, true, Seeds.derive(seed, "gan-loader"), 2);
        RunDirectory directory = resumeFrom == null ? RunDirectory.create(path) : RunDirectory.open(path);
        return new GanRun(config, name, directory, resumeFrom == null, model, new Adam(lr, beta1, beta2, 1e-8),
                new Adam(lr, beta1, beta2, 1e-8), batches, dataset, evaluator, evaluatorRun);
    }

    private static PreparedRun openEvaluator(RunFactory factory, ConfigLoader loader, Path run, ImageDataset dataset) {
        Optional<Path> latest = new Checkpoints(run, 1).latest();
        if (latest.isEmpty()) {
            throw new LplException("gan.evaluator.run " + run + " has no checkpoint; train it first (lpl train)");
        }
        PreparedRun evaluator = factory.openForEvaluation(loader, run, latest.get());
        ImageDataset theirs = evaluator.description().dataset();
        ImageSet a = theirs.train();
        ImageSet b = dataset.train();
        if (!theirs.classNames().equals(dataset.classNames()) || a.channels() != b.channels()
                || a.height() != b.height() || a.width() != b.width()) {
            evaluator.close();
            throw new LplException("gan.evaluator.run " + run + " classifies " + theirs.classNames().size()
                    + " classes of " + a.channels() + "x" + a.height() + "x" + a.width() + " images (" + theirs.name()
                    + "), the GAN's data has " + dataset.classNames().size() + " classes of " + b.channels() + "x"
                    + b.height() + "x" + b.width() + " (" + dataset.name() + "); name a classifier run of the same"
                    + " dataset");
        }
        return evaluator;
    }

    /** @return the run directory */
    public RunDirectory directory() {
        return directory;
    }

    /** @return the run's name */
    public String name() {
        return name;
    }

    /** @return G and D */
    public GanModel model() {
        return model;
    }

    /** @return the 0-based epoch and batch training starts at */
    public int[] start() {
        return new int[] {startEpoch, startBatch};
    }

    /** @return where the last stop's checkpoint was written, or null */
    public Path stopCheckpoint() {
        return stopCheckpoint;
    }

    /**
     * Trains until the last epoch or until a stop is requested.
     *
     * @param out where progress lines go
     * @param stopRequested polled after every step
     * @return how it ended
     */
    public Status run(PrintWriter out, BooleanSupplier stopRequested) {
        if (fresh) {
            Map<String, String> files = new LinkedHashMap<>();
            files.put(RunDirectory.RESOLVED_CONF, "# lpl resolved configuration of GAN run " + name
                    + System.lineSeparator() + "# repeat with: lpl gan train -c " + RunDirectory.RESOLVED_CONF
                    + " --out NEW_DIR" + System.lineSeparator() + config.render());
            files.put(RunDirectory.MANIFEST, RunFiles.manifestText(manifest()));
            directory.publish(files);
        }
        int batches = loader.batchesPerEpoch();
        int limit = stepsPerEpoch == 0 ? batches : Math.min(stepsPerEpoch, batches);
        for (int epoch = startEpoch; epoch < epochs; epoch++) {
            int first = epoch == startEpoch ? startBatch : 0;
            double[] sums = epoch == startEpoch ? startSums.clone() : new double[SUMS.length];
            long epochStart = System.nanoTime();
            Iterator<HostBatch> it = loader.epoch(epoch, first);
            int report = Math.max(1, limit / 5);
            for (int batch = first; batch < limit && it.hasNext(); batch++) {
                HostBatch hostBatch = it.next();
                long stepSeed = Seeds.derive(Seeds.derive(seed, "gan-step", epoch), "batch", batch);
                long t0 = System.nanoTime();
                GanStep.Result r = step.run(hostBatch, stepSeed);
                if (!r.finite()) {
                    Optional<Path> good = latestCheckpoint();
                    writeSummary(RunStatus.FAILED, null, null, "non-finite loss at epoch " + (epoch + 1) + ", batch "
                            + batch);
                    throw new LplException("the " + (Float.isFinite(r.discriminatorLoss()) ? "generator" : "discriminator")
                            + " loss became " + (Float.isFinite(r.discriminatorLoss()) ? r.generatorLoss()
                            : r.discriminatorLoss()) + " at epoch " + (epoch + 1) + ", batch " + batch
                            + " (no update was made from it); lower gan.learning-rate; " + good
                                    .map(p -> "the last good checkpoint is " + p).orElse("no checkpoint was written"));
                }
                double[] add = {r.discriminatorLoss() * (double) r.size(), r.generatorLoss() * (double) r.size(),
                    r.realCorrect(), r.fakeCorrect(), r.classCorrect(), r.infoLoss() * (double) r.size(), r.size(), 1,
                    (System.nanoTime() - t0) / 1e9};
                for (int k = 0; k < sums.length; k++) {
                    sums[k] += add[k];
                }
                if ((batch + 1) % report == 0 && out != null) {
                    out.printf(Locale.ROOT, "epoch %d/%d  step %d/%d  d_loss %.4f  g_loss %.4f%n", epoch + 1, epochs,
                            batch + 1, limit, sums[0] / sums[6], sums[1] / sums[6]);
                    out.flush();
                }
                if (batch + 1 < limit && stopRequested.getAsBoolean()) {
                    stopCheckpoint = writeCheckpoint(epoch, batch + 1, sums);
                    writeSummary(RunStatus.STOPPED, new Summary.StoppedAt(epoch + 1, batch + 1),
                            directory.path().relativize(stopCheckpoint).toString(), null);
                    return Status.STOPPED;
                }
            }
            GanMetricsLine line = metricsLine(epoch, sums, (System.nanoTime() - epochStart) / 1e9);
            CrashInjector.reached(CrashPoint.EPOCH_EVALUATED);
            history.add(line);
            writeCheckpoint(epoch + 1, 0, new double[SUMS.length]);
            writeGrid(epoch + 1);
            directory.appendLine(RunDirectory.METRICS, RunFiles.ganMetricsLineText(line));
            CrashInjector.reached(CrashPoint.METRICS_APPENDED);
            writeSummary(epoch + 1 == epochs ? RunStatus.COMPLETED : RunStatus.RUNNING, null, null, null);
            CrashInjector.reached(CrashPoint.SUMMARY_WRITTEN);
            if (out != null) {
                out.println(describe(line));
                out.flush();
            }
        }
        if (startEpoch >= epochs) {
            writeSummary(RunStatus.COMPLETED, null, null, null);
        }
        return Status.COMPLETED;
    }

    /**
     * Returns one epoch's figures as a line for the terminal.
     *
     * @param line a metrics line
     * @return the text
     */
    public static String describe(GanMetricsLine line) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "epoch %s/%s  d_loss %.4f  g_loss %.4f  "
                + "D real %.3f  D fake %.3f", line.epoch(), line.epochs(), line.dLoss(), line.gLoss(),
                line.dRealAccuracy(), line.dFakeAccuracy()));
        if (line.dClassAccuracy() != null && !line.dClassAccuracy().isNaN()) {
            s.append(String.format(Locale.ROOT, "  D class %.3f", line.dClassAccuracy()));
        }
        if (line.ganTested()) {
            s.append(String.format(Locale.ROOT, "  GAN-test %.4f", line.ganTestBalancedAccuracy()));
        }
        return s.append(String.format(Locale.ROOT, "  (%.0f s)", line.epochSeconds())).toString();
    }

    private GanMetricsLine metricsLine(int epoch, double[] sums, double seconds) {
        double n = Math.max(1, sums[6]);
        GanTest.Result test = evaluator == null ? null : GanTest.evaluate(model, evaluator, testPerClass,
                Seeds.derive(seed, "gan-test"));
        return new GanMetricsLine(epoch + 1, epochs, sums[0] / n, sums[1] / n, sums[2] / n, sums[3] / n,
                model.spec().variant().classHead() ? sums[4] / n : null,
                model.spec().variant().codes() > 0 ? sums[5] / n : null,
                test == null ? null : test.balancedAccuracy(),
                test == null ? null : MetricsLine.list(test.perClassAccuracy()),
                (long) sums[6], (long) sums[7], sums[8], seconds, null);
    }

    private Optional<Path> latestCheckpoint() {
        return checkpoints().stream().reduce((a, b) -> b);
    }

    private List<Path> checkpoints() {
        Path dir = directory.path().resolve(Checkpoints.DIRECTORY);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("epoch-")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path writeCheckpoint(int epoch, int batch, double[] sums) {
        String checkpointName = batch == 0 ? String.format("epoch-%04d", epoch)
                : String.format("epoch-%04d-batch-%05d", epoch, batch);
        Path dir = directory.path().resolve(Checkpoints.DIRECTORY);
        Path target = dir.resolve(checkpointName);
        Path temp = dir.resolve(".tmp-" + checkpointName);
        try {
            Files.createDirectories(dir);
            AtomicFiles.deleteRecursively(temp);
            Files.createDirectories(temp);
            model.save(false, temp.resolve(GanModel.GENERATOR_FILE));
            model.save(true, temp.resolve(GanModel.DISCRIMINATOR_FILE));
            try (NDManager m = model.manager().newSubManager()) {
                writeAdam(adamG, temp.resolve(ADAM_G), m);
                writeAdam(adamD, temp.resolve(ADAM_D), m);
            }
            CrashInjector.reached(CrashPoint.CHECKPOINT_ARRAYS_WRITTEN);
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("run", name);
            state.put("created", Instant.now().toString());
            state.put("epoch", epoch);
            state.put("batch", batch);
            Map<String, Object> partial = new LinkedHashMap<>();
            for (int k = 0; k < SUMS.length; k++) {
                partial.put(SUMS[k], sums[k]);
            }
            state.put("partial_epoch", partial);
            state.put("history", history.stream().map(RunFiles::tree).toList());
            Files.writeString(temp.resolve(STATE), Json.pretty(state), StandardCharsets.UTF_8);
            CrashInjector.reached(CrashPoint.CHECKPOINT_TEMP_COMPLETE);
            if (Files.exists(target)) {
                AtomicFiles.deleteRecursively(target);
            }
            AtomicFiles.move(temp, target, false);
            CrashInjector.reached(CrashPoint.CHECKPOINT_RENAMED);
            // keep the newest `keep` checkpoints; a mid-epoch one is never kept behind a newer one
            List<Path> all = checkpoints();
            for (int i = 0; i < all.size() - keep; i++) {
                Path trash = dir.resolve(".trash-" + all.get(i).getFileName());
                AtomicFiles.move(all.get(i), trash, true);
                CrashInjector.reached(CrashPoint.PRUNE_MOVED_ASIDE);
                AtomicFiles.deleteRecursively(trash);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + target, e);
        }
    }

    private static void writeAdam(Adam adam, Path file, NDManager m) throws IOException {
        NDList arrays = new NDList();
        adam.state(m).forEach((key, array) -> {
            NDArray view = array.duplicate();
            view.setName(key);
            arrays.add(view);
        });
        Checkpoints.writeNpz(file, arrays);
    }

    private void restoreLatest() {
        Path dir = directory.path().resolve(Checkpoints.DIRECTORY);
        directory.removeStaleTemporaries();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.filter(p -> p.getFileName().toString().startsWith(".")).toList()) {
                    AtomicFiles.deleteRecursively(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Optional<Path> latest = latestCheckpoint();
        if (latest.isEmpty()) {
            directory.writeLines(RunDirectory.METRICS, List.of()); // a run stopped before its first checkpoint
            return;
        }
        Path checkpoint = latest.get();
        JsonNode state = readJson(checkpoint.resolve(STATE));
        model.load(false, checkpoint.resolve(GanModel.GENERATOR_FILE));
        model.load(true, checkpoint.resolve(GanModel.DISCRIMINATOR_FILE));
        try (NDManager temp = model.manager().newSubManager()) {
            adamG.restore(Checkpoints.readNpz(checkpoint.resolve(ADAM_G), temp), model.manager());
            adamD.restore(Checkpoints.readNpz(checkpoint.resolve(ADAM_D), temp), model.manager());
        }
        startEpoch = state.get("epoch").asInt();
        startBatch = state.get("batch").asInt();
        for (int k = 0; k < SUMS.length; k++) {
            startSums[k] = state.path("partial_epoch").path(SUMS[k]).asDouble(0);
        }
        history.clear();
        state.path("history").forEach(line -> history.add(RunFiles.fromTree(line, GanMetricsLine.class)));
        List<String> lines = history.stream().map(RunFiles::ganMetricsLineText).toList();
        directory.writeLines(RunDirectory.METRICS, lines);
        if (startBatch == 0 && startEpoch > 0
                && !Files.exists(directory.path().resolve(SAMPLES).resolve(gridName(startEpoch)))) {
            writeGrid(startEpoch); // a crash between the checkpoint and its grid: G is that epoch's
        }
    }

    private static String gridName(int epoch) {
        return String.format("epoch-%04d.png", epoch);
    }

    private void writeGrid(int epoch) {
        int c = model.spec().classes();
        long[] labels = new long[c * gridColumns];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i / gridColumns;
        }
        // the same z (and codes) in every row: a column shows one latent across the classes
        Latents columns = Latents.draw(model.spec(), Arrays.copyOf(labels, gridColumns), Seeds.derive(seed, "grid"));
        int width = model.spec().generatorInput();
        float[] input = new float[labels.length * width];
        for (int i = 0; i < labels.length; i++) {
            System.arraycopy(columns.input(), (i % gridColumns) * width, input, i * width, width);
            Arrays.fill(input, i * width + model.spec().noise(), i * width + model.spec().noise() + c, 0f);
            input[i * width + model.spec().noise() + (int) labels[i]] = 1f;
        }
        byte[] pixels = GeneratedImages.toBytes(model, new Latents(input, labels, new float[0]));
        Path file = directory.path().resolve(SAMPLES).resolve(gridName(epoch));
        SampleGrid.write(pixels, model.spec().channels(), model.spec().height(), model.spec().width(), c,
                gridColumns, file);
    }

    private Manifest manifest() {
        Manifest.Versions versions = new Manifest.Versions(Provenance.lplVersion(), Engine.getDjlVersion(),
                Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion(),
                System.getProperty("java.version"), null);
        Map<String, Long> seeds = new LinkedHashMap<>();
        seeds.put("root", seed);
        seeds.put("gan-init", Seeds.derive(seed, "gan-init"));
        seeds.put("gan-loader", Seeds.derive(seed, "gan-loader"));
        ImageSet train = dataset.train();
        Manifest.Dataset data = new Manifest.Dataset(dataset.name(), dataset.identity(), dataset.classNames(),
                train.size(), null, Arrays.stream(train.classCounts(dataset.numClasses())).boxed().toList(), null,
                null, List.of(train.channels(), train.height(), train.width()), floats(dataset.mean()),
                floats(dataset.std()));
        GanSpec spec = model.spec();
        Manifest.Gan gan = new Manifest.Gan(spec.variant().configName(), spec.noise(), spec.variant().codes(),
                spec.base(), GanNetworks.trainableParameters(model.generator()),
                GanNetworks.trainableParameters(model.discriminator()));
        Manifest.Evaluator scorer = evaluatorRun == null ? null : new Manifest.Evaluator(
                evaluatorRun.toAbsolutePath().normalize().toString(), evaluator.description().model(),
                evaluator.description().method());
        return new Manifest(KIND, name, Instant.now().toString(), versions,
                Provenance.gitCommit(Path.of("")).orElse(null), Provenance.host(), model.device().toString(), seeds,
                data, null, null, null, gan, scorer, config.sources(),
                RunFiles.tree(config.config().root().unwrapped()), null);
    }

    private static List<Float> floats(float[] values) {
        List<Float> list = new ArrayList<>(values.length);
        for (float v : values) {
            list.add(v);
        }
        return list;
    }

    private void writeSummary(RunStatus status, Summary.StoppedAt stoppedAt, String checkpoint, String reason) {
        int completed = history.size();
        boolean any = completed > 0;
        GanSummary summary = new GanSummary(name, KIND, status, stoppedAt, checkpoint, reason,
                model.spec().variant().configName(), dataset.name(), completed, epochs,
                any ? history.get(completed - 1) : null, any ? SAMPLES + "/" + gridName(completed) : null,
                any ? Checkpoints.DIRECTORY + "/" + String.format("epoch-%04d", completed) + "/"
                        + GanModel.GENERATOR_FILE : null);
        directory.write(RunDirectory.SUMMARY, RunFiles.ganSummaryText(summary));
    }

    @Override
    public void close() {
        try {
            loader.close();
        } catch (RuntimeException e) {
            // best effort
        }
        if (evaluator != null) {
            evaluator.close();
        }
        model.close();
    }

    /** For tests: the Adam state of G. */
    Adam generatorOptimizer() {
        return adamG;
    }
}
