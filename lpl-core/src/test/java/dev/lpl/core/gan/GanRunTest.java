package dev.lpl.core.gan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lpl.api.LplException;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.data.HostBatch;
import dev.lpl.core.run.EngineSession;
import dev.lpl.core.run.Json;
import dev.lpl.core.run.PreparedRun;
import dev.lpl.core.train.TrainingProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GAN runs on the tiny test dataset (two classes of 1×4×4 images) and the generative augmentation
 * of a classifier run: shapes, determinism, exact resume, the manifest's identity, bad inputs.
 */
class GanRunTest {

    private static final Bootstrap LPL = Bootstrap.start(List.of());
    private static int threadsBefore;

    /**
     * Runs this class on one intra-op thread, as its runs ask (training.threads = 1): the engine
     * reads that setting only when it starts, and in a whole test suite an earlier test class has
     * usually started it with every core. With two threads a GAN step is not bitwise repeatable
     * (about 1e-5 relative in the losses), which the exact-resume and crash tests below would see.
     */
    @BeforeAll
    static void oneThread() {
        EngineSession.withThreads(1).start();
        threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
    }

    @AfterAll
    static void restoreThreads() {
        JniUtils.setNumThreads(threadsBefore);
    }
    private static final List<String> TIMING = List.of("epoch_seconds", "step_seconds", "objective_seconds",
            "data_wait_seconds", "eval_seconds", "steps", "resident_mb");

    private static RunConfig gan(String type, String... extra) {
        List<String> sets = new ArrayList<>(List.of("data.type=tiny", "gan.type=" + type, "gan.width=8",
                "gan.noise=16", "method.type=identity", "gan.epochs=3", "gan.batch-size=16", "gan.steps-per-epoch=5", "gan.grid-columns=3",
                "training.threads=1"));
        sets.addAll(List.of(extra));
        return LPL.configLoader().load(null, sets);
    }

    private static RunConfig classifier(String... extra) {
        List<String> sets = new ArrayList<>(List.of("data.type=tiny", "model.type=tiny-mlp", "method.type=identity",
                "training.backend=cpu", "training.epochs=3", "data.batch-size=24", "data.augment.crop-padding=1",
                "optimizer.sgd.learning-rate=0.05", "data.eval-batch-size=64", "training.threads=1"));
        sets.addAll(List.of(extra));
        return LPL.configLoader().load(null, sets);
    }

    private static Path trainGan(Path dir, String type, String... extra) {
        try (GanRun run = GanRun.prepare(LPL.runFactory(), LPL.configLoader(), gan(type, extra), dir)) {
            assertThat(run.run(null, () -> false)).isEqualTo(GanRun.Status.COMPLETED);
        }
        return dir;
    }

