package dev.lpl.core.run;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lpl.api.LplException;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.training.WeightOptimizer;
import dev.lpl.core.train.TrainingEngine.Position;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Checkpoints of a run, in {@code RUN_DIR/checkpoints/}: one directory per checkpoint holding
 * {@code model.npz} (every parameter of the network by name, BatchNorm statistics included), {@code
 * optimizer.npz} (the weight optimizer's state, e.g. momentum buffers, by parameter name), {@code
 * method.npz} (the method's state, e.g. ISDA's covariance) and {@code state.json} (position in
 * training and the partial epoch's accumulators). A checkpoint is written into a temporary
 * directory and renamed into place, so a crash never leaves a half-written one; the last {@code
 * keep} epoch checkpoints are kept, plus {@code best} (only in runs with a validation set: the
 * epoch with the highest validation balanced accuracy, ties to the earliest; the test set never
 * selects a checkpoint) and the latest mid-epoch (stop) checkpoint.
 */
public final class Checkpoints {

    /** The directory of a run's checkpoints. */
    public static final String DIRECTORY = "checkpoints";
    /**
     * The copy of the epoch checkpoint with the highest validation balanced accuracy (ties: the
     * earliest); written only when the run has a validation set ({@code data.validation}).
     */
    public static final String BEST = "best";

    private static final String MODEL = "model.npz";
    private static final String OPTIMIZER = "optimizer.npz";
    private static final String METHOD = "method.npz";
    private static final String STATE = "state.json";

    private final Path directory;
    private final int keep;

    /**
     * Creates the checkpoints of a run.
     *
     * @param runDirectory the run directory
     * @param keep how many epoch checkpoints to keep (at least 1)
     */
    public Checkpoints(Path runDirectory, int keep) {
        this.directory = requireNonNull(runDirectory, "runDirectory is null").resolve(DIRECTORY);
        this.keep = Math.max(1, keep);
    }

    /**
     * Returns the name of the checkpoint at a position: {@code epoch-0005} after five whole
     * epochs, {@code epoch-0005-batch-00012} in the middle of the sixth.
     *
     * @param position the position
     * @return the name
     */
    static String name(Position position) {
        return position.batch() == 0
                ? String.format("epoch-%04d", position.epoch())
                : String.format("epoch-%04d-batch-%05d", position.epoch(), position.batch());
    }

    /**
     * Writes a checkpoint.
     *
     * @param position where training stands (epoch = epochs completed at an epoch boundary)
     * @param block the network
     * @param optimizer the weight optimizer
     * @param perturbation the method
     * @param extra further state (best figures so far), written into {@code state.json}
     * @return the checkpoint's directory
     */
    public Path write(
            Position position,
            ClassifierBlock block,
            WeightOptimizer optimizer,
            Perturbation perturbation,
            Map<String, Object> extra) {
        String name = name(position);
        Path target = directory.resolve(name);
        Path temp = directory.resolve(".tmp-" + name);
        try {
            Files.createDirectories(directory);
            AtomicFiles.deleteRecursively(temp);
            Files.createDirectories(temp);
            Map<String, String> idToName = new HashMap<>();
            NDList model = new NDList();
            for (Pair<String, Parameter> p : block.getParameters()) {
                idToName.put(p.getValue().getId(), p.getKey());
                model.add(named(p.getValue().getArray(), p.getKey()));
            }
            writeNpz(temp.resolve(MODEL), model);
            NDList optimizerState = new NDList();
            optimizer.state().forEach((id, array) -> {
                String parameter = idToName.get(id);
                if (parameter == null) {
                    throw new IllegalStateException("optimizer state for unknown parameter " + id);
                }
                optimizerState.add(named(array, parameter));
            });
            writeNpz(temp.resolve(OPTIMIZER), optimizerState);
            NDList methodState = new NDList();
            perturbation.state().forEach((key, array) -> methodState.add(named(array, key)));
            writeNpz(temp.resolve(METHOD), methodState);
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("epoch", position.epoch());
            state.put("batch", position.batch());
            state.put("loss_sum", position.lossSum());
            state.put("samples", position.samples());
            state.put("train_correct", position.correct());
            state.put("variation_raw", position.variationSums()[0]);
            state.put("variation_perturbed", position.variationSums()[1]);
            state.putAll(extra);
            Files.writeString(temp.resolve(STATE), Json.pretty(state), StandardCharsets.UTF_8);
            AtomicFiles.deleteRecursively(target);
            AtomicFiles.move(temp, target, false);
            prune();
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + target, e);
        }
    }

    private static NDArray named(NDArray array, String name) {
        // encode() writes the array's name; the live array keeps its own
        NDArray view = array.duplicate();
        view.setName(name);
        return view;
    }

    /**
     * Keeps a copy of a checkpoint as {@code best}.
     *
     * @param checkpoint a checkpoint directory
     */
    public void markBest(Path checkpoint) {
        Path best = directory.resolve(BEST);
        Path temp = directory.resolve(".tmp-" + BEST);
        try {
            AtomicFiles.deleteRecursively(temp);
            Files.createDirectories(temp);
            try (Stream<Path> files = Files.list(checkpoint)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.copy(file, temp.resolve(file.getFileName()));
                }
            }
            AtomicFiles.deleteRecursively(best);
            AtomicFiles.move(temp, best, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + best, e);
        }
    }

    /**
     * Returns the most advanced checkpoint (by position), ignoring {@code best}.
     *
     * @return its directory, if any
     */
    public Optional<Path> latest() {
        return list().stream().reduce((a, b) -> b);
    }

    /**
     * Lists the checkpoints in order of position, {@code best} excluded.
     *
     * @return checkpoint directories
     */
    public List<Path> list() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("epoch-") && Files.isDirectory(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void prune() throws IOException {
        List<Path> all = list();
        List<Path> epochs = new ArrayList<>();
        List<Path> steps = new ArrayList<>();
        for (Path p : all) {
            (p.getFileName().toString().contains("-batch-") ? steps : epochs).add(p);
        }
        Path newest = all.isEmpty() ? null : all.get(all.size() - 1);
        for (int i = 0; i < epochs.size() - keep; i++) {
            AtomicFiles.deleteRecursively(epochs.get(i));
        }
        for (Path step : steps) {
            if (!step.equals(newest)) {
                AtomicFiles.deleteRecursively(step); // a mid-epoch checkpoint is only needed until training passes it
            }
        }
    }

    /**
     * What a checkpoint restored.
     *
     * @param position where training stands
     * @param state the whole {@code state.json}
     */
    public record Restored(Position position, JsonNode state) {}

    /**
     * Restores a checkpoint into a freshly built network, optimizer and method (before the first
     * step).
     *
     * @param checkpoint the checkpoint directory
     * @param block the network, initialised, of the same architecture
     * @param optimizer the weight optimizer
     * @param perturbation the method
     * @param manager the model's manager (state arrays are created on it)
     * @return the position and state
     */
    public static Restored restore(
            Path checkpoint, ClassifierBlock block, WeightOptimizer optimizer, Perturbation perturbation,
            NDManager manager) {
        try (NDManager temp = manager.newSubManager()) {
            Map<String, NDArray> model = readNpz(checkpoint.resolve(MODEL), temp);
            Map<String, String> nameToId = new HashMap<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                nameToId.put(p.getKey(), p.getValue().getId());
                NDArray saved = model.get(p.getKey());
                NDArray live = p.getValue().getArray();
                if (saved == null || !saved.getShape().equals(live.getShape())) {
                    throw new LplException("checkpoint " + checkpoint + " does not fit the network: parameter "
                            + p.getKey() + (saved == null ? " is missing" : " has shape " + saved.getShape()
                            + ", the network " + live.getShape()) + "; was the configuration changed?");
                }
                live.set(new NDIndex("..."), saved);
            }
            Map<String, NDArray> optimizerState = new LinkedHashMap<>();
            readNpz(checkpoint.resolve(OPTIMIZER), manager).forEach((name, array) -> {
                String id = nameToId.get(name);
                if (id == null) {
                    throw new LplException("checkpoint " + checkpoint + " holds optimizer state for unknown parameter "
                            + name + "; was the configuration changed?");
                }
                optimizerState.put(id, array);
            });
            optimizer.restoreState(optimizerState);
            optimizerState.values().forEach(NDArray::close);
            perturbation.restoreState(readNpz(checkpoint.resolve(METHOD), temp));
            JsonNode state = Json.mapper().readTree(checkpoint.resolve(STATE).toFile());
            Position position = new Position(
                    state.get("epoch").asInt(),
                    state.get("batch").asInt(),
                    state.get("loss_sum").asDouble(),
                    state.get("samples").asLong(),
                    state.path("train_correct").asLong(0), // absent in checkpoints of older lpl
                    new double[][] {doubles(state.get("variation_raw")), doubles(state.get("variation_perturbed"))});
            return new Restored(position, state);
        } catch (IOException e) {
            throw new LplException("checkpoint " + checkpoint + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).isNull() ? Double.NaN : array.get(i).asDouble();
        }
        return out;
    }

    private static void writeNpz(Path file, NDList arrays) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            arrays.encode(out, NDList.Encoding.NPZ);
        } finally {
            arrays.close();
        }
    }

    private static Map<String, NDArray> readNpz(Path file, NDManager manager) throws IOException {
        Map<String, NDArray> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            throw new IOException(file.getFileName() + " is missing");
        }
        if (Files.size(file) <= 22) { // an empty zip: no arrays
            return out;
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            for (NDArray array : NDList.decode(manager, in)) {
                out.put(array.getName(), array);
            }
        }
        return out;
    }
}
