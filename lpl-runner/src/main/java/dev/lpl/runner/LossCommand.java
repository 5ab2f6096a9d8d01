package dev.lpl.runner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.lpl.api.LplException;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.run.EngineSession;
import dev.lpl.core.train.MethodObjective;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lpl loss}: evaluates a method on given logits, without a model, through exactly the code
 * training uses ({@link MethodObjective}), so a method can be checked against a reference
 * implementation. The engine is started through {@code EngineSession}: the loss is computed on the
 * device {@code training.backend} chooses, with {@code training.threads}.
 */
@Command(name = "loss", mixinStandardHelpOptions = true, description = {
    "Evaluate a method's loss on given logits (NumPy files) through the training code path.",
    "Writes OUT.npz with 'loss' (scalar), 'logits' (the perturbed BxC logits) and 'targets' (the labels"
            + " the loss was taken against: the labels, except for disturb-label) and prints the loss.",
    "The loss is the method's whole objective: perturbation, loss function and class weights.",
    "-c and --set give the method's settings (method.<name>.*) as in an experiment; --method sets method.type."})
final class LossCommand implements Callable<Integer> {

    @ParentCommand
    LplCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--method", required = true, paramLabel = "NAME", description = "Method (method.type), e.g. lpl.")
    String method;

    @Mixin
    ConfigOptions config;

    @Option(names = "--logits", required = true, paramLabel = "L.npy", description = "BxC logits (float32 or float64).")
    Path logitsFile;

    @Option(names = "--labels", required = true, paramLabel = "Y.npy", description = "B labels in [0, C) (any integer type).")
    Path labelsFile;

    @Option(names = "--class-counts", required = true, paramLabel = "N.npy", description = "C training counts n_c.")
    Path countsFile;

    @Option(names = "--features", paramLabel = "F.npy",
            description = "BxD penultimate features, for methods that use them (isda, lsoftmax, center).")
    Path featuresFile;

    @Option(names = "--weights", paramLabel = "W.npy",
            description = "CxD weight of the linear classifier, for methods that use it (isda, lsoftmax).")
    Path weightsFile;

    @Option(names = "--state", paramLabel = "S.npz",
            description = "The method's training state, restored before the loss (e.g. ISDA's 'covariance', 'mean', 'count').")
    Path stateFile;

    @Option(names = "--epoch", defaultValue = "0", description = "0-based epoch the loss is taken at (default: ${DEFAULT-VALUE}).")
    int epoch;

    @Option(names = "--epochs", defaultValue = "1", description = "Epochs of the run (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--iteration", defaultValue = "0",
            description = "0-based iteration the loss is taken at, for per-iteration schedules (L-Softmax's lambda; default: ${DEFAULT-VALUE}).")
    long iteration;

    @Option(names = "--step-seed", defaultValue = "0",
            description = "The step's seed, for methods that draw random numbers (DisturbLabel; default: ${DEFAULT-VALUE}).")
    long stepSeed;

    @Option(names = "--out", required = true, paramLabel = "OUT.npz", description = "Where to write loss, logits and targets.")
    Path out;

    @Override
    public Integer call() throws IOException {
        Bootstrap lpl = parent.bootstrap();
        RunConfig resolved = config.load(lpl.configLoader(), List.of("method.type=" + method), List.of());
        if (epochs < 1 || epoch < 0 || epoch > epochs) {
            throw new LplException("--epoch " + epoch + " must lie in [0, --epochs " + epochs + "]");
        }
        if (iteration < 0) {
            throw new LplException("--iteration " + iteration + " must be >= 0");
        }
        EngineSession session = lpl.runFactory().engineSession(resolved.settings()).start();
        try (MethodObjective objective = lpl.runFactory().method(resolved.settings());
                NDManager manager = session.engine().newBaseManager(session.device())) {
            NDArray logits = read(manager, logitsFile, "--logits");
            NDArray labels = read(manager, labelsFile, "--labels");
            NDArray counts = read(manager, countsFile, "--class-counts");
            if (logits.getShape().dimension() != 2 || logits.getShape().get(0) < 1 || logits.getShape().get(1) < 1) {
                throw new LplException("--logits " + logitsFile + " must be a BxC matrix with B, C >= 1, got shape "
                        + logits.getShape());
            }
            int batch = (int) logits.getShape().get(0);
            int numClasses = (int) logits.getShape().get(1);
            if (labels.getShape().dimension() != 1 || labels.getShape().get(0) != batch) {
                throw new LplException("--labels " + labelsFile + " must hold " + batch + " labels (one per row of --logits), got shape " + labels.getShape());
            }
            if (counts.getShape().dimension() != 1 || counts.getShape().get(0) != numClasses) {
                throw new LplException("--class-counts " + countsFile + " must hold " + numClasses + " counts (one per column of --logits), got shape " + counts.getShape());
            }
            logits = finite(logits, logitsFile, "--logits");
            long[] labelValues = integers(labels, labelsFile, "--labels", "label");
            for (int i = 0; i < labelValues.length; i++) {
                if (labelValues[i] < 0 || labelValues[i] >= numClasses) {
                    throw new LplException("--labels " + labelsFile + " holds label " + labelValues[i] + " at index " + i
                            + ", outside [0, " + numClasses + ") (C = the columns of --logits)");
                }
            }
            labels = manager.create(labelValues);
            long[] classCounts = integers(counts, countsFile, "--class-counts", "count");
            long total = 0;
            for (int c = 0; c < classCounts.length; c++) {
                if (classCounts[c] < 0) {
                    throw new LplException("--class-counts " + countsFile + " holds " + classCounts[c] + " for class " + c
                            + "; training counts must be >= 0");
                }
                total += classCounts[c];
            }
            if (total == 0) {
                throw new LplException("--class-counts " + countsFile + " is all zeros; give the training count of every"
                        + " class");
            }
            NDArray features = null;
            if (featuresFile != null) {
                features = read(manager, featuresFile, "--features");
                if (features.getShape().dimension() != 2 || features.getShape().get(0) != batch) {
                    throw new LplException("--features " + featuresFile + " must be a " + batch
                            + "xD matrix (one row per row of --logits), got shape " + features.getShape());
                }
                features = finite(features, featuresFile, "--features");
            }
            NDArray weights = null;
            if (weightsFile != null) {
                weights = read(manager, weightsFile, "--weights");
                if (weights.getShape().dimension() != 2 || weights.getShape().get(0) != numClasses
                        || (features != null && weights.getShape().get(1) != features.getShape().get(1))) {
                    throw new LplException("--weights " + weightsFile + " must be a " + numClasses
                            + "xD matrix (D as in --features), got shape " + weights.getShape());
                }
                weights = finite(weights, weightsFile, "--weights");
            }
            if (stateFile != null) {
                objective.perturbation().restoreState(readAll(manager, stateFile));
            }
            TrainingView view = new TrainingView(classCounts, epoch, epochs, manager, features, weights, iteration,
                    stepSeed);
            MethodObjective.Result result = objective.compute(logits, labels, view);
            NDArray loss = result.loss().toType(DataType.FLOAT32, false);
            if (!Float.isFinite(loss.getFloat())) {
                boolean zeroCount = java.util.Arrays.stream(classCounts).anyMatch(n -> n == 0);
                throw new LplException("method " + method + " gives a non-finite loss (" + loss.getFloat() + ") on these"
                        + " inputs" + (zeroCount ? " (--class-counts " + countsFile + " has a class with count 0, which"
                        + " methods that use log(n_c) or 1/n_c cannot take)" : "") + "; nothing written to " + out);
            }
            loss.setName("loss");
            NDArray perturbed = result.perturbedLogits();
            perturbed.setName("logits");
            NDArray targets = result.targets();
            targets.setName("targets");
            write(new NDList(loss, perturbed, targets), out);
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.printf(Locale.ROOT, "loss %.8f%n", loss.getFloat());
            stdout.flush();
        }
        return 0;
    }

