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
import java.util.OptionalInt;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * Checkpoints of a run, in {@code RUN_DIR/checkpoints/}: one directory per checkpoint holding
 * {@code model.npz} (every parameter of the network by name, BatchNorm statistics included), {@code
 * optimizer.npz} (the weight optimizer's state, e.g. momentum buffers, by parameter name), {@code
 * method.npz} (the method's state, e.g. ISDA's covariance) and {@code state.json} (position in
 * training, the partial epoch's accumulators, and the run's bookkeeping so far: every metrics
 * line, the last epoch's detail and the best epoch, so that resuming can rebuild {@code
 * metrics.jsonl}, {@code summary.json} and {@code best} from the checkpoint alone). The last {@code
 * keep} epoch checkpoints are kept, plus {@code best} (only in runs with a validation set: the
 * epoch with the highest validation balanced accuracy, ties to the earliest; the test set never
 * selects a checkpoint) and the latest mid-epoch (stop) checkpoint.
 *
 * <p>Crash safety: a checkpoint is written into {@code .tmp-NAME} and renamed into place (the
 * rename commits the epoch); {@code best} is replaced by renaming the old one aside, the new one
 * in, then deleting the old one; a pruned or replaced checkpoint is renamed to {@code
 * .trash-NAME-*} before it is deleted. So every entry not starting with a dot is always whole, and
 * {@link #removeTemporaries} (on resume) deletes what a crash left behind.
 */
public final class Checkpoints {

    /** The directory of a run's checkpoints. */
    public static final String DIRECTORY = "checkpoints";
    /**
     * The copy of the epoch checkpoint with the highest validation balanced accuracy (ties: the
     * earliest); written only when the run has a validation set ({@code data.validation}).
     */
    public static final String BEST = "best";

    /** The file of a checkpoint's position and bookkeeping. */
    public static final String STATE_FILE = "state.json";

    private static final String MODEL = "model.npz";
    private static final String OPTIMIZER = "optimizer.npz";
    private static final String METHOD = "method.npz";
    private static final String STATE = "state.json";

    private static final String TEMP_PREFIX = ".tmp-";
    private static final String TRASH_PREFIX = ".trash-";

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
        Path temp = directory.resolve(TEMP_PREFIX + name);
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
            CrashInjector.reached(CrashPoint.CHECKPOINT_ARRAYS_WRITTEN);
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
            CrashInjector.reached(CrashPoint.CHECKPOINT_TEMP_COMPLETE);
            if (Files.exists(target)) {
                discard(target, false); // the same position written again, e.g. a second stop at one step
            }
            AtomicFiles.move(temp, target, false);
            CrashInjector.reached(CrashPoint.CHECKPOINT_RENAMED);
            pruneOld();
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
     * Keeps a copy of a checkpoint as {@code best}: the copy is made in {@code .tmp-best}, the old
     * {@code best} is renamed aside, the copy renamed in, then the old one deleted. A crash leaves
     * either the old or the new {@code best} (or, for an instant, none); {@link #repairBest} on
     * resume puts the right one back.
     *
     * @param checkpoint a checkpoint directory
     */
    public void markBest(Path checkpoint) {
        Path best = directory.resolve(BEST);
        Path temp = directory.resolve(TEMP_PREFIX + BEST);
        try {
            AtomicFiles.deleteRecursively(temp);
            Files.createDirectories(temp);
            try (Stream<Path> files = Files.list(checkpoint)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.copy(file, temp.resolve(file.getFileName()));
                }
            }
            CrashInjector.reached(CrashPoint.BEST_TEMP_COMPLETE);
            Path old = null;
            if (Files.exists(best)) {
                old = trashName(BEST);
                AtomicFiles.move(best, old, false);
                CrashInjector.reached(CrashPoint.BEST_OLD_MOVED_ASIDE);
            }
            AtomicFiles.move(temp, best, false);
            CrashInjector.reached(CrashPoint.BEST_REPLACED);
            if (old != null) {
                AtomicFiles.deleteRecursively(old);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + best, e);
        }
    }

    /**
     * Makes {@code best} hold the checkpoint of a given epoch (after a crash, it may hold an
     * earlier one, a later one that resuming from an older checkpoint discarded, or be missing).
     *
     * @param bestEpoch the best epoch (epochs completed at its checkpoint, i.e. the 1-based epoch),
     *     or null when no epoch is best (then {@code best} is removed)
     * @return what was done, for the user; empty when {@code best} was right
     */
    public Optional<String> repairBest(Integer bestEpoch) {
        Path best = directory.resolve(BEST);
        OptionalInt held = epochOf(best);
        if (bestEpoch == null) {
            if (!Files.exists(best)) {
                return Optional.empty();
            }
            discardQuietly(best);
            return Optional.of("removed checkpoints/best: no epoch is best yet");
        }
        if (held.isPresent() && held.getAsInt() == bestEpoch) {
            return Optional.empty();
        }
        String was = held.isPresent() ? "held epoch " + held.getAsInt() : "was missing or unreadable";
        Path source = directory.resolve(name(Position.startOf(bestEpoch, 0)));
        if (Files.isDirectory(source)) {
            markBest(source);
            return Optional.of("checkpoints/best " + was + "; replaced by the best epoch, " + bestEpoch);
        }
        if (Files.exists(best) && (held.isEmpty() || held.getAsInt() > bestEpoch)) {
            discardQuietly(best);
            return Optional.of("checkpoints/best " + was + " and was removed; the best epoch, " + bestEpoch
                    + ", has no checkpoint left (best is written again at the next best epoch)");
        }
        return Optional.empty();
    }

    private static OptionalInt epochOf(Path checkpoint) {
        Path state = checkpoint.resolve(STATE);
        if (!Files.isRegularFile(state)) {
            return OptionalInt.empty();
        }
        try {
            JsonNode node = Json.mapper().readTree(state.toFile());
            return node != null && node.path("epoch").isInt() ? OptionalInt.of(node.get("epoch").asInt())
                    : OptionalInt.empty();
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }

    /**
     * Returns a checkpoint by name (not {@code best}).
     *
     * @param name e.g. {@code epoch-0004}
     * @return its directory, if it exists
     */
    public Optional<Path> named(String name) {
        requireNonNull(name, "name is null");
        return list().stream().filter(p -> p.getFileName().toString().equals(name)).findFirst();
    }

    /**
     * Removes every checkpoint after a given one (newest first, each renamed aside then deleted),
     * so that training continues from it.
     *
     * @param checkpoint the checkpoint to keep as the latest
     * @return the names removed
     */
    public List<String> discardAfter(Path checkpoint) {
        String keepName = checkpoint.getFileName().toString();
        List<String> removed = new ArrayList<>();
        List<Path> all = new ArrayList<>(list());
        java.util.Collections.reverse(all);
        for (Path p : all) {
            if (p.getFileName().toString().compareTo(keepName) > 0) {
                try {
                    discard(p, false);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot remove checkpoint " + p, e);
                }
                removed.add(p.getFileName().toString());
            }
        }
        return removed;
    }

    /**
     * Deletes what a crash left in the checkpoint directory: {@code .tmp-*} (unfinished
     * checkpoints or copies of {@code best}) and {@code .trash-*} (checkpoints being deleted).
     *
     * @return the names deleted
     */
    public List<String> removeTemporaries() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<String> removed = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String fileName = p.getFileName().toString();
                if (fileName.startsWith(TEMP_PREFIX) || fileName.startsWith(TRASH_PREFIX)) {
                    AtomicFiles.deleteRecursively(p);
                    removed.add(fileName);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up " + directory, e);
        }
        return removed;
    }

    private Path trashName(String name) {
        return directory.resolve(TRASH_PREFIX + name + "-" + Long.toHexString(System.nanoTime()));
    }

    /** Renames a checkpoint to a trash name, then deletes it: a crash never leaves half a checkpoint. */
    private void discard(Path checkpoint, boolean prune) throws IOException {
        Path trash = trashName(checkpoint.getFileName().toString());
        AtomicFiles.move(checkpoint, trash, false);
        if (prune) {
            CrashInjector.reached(CrashPoint.PRUNE_MOVED_ASIDE);
            Path model = trash.resolve(MODEL);
            Files.deleteIfExists(model);
            CrashInjector.reached(CrashPoint.PRUNE_HALF_DELETED);
        }
        AtomicFiles.deleteRecursively(trash);
    }

    private void discardQuietly(Path checkpoint) {
        try {
            discard(checkpoint, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + checkpoint, e);
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

    /**
     * Deletes the epoch checkpoints beyond the last {@code keep} and every mid-epoch checkpoint
     * but the newest, each renamed aside first (also run on resume, to finish a prune a crash cut
     * short).
     */
    public void prune() {
        try {
            pruneOld();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prune checkpoints in " + directory, e);
        }
    }

    private void pruneOld() throws IOException {
        List<Path> all = list();
        List<Path> epochs = new ArrayList<>();
        List<Path> steps = new ArrayList<>();
        for (Path p : all) {
            (p.getFileName().toString().contains("-batch-") ? steps : epochs).add(p);
        }
        Path newest = all.isEmpty() ? null : all.get(all.size() - 1);
        for (int i = 0; i < epochs.size() - keep; i++) {
            discard(epochs.get(i), true);
        }
        for (Path step : steps) {
            if (!step.equals(newest)) {
                discard(step, true); // a mid-epoch checkpoint is only needed until training passes it
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
     * A checkpoint file that cannot be read: missing, truncated or corrupt. Its message names the
     * file and what is wrong.
     */
    public static final class UnreadableException extends LplException {

        private static final long serialVersionUID = 1L;

        private final transient Path file;

        UnreadableException(Path file, String problem, Throwable cause) {
            super("checkpoint file " + file + " " + problem, cause);
            this.file = file;
        }

        /**
         * Returns the file that cannot be read.
         *
         * @return the file
         */
        public Path file() {
            return file;
        }
    }

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
     * @throws UnreadableException if one of its files is missing, truncated or corrupt
     * @throws LplException if it does not fit the network
     */
    public static Restored restore(
            Path checkpoint, ClassifierBlock block, WeightOptimizer optimizer, Perturbation perturbation,
            NDManager manager) {
        // state.json first: it is small, and a checkpoint without a readable position is useless
        JsonNode state = readState(checkpoint.resolve(STATE));
        Position position;
        try {
            position = new Position(
                    state.get("epoch").asInt(),
                    state.get("batch").asInt(),
                    state.get("loss_sum").asDouble(),
                    state.get("samples").asLong(),
                    state.path("train_correct").asLong(0), // absent in checkpoints of older lpl
                    new double[][] {doubles(state.get("variation_raw")), doubles(state.get("variation_perturbed"))});
        } catch (RuntimeException e) {
            throw new UnreadableException(checkpoint.resolve(STATE), "lacks the position in training ("
                    + "epoch, batch, loss_sum, samples, variation_*); it is corrupt", e);
        }
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
            return new Restored(position, state);
        }
    }

    private static JsonNode readState(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UnreadableException(file, "is missing", null);
        }
        try {
            JsonNode node = Json.mapper().readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new UnreadableException(file, "is empty or not a JSON object", null);
            }
            return node;
        } catch (IOException e) {
            throw new UnreadableException(file, "is not valid JSON (truncated or corrupt: "
                    + firstLine(e.getMessage()) + ")", e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).isNull() ? Double.NaN : array.get(i).asDouble();
        }
        return out;
    }

    /**
     * Writes named arrays to an {@code .npz} file and closes them.
     *
     * @param file the file
     * @param arrays the arrays, named
     * @throws IOException if it cannot be written
     */
    public static void writeNpz(Path file, NDList arrays) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            arrays.encode(out, NDList.Encoding.NPZ);
        } finally {
            arrays.close();
        }
    }

    /**
     * Reads the named arrays of an {@code .npz} file; a missing, truncated or corrupt file is an
     * {@link UnreadableException} naming it. The zip's central directory is checked first: a
     * stream reader alone would take a file cut at an entry boundary for a smaller, valid one.
     */
    public static Map<String, NDArray> readNpz(Path file, NDManager manager) {
        if (!Files.isRegularFile(file)) {
            throw new UnreadableException(file, "is missing", null);
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        try {
            if (Files.size(file) == 0) {
                throw new UnreadableException(file, "is empty (truncated)", null);
            }
            int entries;
            try (ZipFile zip = new ZipFile(file.toFile())) {
                entries = zip.size();
            }
            if (entries == 0) {
                return out;
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                for (NDArray array : NDList.decode(manager, in)) {
                    out.put(array.getName(), array);
                }
            }
            if (out.size() != entries) {
                throw new UnreadableException(file, "holds " + entries + " arrays but only " + out.size()
                        + " could be read; it is corrupt", null);
            }
            return out;
        } catch (UnreadableException e) {
            out.values().forEach(NDArray::close);
            throw e;
        } catch (IOException | RuntimeException e) {
            // ZipException (truncated: no central directory), IllegalArgumentException ("Malformed
            // data") and the engine's own exceptions from NDList.decode: all mean a damaged file
            out.values().forEach(NDArray::close);
            throw new UnreadableException(file, "is truncated or corrupt (" + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : firstLine(e.getMessage())) + ")", e);
        }
    }
}
