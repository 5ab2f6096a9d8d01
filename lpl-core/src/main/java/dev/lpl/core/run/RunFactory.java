package dev.lpl.core.run;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.lpl.api.LplException;
import dev.lpl.api.Seeds;
import dev.lpl.api.Settings;
import dev.lpl.api.UserPaths;
import dev.lpl.api.data.DatasetContext;
import dev.lpl.api.data.DatasetFactory;
import dev.lpl.api.data.ImageDataset;
import dev.lpl.api.data.ImageSet;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.api.model.HeadType;
import dev.lpl.api.model.KaimingNormalInitializer;
import dev.lpl.api.model.ModelFactory;
import dev.lpl.api.model.ModelSpec;
import dev.lpl.api.objective.ClassWeighting;
import dev.lpl.api.objective.LossFunction;
import dev.lpl.api.objective.MetaReweighting;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.training.LearningRateSchedule;
import dev.lpl.api.training.RunListener;
import dev.lpl.api.training.WeightOptimizer;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.config.StrictKeys;
import dev.lpl.core.data.Augmentation;
import dev.lpl.core.data.BatchLoader;
import dev.lpl.core.data.LongTail;
import dev.lpl.core.data.MetaBatches;
import dev.lpl.core.data.TrainSubset;
import dev.lpl.core.data.ValidationSplit;
import dev.lpl.core.gan.GeneratedShare;
import dev.lpl.core.interop.ModelWeights;
import dev.lpl.core.plugin.PluginKind;
import dev.lpl.core.plugin.PluginRegistry;
import dev.lpl.core.plugin.RegistryComponents;
import dev.lpl.core.train.Evaluator;
import dev.lpl.core.train.CpuFeatures;
import dev.lpl.core.train.ImageFormat;
import dev.lpl.core.train.MethodObjective;
import dev.lpl.core.train.Precision;
import dev.lpl.core.train.TrainingEngine;
import dev.lpl.core.train.TrainingStep;
import dev.lpl.core.config.ConfigLoader;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a validated configuration into a {@link PreparedRun}. Every component that does not need
 * the data (method, weight optimizer, schedule, backend, listeners, model settings, run directory)
 * is created first, so a configuration error is reported before the engine starts or any data is
 * read; then the data is loaded and long-tail sampled, and the network is built and initialised.
 */
public final class RunFactory {

    /** The key (below {@code model}) of the file the network's weights start from. */
    public static final String INIT_FROM = "init-from";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private final PluginRegistry registry;
    private final MeterRegistry meters;

    /**
     * Creates the factory.
     *
     * @param registry the plugin registry
     * @param meters the metrics registry
     */
    @Inject
    public RunFactory(PluginRegistry registry, MeterRegistry meters) {
        this.registry = requireNonNull(registry, "registry is null");
        this.meters = requireNonNull(meters, "meters is null");
    }

    /**
     * Creates the method's perturbation from the {@code method} block.
     *
     * @param root the whole configuration
     * @return the perturbation
     */
    public Perturbation perturbation(Settings root) {
        String method = root.getString("method.type");
        var factory = registry.get(PluginKind.METHOD, method, "method.type");
        return factory.create(root.getSettings("method").getSettings(StrictKeys.quoteIfNeeded(method)),
                new RegistryComponents(registry));
    }

    /**
     * Creates the method's whole objective from the {@code method} block: perturbation, loss and
     * class weighting.
     *
     * @param root the whole configuration
     * @return the objective
     */
    public MethodObjective method(Settings root) {
        Settings method = root.getSettings("method");
        RegistryComponents components = new RegistryComponents(registry);
        LossFunction loss = components.factory(PluginKind.LOSS, method.getSettings("loss"))
                .create(RegistryComponents.options(method.getSettings("loss")));
        ClassWeighting weighting = components.factory(PluginKind.WEIGHTING, method.getSettings("weighting"))
                .create(RegistryComponents.options(method.getSettings("weighting")));
        return new MethodObjective(perturbation(root), loss, weighting);
    }

    /**
     * Creates the weight optimizer of the {@code optimizer} block.
     *
     * @param root the whole configuration
     * @return the optimizer
     */
    public WeightOptimizer weightOptimizer(Settings root) {
        String name = root.getString("optimizer.type");
        return registry.get(PluginKind.WEIGHT_OPTIMIZER, name, "optimizer.type")
                .create(root.getSettings("optimizer").getSettings(StrictKeys.quoteIfNeeded(name)));
    }

