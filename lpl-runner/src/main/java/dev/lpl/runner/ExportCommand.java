package dev.lpl.runner;

import dev.lpl.api.LplException;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.core.interop.ModelWeights;
import dev.lpl.core.interop.Safetensors;
import dev.lpl.core.run.Checkpoints;
import dev.lpl.core.run.Json;
import dev.lpl.core.run.Provenance;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lpl export}: writes a checkpoint's network weights with PyTorch {@code state_dict} names
 * ({@link dev.lpl.core.interop.TorchNames}) as a safetensors file, which the reference modules of
 * the repository's {@code interop/lpl_models.py} load with {@code load_state_dict}. The file's
 * {@code __metadata__} names the model, its options, head, classes and input shape, the run and
 * the checkpoint.
 */
@Command(name = "export", mixinStandardHelpOptions = true, description = {
    "Write a run's network weights with PyTorch state_dict names (safetensors), for interop/lpl_models.py.",
    "Default checkpoint: best when the run has a validation split (data.validation), else the final one.",
    "Nothing in the run directory is changed."})
final class ExportCommand implements Callable<Integer> {

    /** File formats {@code lpl export} writes. */
    enum Format {
        /** Hugging Face safetensors with PyTorch state_dict names. */
        safetensors
    }

    @ParentCommand
    LplCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR|CHECKPOINT", description = "A run directory or one of its checkpoints/<name> directories.")
    Path target;

    @Option(names = "--checkpoint", paramLabel = "NAME",
            description = "best, latest, or a name under RUN_DIR/checkpoints (default: best with a validation split, else latest).")
    String checkpoint;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "safetensors",
            description = "File format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where to write (default: <run>-<checkpoint>.safetensors in the current directory).")
    Path out;

    @Option(names = "--force", description = "Replace FILE if it exists.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        RunCheckpoint choice = RunCheckpoint.resolve(target, checkpoint);
        String checkpointName = choice.checkpointDir().getFileName().toString();
        String how = checkpoint != null || Files.isRegularFile(target.resolve("state.json")) ? "named"
                : checkpointName.equals(Checkpoints.BEST) ? "best, selected on validation balanced accuracy"
                : "latest" + (choice.selection().validated() ? "" : ": the run has no validation split");
        try (RunNetwork network = RunNetwork.open(parent.bootstrap(), choice)) {
            Path file = out != null ? out
                    : Path.of(network.runName() + "-" + checkpointName + "." + format.name());
            if (Files.isDirectory(file)) {
                throw new LplException("--out " + file + " is a directory; name a file, e.g. " + file.resolve(
                        network.runName() + "-" + checkpointName + ".safetensors"));
            }
            if (Files.exists(file) && !force) {
                throw new LplException(file + " exists; pass --force to replace it, or another --out");
            }
            if (network.block().classScale().isPresent()) {
                // the reference modules (interop/lpl_models.py) have no per-class logit scale to load it into
                throw new LplException("run " + network.runName() + " learns a per-class logit scale (LWS:"
                        + " model.class-scale = true), which the reference PyTorch modules do not model, so lpl export"
                        + " does not write it; export the run its model.init-from names, and multiply its logits by"
                        + " the " + ClassifierBlock.CLASS_SCALE + " array of this run's checkpoint (model.npz)");
            }
            List<Safetensors.Tensor> tensors = ModelWeights.torchTensors(network.block());
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put(Safetensors.FORMAT, "pt");
            metadata.put("lpl.model", network.model());
            metadata.put("lpl.model_options", Json.mapper().writeValueAsString(network.modelOptions()));
            metadata.put("lpl.head", network.head().configName());
            metadata.put("lpl.num_classes", Integer.toString(network.classes().size()));
            metadata.put("lpl.classes", Json.mapper().writeValueAsString(network.classes()));
            metadata.put("lpl.image_shape", Json.mapper().writeValueAsString(network.imageShape()));
            metadata.put("lpl.run", network.runName());
            metadata.put("lpl.checkpoint", checkpointName);
            metadata.put("lpl.epoch", Integer.toString(network.epoch()));
            metadata.put("lpl.version", Provenance.lplVersion());
            try {
                Safetensors.write(file, tensors, metadata);
            } catch (IOException e) {
                throw new LplException("cannot write " + file + ": " + e.getMessage(), e);
            }
            long parameters = tensors.stream().filter(t -> t.dtype() == Safetensors.DType.F32)
                    .mapToLong(t -> Arrays.stream(t.shape()).reduce(1, Math::multiplyExact)).sum();
            PrintWriter w = spec.commandLine().getOut();
            w.printf(Locale.ROOT, "run %s, checkpoint %s (epoch %d; %s)%n", network.runName(), checkpointName,
                    network.epoch(), how);
            w.printf(Locale.ROOT, "wrote %s: %d tensors, %,d values, PyTorch state_dict names (%s, %s head, %d classes,"
                    + " input %s)%n", file, tensors.size(), parameters, network.model(), network.head().configName(),
                    network.classes().size(), shape(network.imageShape()));
            w.printf(Locale.ROOT, "in PyTorch: import lpl_models; model = lpl_models.from_safetensors('%s').eval()"
                    + "   (interop/lpl_models.py)%n", file);
            w.flush();
        }
        return 0;
    }

    private static String shape(List<Integer> shape) {
        return shape.get(0) + "x" + shape.get(1) + "x" + shape.get(2);
    }
}
