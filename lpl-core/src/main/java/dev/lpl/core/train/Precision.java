package dev.lpl.core.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * The numeric precision a network runs in ({@code training.precision}).
 *
 * <p>{@link #FP32}: everything in float32. {@link #BF16}: mixed precision with the semantics of
 * PyTorch's {@code torch.autocast(dtype=torch.bfloat16)}. The images are cast to bfloat16 at the
 * network's input and every convolution and linear layer runs in bfloat16 on bfloat16 copies of its
 * weight and bias, taken at each use from the float32 master weights; batch norms take the bfloat16
 * activations with their float32 scale, shift and running statistics (the engine computes the batch
 * statistics in float32); the features and logits are cast back to float32 before the method sees
 * them, so the perturbation (LPL's inner loop included), softmax, the loss and the weight update
 * run in float32. The casts are recorded by autograd, so the gradients reach the float32 weights,
 * and checkpoints hold float32 weights only: a run may resume in the other precision.
 *
 * <p>DJL's PyTorch binding cannot make a bfloat16 tensor itself (its dtype table stops before
 * bfloat16) and its casts run without autograd; the two casts are therefore the methods of a tiny
 * TorchScript module shipped with lpl ({@code bf16-casts.pt}, written by {@code
 * interop/make_casts.py}), which the engine records like any other operation.
 */
public enum Precision {

    /** Everything in float32. */
    FP32,
    /** bfloat16 autocast with float32 master weights, normalisation statistics, method and loss. */
    BF16;

    private static final String CASTS = "bf16-casts.pt";
    /** The loaded module; the model is held too, since closing or collecting it releases the module. */
    private static volatile PtSymbolBlock casts;
    private static Model castsModel;
    /** The arrays that name the module's methods in a call (their values are never read). */
    private static NDArray toBf16;
    private static NDArray toF32;
    /** Threads on which the engine's graph optimiser is already off (a per-thread engine setting). */
    private static final ThreadLocal<Boolean> OPTIMISER_OFF = ThreadLocal.withInitial(() -> false);

    /**
     * Reads {@code precision} of the {@code training} block.
     *
     * @param training the {@code training} block
     * @return the precision
     */
    public static Precision of(Settings training) {
        return parse(training.getChoice("precision", List.of("fp32", "bf16")));
    }

    /**
     * Parses the setting.
     *
     * @param value {@code fp32} or {@code bf16}
     * @return the precision
     */
    public static Precision parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "fp32" -> FP32;
            case "bf16" -> BF16;
            default -> throw new LplException("training.precision = " + value + " is not fp32 or bf16");
        };
    }

    /**
     * Returns the setting's value.
     *
     * @return {@code fp32} or {@code bf16}
     */
    public String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Checks that the device can compute in this precision: bfloat16 on a CPU needs its
     * instructions (AVX512-BF16 or AMX-BF16), where the system says which it has.
     *
     * @param device the run's device
     * @param cpu what the CPU supports
     * @throws LplException when bfloat16 is asked for on a CPU without bfloat16 instructions
     */
    public void checkSupported(Device device, CpuFeatures cpu) {
        if (this == BF16 && Device.Type.CPU.equals(device.getDeviceType()) && cpu.known() && !cpu.bf16()) {
            throw new LplException("training.precision = bf16 needs a CPU with bfloat16 instructions (AVX512-BF16 or"
                    + " AMX-BF16); this one has " + cpu.summary() + ". Use training.precision = fp32");
        }
    }

    /**
     * Returns the parameter store a network runs with in this precision.
     *
     * @param store the store of the float32 master weights
     * @return {@code store} for float32; for bfloat16 one that hands out bfloat16 copies of the
     *     weights and biases (batch-norm parameters and statistics stay float32)
     */
    public ParameterStore parameters(ParameterStore store) {
        return this == FP32 ? store : new LowPrecisionStore(store);
    }

    /**
     * Casts a network input to this precision.
     *
     * @param input float32 images
     * @return the input as the network's first layer takes it
     */
    public NDArray input(NDArray input) {
        return this == FP32 ? input : cast("to_bf16", input);
    }

    /**
     * Casts a network output (features, logits) back to float32.
     *
     * @param output what the network computed
     * @return the output in float32
     */
    public NDArray output(NDArray output) {
        return this == FP32 ? output : cast("to_f32", output);
    }

    /** The casts' outputs belong to the input's manager; a step's and an evaluation's NDScope closes them. */
    private static NDArray cast(String method, NDArray x) {
        PtSymbolBlock module = casts();
        if (!OPTIMISER_OFF.get()) {
            // the engine's graph optimiser would drop autograd from the scripted casts
            JniUtils.setGraphExecutorOptimize(false);
            OPTIMISER_OFF.set(true);
        }
        NDArray marker = "to_bf16".equals(method) ? toBf16 : toF32;
        return IValueUtils.forward(module, new NDList(x, marker), true).singletonOrThrow();
    }

    private static PtSymbolBlock casts() {
        PtSymbolBlock block = casts;
        if (block == null) {
            synchronized (Precision.class) {
                if (casts == null) {
                    casts = load();
                }
                block = casts;
            }
        }
        return block;
    }

    private static PtSymbolBlock load() {
        try (InputStream in = Precision.class.getResourceAsStream(CASTS)) {
            if (in == null) {
                throw new IllegalStateException(CASTS + " is missing from lpl-core's resources");
            }
            Path dir = Files.createTempDirectory("lpl-casts");
            try {
                Files.copy(in, dir.resolve("casts.pt"), StandardCopyOption.REPLACE_EXISTING);
                Model model = Model.newInstance("casts");
                model.load(dir, "casts");
                castsModel = model;
                toBf16 = marker(model.getNDManager(), "to_bf16");
                toF32 = marker(model.getNDManager(), "to_f32");
                return (PtSymbolBlock) model.getBlock();
            } finally {
                Files.deleteIfExists(dir.resolve("casts.pt"));
                Files.deleteIfExists(dir);
            }
        } catch (IOException | MalformedModelException e) {
            throw new UncheckedIOException(new IOException("cannot load lpl's bfloat16 casts: " + e.getMessage(), e));
        }
    }

    private static NDArray marker(NDManager manager, String method) {
        NDArray marker = manager.create(0f);
        NDScope.unregister(marker); // lives as long as the module, not the step that loaded it
        marker.setName("module_method:" + method);
        return marker;
    }

    /** Hands out bfloat16 copies of weights and biases, the float32 arrays of everything else. */
    private static final class LowPrecisionStore extends ParameterStore {

        private static final List<Parameter.Type> CAST = List.of(Parameter.Type.WEIGHT, Parameter.Type.BIAS);
        private final ParameterStore store;

        LowPrecisionStore(ParameterStore store) {
            super(store.getManager(), false);
            this.store = store;
        }

        @Override
        public NDArray getValue(Parameter parameter, Device device, boolean training) {
            NDArray value = store.getValue(parameter, device, training);
            return parameter != null && CAST.contains(parameter.getType()) ? cast("to_bf16", value) : value;
        }

        @Override
        public NDManager getManager() {
            return store.getManager();
        }
    }
}
