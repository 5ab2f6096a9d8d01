package dev.lpl.core.interop;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.lpl.api.LplException;
import dev.lpl.api.model.ClassifierBlock;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A network's weights as files: loading them from an lpl checkpoint ({@code model.npz}, DJL
 * parameter names) or a safetensors file (PyTorch {@code state_dict} names, {@link TorchNames}),
 * which is what {@code model.init-from} does, and listing them with PyTorch names for {@code lpl
 * export}.
 *
 * <p>Loading is all or nothing: every parameter of the network must be in the file with the
 * network's shape, and the file must hold nothing else (a safetensors file's {@code
 * num_batches_tracked} may be present or not; DJL has no such count). Otherwise nothing is loaded
 * and the error names the first offending tensor with both shapes.
 */
public final class ModelWeights {

    /** The weights file in a checkpoint directory. */
    public static final String CHECKPOINT_MODEL = "model.npz";

    /** How a file names its tensors. */
    public enum Naming {
        /** DJL parameter names, as in an lpl checkpoint's {@code model.npz}. */
        DJL,
        /** PyTorch {@code state_dict} names, as {@code lpl export} writes them. */
        PYTORCH
    }

    /** Which of the network's tensors a file provides. */
    public enum Parts {
        /** Every tensor: the file must fit the whole network. */
        ALL,
        /**
         * The feature extractor's tensors only ({@code features.*}, DJL {@code 01features_*}); the
         * file's classifier tensors are ignored and the classifier keeps its fresh initialisation
         * (classifier re-training, cRT).
         */
        FEATURES
    }

    /**
     * What was loaded.
     *
     * @param file the file read (a checkpoint directory's {@code model.npz})
     * @param sha256 its SHA-256, lower-case hex
     * @param naming how it names tensors
     * @param tensors how many parameters were set
     */
    public record Loaded(Path file, String sha256, Naming naming, int tensors) {

