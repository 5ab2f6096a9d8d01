package dev.lpl.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.data.HostBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code training.precision = bf16}: the network in bfloat16 computes what it computes in float32
 * up to bfloat16's rounding (8 significant bits), its gradients land on the float32 weights, and
 * the weights stay float32 through training steps. These run on any CPU: without bfloat16
 * instructions the engine emulates them (slowly); only a run refuses such a CPU.
 */
class PrecisionTest {

    private static final Bootstrap LPL = Bootstrap.start(List.of());

    /** conv 3×3 (8) → batch norm → ReLU → global average → linear (3), on 3×8×8 images. */
    private static ClassifierBlock network(NDManager manager) {
        SequentialBlock features = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(8)
                        .optBias(false).build())
                .add(BatchNorm.builder().build())
                .add(new LambdaBlock(x -> {
                    NDArray a = x.singletonOrThrow().maximum(0f);
                    return new NDList(a.reshape(a.getShape().get(0), a.getShape().get(1), -1).mean(new int[] {2}));
                }));
        ClassifierBlock block = new ClassifierBlock(features, Linear.builder().setUnits(3).build(), 8);
        Engine.getInstance().setRandomSeed(3);
        block.setInitializer(new NormalInitializer(0.3f), Parameter.Type.WEIGHT);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 8, 8));
        return block;
    }

    private static float[] images(int n) {
        SplittableRandom random = new SplittableRandom(7);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        return x;
    }

    private record Pass(float loss, List<float[]> gradients, List<DataType> gradientTypes, DataType logitsType) {}

    private static Pass pass(ClassifierBlock block, NDManager manager, Precision precision, NDArray x, NDArray y) {
        ParameterStore store = precision.parameters(new ParameterStore(manager, false));
        List<Parameter> trainable = block.getParameters().values().stream().filter(Parameter::requiresGradient).toList();
        try (NDManager m = manager.newSubManager(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = precision.output(block.forward(store, new NDList(precision.input(x)), true).singletonOrThrow());
            NDArray loss = logits.logSoftmax(1).get(new NDIndex().addAllDim().addPickDim(y)).neg().mean();
            collector.backward(loss);
            List<float[]> gradients = new ArrayList<>();
            List<DataType> types = new ArrayList<>();
            for (Parameter p : trainable) {
                NDArray g = p.getArray().getGradient();
                types.add(g.getDataType());
                gradients.add(g.toFloatArray());
                g.subi(g);
            }
            return new Pass(loss.getFloat(), gradients, types, logits.getDataType());
        }
    }

    private static double cosine(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    @Test
    void bf16MatchesFp32UpToBfloat16RoundingAndItsGradientsReachTheFloat32Weights() {
        try (NDManager manager = Engine.getInstance().newBaseManager(Device.cpu())) {
            ClassifierBlock block = network(manager);
            NDArray x = manager.create(images(16 * 3 * 8 * 8), new Shape(16, 3, 8, 8));
            NDArray y = manager.create(new long[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0});
            Pass fp32 = pass(block, manager, Precision.FP32, x, y);
            Pass bf16 = pass(block, manager, Precision.BF16, x, y);
            assertThat(bf16.logitsType()).isEqualTo(DataType.FLOAT32);
            assertThat(bf16.gradientTypes()).containsOnly(DataType.FLOAT32);
            assertThat(bf16.loss()).isCloseTo(fp32.loss(), within(0.02f * fp32.loss()));
            for (int k = 0; k < fp32.gradients().size(); k++) {
                // the conv weight, batch norm's γ and β, the head's weight and bias
                assertThat(cosine(bf16.gradients().get(k), fp32.gradients().get(k))).as("gradient %d", k)
                        .isGreaterThan(0.99);
            }
        }
    }

    @Test
    void trainingStepsInBf16KeepFloat32WeightsAndFollowFp32() {
        Settings root = LPL.configLoader().load(null, List.of("method.type=identity", "training.backend=cpu")).settings();
        HostBatch batch = new HostBatch(images(32 * 3 * 8 * 8),
                new long[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0}, 32);
        float[] last = new float[2];
        for (Precision precision : Precision.values()) {
            try (NDManager manager = Engine.getInstance().newBaseManager(Device.cpu());
                    MethodObjective objective = LPL.runFactory().method(root)) {
                ClassifierBlock block = network(manager);
                TrainingStep step = new TrainingStep(block, manager, new ParameterStore(manager, false), Device.cpu(),
                        objective, LPL.runFactory().weightOptimizer(root), new long[] {11, 11, 10},
                        new ImageFormat(new Shape(3, 8, 8), true), precision, 10, null, null);
                for (int i = 0; i < 5; i++) {
                    last[precision.ordinal()] = step.run(batch, 0).loss();
                }
                for (Parameter p : block.getParameters().values()) {
                    assertThat(p.getArray().getDataType()).as(p.getName()).isEqualTo(DataType.FLOAT32);
                }
            }
        }
        assertThat(last[1]).isFinite().isCloseTo(last[0], within(0.05f * last[0]));
    }

    @Test
    void aCpuWithoutBfloat16InstructionsIsRefusedInOneLine() {
        CpuFeatures avx2 = CpuFeatures.parse("processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma\n");
        CpuFeatures cooperLake = CpuFeatures.parse("flags : avx2 avx512f avx512_bf16\n");
        CpuFeatures sapphireRapids = CpuFeatures.parse("flags : avx2 avx512f amx_tile amx_bf16\n");
        assertThat(avx2.known()).isTrue();
        assertThat(avx2.bf16()).isFalse();
        assertThat(cooperLake.bf16()).isTrue();
        assertThat(sapphireRapids.bf16()).isTrue();
        assertThat(cooperLake.summary()).isEqualTo("avx2 avx512f avx512_bf16");
        assertThat(CpuFeatures.parse("no flags here").known()).isFalse();
        assertThatThrownBy(() -> Precision.BF16.checkSupported(Device.cpu(), avx2))
                .isInstanceOf(LplException.class)
                .hasMessage("training.precision = bf16 needs a CPU with bfloat16 instructions (AVX512-BF16 or AMX-BF16);"
                        + " this one has avx2. Use training.precision = fp32");
        Precision.BF16.checkSupported(Device.cpu(), cooperLake);
        Precision.BF16.checkSupported(Device.cpu(), new CpuFeatures(Set.of(), false)); // unknown: not refused
        Precision.BF16.checkSupported(Device.gpu(), avx2);
        Precision.FP32.checkSupported(Device.cpu(), avx2);
        assertThat(Precision.parse("BF16")).isEqualTo(Precision.BF16);
        assertThatThrownBy(() -> Precision.parse("fp16")).isInstanceOf(LplException.class)
                .hasMessage("training.precision = fp16 is not fp32 or bf16");
    }
}