    /**
     * Resolves the engine session of a configuration ({@code training.backend}, {@code
     * training.threads}) without starting the engine: what every command that computes starts the
     * engine through.
     *
     * @param root the whole configuration
     * @return the session, not started
     * @throws LplException on an unknown backend or a bad thread count
     */
    public EngineSession engineSession(Settings root) {
        return EngineSession.of(root, registry);
    }

    /**
     * Builds the network of the {@code model} block for a spec and initialises it (Kaiming-normal
     * weights drawn from the engine's generator, which the caller seeds).
     *
     * @param root the whole configuration
     * @param channels input channels
     * @param height input height
     * @param width input width
     * @param numClasses C
     * @param manager where the parameters live
     * @return the initialised network
     */
    public ClassifierBlock model(Settings root, int channels, int height, int width, int numClasses, NDManager manager) {
        return model(root, head(root), channels, height, width, numClasses, manager);
    }

    /**
     * Returns the classifier head a configuration trains: {@code model.head}, or for {@code auto}
     * the head its method requires (linear if it requires none).
     *
     * @param root the whole configuration
     * @return the head
     * @throws LplException if an explicit head does not suit the method
     */
    public HeadType head(Settings root) {
        try (Perturbation perturbation = perturbation(root)) {
            return head(root, perturbation, root.has("method.preset") ? root.getString("method.preset")
                    : root.getString("method.type"));
        }
    }

