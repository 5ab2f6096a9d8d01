package dev.lpl.runner;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.interop.ModelWeights;
import dev.lpl.core.run.EngineSession;
import dev.lpl.core.run.Json;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code model.init-from}: a network starts from an lpl checkpoint or an {@code lpl export} file,
 * the manifest records the file and its SHA-256, and a file that does not fit is refused with one
 * line naming the tensor and both shapes, before any run directory exists.
 */
@Tag("slow")
class InitFromTest {

    private static final Bootstrap LPL = Bootstrap.start(List.of());
    private static final Shape BATCH = new Shape(3, 1, 28, 28);

    @TempDir
    static Path shared;
    private static Path source;
    private static Path export;

    @BeforeAll
    static void trainAndExport() {
        source = shared.resolve("source");
        CommandLineTest.Result train = CommandLineTest.lpl(train(source, "small-cnn", "linear", "model.small-cnn.width=16"));
        assertThat(train.code()).as(train.err()).isZero();
        export = shared.resolve("source.safetensors");
        CommandLineTest.Result exported = CommandLineTest.lpl("export", source.toString(), "--out", export.toString());
        assertThat(exported.code()).as(exported.err()).isZero();
    }

    static String[] train(Path out, String model, String head, String... sets) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--out", out.toString(),
                "--set", "data.type=synthetic", "--set", "data.synthetic.train-per-class=8",
                "--set", "data.synthetic.test-per-class=2", "--set", "data.synthetic.imbalance-ratio=2",
                "--set", "data.batch-size=16", "--set", "method.type=ce", "--set", "model.type=" + model,
                "--set", "model.head=" + head, "--set", "training.epochs=1", "--set", "training.backend=cpu"));
        for (String set : sets) {
            args.addAll(List.of("--set", set));
        }
        return args.toArray(String[]::new);
    }

    @Test
    void theExportAndTheCheckpointGiveANewNetworkTheRunsLogitsExactly() {
        float[] images = new float[(int) BATCH.size()];
        Random random = new Random(3);
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextGaussian();
        }
        float[] expected;
        try (RunNetwork network = RunNetwork.open(LPL, RunCheckpoint.resolve(source, null))) {
            expected = network.logits(images, 3);
        }
        var root = LPL.configLoader().load(source.resolve("resolved.conf"), List.of()).settings();
        for (Path file : List.of(export, source.resolve("checkpoints").resolve("epoch-0001"))) {
            try (NDManager manager = EngineSession.withThreads(0).start().engine().newBaseManager()) {
                ClassifierBlock fresh = LPL.runFactory().model(root, 1, 28, 28, 10, manager);
                float[] before = RunNetwork.logits(fresh, manager, images, BATCH);
                ModelWeights.Loaded loaded = ModelWeights.load(file, fresh, "small-cnn", "model.init-from", manager);
                assertThat(RunNetwork.logits(fresh, manager, images, BATCH)).containsExactly(expected);
                assertThat(before).isNotEqualTo(expected);
                assertThat(loaded.tensors()).isEqualTo(fresh.getParameters().size());
                assertThat(loaded.naming()).isEqualTo(file.equals(export) ? ModelWeights.Naming.PYTORCH
                        : ModelWeights.Naming.DJL);
            }
        }
    }

    @Test
    void aRunStartsFromTheFileAndItsManifestRecordsItsHash(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("second");
        // learning rate 0: the weights stay those of the file (batch-norm statistics still move)
        CommandLineTest.Result r = CommandLineTest.lpl(train(run, "small-cnn", "auto", "model.small-cnn.width=16",
                "model.init-from=" + export, "optimizer.sgd.learning-rate=0"));
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode initFrom = Json.mapper().readTree(run.resolve("manifest.json").toFile()).path("model").path("init_from");
        assertThat(initFrom.path("path").asText()).isEqualTo(export.toAbsolutePath().normalize().toString());
        assertThat(initFrom.path("sha256").asText()).isEqualTo(ModelWeights.sha256(export)).hasSize(64);
        assertThat(initFrom.path("tensors").asInt()).isEqualTo(22);

        try (NDManager manager = EngineSession.withThreads(0).start().engine().newBaseManager()) {
            Map<String, NDArray> before = npz(source.resolve("checkpoints/epoch-0001/model.npz"), manager);
            Map<String, NDArray> after = npz(run.resolve("checkpoints/epoch-0001/model.npz"), manager);
            assertThat(after.keySet()).isEqualTo(before.keySet());
            before.forEach((name, array) -> {
                if (!name.contains("running")) {
                    assertThat(after.get(name).toFloatArray()).as(name).containsExactly(array.toFloatArray());
                }
            });
        }
    }

    @Test
    void classifierRetrainingKeepsTheFeaturesWithTheirStatisticsAndTrainsAFreshClassifier(@TempDir Path dir)
            throws Exception {
        Path run = dir.resolve("crt");
        CommandLineTest.Result r = CommandLineTest.lpl(train(run, "small-cnn", "linear", "model.small-cnn.width=16",
                "model.init-from=" + export, "model.init-from-parts=features", "training.freeze=features",
                "data.sampling=class-balanced"));
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode model = Json.mapper().readTree(run.resolve("manifest.json").toFile()).path("model");
        assertThat(model.path("trainable_parameters").asInt()).isEqualTo(32 * 10 + 10); // the linear head only
        assertThat(model.path("init_from").path("tensors").asInt()).isEqualTo(20); // the features' 20 tensors

        try (NDManager manager = EngineSession.withThreads(0).start().engine().newBaseManager()) {
            Map<String, NDArray> before = npz(source.resolve("checkpoints/epoch-0001/model.npz"), manager);
            Map<String, NDArray> after = npz(run.resolve("checkpoints/epoch-0001/model.npz"), manager);
            before.forEach((name, array) -> {
                if (name.startsWith("01features_")) { // weights and batch-norm statistics alike
                    assertThat(after.get(name).toFloatArray()).as(name).containsExactly(array.toFloatArray());
                } else {
                    assertThat(after.get(name).toFloatArray()).as(name).isNotEqualTo(array.toFloatArray());
                }
            });
        }
    }

    /**
     * Learnable weight scaling, LWS (Kang et al., ICLR 2020, §4): from the whole source network,
     * only the per-class scale trains; features, classifier and batch-norm statistics stay
     * bit-identical, and the scale starts at 1, so the first logits are the source network's.
     */
    @Test
    void learnableWeightScalingTrainsOnlyAPerClassScaleThatStartsAtOne(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("lws");
        CommandLineTest.Result r = CommandLineTest.lpl(train(run, "small-cnn", "linear", "model.small-cnn.width=16",
                "model.init-from=" + export, "model.class-scale=true", "training.freeze=all-but-scale",
                "data.sampling=class-balanced"));
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode model = Json.mapper().readTree(run.resolve("manifest.json").toFile()).path("model");
        assertThat(model.path("trainable_parameters").asInt()).isEqualTo(10); // C: the scale only
        assertThat(model.path("init_from").path("tensors").asInt()).isEqualTo(22); // all of the file's tensors

        float[] images = new float[(int) BATCH.size()];
        Random random = new Random(5);
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextGaussian();
        }
        float[] sourceLogits;
        try (RunNetwork network = RunNetwork.open(LPL, RunCheckpoint.resolve(source, null))) {
            sourceLogits = network.logits(images, 3);
        }
        try (NDManager manager = EngineSession.withThreads(0).start().engine().newBaseManager()) {
            Map<String, NDArray> before = npz(source.resolve("checkpoints/epoch-0001/model.npz"), manager);
            Map<String, NDArray> after = npz(run.resolve("checkpoints/epoch-0001/model.npz"), manager);
            assertThat(after.keySet()).containsAll(before.keySet()).contains(ClassifierBlock.CLASS_SCALE)
                    .hasSize(before.size() + 1);
            before.forEach((name, array) -> assertThat(after.get(name).toFloatArray()).as(name)
                    .containsExactly(array.toFloatArray())); // weights, bias and batch-norm statistics alike
            float[] scale = after.get(ClassifierBlock.CLASS_SCALE).toFloatArray();
            assertThat(scale).hasSize(10).isNotEqualTo(ones(10));
            // the optimizer's state of the scale is checkpointed as any parameter's, for a resume
            assertThat(npz(run.resolve("checkpoints/epoch-0001/optimizer.npz"), manager))
                    .containsOnlyKeys(ClassifierBlock.CLASS_SCALE);

            // epoch 0: the scaled network loaded from the source file gives the source's logits exactly
            var root = LPL.configLoader().load(run.resolve("resolved.conf"), List.of()).settings();
            ClassifierBlock fresh = LPL.runFactory().model(root, 1, 28, 28, 10, manager);
            assertThat(fresh.classScale()).isPresent();
            assertThat(fresh.classScale().orElseThrow().getArray().toFloatArray()).containsExactly(ones(10));
            ModelWeights.load(export, fresh, "small-cnn", "model.init-from", manager);
            assertThat(RunNetwork.logits(fresh, manager, images, BATCH)).containsExactly(sourceLogits);

            // the trained run's checkpoint: the source's logits, class c scaled by f_c
            float[] lwsLogits;
            try (RunNetwork network = RunNetwork.open(LPL, RunCheckpoint.resolve(run, null))) {
                lwsLogits = network.logits(images, 3);
            }
            for (int i = 0; i < lwsLogits.length; i++) {
                assertThat(lwsLogits[i]).as("logit " + i).isCloseTo(sourceLogits[i] * scale[i % 10],
                        org.assertj.core.data.Offset.offset(1e-5f * (1 + Math.abs(sourceLogits[i]))));
            }
        }
        // the PyTorch reference modules have no per-class scale: export says so rather than write a file they reject
        Path file = dir.resolve("lws.safetensors");
        CommandLineTest.Result refusal = CommandLineTest.lpl("export", run.toString(), "--out", file.toString());
        assertThat(refusal.code()).as(refusal.err()).isEqualTo(2);
        assertThat(refusal.err().lines().findFirst().orElseThrow()).startsWith("error: run ").contains(
                " learns a per-class logit scale (LWS: model.class-scale = true), which the reference PyTorch modules"
                        + " do not model, so lpl export does not write it; export the run its model.init-from names");
        assertThat(refusal.err()).doesNotContain("\tat ");
        assertThat(file).doesNotExist();
    }

    @Test
    void aClassScaleWithoutAllButScaleAndTheReverseAreRefusedInOneLine(@TempDir Path dir) {
        Path run = dir.resolve("refused");
        refused(train(run, "small-cnn", "linear", "model.class-scale=true", "training.freeze=features"),
                "error: model.class-scale = true needs training.freeze = all-but-scale (learnable weight scaling,"
                        + " LWS: the network is fixed and only the scale trains), not features", run);
        refused(train(run, "small-cnn", "linear", "training.freeze=all-but-scale"),
                "error: training.freeze = all-but-scale needs model.class-scale = true", run);
    }

    private static float[] ones(int n) {
        float[] out = new float[n];
        Arrays.fill(out, 1f);
        return out;
    }

    @Test
    void filesThatDoNotFitAreRefusedInOneLineBeforeAnyRunDirectory(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("refused");
        refused(train(run, "small-cnn", "linear", "model.init-from=" + export),
                "error: model.init-from " + export + " does not fit the network (model small-cnn, linear head, 10 classes):"
                        + " tensor features.0.conv.weight has shape (16, 1, 3, 3) in the file, (32, 1, 3, 3) in the"
                        + " network (and 20 more problems); use weights of the same model, head and number of classes"
                        + " with PyTorch names (lpl export writes them)", run);
        refused(train(run, "small-cnn", "linear-no-bias", "model.small-cnn.width=16", "model.init-from=" + export),
                "error: model.init-from " + export + " does not fit the network (model small-cnn, linear-no-bias head,"
                        + " 10 classes): the file has tensor classifier.bias (10), which the network does not;", run);
        Path checkpoint = source.resolve("checkpoints").resolve("epoch-0001");
        refused(train(run, "resnet32", "linear", "model.init-from=" + checkpoint),
                "error: model.init-from " + checkpoint.resolve("model.npz") + " does not fit the network (model resnet32,"
                        + " linear head, 10 classes): tensor 01features_02BasicBlock_01conv1_weight (16, 16, 3, 3) is"
                        + " missing from the file (and ", run);
        refused(train(run, "small-cnn", "linear", "model.init-from=" + source),
                "error: model.init-from " + source + " is a run directory; name one of its checkpoints, e.g. "
                        + source.resolve("checkpoints").resolve("best"), run);
        Path missing = dir.resolve("missing.safetensors");
        refused(train(run, "small-cnn", "linear", "model.init-from=" + missing),
                "error: model.init-from " + missing + " does not exist;", run);
        Path text = source.resolve("resolved.conf");
        refused(train(run, "small-cnn", "linear", "model.init-from=" + text),
                "error: model.init-from " + text + " is neither an lpl checkpoint's model.npz nor a safetensors file", run);
        Path truncated = dir.resolve("truncated.safetensors");
        byte[] bytes = Files.readAllBytes(export);
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        refused(train(run, "small-cnn", "linear", "model.small-cnn.width=16", "model.init-from=" + truncated),
                "error: " + truncated + " is not a readable safetensors file: it is truncated", run);
        CommandLineTest.Result dryRun = CommandLineTest.lpl("train", "--dry-run", "--set", "model.init-from=" + missing);
        assertThat(dryRun.code()).isEqualTo(2);
        assertThat(dryRun.err()).startsWith("error: model.init-from " + missing + " does not exist;");
    }

    private static void refused(String[] args, String firstLine, Path run) {
        CommandLineTest.Result r = CommandLineTest.lpl(args);
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines().findFirst().orElseThrow()).startsWith(firstLine);
        assertThat(r.err()).doesNotContain("\tat ");
        assertThat(run).doesNotExist();
    }

    private static Map<String, NDArray> npz(Path file, NDManager manager) throws Exception {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (NDArray a : NDList.decode(manager, in)) {
                out.put(a.getName(), a);
            }
        }
        return out;
    }
}
