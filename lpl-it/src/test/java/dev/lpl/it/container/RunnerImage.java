package dev.lpl.it.container;

import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The runner image the container tests use, built once per test JVM from the repository's {@code
 * docker/Dockerfile} and the shaded jar, exactly as the README tells users to build it.
 *
 * <p>The base image (a Java 17 runtime) is {@code $LPL_IT_BASE_IMAGE}, else the system property
 * {@code lpl.it.base-image}, else the Dockerfile's default, a public JRE image. CI, which reaches no
 * registry, builds a local one from Debian and names it in {@code LPL_IT_BASE_IMAGE}.
 */
final class RunnerImage {

    private static ImageFromDockerfile image;
    private static RuntimeException failure;

    private RunnerImage() {}

    /**
     * @return the image, built on first use and removed when the test JVM exits
     * @throws IllegalStateException when it cannot be built (every later call fails the same way at once)
     */
    static synchronized ImageFromDockerfile get() {
        if (failure != null) {
            throw failure;
        }
        if (image == null) {
            Path dockerfile = existing("lpl.it.dockerfile", "../docker/Dockerfile", "the runner image's Dockerfile");
            Path jar = existing("lpl.runner.jar", "../lpl-runner/target/lpl-runner.jar",
                    "the shaded runner jar (built by lpl-runner's package phase)");
            image = new ImageFromDockerfile("lpl-it-runner", true)
                    .withFileFromPath("Dockerfile", dockerfile)
                    .withFileFromPath("lpl-runner.jar", jar);
            String base = baseImage();
            if (base != null) {
                image.withBuildArg("BASE_IMAGE", base);
            }
            try {
                String name = image.get(); // build now, so that a failure is reported once and clearly
                Runtime.getRuntime().addShutdownHook(new Thread(() -> remove(name), "remove-" + name));
            } catch (RuntimeException e) {
                failure = new IllegalStateException("cannot build the runner image from " + dockerfile + " on base image "
                        + (base == null ? "eclipse-temurin:17-jre (the Dockerfile's default)" : base)
                        + ": " + e.getMessage() + "; where no registry is reachable, build a local Java 17 image"
                        + " (README, Containers) and name it in LPL_IT_BASE_IMAGE", e);
                throw failure;
            }
        }
        return image;
    }

    /** Removes the image (1 GB) when the tests end: without Ryuk, Testcontainers' deleteOnExit does not. */
    private static void remove(String name) {
        try {
            DockerClientFactory.instance().client().removeImageCmd(name).withForce(true).exec();
        } catch (RuntimeException e) {
            System.err.println("lpl-it: could not remove the test image " + name + ": " + e.getMessage());
        }
    }

    /** @return the configured base image, or null for the Dockerfile's default */
    static String baseImage() {
        String env = System.getenv("LPL_IT_BASE_IMAGE");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        String property = System.getProperty("lpl.it.base-image");
        return property == null || property.isBlank() ? null : property.strip();
    }

    private static Path existing(String property, String fallback, String what) {
        Path path = Path.of(System.getProperty(property, fallback)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(what + " is missing: " + path);
        }
        return path;
    }
}
