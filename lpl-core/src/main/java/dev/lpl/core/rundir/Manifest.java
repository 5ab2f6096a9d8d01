package dev.lpl.core.rundir;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A run's {@code manifest.json}: what the run is and where it came from (versions, seeds, data
 * identity, configuration). Written once, when the run directory is created, and never changed; it
 * is written last of the directory's first files, so without it a directory is not a run. Classifier
 * runs ({@code lpl train}) and GAN runs ({@code lpl gan train}, {@link #kind} {@code gan}) share it;
 * each leaves the other's components null (absent). See the package for the conventions.
 *
 * @param kind {@link #GAN} for a GAN run; null (absent) for a classifier run
 * @param run the run's name ({@code run.name}, else the directory's name)
 * @param created when the run directory was created, ISO-8601 UTC, e.g. {@code 2026-01-02T03:04:05Z}
 * @param versions the versions of lpl, DJL, the engine, Java and the OS
 * @param gitCommit the commit of the working directory's git checkout; written as {@code null} when
 *     there is none
 * @param host the host name
 * @param device the device trained on, e.g. {@code cpu()} or {@code gpu(0)}
 * @param seeds the root seed ({@code root}) and the seed derived from it for every random stream
 * @param dataset the dataset trained on
 * @param method the method's name (the preset's, when one was used); classifier runs
 * @param model the network; classifier runs
 * @param generated the GAN run whose frozen generator supplies a share of every batch ({@code
 *     data.augment.generated}): its run, its generator's SHA-256 and the share, keys sorted; absent
 *     without one
 * @param gan the generator and discriminator; GAN runs
 * @param evaluator the classifier run that scores the generator's images (GAN-test); GAN runs with
 *     one
 * @param configSources the configuration files and overrides the run was configured from, in order
 * @param config the resolved configuration below {@code lpl}, as a JSON tree
 * @param resultFingerprint the SHA-256 of the settings that can change the run's result ({@code
 *     dev.lpl.core.config.ResultKeys}), which a sweep compares before it reuses a run; classifier
 *     runs
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
        String kind,
        String run,
        String created,
        Versions versions,
        @JsonInclude(JsonInclude.Include.ALWAYS) String gitCommit,
        String host,
        String device,
        Map<String, Long> seeds,
        Dataset dataset,
        String method,
        Model model,
        Map<String, Object> generated,
        Gan gan,
        Evaluator evaluator,
        List<String> configSources,
        JsonNode config,
        String resultFingerprint) {

    /** The {@link #kind} of a GAN run. */
    public static final String GAN = "gan";

    /**
     * Returns whether this is a GAN run's manifest.
     *
     * @return {@link #kind} is {@link #GAN}
     */
    @JsonIgnore
    public boolean isGan() {
        return GAN.equals(kind);
    }

    /**
     * The versions a run was trained with.
     *
     * @param lpl lpl's version
     * @param djl DJL's version
     * @param engine the engine's name and version, e.g. {@code PyTorch 2.7.1}
     * @param java the Java version
     * @param os the operating system's name, version and architecture; absent in GAN runs
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Versions(String lpl, String djl, String engine, String java, String os) {}

    /**
     * The dataset a run trained on.
     *
     * @param name the dataset's name
     * @param identity what identifies its files (e.g. their SHA-256), which a resume checks
     * @param classes the class names, in class order
     * @param trainSize the number of training images (after long-tail sampling)
     * @param testSize the number of test images; classifier runs
     * @param trainClassCounts the training count of every class, in class order
     * @param longTail how the training set was sampled ({@code profile}, {@code ratio}, ...);
     *     classifier runs
     * @param validation the validation set ({@code data.validation}: its size, per-class count and
     *     {@code indices_sha256}); written as {@code null} when the run has none
     * @param imageShape channels, height and width
     * @param mean the per-channel mean images are normalised with; GAN runs
     * @param std the per-channel standard deviation images are normalised with; GAN runs
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Dataset(
            String name,
            Map<String, String> identity,
            List<String> classes,
            Integer trainSize,
            Integer testSize,
            List<Long> trainClassCounts,
            Map<String, Object> longTail,
            @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, Object> validation,
            List<Integer> imageShape,
            List<Float> mean,
            List<Float> std) {}

    /**
     * The network of a classifier run.
     *
     * @param name the model's name
     * @param trainableParameters the number of trainable parameters
     * @param initFrom the weights file the network was initialised from ({@code model.init-from}):
     *     its path and SHA-256; absent without one
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Model(String name, Long trainableParameters, Map<String, Object> initFrom) {}

    /**
     * The networks of a GAN run.
     *
     * @param type the GAN's type ({@code gan.type}), e.g. {@code acgan}
     * @param noise the length of the generator's noise input
     * @param codes the number of latent codes (InfoGAN), else 0
     * @param width the base width (channels) of both networks
     * @param generatorParameters the generator's trainable parameters
     * @param discriminatorParameters the discriminator's trainable parameters
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Gan(
            String type,
            Integer noise,
            Integer codes,
            Integer width,
            Long generatorParameters,
            Long discriminatorParameters) {}

    /**
     * The classifier run a GAN run is evaluated with (GAN-test).
     *
     * @param run the classifier run's directory, absolute
     * @param model its model
     * @param method its method
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Evaluator(String run, String model, String method) {}
}