    private static List<JsonNode> metrics(Path dir) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"))) {
            ObjectNode node = (ObjectNode) Json.mapper().readTree(line);
            TIMING.forEach(node::remove);
            out.add(node);
        }
        return out;
    }

    /** The arrays of an .npz file, by name, as bytes (the zip's time stamps aside). */
    private static java.util.Map<String, List<Byte>> entries(Path npz) throws Exception {
        java.util.Map<String, List<Byte>> out = new java.util.TreeMap<>();
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(npz.toFile())) {
            for (var entry : java.util.Collections.list(zip.entries())) {
                List<Byte> bytes = new ArrayList<>();
                for (byte b : zip.getInputStream(entry).readAllBytes()) {
                    bytes.add(b);
                }
                out.put(entry.getName(), bytes);
            }
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    private static long parameters(long in, long out) {
        return in * out + out;
    }

    @Test
    void networksHaveTheDocumentedShapesAndParameterCounts() {
        Engine engine = EngineSession.withThreads(1).start().engine();
        for (GanVariant variant : GanVariant.values()) {
            for (int[] image : new int[][] {{1, 28, 28}, {3, 32, 32}}) {
                GanSpec spec = new GanSpec(variant, image[0], image[1], image[2], 10, 100, 64);
                try (GanModel model = new GanModel(spec, engine.newBaseManager(), true);
                        NDManager m = model.manager().newSubManager()) {
                    long s = (long) (image[1] / 4) * (image[2] / 4);
                    long k = variant.codes();
                    long g = parameters(100 + 10 + k, 128 * s) + 2 * 128 * s // fc + BN
                            + 128 * 64 * 16 + 64 + 2 * 64 // convT + BN
                            + 64L * image[0] * 16 + image[0]; // convT to the image
                    long dIn = image[0] + (variant == GanVariant.CGAN ? 10 : 0);
                    long d = dIn * 64 * 16 + 64 + 64 * 128 * 16 + 128 + 2 * 128
                            + parameters(128 * s, 1 + (variant.classHead() ? 10 : 0) + k);
                    assertThat(GanNetworks.trainableParameters(model.generator())).as(variant + " G").isEqualTo(g);
                    assertThat(GanNetworks.trainableParameters(model.discriminator())).as(variant + " D").isEqualTo(d);
                    Latents latents = Latents.drawWithLabels(spec, 5, null, 3);
                    NDArray images = model.sample(m, latents);
                    assertThat(images.getShape()).isEqualTo(new Shape(5, image[0], image[1], image[2]));
                    assertThat(images.abs().max().getFloat()).isLessThanOrEqualTo(1f);
                    NDArray out = model.discriminate(images, m.create(latents.labels()), false);
                    assertThat(out.getShape()).isEqualTo(new Shape(5, spec.discriminatorOutput()));
                }
            }
        }
    }

    @Test
    void theTransposedConvolutionIsPyTorchsConvTranspose2dWithStride2Padding1() {
        Engine engine = EngineSession.withThreads(1).start().engine();
        engine.setRandomSeed(11);
        try (NDManager m = engine.newBaseManager()) {
            ai.djl.nn.SequentialBlock block = GanNetworks.transposedConvolution(2);
            GanNetworks.initialize(block, m, new Shape(1, 3, 3, 2));
            float[] x = m.randomNormal(new Shape(1, 3, 3, 2)).toFloatArray();
            NDArray input = m.create(x, new Shape(1, 3, 3, 2));
            NDArray out = block.forward(new ai.djl.training.ParameterStore(m, false), new ai.djl.ndarray.NDList(input),
                    false).singletonOrThrow();
            assertThat(out.getShape()).isEqualTo(new Shape(1, 2, 6, 4));
            List<ai.djl.nn.Parameter> params = new ArrayList<>(block.getParameters().values());
            float[] w = params.get(0).getArray().toFloatArray(); // conv weight O×I×4×4
            float[] bias = params.get(1).getArray().toFloatArray();
            float[] got = out.toFloatArray();
            // ConvTranspose2d(k=4, s=2, p=1): out[o][y][x] = b[o] + Σ V[i][o][ky][kx]·x[i][a][b'] over
            // y = 2a − 1 + ky, x = 2b' − 1 + kx, with V[i][o][ky][kx] = W[o][i][3 − ky][3 − kx]
            for (int o = 0; o < 2; o++) {
                for (int y = 0; y < 6; y++) {
                    for (int xx = 0; xx < 4; xx++) {
                        double sum = bias[o];
                        for (int i = 0; i < 3; i++) {
                            for (int a = 0; a < 3; a++) {
                                for (int b = 0; b < 2; b++) {
                                    int ky = y - 2 * a + 1;
                                    int kx = xx - 2 * b + 1;
                                    if (ky >= 0 && ky < 4 && kx >= 0 && kx < 4) {
                                        sum += w[((o * 3 + i) * 4 + (3 - ky)) * 4 + (3 - kx)] * x[(i * 3 + a) * 2 + b];
                                    }
                                }
                            }
                        }
                        assertThat(got[(o * 6 + y) * 4 + xx]).isCloseTo((float) sum,
                                org.assertj.core.data.Offset.offset(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void aStepIsDeterministicAndTheDiscriminatorLearnsTheClasses() {
        Engine engine = EngineSession.withThreads(1).start().engine();
        GanSpec spec = new GanSpec(GanVariant.ACGAN, 1, 4, 4, 2, 16, 8);
        float[][] losses = new float[2][];
        for (int trial = 0; trial < 2; trial++) {
            engine.setRandomSeed(5);
            try (GanModel model = new GanModel(spec, engine.newBaseManager(), true)) {
                GanStep step = new GanStep(model, new Adam(2e-3, 0.5, 0.999, 1e-8), new Adam(2e-3, 0.5, 0.999, 1e-8), 1);
                List<Float> seen = new ArrayList<>();
                long classCorrect = 0;
                for (int i = 0; i < 60; i++) {
                    GanStep.Result r = step.run(batch(32, i), 100 + i);
                    assertThat(r.finite()).isTrue();
                    seen.add(r.discriminatorLoss());
                    seen.add(r.generatorLoss());
                    if (i >= 50) {
                        classCorrect += r.classCorrect();
                    }
                }
                losses[trial] = new float[seen.size()];
                for (int i = 0; i < seen.size(); i++) {
                    losses[trial][i] = seen.get(i);
                }
                // the two classes (bright top, bright bottom) are easy: D's class head learns them
                assertThat(classCorrect / (10.0 * 32)).isGreaterThan(0.9);
            }
        }
        assertThat(losses[1]).containsExactly(losses[0]);
    }

    /** Tiny-like real images in [−1, 1]: class 0 bright on top, class 1 bright below. */
    private static HostBatch batch(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] images = new float[n * 16];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int k = 0; k < 16; k++) {
                boolean bright = (k < 8) == (labels[i] == 0);
                images[i * 16 + k] = (bright ? 0.4f : -0.4f) + (float) (random.nextDouble() - 0.5) * 0.3f;
            }
        }
        return new HostBatch(images, labels, n);
    }

    @Test
    void ganRunStoppedMidEpochAndResumedEqualsUninterrupted(@TempDir Path tmp) throws Exception {
        for (String type : List.of("cgan", "infogan")) {
            Path straight = trainGan(tmp.resolve(type + "-straight"), type);
            Path dir = tmp.resolve(type + "-interrupted");
            AtomicInteger polls = new AtomicInteger();
            try (GanRun run = GanRun.prepare(LPL.runFactory(), LPL.configLoader(), gan(type), dir)) {
                // polled after every step but an epoch's last: 4 per epoch; stop in epoch 2 after its 2nd step
                assertThat(run.run(null, () -> polls.incrementAndGet() >= 4 + 2)).isEqualTo(GanRun.Status.STOPPED);
                assertThat(run.stopCheckpoint().getFileName().toString()).isEqualTo("epoch-0001-batch-00002");
            }
            assertThat(Json.mapper().readTree(dir.resolve("summary.json").toFile()).get("status").asText())
                    .isEqualTo("stopped");
            try (GanRun run = GanRun.resume(LPL.runFactory(), LPL.configLoader(), dir)) {
                assertThat(run.start()).containsExactly(1, 2);
                assertThat(run.run(null, () -> false)).isEqualTo(GanRun.Status.COMPLETED);
            }
            assertThat(metrics(dir)).isEqualTo(metrics(straight)).hasSize(3);
            for (String file : List.of("generator.npz", "discriminator.npz", "adam-generator.npz",
                    "adam-discriminator.npz")) {
                assertThat(entries(dir.resolve("checkpoints/epoch-0003/" + file))).as(file)
                        .isEqualTo(entries(straight.resolve("checkpoints/epoch-0003/" + file)));
            }
            for (int epoch = 1; epoch <= 3; epoch++) {
                assertThat(dir.resolve(String.format("samples/epoch-%04d.png", epoch))).isRegularFile();
            }
            JsonNode manifest = Json.mapper().readTree(dir.resolve("manifest.json").toFile());
            assertThat(manifest.get("kind").asText()).isEqualTo("gan");
            assertThat(manifest.path("gan").path("type").asText()).isEqualTo(type);
            JsonNode line = metrics(dir).get(2);
            assertThat(line.get("d_class_accuracy").isNull()).isEqualTo(type.equals("cgan"));
            assertThat(line.has("info_loss")).isEqualTo(type.equals("infogan"));
            assertThatThrownBy(() -> GanRun.resume(LPL.runFactory(), LPL.configLoader(), dir))
                    .isInstanceOf(LplException.class).hasMessageContaining("already completed");
        }
    }

    @Test
    void aGanRunCrashedAtAnyPointOfItsWriteProtocolEndsAsTheUninterruptedRun(@TempDir Path tmp) throws Exception {
        Path straight = trainGan(tmp.resolve("straight"), "acgan");
        // the points a GAN run reaches, each at its first occurrence and (per epoch) at the second
        java.util.Map<dev.lpl.core.run.CrashPoint, Integer> points = new java.util.LinkedHashMap<>();
        for (dev.lpl.core.run.CrashPoint p : List.of(dev.lpl.core.run.CrashPoint.RUN_CONF_WRITTEN,
                dev.lpl.core.run.CrashPoint.RUN_TEMP_COMPLETE, dev.lpl.core.run.CrashPoint.RUN_CREATED)) {
            points.put(p, 1);
        }
        for (dev.lpl.core.run.CrashPoint p : List.of(dev.lpl.core.run.CrashPoint.EPOCH_EVALUATED,
                dev.lpl.core.run.CrashPoint.CHECKPOINT_ARRAYS_WRITTEN, dev.lpl.core.run.CrashPoint.CHECKPOINT_TEMP_COMPLETE,
                dev.lpl.core.run.CrashPoint.CHECKPOINT_RENAMED, dev.lpl.core.run.CrashPoint.METRICS_APPENDED,
                dev.lpl.core.run.CrashPoint.SUMMARY_WRITTEN)) {
            points.put(p, 2);
        }
        points.put(dev.lpl.core.run.CrashPoint.PRUNE_MOVED_ASIDE, 1); // keep 2: the third epoch prunes the first
        for (var e : points.entrySet()) {
            Path dir = tmp.resolve(e.getKey().name().toLowerCase(java.util.Locale.ROOT));
            dev.lpl.core.run.CrashInjector.arm(e.getKey(), e.getValue());
            try {
                assertThatThrownBy(() -> trainGan(dir, "acgan")).as(e.getKey().name())
                        .isInstanceOf(dev.lpl.core.run.CrashInjector.Crash.class);
            } finally {
                dev.lpl.core.run.CrashInjector.reset();
            }
            if (Files.isRegularFile(dir.resolve("manifest.json"))) {
                try (GanRun run = GanRun.resume(LPL.runFactory(), LPL.configLoader(), dir)) {
                    assertThat(run.run(null, () -> false)).as(e.getKey().name()).isEqualTo(GanRun.Status.COMPLETED);
                }
            } else {
                trainGan(dir, "acgan"); // never published: the same command again
            }
            assertThat(metrics(dir)).as(e.getKey().name()).isEqualTo(metrics(straight)).hasSize(3);
            for (String file : List.of("generator.npz", "discriminator.npz", "adam-generator.npz",
                    "adam-discriminator.npz")) {
                assertThat(entries(dir.resolve("checkpoints/epoch-0003/" + file))).as(e.getKey() + " " + file)
                        .isEqualTo(entries(straight.resolve("checkpoints/epoch-0003/" + file)));
            }
            try (var names = Files.list(dir.resolve("checkpoints"))) {
                assertThat(names.map(p -> p.getFileName().toString()).sorted().toList()).as(e.getKey().name())
                        .containsExactly("epoch-0002", "epoch-0003");
            }
            for (int epoch = 1; epoch <= 3; epoch++) {
                assertThat(dir.resolve(String.format("samples/epoch-%04d.png", epoch))).as(e.getKey().name())
                        .isRegularFile();
            }
            assertThat(Json.mapper().readTree(dir.resolve("summary.json").toFile()).get("status").asText())
                    .isEqualTo("completed");
        }
        try (var names = Files.list(tmp)) {
            assertThat(names.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("."))).isEmpty();
        }
    }

    @Test
    void ganTestClassifiesGeneratedImagesWithAClassifierRun(@TempDir Path tmp) throws Exception {
        Path evaluator = tmp.resolve("evaluator");
        try (PreparedRun run = LPL.runFactory().prepare(classifier(), evaluator)) {
            run.run(TrainingProgress.NONE);
        }
        Path dir = trainGan(tmp.resolve("gan"), "acgan", "gan.evaluator.run=" + evaluator,
                "gan.evaluator.samples-per-class=20");
        JsonNode line = metrics(dir).get(2);
        assertThat(line.get("gan_test_per_class_accuracy")).hasSize(2);
        double balanced = line.get("gan_test_balanced_accuracy").asDouble();
        assertThat(balanced).isBetween(0.0, 1.0).isEqualTo((line.get("gan_test_per_class_accuracy").get(0).asDouble()
                + line.get("gan_test_per_class_accuracy").get(1).asDouble()) / 2, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void augmentedClassifierRunResumedEqualsUninterruptedAndNamesItsGan(@TempDir Path tmp) throws Exception {
        Path gan = trainGan(tmp.resolve("gan"), "acgan");
        String[] generated = {"data.augment.generated.run=" + gan, "data.augment.generated.fraction=0.25"};
        Path straight = tmp.resolve("straight");
        try (PreparedRun run = LPL.runFactory().prepare(classifier(generated), straight)) {
            assertThat(run.run(TrainingProgress.NONE).status()).isEqualTo(PreparedRun.Status.COMPLETED);
        }
        Path dir = tmp.resolve("interrupted");
        AtomicInteger polls = new AtomicInteger();
        try (PreparedRun run = LPL.runFactory().prepare(classifier(generated), dir)) {
            assertThat(run.run(TrainingProgress.NONE, () -> polls.incrementAndGet() >= 30).status())
                    .isEqualTo(PreparedRun.Status.STOPPED);
        }
        try (PreparedRun run = LPL.runFactory().resume(LPL.configLoader(), dir)) {
            assertThat(run.run(TrainingProgress.NONE).status()).isEqualTo(PreparedRun.Status.COMPLETED);
        }
        assertThat(metrics(dir)).isEqualTo(metrics(straight));
        // 400 images, 18 real + 6 generated per batch of 24: 23 steps per epoch
        assertThat(Files.readAllLines(straight.resolve("metrics.jsonl")).get(0)).contains("\"steps\":23");
        JsonNode generatedBlock = Json.mapper().readTree(dir.resolve("manifest.json").toFile()).get("generated");
        assertThat(generatedBlock.get("run").asText()).isEqualTo(gan.toAbsolutePath().normalize().toString());
        assertThat(generatedBlock.get("per_batch").asInt()).isEqualTo(6);
        assertThat(generatedBlock.get("gan").asText()).isEqualTo("acgan");
        assertThat(generatedBlock.get("generator_sha256").asText()).hasSize(64);

        // the same recipe without generated images is a different run
        Path plain = tmp.resolve("plain");
        try (PreparedRun run = LPL.runFactory().prepare(classifier(), plain)) {
            run.run(TrainingProgress.NONE);
        }
        assertThat(metrics(plain)).isNotEqualTo(metrics(straight));
    }

    @Test
    void generatedShareHasTheFractionTheLabelsAndTheClassifierNormalisation(@TempDir Path tmp) throws Exception {
        Path gan = trainGan(tmp.resolve("gan"), "acgan");
        RunConfig config = classifier("data.augment.generated.run=" + gan);
        var dataset = LPL.runFactory().loadDataset(config).dataset();
        var settings = config.settings().getSettings("data").getSettings("augment").getSettings("generated");
        Engine engine = EngineSession.withThreads(0).start().engine();
        try (NDManager manager = engine.newBaseManager();
                GeneratedShare share = GeneratedShare.open(settings, dataset, 128, manager)) {
            assertThat(share.count()).isEqualTo(21); // round(128/6)
            long[] counts = new long[2];
            for (int s = 0; s < 50; s++) {
                for (long label : share.labels(s)) {
                    counts[(int) label]++;
                }
            }
            assertThat(counts[0] + counts[1]).isEqualTo(50 * 21);
            assertThat(counts[0] / (double) (50 * 21)).isBetween(0.42, 0.58);
            // the same seed, the same images; the generated part is the generator's output mapped to
            // the classifier's normalisation (tiny: mean 0.5, std 0.25)
            try (NDManager m = manager.newSubManager()) {
                NDArray real = m.zeros(new Shape(3, 1, 4, 4));
                GeneratedShare.Mixed a = share.mix(m, real, new long[] {0, 1, 0}, 9);
                GeneratedShare.Mixed b = share.mix(m, real, new long[] {0, 1, 0}, 9);
                assertThat(a.images().getShape()).isEqualTo(new Shape(24, 1, 4, 4));
                assertThat(a.labels()).hasSize(24).startsWith(0, 1, 0);
                assertThat(a.images().toFloatArray()).containsExactly(b.images().toFloatArray());
                float[] fake = a.images().get("3:").toFloatArray();
                for (float v : fake) {
                    assertThat(v).isBetween((0f - 0.5f) / 0.25f - 1e-5f, (1f - 0.5f) / 0.25f + 1e-5f);
                }
                try (GanModel model = new GanModel(GanRun.spec(LPL.configLoader().load(
                        gan.resolve("resolved.conf"), List.of()).settings().getSettings("gan"), dataset.train(), 2),
                        manager.newSubManager(), false)) {
                    model.load(false, gan.resolve("checkpoints/epoch-0003/generator.npz"));
                    Latents latents = Latents.drawWithLabels(model.spec(), 21, null, GeneratedShare.seedOf(0) * 0 + 9);
                    float[] g = model.sample(m, latents).toFloatArray();
                    for (int i = 0; i < g.length; i++) {
                        assertThat(fake[i]).isCloseTo(((g[i] + 1) / 2 - 0.5f) / 0.25f, org.assertj.core.data.Offset.offset(1e-5f));
                    }
                    assertThat(Arrays.copyOfRange(a.labels(), 3, 24)).containsExactly(latents.labels());
                }
            }
        }
    }

    @Test
    void balancedLabelsFollowTheWeightsAndLatentsDependOnlyOnTheSeed() {
        GanSpec spec = new GanSpec(GanVariant.INFOGAN, 1, 4, 4, 3, 5, 8);
        long[] counts = new long[3];
        for (long label : Latents.drawWithLabels(spec, 3000, new double[] {0, 1, 3}, 7).labels()) {
            counts[(int) label]++;
        }
        assertThat(counts[0]).isZero();
        assertThat(counts[2] / (double) counts[1]).isBetween(2.6, 3.4);
        Latents a = Latents.drawWithLabels(spec, 4, null, 7);
        assertThat(a.input()).containsExactly(Latents.drawWithLabels(spec, 4, null, 7).input());
        assertThat(a.input()).isNotEqualTo(Latents.drawWithLabels(spec, 4, null, 8).input());
        for (int i = 0; i < 4; i++) {
            int row = i * spec.generatorInput();
            assertThat(a.input()[row + spec.noise() + (int) a.labels()[i]]).isEqualTo(1f);
            for (int j = 0; j < 2; j++) {
                assertThat(a.input()[row + spec.noise() + 3 + j]).isEqualTo(a.codes()[i * 2 + j]).isBetween(-1f, 1f);
            }
        }
    }

    @Test
    void badGeneratedRunsAreOneLineErrors(@TempDir Path tmp) throws Exception {
        Path classifierRun = tmp.resolve("classifier");
        try (PreparedRun run = LPL.runFactory().prepare(classifier("training.epochs=1"), classifierRun)) {
            run.run(TrainingProgress.NONE);
        }
        assertThatThrownBy(() -> LPL.runFactory().prepare(classifier("data.augment.generated.run=" + classifierRun),
                tmp.resolve("a"))).isInstanceOf(LplException.class)
                .hasMessageContaining("data.augment.generated.run").hasMessageContaining("not a GAN run")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> LPL.runFactory().prepare(classifier("data.augment.generated.run="
                + tmp.resolve("missing")), tmp.resolve("b"))).isInstanceOf(LplException.class)
                .hasMessageContaining("does not exist");
        Path gan = trainGan(tmp.resolve("gan"), "cgan");
        assertThatThrownBy(() -> LPL.runFactory().prepare(classifier("data.augment.generated.run=" + gan,
                "data.augment.generated.fraction=0.001"), tmp.resolve("c"))).isInstanceOf(LplException.class)
                .hasMessageContaining("fraction");
        for (String[] edit : new String[][] {{"image_shape", "[3, 4, 4]", "shape"}, {"classes", "[\"a\", \"b\", \"c\"]",
            "3 classes"}}) {
            ObjectNode manifest = (ObjectNode) Json.mapper().readTree(gan.resolve("manifest.json").toFile());
            ObjectNode data = (ObjectNode) manifest.get("dataset");
            JsonNode old = data.get(edit[0]);
            data.set(edit[0], Json.mapper().readTree(edit[1]));
            Files.writeString(gan.resolve("manifest.json"), Json.pretty(manifest));
            assertThatThrownBy(() -> LPL.runFactory().prepare(classifier("data.augment.generated.run=" + gan),
                    tmp.resolve("d"))).isInstanceOf(LplException.class).hasMessageContaining(edit[2])
                    .hasMessageContaining("train a GAN on the same dataset")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            data.set(edit[0], old);
            Files.writeString(gan.resolve("manifest.json"), Json.pretty(manifest));
        }
        Path unfinished = tmp.resolve("unfinished");
        try (GanRun run = GanRun.prepare(LPL.runFactory(), LPL.configLoader(), gan("acgan"), unfinished)) {
            run.run(null, () -> true);
        }
        assertThatThrownBy(() -> LPL.runFactory().prepare(classifier("data.augment.generated.run=" + unfinished),
                tmp.resolve("e"))).isInstanceOf(LplException.class).hasMessageContaining("has not completed")
                .hasMessageContaining("lpl gan train --resume");
    }
}
