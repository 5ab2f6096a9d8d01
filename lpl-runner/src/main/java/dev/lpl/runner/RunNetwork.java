package dev.lpl.runner;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.api.model.HeadType;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.config.StrictKeys;
import dev.lpl.core.interop.ModelWeights;
import dev.lpl.core.run.EngineSession;
import dev.lpl.core.run.Json;
import dev.lpl.core.run.RunDirectory;
import dev.lpl.core.rundir.Manifest;
import dev.lpl.core.rundir.RunFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The network of one checkpoint of a run, rebuilt from the run's {@code resolved.conf} and the
 * image shape and classes of its {@code manifest.json}, with the checkpoint's weights: no data is
 * read and nothing in the run directory is written.
 */
final class RunNetwork implements AutoCloseable {

    private final RunConfig config;
    private final String runName;
    private final String model;
    private final HeadType head;
    private final List<Integer> imageShape;
    private final List<String> classes;
    private final int epoch;
    private final NDManager manager;
    private final ClassifierBlock block;

    private RunNetwork(RunConfig config, String runName, String model, HeadType head, List<Integer> imageShape,
            List<String> classes, int epoch, NDManager manager, ClassifierBlock block) {
        this.config = config;
        this.runName = runName;
        this.model = model;
        this.head = head;
        this.imageShape = imageShape;
        this.classes = classes;
        this.epoch = epoch;
        this.manager = manager;
        this.block = block;
    }

    /**
     * Rebuilds a checkpoint's network.
     *
     * @param lpl the plugins and configuration loader
     * @param choice the run and checkpoint
     * @return the network, with the checkpoint's weights; close it to free them
     * @throws LplException when the run's files are missing or do not fit
     */
    static RunNetwork open(Bootstrap lpl, RunCheckpoint choice) {
        requireNonNull(lpl, "lpl is null");
        requireNonNull(choice, "choice is null");
        Path runDir = choice.runDir();
        RunConfig config = lpl.configLoader().load(runDir.resolve(RunDirectory.RESOLVED_CONF), List.of());
        Manifest manifest = readManifest(runDir);
        Manifest.Dataset data = manifest.dataset();
        List<Integer> shape = data == null || data.imageShape() == null ? List.of() : data.imageShape();
        List<String> classes = data == null || data.classes() == null ? List.of() : data.classes();
        if (shape.size() != 3 || shape.contains(null) || classes.size() < 2) {
            throw new LplException(runDir.resolve(RunDirectory.MANIFEST) + " has no dataset.image_shape or"
                    + " dataset.classes (a run of an older lpl?); lpl export needs both");
        }
        int epoch = read(choice.checkpointDir().resolve("state.json")).path("epoch").asInt();
        Settings root = config.settings();
        EngineSession session = lpl.runFactory().engineSession(root).start(); // the run's backend and threads
        HeadType head = lpl.runFactory().head(root);
        String model = root.getString("model.type");
        NDManager manager = session.engine().newBaseManager(session.device());
        try {
            ClassifierBlock block = lpl.runFactory().model(root, shape.get(0), shape.get(1), shape.get(2),
                    classes.size(), manager);
            ModelWeights.load(choice.checkpointDir(), block, "model " + model + ", " + head.configName() + " head, "
                    + classes.size() + " classes, from " + RunDirectory.RESOLVED_CONF, "checkpoint", manager);
            return new RunNetwork(config, manifest.run() != null ? manifest.run() : runDir.getFileName().toString(),
                    model, head,
                    List.copyOf(shape), List.copyOf(classes), epoch, manager, block);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static Manifest readManifest(Path runDir) {
        try {
            return RunFiles.readManifest(runDir);
        } catch (IOException e) {
            throw new LplException(runDir.resolve(RunFiles.MANIFEST) + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return Json.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new LplException(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Returns the network. */
    ClassifierBlock block() {
        return block;
    }

    /** Returns the run's name. */
    String runName() {
        return runName;
    }

    /** Returns the model's name ({@code model.type}). */
    String model() {
        return model;
    }

    /** Returns the classifier head. */
    HeadType head() {
        return head;
    }

    /** Returns the input shape C×H×W the run trained on. */
    List<Integer> imageShape() {
        return imageShape;
    }

    /** Returns the class names. */
    List<String> classes() {
        return classes;
    }

    /** Returns the epochs completed at the checkpoint. */
    int epoch() {
        return epoch;
    }

    /**
     * Returns the model's own settings ({@code lpl.model.<type>}), e.g. {@code shortcut}, {@code
     * dropout}.
     *
     * @return the settings as plain values
     */
    Map<String, Object> modelOptions() {
        String path = "model." + StrictKeys.quoteIfNeeded(model);
        return config.config().hasPath(path) ? new LinkedHashMap<>(config.config().getConfig(path).root().unwrapped())
                : Map.of();
    }

    /**
     * Computes the network's logits (evaluation mode) for a batch of preprocessed images.
     *
     * @param images B×C×H×W values, row-major
     * @param batch B
     * @return B×C logits, row-major
     */
    float[] logits(float[] images, int batch) {
        return logits(block, manager, images,
                new Shape(batch, imageShape.get(0), imageShape.get(1), imageShape.get(2)));
    }

    /**
     * Computes a network's logits (evaluation mode) for a batch of preprocessed images.
     *
     * @param block the network
     * @param manager its manager (a sub-manager holds the step's arrays)
     * @param images B×C×H×W values, row-major
     * @param shape B×C×H×W
     * @return B×C logits, row-major
     */
    static float[] logits(ClassifierBlock block, NDManager manager, float[] images, Shape shape) {
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.create(images, shape);
            NDList out = block.forward(new ParameterStore(step, false), new NDList(x), false);
            return out.singletonOrThrow().toFloatArray();
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
