package dev.lpl.core.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.lpl.api.LplException;
import dev.lpl.api.Seeds;
import dev.lpl.api.Settings;
import dev.lpl.api.data.ImageDataset;
import com.typesafe.config.ConfigFactory;
import dev.lpl.core.config.TypesafeSettings;
import dev.lpl.core.run.RunDirectory;
import dev.lpl.core.rundir.GanSummary;
import dev.lpl.core.rundir.Manifest;
import dev.lpl.core.rundir.RunFiles;
import dev.lpl.core.rundir.RunStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generative augmentation ({@code data.augment.generated}): the frozen generator of a finished GAN
 * run supplies k = round(fraction · B) images of every training batch of B (the loader then
 * delivers B − k real images, so the batch size stays B), as the GAN baselines of the ISDA
 * paper's balanced-CIFAR table (NeurIPS 2019, supplementary §B: one class-conditional generator
 * trained beforehand, 1/6 of every mini-batch generated, the generated image's label the one given
 * to the generator). Per step: the labels (uniform, or weighted towards the rare classes with
 * {@code labels = balance}), z and codes are drawn on the host from the step seed; G runs once, in
 * inference mode and without a graph (no gradient reaches it); its tanh output g ∈ [−1, 1] is
 * mapped to the classifier's normalisation, ((g + 1)/2 − mean_c)/std_c per channel; generated
 * images get no crop or flip. So a resumed run draws the same images, and every method sees them
 * as ordinary samples of the batch.
 */
public final class GeneratedShare implements AutoCloseable {

    private final GanModel model;
    private final int count;
    private final double[] labelWeights;
    private final NDArray scale;
    private final NDArray shift;
    private final Map<String, Object> identity;

    private GeneratedShare(GanModel model, int count, double[] labelWeights, NDArray scale, NDArray shift,
            Map<String, Object> identity) {
        this.model = model;
        this.count = count;
        this.labelWeights = labelWeights;
        this.scale = scale;
        this.shift = shift;
        this.identity = identity;
    }

    /**
     * Checks {@code data.augment.generated} without the engine: the run is a finished GAN run and
     * the share is a valid fraction of the batch.
     *
     * @param generated the {@code data.augment.generated} block
     * @param batchSize B
     * @return k, the generated images per batch (0 when {@code run} is null)
     * @throws LplException naming the problem and the fix
     */
    public static int check(Settings generated, int batchSize) {
        if (!generated.has("run")) {
            return 0;
        }
        generated.getChoice("labels", List.of("uniform", "balance"));
        double fraction = generated.getDouble("fraction", 0, 1);
        int k = (int) Math.round(fraction * batchSize);
        if (k < 1 || k >= batchSize) {
            throw generated.invalid("fraction", fraction + " of a batch of " + batchSize + " is " + k
                    + " generated images; it must leave at least one real and one generated image");
        }
        Path run = generated.getPath("run");
        if (!Files.isDirectory(run)) {
            throw generated.invalid("run", run + " does not exist; name the directory lpl gan train wrote");
        }
        try {
            GanRun.manifest(run);
        } catch (LplException e) {
            throw generated.invalid("run", e.getMessage());
        }
        GanSummary summary = readSummary(run);
        if (summary == null || summary.status() != RunStatus.COMPLETED) {
            throw generated.invalid("run", run + " has not completed (status " + (summary == null ? RunStatus.UNKNOWN
                    : summary.status()) + "); finish it with lpl gan train --resume " + run);
        }
        return k;
    }

