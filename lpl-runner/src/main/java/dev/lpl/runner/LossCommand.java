package dev.lpl.runner;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.lpl.api.LplException;
import dev.lpl.api.perturbation.TrainingView;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.run.Engines;
import dev.lpl.core.train.MethodObjective;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lpl loss}: evaluates a method on given logits, without a model, through exactly the code
 * training uses ({@link MethodObjective}), so a method can be checked against a reference
 * implementation.
 */
@Command(name = "loss", mixinStandardHelpOptions = true, description = {
    "Evaluate a method's loss on given logits (NumPy files) through the training code path.",
    "Writes OUT.npz with 'loss' (scalar), 'logits' (the perturbed BxC logits) and 'targets' (the labels",
    "the loss was taken against: the labels, except for disturb-label) and prints the loss.",
    "The loss is the method's whole objective: perturbation, loss function and class weights."})
final class LossCommand implements Callable<Integer> {

    @ParentCommand
    LplCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--method", required = true, paramLabel = "NAME", description = "Method (method.type), e.g. lpl.")
    String method;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Experiment file whose method settings to use.")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key (repeatable), e.g. --set method.lpl.detach=false")
    List<String> overrides = new ArrayList<>();

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
        List<String> all = new ArrayList<>();
        all.add("method.type=" + method);
        all.addAll(overrides);
        RunConfig config = lpl.configLoader().load(configFile, all);
        if (epochs < 1 || epoch < 0 || epoch > epochs) {
            throw new LplException("--epoch " + epoch + " must lie in [0, --epochs " + epochs + "]");
        }
        if (iteration < 0) {
            throw new LplException("--iteration " + iteration + " must be >= 0");
        }
        Engines.configure(0);
        Engines.start();
        try (MethodObjective objective = lpl.runFactory().method(config.settings());
                NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray logits = read(manager, logitsFile, "--logits");
            NDArray labels = read(manager, labelsFile, "--labels");
            NDArray counts = read(manager, countsFile, "--class-counts");
            if (logits.getShape().dimension() != 2) {
                throw new LplException("--logits " + logitsFile + " must be a BxC matrix, got shape " + logits.getShape());
            }
            int batch = (int) logits.getShape().get(0);
            int numClasses = (int) logits.getShape().get(1);
            if (labels.getShape().dimension() != 1 || labels.getShape().get(0) != batch) {
                throw new LplException("--labels " + labelsFile + " must hold " + batch + " labels (one per row of --logits), got shape " + labels.getShape());
            }
            if (counts.getShape().dimension() != 1 || counts.getShape().get(0) != numClasses) {
                throw new LplException("--class-counts " + countsFile + " must hold " + numClasses + " counts (one per column of --logits), got shape " + counts.getShape());
            }
            logits = logits.toType(DataType.FLOAT32, false);
            labels = labels.toType(DataType.INT64, false);
            long[] labelValues = labels.toLongArray();
            for (long y : labelValues) {
                if (y < 0 || y >= numClasses) {
                    throw new LplException("--labels " + labelsFile + " holds label " + y + " outside [0, " + numClasses + ")");
                }
            }
            long[] classCounts = counts.toType(DataType.INT64, false).toLongArray();
            NDArray features = null;
            if (featuresFile != null) {
                features = read(manager, featuresFile, "--features").toType(DataType.FLOAT32, false);
                if (features.getShape().dimension() != 2 || features.getShape().get(0) != batch) {
                    throw new LplException("--features " + featuresFile + " must be a " + batch
                            + "xD matrix (one row per row of --logits), got shape " + features.getShape());
                }
            }
            NDArray weights = null;
            if (weightsFile != null) {
                weights = read(manager, weightsFile, "--weights").toType(DataType.FLOAT32, false);
                if (weights.getShape().dimension() != 2 || weights.getShape().get(0) != numClasses
                        || (features != null && weights.getShape().get(1) != features.getShape().get(1))) {
                    throw new LplException("--weights " + weightsFile + " must be a " + numClasses
                            + "xD matrix (D as in --features), got shape " + weights.getShape());
                }
            }
            if (stateFile != null) {
                objective.perturbation().restoreState(readAll(manager, stateFile));
            }
            TrainingView view = new TrainingView(classCounts, epoch, epochs, manager, features, weights, iteration,
                    stepSeed);
            MethodObjective.Result result = objective.compute(logits, labels, view);
            NDArray loss = result.loss().toType(DataType.FLOAT32, false);
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

    private static NDArray read(NDManager manager, Path file, String option) {
        if (!Files.isRegularFile(file)) {
            throw new LplException(option + " " + file + " does not exist");
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
            throw new LplException(option + " " + file + " is not a readable NumPy .npy file: " + e.getMessage(), e);
        }
    }

    private static java.util.Map<String, NDArray> readAll(NDManager manager, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new LplException("--state " + file + " does not exist");
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
            throw new LplException("--state " + file + " is not a readable NumPy .npz file: " + e.getMessage(), e);
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