    /**
     * Returns an array as float32, refusing NaN and infinite values (also float64 values beyond
     * the float32 range), naming the option, the file and the first bad element.
     */
    private static NDArray finite(NDArray array, Path file, String option) {
        DataType type = array.getDataType();
        if (!type.isFloating() && !type.isInteger()) {
            throw new LplException(option + " " + file + " must hold numbers, got dtype " + type);
        }
        double[] values = array.toType(DataType.FLOAT64, false).toDoubleArray();
        long columns = array.getShape().get(array.getShape().dimension() - 1);
        for (int n = 0; n < values.length; n++) {
            if (!Double.isFinite(values[n]) || !Float.isFinite((float) values[n])) {
                throw new LplException(option + " " + file + " holds " + values[n] + " at row " + n / columns
                        + ", column " + n % columns + "; every value must be finite"
                        + (Double.isFinite(values[n]) ? " within the float32 range (+-3.4e38)" : ""));
            }
        }
        NDArray converted = array.toType(DataType.FLOAT32, false);
        return converted;
    }

    /**
     * Returns the values of an integer array, or of a float array whose values are all whole
     * numbers; a fractional, NaN or infinite value is refused (never truncated), naming the
     * option, the file and the first bad element.
     */
    private static long[] integers(NDArray array, Path file, String option, String what) {
        DataType type = array.getDataType();
        if (type.isInteger()) {
            return array.toType(DataType.INT64, false).toLongArray();
        }
        if (!type.isFloating()) {
            throw new LplException(option + " " + file + " must hold integers, got dtype " + type
                    + "; write it with dtype int64");
        }
        double[] values = array.toType(DataType.FLOAT64, false).toDoubleArray();
        long[] whole = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (!Double.isFinite(v) || v != Math.rint(v) || Math.abs(v) > 1L << 53) {
                throw new LplException(option + " " + file + " holds " + what + " " + v + " at index " + i + " (dtype "
                        + type + "); " + what + "s must be whole numbers: write the file with dtype int64");
            }
            whole[i] = (long) v;
        }
        return whole;
    }

    private static NDArray read(NDManager manager, Path file, String option) {
        if (!Files.isRegularFile(file)) {
            throw new LplException(option + " " + file + " does not exist; check the path");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            NDList list = NDList.decode(manager, in);
            if (list.size() != 1) {
                throw new LplException(option + " " + file + " must hold exactly one array (.npy), found " + list.size());
            }
            return list.get(0);
        } catch (IOException | RuntimeException e) {
            if (e instanceof LplException le) {
                throw le;
            }
            throw new LplException(option + " " + file + " is not a readable NumPy .npy file (" + e.getMessage()
                    + "); write it with numpy.save", e);
        }
    }

    private static java.util.Map<String, NDArray> readAll(NDManager manager, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new LplException("--state " + file + " does not exist; check the path");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            java.util.Map<String, NDArray> state = new java.util.LinkedHashMap<>();
            for (NDArray array : NDList.decode(manager, in)) {
                state.put(array.getName(), array);
            }
            return state;
        } catch (IOException | RuntimeException e) {
            if (e instanceof LplException le) {
                throw le;
            }
            throw new LplException("--state " + file + " is not a readable NumPy .npz file (" + e.getMessage()
                    + "); write it with numpy.savez", e);
        }
    }

    private static void write(NDList arrays, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path temp = Files.createTempFile(parent, ".lpl-loss", ".npz");
        try (OutputStream os = Files.newOutputStream(temp)) {
            arrays.encode(os, NDList.Encoding.NPZ);
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
}