        /**
         * Returns the provenance a manifest records.
         *
         * @return {@code path}, {@code sha256}, {@code format}
         */
        public Map<String, Object> provenance() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("path", file.toAbsolutePath().normalize().toString());
            out.put("sha256", sha256);
            out.put("names", naming == Naming.DJL ? "lpl checkpoint (model.npz)" : "safetensors (PyTorch state_dict)");
            out.put("tensors", tensors);
            return out;
        }
    }

    private ModelWeights() {}

    /**
     * Resolves what {@code model.init-from} may name to a file: a checkpoint directory (its {@code
     * model.npz}), an lpl {@code model.npz}, or a safetensors file.
     *
     * @param path the path
     * @param key the configuration key or option, for messages
     * @return the weights file
     * @throws LplException when it does not exist or is a run directory rather than a checkpoint
     */
    public static Path resolve(Path path, String key) {
        requireNonNull(path, "path is null");
        if (Files.isDirectory(path)) {
            Path model = path.resolve(CHECKPOINT_MODEL);
            if (Files.isRegularFile(model)) {
                return model;
            }
            if (Files.isDirectory(path.resolve("checkpoints"))) {
                throw new LplException(key + " " + path + " is a run directory; name one of its checkpoints, e.g. "
                        + path.resolve("checkpoints").resolve("best") + ", or an exported .safetensors file");
            }
            throw new LplException(key + " " + path + " is a directory without " + CHECKPOINT_MODEL
                    + "; name an lpl checkpoint directory, its model.npz or a .safetensors file");
        }
        if (!Files.isRegularFile(path)) {
            throw new LplException(key + " " + path + " does not exist; name an lpl checkpoint directory, its model.npz"
                    + " or a .safetensors file (lpl export writes one)");
        }
        return path;
    }

    /**
     * Lists a network's tensors with their PyTorch names, in order ({@code num_batches_tracked} is
     * 0).
     *
     * @param block the network, initialised
     * @return the tensors
     */
    public static List<Safetensors.Tensor> torchTensors(Block block) {
        List<Safetensors.Tensor> out = new ArrayList<>();
        for (TorchNames.Entry e : TorchNames.of(block)) {
            out.add(e.isBatchCount() ? Safetensors.Tensor.scalar(e.torchName(), 0)
                    : Safetensors.Tensor.of(e.torchName(), e.parameter().getArray()));
        }
        return out;
    }

    /**
     * Loads a file's weights into a network.
     *
     * @param path a checkpoint directory, a {@code model.npz} or a safetensors file
     * @param block the network, initialised
     * @param network what the network is (e.g. {@code "model resnet32, linear head, 10 classes"}),
     *     for messages
     * @param key the configuration key or option that named the file, for messages
     * @param manager a manager on the network's device (a sub-manager is used and closed)
     * @return what was loaded
     * @throws LplException on a missing, unexpected or mis-shaped tensor, or an unreadable file;
     *     nothing is loaded then
     */
    public static Loaded load(Path path, Block block, String network, String key, NDManager manager) {
        return load(path, block, network, key, manager, Parts.ALL);
    }

    /**
     * Loads a file's weights, all or the feature extractor's, into a network.
     *
     * @param path a checkpoint directory, a {@code model.npz} or a safetensors file
     * @param block the network, initialised; with {@link Parts#FEATURES} its first child is the
     *     feature extractor (as in {@link dev.lpl.api.model.ClassifierBlock})
     * @param network what the network is, for messages
     * @param key the configuration key or option that named the file, for messages
     * @param manager a manager on the network's device (a sub-manager is used and closed)
     * @param parts which tensors the file provides
     * @return what was loaded
     * @throws LplException on a missing, unexpected or mis-shaped tensor, or an unreadable file;
     *     nothing is loaded then
     */
    public static Loaded load(Path path, Block block, String network, String key, NDManager manager, Parts parts) {
        Path file = resolve(path, key);
        Naming naming = naming(file, key);
        Map<String, Parameter> expected = new LinkedHashMap<>();
        List<String> optional = new ArrayList<>();
        if (naming == Naming.DJL) {
            block.getParameters().forEach(p -> expected.put(p.getKey(), p.getValue()));
        } else {
            for (TorchNames.Entry e : TorchNames.of(block)) {
                if (e.isBatchCount()) {
                    optional.add(e.torchName());
                } else {
                    expected.put(e.torchName(), e.parameter());
                }
            }
        }
        if (parts == Parts.FEATURES) {
            String prefix = naming == Naming.DJL ? block.getChildren().get(0).getKey() + "_" : "features.";
            expected.keySet().removeIf(name -> !name.startsWith(prefix));
            optional.removeIf(name -> !name.startsWith(prefix));
        }
        try (NDManager temp = manager.newSubManager()) {
            Map<String, NDArray> saved = naming == Naming.DJL ? readNpz(file, temp, key) : Safetensors.read(file, temp);
            if (parts == Parts.FEATURES) {
                String prefix = naming == Naming.DJL ? block.getChildren().get(0).getKey() + "_" : "features.";
                saved.keySet().removeIf(name -> !name.startsWith(prefix));
            }
            if (!saved.containsKey(ClassifierBlock.CLASS_SCALE)) {
                // a network with the per-class scale of LWS loads one without: the scale stays 1
                expected.remove(ClassifierBlock.CLASS_SCALE);
            }
            List<String> problems = new ArrayList<>();
            expected.forEach((name, parameter) -> {
                NDArray array = saved.get(name);
                Shape shape = parameter.getArray().getShape();
                if (array == null) {
                    problems.add("tensor " + name + " " + shape + " is missing from the file");
                } else if (!array.getShape().equals(shape)) {
                    problems.add("tensor " + name + " has shape " + array.getShape() + " in the file, " + shape
                            + " in the network");
                } else if (!array.getDataType().isFloating()) {
                    problems.add("tensor " + name + " has type " + array.getDataType() + ", not a float type");
                }
            });
            List<String> unexpected = saved.keySet().stream()
                    .filter(n -> !expected.containsKey(n) && !optional.contains(n)).collect(Collectors.toList());
            unexpected.forEach(n -> problems.add("the file has tensor " + n + " " + saved.get(n).getShape()
                    + ", which the network does not"));
            if (!problems.isEmpty()) {
                throw new LplException(key + " " + file + " does not fit the network (" + network + "): "
                        + problems.get(0) + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more "
                        + (problems.size() == 2 ? "problem" : "problems") + ")" : "")
                        + "; use weights of the same model, head and number of classes"
                        + (naming == Naming.PYTORCH ? " with PyTorch names (lpl export writes them)" : ""));
            }
            expected.forEach((name, parameter) -> parameter.getArray().set(new NDIndex("..."),
                    saved.get(name).toType(parameter.getArray().getDataType(), false)));
            return new Loaded(file, sha256(file), naming, expected.size());
        }
    }

    private static Naming naming(Path file, String key) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(9);
        } catch (IOException e) {
            throw new LplException("cannot read " + key + " " + file + ": " + e.getMessage(), e);
        }
        if (head.length >= 2 && head[0] == 'P' && head[1] == 'K') {
            return Naming.DJL;
        }
        if (head.length == 9 && head[8] == '{') {
            return Naming.PYTORCH;
        }
        throw new LplException(key + " " + file + " is neither an lpl checkpoint's model.npz nor a safetensors file;"
                + " name a checkpoint directory, its model.npz or a file lpl export wrote");
    }

    private static Map<String, NDArray> readNpz(Path file, NDManager manager, String key) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            for (NDArray array : NDList.decode(manager, in)) {
                out.put(array.getName(), array);
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw new LplException(key + " " + file + " cannot be read as an lpl checkpoint's model.npz ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + "); name an intact checkpoint or export it again", e);
        }
    }

    /**
     * Digests a file.
     *
     * @param file the file
     * @return its SHA-256, lower-case hex
     */
    public static String sha256(Path file) {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            throw new LplException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
