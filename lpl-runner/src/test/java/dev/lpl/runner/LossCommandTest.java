package dev.lpl.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossCommandTest {

    private static final int B = 12;
    private static final int C = 5;

    @TempDir
    Path dir;

    private float[] logits;
    private long[] labels;

    @BeforeEach
    void writeInputs() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        logits = new float[B * C];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (random.nextDouble() * 6 - 3);
        }
        labels = new long[B];
        for (int i = 0; i < B; i++) {
            labels[i] = i % C;
        }
        Npy.writeFloats(dir.resolve("l.npy"), logits, B, C);
        Npy.writeLongs(dir.resolve("y.npy"), labels);
        Npy.writeLongs(dir.resolve("n.npy"), new long[] {500, 200, 80, 30, 5});
    }

    private NDList readOut(NDManager manager, Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return NDList.decode(manager, in);
        }
    }

    /** Mean cross-entropy computed by hand, in double. */
    private static double crossEntropy(float[] u, long[] y) {
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < C; j++) {
                max = Math.max(max, u[i * C + j]);
            }
            double z = 0;
            for (int j = 0; j < C; j++) {
                z += Math.exp(u[i * C + j] - max);
            }
            sum += -(u[i * C + (int) y[i]] - max - Math.log(z));
        }
        return sum / y.length;
    }

    @Test
    void ceLeavesTheLogitsAndReturnsTheirCrossEntropy() throws Exception {
        Path out = dir.resolve("ce.npz");
        var r = CommandLineTest.lpl("loss", "--method", "ce", "--logits", dir.resolve("l.npy").toString(),
                "--labels", dir.resolve("y.npy").toString(), "--class-counts", dir.resolve("n.npy").toString(),
                "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList list = readOut(manager, out);
            NDArray loss = list.get("loss");
            NDArray perturbed = list.get("logits");
            assertThat(loss.getShape().dimension()).isZero();
            assertThat(perturbed.toFloatArray()).containsExactly(logits);
            assertThat(loss.getFloat()).isCloseTo((float) crossEntropy(logits, labels), within(1e-5f));
            assertThat(r.out()).startsWith("loss ");
        }
    }

    @Test
    void lplPerturbsByOneVectorPerClassAndTheLossIsTakenOnTheResult() throws Exception {
        Path out = dir.resolve("lpl.npz");
        var r = CommandLineTest.lpl("loss", "--method", "lpl", "--set", "method.lpl.split.fixed-index.tau=2",
                "--logits", dir.resolve("l.npy").toString(), "--labels", dir.resolve("y.npy").toString(),
                "--class-counts", dir.resolve("n.npy").toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList list = readOut(manager, out);
            float[] perturbed = list.get("logits").toFloatArray();
            assertThat(list.get("loss").getFloat()).isCloseTo((float) crossEntropy(perturbed, labels), within(1e-5f));
            // Samples of the same class got the same delta; the head class 0 (bound 0.9, alpha 0.15:
            // K = 6) and the rarest tail class 4 (bound 1.5: K = 10) moved.
            for (int i = 0; i < B; i++) {
                for (int k = 0; k < B; k++) {
                    if (labels[i] == labels[k]) {
                        for (int j = 0; j < C; j++) {
                            assertThat(perturbed[i * C + j] - logits[i * C + j])
                                    .isCloseTo(perturbed[k * C + j] - logits[k * C + j], within(1e-5f));
                        }
                    }
                }
            }
            assertThat(perturbed[0] - logits[0]).isNotZero();
            assertThat(perturbed[4 * C + 4] - logits[4 * C + 4]).isNotZero();
            // Head classes are minimised: the true-class logit of class 0 rises; tail class 4's falls.
            assertThat(perturbed[0] - logits[0]).isPositive();
            assertThat(perturbed[4 * C + 4] - logits[4 * C + 4]).isNegative();
        }
    }

    private static float[] gaussian(SplittableRandom random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return out;
    }

    @Test
    void lsoftmaxAndCenterTakeTheFeaturesAndWeightsGiven() throws Exception {
        int d = 3;
        SplittableRandom random = new SplittableRandom(4);
        float[] f = gaussian(random, B * d);
        float[] w = gaussian(random, C * d);
        float[] u = new float[B * C]; // u = f Wᵀ, as a bias-free head computes it
        for (int i = 0; i < B; i++) {
            for (int j = 0; j < C; j++) {
                for (int k = 0; k < d; k++) {
                    u[i * C + j] += f[i * d + k] * w[j * d + k];
                }
            }
        }
        Npy.writeFloats(dir.resolve("u.npy"), u, B, C);
        Npy.writeFloats(dir.resolve("f.npy"), f, B, d);
        Npy.writeFloats(dir.resolve("w.npy"), w, C, d);
        Path out = dir.resolve("ls.npz");
        var r = CommandLineTest.lpl("loss", "--method", "lsoftmax", "--set", "method.lsoftmax.base=0",
                "--logits", dir.resolve("u.npy").toString(), "--labels", dir.resolve("y.npy").toString(),
                "--class-counts", dir.resolve("n.npy").toString(), "--features", dir.resolve("f.npy").toString(),
                "--weights", dir.resolve("w.npy").toString(), "--iteration", "1000", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] perturbed = readOut(manager, out).get("logits").toFloatArray();
            for (int i = 0; i < B; i++) {
                int y = (int) labels[i];
                double wn = 0;
                double fn = 0;
                for (int k = 0; k < d; k++) {
                    wn += w[y * d + k] * w[y * d + k];
                    fn += f[i * d + k] * f[i * d + k];
                }
                double norms = Math.sqrt(wn) * Math.sqrt(fn);
                double theta = Math.acos(u[i * C + y] / norms);
                int kk = (int) Math.floor(2 * theta / Math.PI);
                double psi = (kk == 0 ? 1 : -1) * Math.cos(2 * theta) - 2 * kk;
                for (int j = 0; j < C; j++) {
                    double expected = j == y ? norms * psi : u[i * C + j]; // lambda = 0: the full margin
                    assertThat((double) perturbed[i * C + j]).isCloseTo(expected, within(1e-4));
                }
            }
        }

        Path centers = dir.resolve("c.npz");
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray c = manager.create(gaussian(random, C * d), new ai.djl.ndarray.types.Shape(C, d));
            c.setName("centers");
            try (var os = Files.newOutputStream(centers)) {
                new NDList(c).encode(os, NDList.Encoding.NPZ);
            }
            float[] cv = c.toFloatArray();
            Path centerOut = dir.resolve("center.npz");
            var rc = CommandLineTest.lpl("loss", "--method", "center", "--set", "method.center.lambda=0.5",
                    "--logits", dir.resolve("u.npy").toString(), "--labels", dir.resolve("y.npy").toString(),
                    "--class-counts", dir.resolve("n.npy").toString(), "--features", dir.resolve("f.npy").toString(),
                    "--state", centers.toString(), "--out", centerOut.toString());
            assertThat(rc.code()).as(rc.err()).isZero();
            double term = 0;
            for (int i = 0; i < B; i++) {
                for (int k = 0; k < d; k++) {
                    double diff = f[i * d + k] - cv[(int) labels[i] * d + k];
                    term += diff * diff;
                }
            }
            double expected = crossEntropy(u, labels) + 0.5 / 2 * term / B;
            assertThat((double) readOut(manager, centerOut).get("loss").getFloat()).isCloseTo(expected, within(1e-5));
        }
    }

    @Test
    void disturbLabelWritesTheTargetsItTookTheLossAgainst() throws Exception {
        Path out = dir.resolve("dl.npz");
        var r = CommandLineTest.lpl("loss", "--method", "disturb-label", "--set", "method.disturb-label.alpha=1",
                "--logits", dir.resolve("l.npy").toString(), "--labels", dir.resolve("y.npy").toString(),
                "--class-counts", dir.resolve("n.npy").toString(), "--step-seed", "3", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList list = readOut(manager, out);
            long[] targets = list.get("targets").toLongArray();
            assertThat(targets).isNotEqualTo(labels);
            assertThat(list.get("logits").toFloatArray()).containsExactly(logits);
            assertThat(list.get("loss").getFloat()).isCloseTo((float) crossEntropy(logits, targets), within(1e-5f));
        }
    }

    @Test
    void aBundledExperimentPresetGivesItsMethodSettingsAndSetStillOverridesThem() throws Exception {
        // cifar100-resnet110-disturb-label sets method.disturb-label.alpha = 0.1 (the default: 0.05); with
        // step seed 18, alpha 0.1 changes two of the 12 labels, 0.05 none
        String[] inputs = {"--method", "disturb-label", "--logits", dir.resolve("l.npy").toString(),
            "--labels", dir.resolve("y.npy").toString(), "--class-counts", dir.resolve("n.npy").toString(),
            "--step-seed", "18"};
        long[] preset = targets(inputs, "-c", "cifar100-resnet110-disturb-label");
        long[] overridden = targets(inputs, "--config", "cifar100-resnet110-disturb-label",
                "--set", "method.disturb-label.alpha=1");

        assertThat(preset).containsExactly(targets(inputs, "--set", "method.disturb-label.alpha=0.1"));
        assertThat(preset).isNotEqualTo(targets(inputs));
        assertThat(overridden).containsExactly(targets(inputs, "--set", "method.disturb-label.alpha=1"))
                .isNotEqualTo(preset);
    }

    /** Runs lpl loss and returns the targets it wrote. */
    private long[] targets(String[] inputs, String... more) throws Exception {
        Path out = Files.createTempFile(dir, "targets", ".npz");
        String[] args = new String[inputs.length + more.length + 3];
        args[0] = "loss";
        System.arraycopy(inputs, 0, args, 1, inputs.length);
        System.arraycopy(more, 0, args, 1 + inputs.length, more.length);
        args[args.length - 2] = "--out";
        args[args.length - 1] = out.toString();
        var r = CommandLineTest.lpl(args);
        assertThat(r.code()).as(r.err()).isZero();
        try (NDManager manager = NDManager.newBaseManager()) {
            return readOut(manager, out).get("targets").toLongArray();
        }
    }

    @Test
    void badInputsAreOneLineErrors() throws Exception {
        Npy.writeInts(dir.resolve("short.npy"), new int[] {0, 1});
        var r = CommandLineTest.lpl("loss", "--method", "ce", "--logits", dir.resolve("l.npy").toString(),
                "--labels", dir.resolve("short.npy").toString(), "--class-counts", dir.resolve("n.npy").toString(),
                "--out", dir.resolve("x.npz").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: --labels").contains("must hold 12 labels");
        Files.writeString(dir.resolve("junk.npy"), "not numpy");
        var junk = CommandLineTest.lpl("loss", "--method", "ce", "--logits", dir.resolve("junk.npy").toString(),
                "--labels", dir.resolve("y.npy").toString(), "--class-counts", dir.resolve("n.npy").toString(),
                "--out", dir.resolve("x.npz").toString());
        assertThat(junk.code()).isEqualTo(2);
        assertThat(junk.err()).startsWith("error: --logits").contains("is not a readable NumPy .npy file");
        assertThat(dir.resolve("x.npz")).doesNotExist();
        Npy.writeDoubles(dir.resolve("l64.npy"), new double[B * C], B, C);
        var f64 = CommandLineTest.lpl("loss", "--method", "ce", "--logits", dir.resolve("l64.npy").toString(),
                "--labels", dir.resolve("y.npy").toString(), "--class-counts", dir.resolve("n.npy").toString(),
                "--out", dir.resolve("x.npz").toString());
        assertThat(f64.code()).as(f64.err()).isZero();
        assertThat(f64.out()).startsWith("loss 1.60943");
    }

    @Test
    void wholeNumberFloatLabelsAndCountsAreTakenAsTheirIntegers() throws Exception {
        float[] floatLabels = new float[B];
        for (int i = 0; i < B; i++) {
            floatLabels[i] = labels[i];
        }
        Npy.writeFloats(dir.resolve("yf.npy"), floatLabels, B);
        Npy.writeDoubles(dir.resolve("nf.npy"), new double[] {500, 200, 80, 30, 5}, C);
        Path out = dir.resolve("f.npz");
        var r = CommandLineTest.lpl("loss", "--method", "ce", "--logits", dir.resolve("l.npy").toString(),
                "--labels", dir.resolve("yf.npy").toString(), "--class-counts", dir.resolve("nf.npy").toString(),
                "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThat(readOut(manager, out).get("loss").getFloat())
                    .isCloseTo((float) crossEntropy(logits, labels), within(1e-5f));
        }
    }
}