    private ClassifierBlock model(Settings root, HeadType head, int channels, int height, int width, int numClasses,
            NDManager manager) {
        String name = root.getString("model.type");
        ModelFactory factory = registry.get(PluginKind.MODEL, name, "model.type");
        ClassifierBlock block = factory.create(root.getSettings("model").getSettings(StrictKeys.quoteIfNeeded(name)),
                new ModelSpec(channels, height, width, numClasses, head));
        if (classScale(root)) {
            block = block.withClassScale(numClasses);
        }
        block.setInitializer(new KaimingNormalInitializer(), Parameter.Type.WEIGHT);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, channels, height, width));
        return block;
    }

    /**
     * Resolves {@code model.head}: {@code auto} is the head the method requires, else linear; an
     * explicit head must be the one the method requires, if it requires one.
     *
     * @param root the whole configuration
     * @param perturbation the method's perturbation
     * @param methodName the method or preset name, for the message
     * @return the head
     * @throws LplException if the configured head does not suit the method
     */
    static HeadType head(Settings root, Perturbation perturbation, String methodName) {
        List<String> choices = new ArrayList<>(List.of("auto"));
        for (HeadType type : HeadType.values()) {
            choices.add(type.configName());
        }
        String head = root.getSettings("model").getChoice("head", choices);
        Optional<HeadType> required = perturbation.requiredHead();
        if (head.equals("auto")) {
            return required.orElse(HeadType.LINEAR);
        }
        if (required.isPresent() && !required.get().configName().equals(head)) {
            throw new LplException("method " + methodName + " needs model.head = " + required.get().configName()
                    + ", but the configuration sets " + head + "; set model.head = " + required.get().configName()
                    + " or auto");
        }
        return HeadType.ofConfigName(head);
    }

    /**
     * Validates the configuration and prepares a new run: data loaded, network initialised, run
     * directory created (empty).
     *
     * @param config the configuration
     * @param out the run directory, or null for {@code run.output-root/<name>}
     * @return the prepared run
     */
    public PreparedRun prepare(RunConfig config, Path out) {
        return build(config, out, null);
    }

    /**
     * Prepares to continue a run from its latest checkpoint, with the configuration it was started
     * with ({@code resolved.conf}). The data must be the same as when the run started (checked
     * against the manifest's dataset identity).
     *
     * @param loader the configuration loader
     * @param runDirectory the run directory
     * @return the prepared run, positioned after its latest checkpoint
     * @throws LplException if the directory holds no resumable run, or the run has completed
     */
    public PreparedRun resume(ConfigLoader loader, Path runDirectory) {
        return resume(loader, runDirectory, null);
    }

    /**
     * Prepares to continue a run from a named checkpoint (e.g. the one before a corrupt latest
     * checkpoint); the checkpoints after it are discarded, and the metrics of the epochs after it
     * are recomputed.
     *
     * @param loader the configuration loader
     * @param runDirectory the run directory
     * @param fromCheckpoint a name under {@code checkpoints/} (e.g. {@code epoch-0004}), or null for
     *     the latest
     * @return the prepared run, positioned after that checkpoint
     * @throws LplException if the directory holds no resumable run, the run has completed, or the
     *     checkpoint does not exist
     */
    public PreparedRun resume(ConfigLoader loader, Path runDirectory, String fromCheckpoint) {
        if (!Files.exists(runDirectory)) {
            throw new LplException("run directory " + runDirectory + " does not exist" + (RunDirectory
                    .staleTemporaries(runDirectory).isEmpty() ? "; pass the directory lpl train --out wrote"
                    : "; a crash stopped its creation before the first epoch: start it again with the same"
                    + " lpl train command (it removes the leftover ." + runDirectory.getFileName() + ".tmp-*)"));
        }
        Path conf = runDirectory.resolve(RunDirectory.RESOLVED_CONF);
        Path manifest = runDirectory.resolve(RunDirectory.MANIFEST);
        if (!Files.isRegularFile(conf) || !Files.isRegularFile(manifest)) {
            throw new LplException(runDirectory + " is not an lpl run directory (no " + RunDirectory.RESOLVED_CONF
                    + " or " + RunDirectory.MANIFEST + "); pass the directory lpl train --out wrote");
        }
        Path summary = runDirectory.resolve(RunDirectory.SUMMARY);
        if (Files.isRegularFile(summary)) {
            try {
                if ("completed".equals(Json.mapper().readTree(summary.toFile()).path("status").asText())) {
                    throw new LplException("run " + runDirectory + " has already completed; nothing to resume");
                }
            } catch (IOException e) {
                throw new LplException(summary + " cannot be read: " + e.getMessage(), e);
            }
        }
        if (fromCheckpoint != null && new Checkpoints(runDirectory, 1).named(fromCheckpoint).isEmpty()) {
            List<String> names = new Checkpoints(runDirectory, 1).list().stream()
                    .map(p -> p.getFileName().toString()).toList();
            throw new LplException("checkpoint " + fromCheckpoint + " does not exist in " + runDirectory
                    + "; available: " + (names.isEmpty() ? "none" : String.join(", ", names)));
        }
        PreparedRun run = build(loader.load(conf, List.of()), runDirectory, runDirectory);
        try {
            run.restoreLatest(fromCheckpoint);
        } catch (RuntimeException e) {
            run.close();
            throw e;
        }
        return run;
    }

    /**
     * Opens a run to evaluate one of its checkpoints, without writing anything into it.
     *
     * @param loader the configuration loader
     * @param runDirectory the run directory
     * @param checkpoint the checkpoint directory to load
     * @return the run with the checkpoint's weights
     */
    public PreparedRun openForEvaluation(ConfigLoader loader, Path runDirectory, Path checkpoint) {
        Path conf = runDirectory.resolve(RunDirectory.RESOLVED_CONF);
        if (!Files.isRegularFile(conf)) {
            throw new LplException(runDirectory + " is not an lpl run directory (no " + RunDirectory.RESOLVED_CONF + ")");
        }
        PreparedRun run = build(loader.load(conf, List.of()), runDirectory, runDirectory);
        try {
            run.restore(checkpoint);
        } catch (RuntimeException e) {
            run.close();
            throw e;
        }
        return run;
    }

    /**
     * Everything a run needs that can be checked without the engine or the data.
     */
    private record Plan(
            Settings root, String methodName, MethodObjective objective, WeightOptimizer optimizer,
            LearningRateSchedule schedule, EngineSession session, List<RunListener> listeners, int epochs,
            boolean channelsLast, Precision precision, int checkpointEvery, int checkpointKeep, String modelName, HeadType head, DatasetFactory datasetFactory,
            String datasetName, Settings datasetSettings, LongTail longTail, int padding,
            Augmentation.PaddingMode paddingMode, boolean flip, int batchSize, int evalBatchSize, int prefetch,
            long seed, DatasetContext dataContext, Path indicesFile, TrainingEngine.FineTune fineTune,
            ValidationSplit validation) {}

    private Plan plan(RunConfig config) {
        Settings root = config.settings();
        String methodName = root.has("method.preset") ? root.getString("method.preset") : root.getString("method.type");
        MethodObjective objective = method(root);
        try {
            WeightOptimizer optimizer = weightOptimizer(root);
            String scheduleName = root.getString("schedule.type");
            LearningRateSchedule schedule = registry.get(PluginKind.SCHEDULE, scheduleName, "schedule.type")
                    .create(root.getSettings("schedule"));
            Settings training = root.getSettings("training");
            EngineSession session = EngineSession.of(root, registry); // training.backend, training.threads
            List<RunListener> listeners = listeners(training);
            int epochs = training.getInt("epochs", 1, 1_000_000);
            TrainingEngine.FineTune fineTune = fineTune(training, epochs);
            boolean channelsLast = training.getBoolean("channels-last");
            Precision precision = Precision.of(training);
            if (precision != Precision.FP32 && objective.perturbation() instanceof MetaReweighting) {
                throw new LplException("training.precision = " + precision.settingValue() + " is not supported with "
                        + methodName + " (its look-ahead runs in fp32 only); use training.precision = fp32");
            }
            Settings checkpointing = training.getSettings("checkpoint");
            int checkpointEvery = checkpointing.getInt("every", 0, 1_000_000);
            int checkpointKeep = checkpointing.getInt("keep-last", 1, 1_000_000);
            String modelName = root.getString("model.type");
            registry.get(PluginKind.MODEL, modelName, "model.type");
            HeadType head = head(root, objective.perturbation(), methodName);
            String weightingType = root.getString("method.weighting.type");
            if (objective.perturbation() instanceof MetaReweighting && !weightingType.equals("none")) {
                throw new LplException("method " + methodName + " learns its own per-sample weights, so"
                        + " method.weighting.type = " + weightingType + " would be ignored; set it to none");
            }
            Settings data = root.getSettings("data");
            String datasetName = data.getString("type");
            DatasetFactory datasetFactory = registry.get(PluginKind.DATASET, datasetName, "data.type");
            Settings datasetSettings = data.getSettings(StrictKeys.quoteIfNeeded(datasetName));
            DatasetContext dataContext = datasetContext(root);
            // The method against the number of classes, when the dataset can tell it without loading.
            datasetFactory.numClasses(datasetSettings, dataContext).ifPresent(objective.perturbation()::checkNumClasses);
            LongTail longTail = new LongTail(
                    LongTail.Profile.parse(data.getString("long-tail.profile")),
                    data.getSettings("long-tail").getDouble("ratio", 1, 1e9));
            Settings augment = data.getSettings("augment");
            int padding = augment.getInt("crop-padding", 0, 64);
            Augmentation.PaddingMode paddingMode = Augmentation.PaddingMode.valueOf(
                    augment.getChoice("padding-mode", List.of("zero", "reflect")).toUpperCase(Locale.ROOT));
            boolean flip = augment.getBoolean("flip");
            int batchSize = data.getInt("batch-size", 1, 1 << 20);
            int evalBatchSize = data.getInt("eval-batch-size", 1, 1 << 20);
            int prefetch = data.getInt("prefetch", 1, 1024);
            long seed = root.getLong("run.seed");
            return new Plan(root, methodName, objective, optimizer, schedule, session, listeners, epochs,
                    channelsLast, precision, checkpointEvery, checkpointKeep, modelName, head, datasetFactory, datasetName, datasetSettings, longTail,
                    padding, paddingMode, flip, batchSize, evalBatchSize, prefetch, seed, dataContext,
                    indicesFile(data), fineTune, ValidationSplit.parse(data.getSettings("validation")));
        } catch (RuntimeException e) {
            objective.close();
            throw e;
        }
    }

    /**
     * The run listeners enabled by {@code training.listener.<name>.enabled}, in name order, each
     * guarded ({@link GuardedListener}) so that its failure never stops the run.
     */
    private List<RunListener> listeners(Settings training) {
        List<String> legacy = training.getStringList("listeners");
        if (!legacy.isEmpty()) {
            throw new LplException("training.listeners is no longer read; enable a listener with training.listener."
                    + legacy.get(0) + ".enabled = true (lpl list shows the run listeners)");
        }
        Settings blocks = training.getSettings("listener");
        List<RunListener> listeners = new ArrayList<>();
        for (var entry : registry.all(PluginKind.RUN_LISTENER).entrySet()) {
            String key = StrictKeys.quoteIfNeeded(entry.getKey());
            if (blocks.has(key + ".enabled") && blocks.getSettings(key).getBoolean("enabled")) {
                listeners.add(new GuardedListener(entry.getKey(), entry.getValue().create(blocks.getSettings(key))));
            }
        }
        return listeners;
    }

    /**
     * Checks a configuration as a run would before any work (every component it names exists and
     * accepts its settings, and the method fits the dataset's number of classes when the dataset
     * can tell it from its metadata), without starting the engine or reading data.
     *
     * @param config the configuration
     * @throws LplException on the first problem
     */
    public void validate(RunConfig config) {
        plan(config).objective().close();
        initFromFile(config.settings());
    }

    /**
     * Returns the weights file {@code model.init-from} names, checked to exist (a checkpoint
     * directory resolves to its {@code model.npz}); a leading {@code ~} is the user's home.
     *
     * @param root the whole configuration
     * @return the file, or null when the key is null (Kaiming-normal initialisation)
     * @throws LplException when the file does not exist or is a run directory
     */
    public static Path initFromFile(Settings root) {
        Settings model = root.getSettings("model");
        initFromParts(root);
        freezesFeatures(root);
        classScale(root);
        classBalanced(root);
        return model.has(INIT_FROM) ? ModelWeights.resolve(model.getPath(INIT_FROM), "model." + INIT_FROM) : null;
    }

    /**
     * Returns which tensors {@code model.init-from} provides ({@code model.init-from-parts}).
     *
     * @param root the whole configuration
     * @return all, or the feature extractor's only (the classifier starts afresh)
     */
    public static ModelWeights.Parts initFromParts(Settings root) {
        return ModelWeights.Parts.valueOf(root.getSettings("model").getChoice("init-from-parts",
                List.of("all", "features")).toUpperCase(Locale.ROOT));
    }

    /**
     * Returns whether every training epoch is drawn class-balanced ({@code data.sampling}).
     *
     * @param root the whole configuration
     * @return true for {@code class-balanced}
     */
    public static boolean classBalanced(Settings root) {
        return root.getSettings("data").getChoice("sampling", List.of("instance", "class-balanced"))
                .equals("class-balanced");
    }

    /**
     * Returns whether {@code training.freeze = features}: the feature extractor is neither updated
     * nor are its batch-norm statistics (it runs in evaluation mode); only the classifier trains.
     *
     * @param root the whole configuration
     * @return true to train the classifier only
     */
    public static boolean freezesFeatures(Settings root) {
        return !freeze(root).equals("none");
    }

    /**
     * Returns whether {@code training.freeze = all-but-scale}: the feature extractor and the
     * classifier are both frozen (the features in evaluation mode) and only the per-class scale of
     * {@code model.class-scale} trains (learnable weight scaling, LWS).
     *
     * @param root the whole configuration
     * @return true to train the per-class scale only
     */
    public static boolean freezesClassifier(Settings root) {
        return freeze(root).equals("all-but-scale");
    }

    /**
     * Returns whether the network has a learnable per-class scale on its logits ({@code
     * model.class-scale}, {@link ClassifierBlock#withClassScale}): learnable weight scaling, LWS, of
     * Kang et al., "Decoupling Representation and Classifier for Long-Tailed Recognition", ICLR
     * 2020, §4. It goes with {@code training.freeze = all-but-scale} and nothing else: trained with
     * the rest of the network, the scale only reparameterises the classifier.
     *
     * @param root the whole configuration
     * @return true for a scaled network
     * @throws LplException when {@code model.class-scale} and {@code training.freeze = all-but-scale}
     *     do not come together
     */
    public static boolean classScale(Settings root) {
        boolean scale = root.getSettings("model").getBoolean("class-scale");
        boolean onlyScale = freezesClassifier(root);
        if (scale != onlyScale) {
            throw new LplException(scale
                    ? "model.class-scale = true needs training.freeze = all-but-scale (learnable weight scaling, LWS:"
                            + " the network is fixed and only the scale trains), not " + freeze(root)
                    : "training.freeze = all-but-scale needs model.class-scale = true (the per-class scale it trains)");
        }
        return scale;
    }

    private static String freeze(Settings root) {
        return root.getSettings("training").getChoice("freeze", List.of("none", "features", "all-but-scale"));
    }

    private PreparedRun build(RunConfig config, Path out, Path resumeFrom) {
        // 1. Everything that needs neither the engine nor the data.
        Plan plan = plan(config);
        Settings root = plan.root();
        String methodName = plan.methodName();
        MethodObjective objective = plan.objective();
        WeightOptimizer optimizer = plan.optimizer();
        LearningRateSchedule schedule = plan.schedule();
        EngineSession session = plan.session();
        List<RunListener> listeners = plan.listeners();
        int epochs = plan.epochs();
        int checkpointEvery = plan.checkpointEvery();
        int checkpointKeep = plan.checkpointKeep();
        String modelName = plan.modelName();
        DatasetFactory datasetFactory = plan.datasetFactory();
        String datasetName = plan.datasetName();
        Settings datasetSettings = plan.datasetSettings();
        LongTail longTail = plan.longTail();
        int padding = plan.padding();
        Augmentation.PaddingMode paddingMode = plan.paddingMode();
        boolean flip = plan.flip();
        int batchSize = plan.batchSize();
        int evalBatchSize = plan.evalBatchSize();
        int prefetch = plan.prefetch();
        long seed = plan.seed();
        DatasetContext dataContext = plan.dataContext();
        Path indicesFile = plan.indicesFile();
        String name = root.has("run.name")
                ? root.getString("run.name")
                : datasetName + "-" + methodName + "-" + LocalDateTime.now().format(STAMP);
        Path directory = out != null ? out : root.getPath("run.output-root").resolve(name);
        Path initFrom = null;
        if (resumeFrom == null) {
            RunDirectory.requireAvailable(directory);
            initFrom = initFromFile(root); // a resumed run continues from its checkpoint instead
        } else {
            name = recordedName(directory);
        }

        // data.augment.generated names a finished GAN run (checked before any work)
        GeneratedShare.check(root.getSettings("data").getSettings("augment").getSettings("generated"), batchSize);

        // 2. The engine, seeded.
        Engine engine = session.start().seed(Seeds.derive(seed, "init")).engine();

        // 3. The data.
        MetaReweighting metaReweighting = objective.perturbation() instanceof MetaReweighting r ? r : null;
        TrainSubset loaded = TrainSubset.of(loadDataset(datasetFactory, datasetSettings, datasetName, dataContext),
                longTail, indicesFile, Seeds.derive(seed, "long-tail"),
                metaReweighting == null ? 0 : metaReweighting.metaPerClass(), plan.validation(),
                Seeds.derive(seed, "validation"));
        ImageDataset dataset = loaded.dataset();
        int numClasses = dataset.numClasses();
        Map<String, Object> longTailInfo = loaded.info();
        int[] kept = loaded.kept();
        if (kept != null) {
            longTailInfo.put("indices_file", RunDirectory.TRAIN_INDICES);
        }
        objective.perturbation().checkNumClasses(numClasses);
        Map<String, Object> validationInfo = loaded.validationInfo();
        if (validationInfo != null) {
            validationInfo.put("indices_file", RunDirectory.VALIDATION_INDICES);
        }
        long[] classCounts = dataset.train().classCounts(numClasses);
        for (int c = 0; c < numClasses; c++) {
            if (classCounts[c] == 0) {
                throw new LplException("class " + c + " (" + dataset.classNames().get(c)
                        + ") has no training samples; lower data.long-tail.ratio or use a larger dataset");
            }
        }

        // 4. The network.
        Device device = session.device();
        ImageSet train = dataset.train();
        ImageFormat imageFormat =
                new ImageFormat(new Shape(train.channels(), train.height(), train.width()), plan.channelsLast());
        plan.precision().checkSupported(device, CpuFeatures.detect());
        NDManager manager = engine.newBaseManager(device);
        manager.setName("lpl-model");
        ClassifierBlock block = model(root, plan.head(), train.channels(), train.height(), train.width(), numClasses,
                manager);
        if (freezesFeatures(root)) {
            block.features().freezeParameters(true); // TrainingStep then also runs them in evaluation mode
        }
        if (freezesClassifier(root)) {
            block.classifier().freezeParameters(true); // LWS: only the per-class scale trains
        }
        ModelWeights.Loaded initialWeights = null;
        if (initFrom != null) {
            try {
                initialWeights = ModelWeights.load(initFrom, block, "model " + modelName + ", "
                        + plan.head().configName() + " head, " + numClasses + " classes", "model." + INIT_FROM, manager,
                        initFromParts(root));
            } catch (RuntimeException e) {
                manager.close();
                objective.close();
                throw e;
            }
        }

        // 4b. The generated share of every batch (after the network, so its initialisation is
        // exactly that of the same run without generated images).
        GeneratedShare generated;
        try {
            generated = GeneratedShare.open(root.getSettings("data").getSettings("augment").getSettings("generated"),
                    dataset, batchSize, manager);
        } catch (RuntimeException e) {
            manager.close();
            objective.close();
            throw e;
        }
        int realBatchSize = generated == null ? batchSize : batchSize - generated.count();

        // 5. The loop and the run directory.
        RunMetrics metrics = new RunMetrics(name, methodName, dataset.classNames());
        Augmentation augmentation = new Augmentation(padding, paddingMode, flip, dataset.mean(), dataset.std());
        BatchLoader trainLoader = new BatchLoader(train, augmentation, realBatchSize, true, Seeds.derive(seed, "loader"),
                prefetch, classBalanced(root) ? 0
                        : plan.fineTune() == null ? Integer.MAX_VALUE : plan.fineTune().startEpoch());
        BatchLoader testLoader = new BatchLoader(dataset.test(), augmentation, evalBatchSize, false, 0, prefetch);
        ParameterStore parameterStore = new ParameterStore(manager, false);
        Evaluator evaluator = new Evaluator(block, parameterStore, manager, device, testLoader, imageFormat,
                plan.precision(), numClasses, logits -> objective.predictionLogits(logits, classCounts));
        // the validation set is evaluated as the test set is: no augmentation, same predictions
        BatchLoader validationLoader = loaded.validation() == null ? null
                : new BatchLoader(loaded.validation(), augmentation, evalBatchSize, false, 0, prefetch);
        Evaluator validationEvaluator = validationLoader == null ? null : new Evaluator(block, parameterStore,
                manager, device, validationLoader, imageFormat, plan.precision(), numClasses,
                logits -> objective.predictionLogits(logits, classCounts));
        MetaBatches metaBatches = metaReweighting == null ? null : new MetaBatches(loaded.meta(), augmentation,
                metaReweighting.metaBatchSize(), Seeds.derive(seed, "meta-loader"));
        TrainingStep step = new TrainingStep(block, manager, parameterStore, device, objective, optimizer,
                classCounts, imageFormat, plan.precision(), epochs, metaBatches, generated);
        TrainingEngine trainingEngine = new TrainingEngine(step, optimizer, schedule, trainLoader, evaluator,
                validationEvaluator, classCounts, epochs, seed, metrics.registry(), plan.fineTune());
        RunDirectory runDirectory = resumeFrom == null ? RunDirectory.create(directory) : RunDirectory.open(directory);

        Map<String, Object> seeds = new LinkedHashMap<>();
        seeds.put("root", seed);
        for (String stream : List.of("init", "data", "long-tail", "loader", "validation")) {
            seeds.put(stream, Seeds.derive(seed, stream));
        }
        PreparedRun.Description description = new PreparedRun.Description(
                name, methodName, modelName, dataset, classCounts, block.trainableParameterCount(),
                device.toString(), engine.getEngineName() + " " + engine.getVersion(), epochs, batchSize,
                seeds, longTailInfo, kept, validationInfo, loaded.validationIndices());
        PreparedRun.Training parts = new PreparedRun.Training(trainingEngine, block, optimizer, objective, manager,
                new Checkpoints(directory, checkpointKeep), checkpointEvery, metrics);
        List<AutoCloseable> resources = new ArrayList<>(List.of(trainLoader, testLoader));
        if (validationLoader != null) {
            resources.add(validationLoader);
        }
        if (generated != null) {
            resources.add(generated);
        }
        resources.addAll(List.of(objective, manager));
        PreparedRun run = new PreparedRun(config, description, runDirectory, parts, listeners, resources);
        if (initialWeights != null) {
            run.initializedFrom(initialWeights);
        }
        if (generated != null) {
            run.generatedBy(generated.identity());
        }
        return run;
    }

    /**
     * The name a run was started under ({@code manifest.json}'s {@code run}: the {@code run.name}
     * it had, or the time-stamped name it was given), so that a resumed or re-opened run keeps it;
     * the directory's name where the manifest does not say.
     */
    private static String recordedName(Path directory) {
        try {
            String recorded = Json.mapper().readTree(directory.resolve(RunDirectory.MANIFEST).toFile()).path("run")
                    .asText("");
            return recorded.isBlank() ? directory.getFileName().toString() : recorded;
        } catch (IOException | RuntimeException e) {
            return directory.getFileName().toString();
        }
    }

    /**
     * Returns where a configuration's dataset is read from: {@code data.path}, the cache ({@code
     * data.cache-dir}, default {@code ~/.lpl/datasets}) and the run's data seed; a leading {@code ~}
     * is the user's home ({@link Settings#getPath}).
     *
     * @param root the whole configuration
     * @return the dataset context a run uses
     */
    public DatasetContext datasetContext(Settings root) {
        Settings data = root.getSettings("data");
        Path dataPath = data.has("path") ? data.getPath("path") : null;
        Path cacheDir = data.has("cache-dir") ? data.getPath("cache-dir") : UserPaths.expand("~/.lpl/datasets");
        return new DatasetContext(dataPath, cacheDir, Seeds.derive(root.getLong("run.seed"), "data"));
    }

    /**
     * Loads the configured dataset, carves the validation set ({@code data.validation}) and applies
     * long-tail sampling (or {@code data.long-tail.indices-file}) exactly as a run does, without starting the engine ({@code lpl
     * data describe}).
     *
     * @param config the configuration
     * @return the training set a run would use, with the dataset
     */
    public TrainSubset loadDataset(RunConfig config) {
        Settings root = config.settings();
        Settings data = root.getSettings("data");
        String datasetName = data.getString("type");
        DatasetFactory factory = registry.get(PluginKind.DATASET, datasetName, "data.type");
        LongTail longTail = new LongTail(
                LongTail.Profile.parse(data.getString("long-tail.profile")),
                data.getSettings("long-tail").getDouble("ratio", 1, 1e9));
        Path indicesFile = indicesFile(data);
        ImageDataset source = loadDataset(factory, data.getSettings(StrictKeys.quoteIfNeeded(datasetName)),
                datasetName, datasetContext(root));
        int metaPerClass;
        try (Perturbation perturbation = perturbation(root)) {
            metaPerClass = perturbation instanceof MetaReweighting r ? r.metaPerClass() : 0;
        }
        return TrainSubset.of(source, longTail, indicesFile, Seeds.derive(root.getLong("run.seed"), "long-tail"),
                metaPerClass, ValidationSplit.parse(data.getSettings("validation")),
                Seeds.derive(root.getLong("run.seed"), "validation"));
    }

    private static TrainingEngine.FineTune fineTune(Settings training, int epochs) {
        Settings finetune = training.getSettings("finetune");
        double learningRate = finetune.getDouble("learning-rate", Double.MIN_VALUE, Double.MAX_VALUE);
        if (!finetune.has("start")) {
            return null;
        }
        double start = finetune.getDouble("start", 0, 1);
        int startEpoch = (int) Math.floor(start * epochs);
        if (start <= 0 || start >= 1 || startEpoch < 1 || startEpoch >= epochs) {
            throw finetune.invalid("start", start + " puts the fine-tuning phase at epoch " + startEpoch + " of "
                    + epochs + "; it must leave at least one epoch to each phase (a fraction in (0, 1) with "
                    + "1 <= floor(start * training.epochs) < training.epochs), or null for no fine-tuning");
        }
        return new TrainingEngine.FineTune(startEpoch, learningRate);
    }

    private static Path indicesFile(Settings data) {
        Settings longTail = data.getSettings("long-tail");
        if (!longTail.has("indices-file")) {
            return null;
        }
        Path file = longTail.getPath("indices-file");
        if (!Files.isRegularFile(file)) {
            throw longTail.invalid("indices-file", file + (Files.exists(file) ? " is not a file" : " does not exist")
                    + "; name the train-indices.txt of an earlier run, or null to sample");
        }
        return file;
    }

    private static ImageDataset loadDataset(
            DatasetFactory factory, Settings settings, String name, DatasetContext context) {
        try {
            return factory.load(settings, context);
        } catch (IOException e) {
            throw new LplException("cannot read dataset " + name + ": " + e.getMessage(), e);
        }
    }
}