    /**
     * Opens the generator of a finished GAN run for a classifier's data.
     *
     * @param generated the {@code data.augment.generated} block
     * @param dataset the classifier's dataset (training set after long-tail sampling)
     * @param batchSize B
     * @param manager a long-lived manager of the classifier's device (a sub-manager is used)
     * @return the share, or null when {@code run} is null
     * @throws LplException when the GAN's images or classes differ from the classifier's
     */
    public static GeneratedShare open(Settings generated, ImageDataset dataset, int batchSize,
            NDManager manager) {
        int k = check(generated, batchSize);
        if (k == 0) {
            return null;
        }
        Path run = generated.getPath("run");
        Manifest manifest = GanRun.manifest(run);
        Manifest.Dataset data = manifest.dataset();
        List<String> classes = data == null || data.classes() == null ? List.of() : data.classes();
        List<Integer> shape = data == null || data.imageShape() == null ? List.of() : data.imageShape();
        var train = dataset.train();
        List<Integer> ours = List.of(train.channels(), train.height(), train.width());
        if (!shape.equals(ours)) {
            throw generated.invalid("run", run + " generates images of shape " + shape + ", the classifier's data ("
                    + dataset.name() + ") has " + ours + "; train a GAN on the same dataset");
        }
        if (classes.size() != dataset.numClasses()) {
            throw generated.invalid("run", run + " generates " + classes.size() + " classes, the classifier's data ("
                    + dataset.name() + ") has " + dataset.numClasses() + "; train a GAN on the same dataset");
        }
        if (!classes.equals(dataset.classNames())) {
            throw generated.invalid("run", run + "'s classes " + classes + " are not the classifier's "
                    + dataset.classNames() + "; train a GAN on the same dataset");
        }
        // resolved.conf holds every key of the GAN run (relative to lpl), defaults included
        Settings gan = new TypesafeSettings(ConfigFactory.parseFile(run.resolve(RunDirectory.RESOLVED_CONF).toFile())
                .resolve().getConfig("gan"), "gan");
        GanSpec spec = GanRun.spec(gan, train, dataset.numClasses());
        GanSummary finished = readSummary(run);
        int epochs = finished == null || finished.epochsCompleted() == null ? 0 : finished.epochsCompleted();
        Path checkpoint = run.resolve("checkpoints").resolve(String.format("epoch-%04d", epochs));
        Path file = checkpoint.resolve(GanModel.GENERATOR_FILE);
        NDManager sub = manager.newSubManager();
        GanModel model;
        try {
            model = new GanModel(spec, sub, false);
            model.load(false, file);
        } catch (RuntimeException e) {
            sub.close();
            throw e;
        }
        float[] mean = dataset.mean();
        float[] std = dataset.std();
        float[] a = new float[mean.length];
        float[] b = new float[mean.length];
        for (int c = 0; c < mean.length; c++) {
            a[c] = 0.5f / std[c]; // ((g + 1)/2 − mean)/std = g·(0.5/std) + (0.5 − mean)/std
            b[c] = (0.5f - mean[c]) / std[c];
        }
        NDArray scale = sub.create(a, new Shape(1, mean.length, 1, 1));
        NDArray shift = sub.create(b, new Shape(1, mean.length, 1, 1));
        NDScope.unregister(scale, shift);
        String labels = generated.getChoice("labels", List.of("uniform", "balance"));
        double[] weights = null;
        if (labels.equals("balance")) {
            long[] counts = train.classCounts(dataset.numClasses());
            long max = java.util.Arrays.stream(counts).max().orElse(0);
            weights = new double[counts.length];
            double total = 0;
            for (int c = 0; c < counts.length; c++) {
                weights[c] = max - counts[c];
                total += weights[c];
            }
            if (total == 0) {
                weights = null; // balanced set: nothing to fill up
            }
        }
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("run", run.toAbsolutePath().normalize().toString());
        identity.put("name", manifest.run() == null ? "" : manifest.run());
        identity.put("gan", manifest.gan() == null || manifest.gan().type() == null ? "" : manifest.gan().type());
        identity.put("checkpoint", run.relativize(checkpoint).toString());
        identity.put("generator_sha256", sha256(file));
        identity.put("fraction", generated.getDouble("fraction", 0, 1));
        identity.put("per_batch", k);
        identity.put("labels", labels);
        return new GeneratedShare(model, k, weights, scale, shift, identity);
    }

    /** @return the generated images per batch, k */
    public int count() {
        return count;
    }

    /** @return what the manifest records: the GAN run, its generator's digest and the share */
    public Map<String, Object> identity() {
        return identity;
    }

    /**
     * A batch with its generated part appended.
     *
     * @param images (n + k) × C × H × W, normalised as the classifier's inputs
     * @param labels the n real labels, then the k generated ones
     */
    public record Mixed(NDArray images, long[] labels) {}

    /**
     * Appends k generated images to the real part of a batch: one G forward, no gradient.
     *
     * @param m the step's manager
     * @param real n normalised real images
     * @param realLabels their labels
     * @param seed the step's seed for the generated part
     * @return the whole batch
     */
    public Mixed mix(NDManager m, NDArray real, long[] realLabels, long seed) {
        Latents latents = Latents.drawWithLabels(model.spec(), count, labelWeights, seed);
        NDArray fakes = model.sample(m, latents).mul(scale).add(shift);
        long[] labels = new long[realLabels.length + count];
        System.arraycopy(realLabels, 0, labels, 0, realLabels.length);
        System.arraycopy(latents.labels(), 0, labels, realLabels.length, count);
        return new Mixed(NDArrays.concat(new NDList(real, fakes), 0), labels);
    }

    /**
     * Returns the labels the generated part of a step's batch gets (for tests).
     *
     * @param seed the step's seed
     * @return k labels
     */
    long[] labels(long seed) {
        return Latents.drawWithLabels(model.spec(), count, labelWeights, seed).labels();
    }

    /** Reads a GAN run's summary; null when it has none. */
    private static GanSummary readSummary(Path run) {
        Path file = run.resolve(RunDirectory.SUMMARY);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return RunFiles.readGanSummary(run);
        } catch (IOException e) {
            throw new LplException(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new LplException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The seed of a step's generated part, derived from the step's seed.
     *
     * @param stepSeed the step's seed
     * @return the child seed
     */
    public static long seedOf(long stepSeed) {
        return Seeds.derive(stepSeed, "generated");
    }

    @Override
    public void close() {
        model.close();
    }
}
