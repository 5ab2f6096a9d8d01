package dev.lpl.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lpl.api.data.ImageSet;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.run.Checkpoints;
import dev.lpl.core.run.PreparedRun;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lpl predict} on a short real run: the test images written as PNG files and predicted give
 * exactly the confusion matrix {@code lpl eval} computes on the test set, with the method's own
 * prediction logits (LA post-hoc, which are not the raw logits) and with post-hoc adjustment.
 */
@Tag("slow")
class PredictCommandTest {

    @TempDir
    static Path tmp;

    static Path run;
    static Path images;
    static int numImages;
    static int numClasses;

    @BeforeAll
    static void trainAndWriteTheTestImages() throws IOException {
        run = tmp.resolve("run");
        CommandLineTest.Result train = CommandLineTest.lpl("train", "--progress", "none", "--out", run.toString(),
                "--set", "training.epochs=1", "--set", "data.synthetic.train-per-class=40",
                "--set", "data.synthetic.test-per-class=6", "--set", "data.synthetic.imbalance-ratio=10",
                "--set", "data.batch-size=32", "--set", "data.eval-batch-size=16",
                "--set", "method.type=la", "--set", "method.la.mode=post-hoc");
        assertThat(train.code()).as(train.err()).isZero();
        images = Files.createDirectories(tmp.resolve("images"));
        Bootstrap lpl = Bootstrap.start(List.of());
        Path checkpoint = new Checkpoints(run, 1).latest().orElseThrow();
        try (PreparedRun opened = lpl.runFactory().openForEvaluation(lpl.configLoader(), run, checkpoint)) {
            ImageSet test = opened.description().dataset().test();
            numClasses = opened.description().dataset().numClasses();
            numImages = test.size();
            assertThat(test.channels()).isEqualTo(1);
            int h = test.height();
            int w = test.width();
            for (int i = 0; i < test.size(); i++) {
                BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        image.getRaster().setSample(x, y, 0, test.pixels()[i * h * w + y * w + x] & 0xff);
                    }
                }
                String name = String.format("%03d-class-%d.png", i, test.label(i));
                assertThat(ImageIO.write(image, "png", images.resolve(name).toFile())).isTrue();
            }
        }
        Files.writeString(images.resolve("notes.txt"), "not an image");
    }

    /** The confusion matrix of lpl predict --csv --top-k 1 over the image folder. */
    private static long[][] predictedConfusion(String... extra) {
        List<String> args = new ArrayList<>(List.of("predict", run.toString(), images.toString(), "--csv",
                "--top-k", "1"));
        args.addAll(List.of(extra));
        CommandLineTest.Result r = CommandLineTest.lpl(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEqualTo("warning: skipped 1 file of " + images + " that is not an image by name (not"
                + " .png, .jpg, .jpeg, .bmp or .gif; first: notes.txt)\n");
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("image,rank,class,index,probability");
        assertThat(lines).hasSize(numImages + 1);
        long[][] confusion = new long[numClasses][numClasses];
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            String file = Path.of(cells[0]).getFileName().toString();
            int label = Integer.parseInt(file.substring(file.lastIndexOf('-') + 1, file.length() - 4));
            assertThat(cells[1]).isEqualTo("1");
            confusion[label][Integer.parseInt(cells[3])]++;
        }
        return confusion;
    }

    private static long[][] evalConfusion(String... extra) throws IOException {
        Path json = tmp.resolve("eval-" + extra.length + ".json");
        List<String> args = new ArrayList<>(List.of("eval", run.toString(), "--json", json.toString()));
        args.addAll(List.of(extra));
        CommandLineTest.Result r = CommandLineTest.lpl(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        return mapper.treeToValue(mapper.readTree(json.toFile()).get("confusion"), long[][].class);
    }

    @Test
    void predictionsOfTheTestImagesGiveEvalsConfusionMatrix() throws IOException {
        long[][] eval = evalConfusion();
        assertThat(predictedConfusion()).isDeepEqualTo(eval);
        long total = 0;
        for (long[] row : eval) {
            for (long n : row) {
                total += n;
            }
        }
        assertThat(total).isEqualTo(numImages);

        assertThat(predictedConfusion("--post-hoc-tau", "2")).isDeepEqualTo(evalConfusion("--post-hoc-tau", "2"));
    }

    @Test
    void jsonLinesGiveTheTopClassesMostProbableFirst() throws IOException {
        Path one;
        try (var files = Files.list(images)) {
            one = files.filter(p -> p.getFileName().toString().startsWith("000-")).findFirst().orElseThrow();
        }
        CommandLineTest.Result r = CommandLineTest.lpl("predict", run.toString(), one.toString(), images.toString(),
                "--json", "--top-k", "99");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(numImages + 1);
        ObjectMapper mapper = new ObjectMapper();
        for (String line : lines) {
            JsonNode node = mapper.readTree(line);
            assertThat(node.get("predictions")).hasSize(numClasses);
            double sum = 0;
            double previous = 1;
            for (JsonNode p : node.get("predictions")) {
                double probability = p.get("probability").asDouble();
                assertThat(probability).isLessThanOrEqualTo(previous);
                previous = probability;
                sum += probability;
                assertThat(p.get("class").asText()).isNotEmpty();
            }
            assertThat(sum).isCloseTo(1.0, within(1e-4));
        }
        assertThat(mapper.readTree(lines.get(0)).get("image").asText()).isEqualTo(one.toString());
        assertThat(mapper.readTree(lines.get(1)).get("image").asText()).isEqualTo(one.toString());
    }

    @Test
    void theTableNamesTheCheckpointThePreparationAndTheTopClasses() throws IOException {
        Path big = tmp.resolve("big.png");
        BufferedImage rgb = new BufferedImage(90, 60, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(rgb, "png", big.toFile());
        CommandLineTest.Result r = CommandLineTest.lpl("predict", run.toString(), big.toString(), "--top-k", "3");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        // the run is named as it was started (its time-stamped name), not after its directory
        assertThat(lines.get(0)).matches("run synthetic-la-\\d{8}-\\d{6}, checkpoint epoch-0001 \\(final\\).*");
        assertThat(lines.get(1)).isEqualTo("images prepared as the test images of synthetic: 1x28x28 grey, resized to"
                + " 28x28 (aspect ratio not kept), normalised with the run's mean and std");
        assertThat(lines.get(2)).matches("IMAGE +CLASS +PROBABILITY");
        assertThat(lines).hasSize(6);
        assertThat(lines.get(3)).startsWith(big + "  ").matches(".*\\d+\\.\\d%$");
        assertThat(lines.get(4)).startsWith(" ".repeat(big.toString().length()));
    }

    @Test
    void badInputsAreOneLineErrors() throws IOException {
        Path broken = Files.writeString(tmp.resolve("broken.png"), "not a png");
        CommandLineTest.Result r = CommandLineTest.lpl("predict", run.toString(), broken.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: " + broken + " is not an image Java can read")
                .doesNotContain("Exception");

        Path absent = tmp.resolve("absent.png");
        r = CommandLineTest.lpl("predict", run.toString(), absent.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: " + absent + " does not exist: name image files");

        Path nested = Files.createDirectories(tmp.resolve("nested/cats"));
        r = CommandLineTest.lpl("predict", run.toString(), nested.getParent().toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: " + nested.getParent() + " holds no image files (PNG, JPEG, BMP or GIF,"
                + " by name), only sub-directories, which are not searched");

        r = CommandLineTest.lpl("predict", run.toString(), images.toString(), "--top-k", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: --top-k 0 must be at least 1");

        r = CommandLineTest.lpl("predict", run.toString(), images.toString(), "--json", "--csv");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: ").contains("--json, --csv are mutually exclusive");

        r = CommandLineTest.lpl("predict", run.toString(), images.toString(), "--checkpoint", "best");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: checkpoint best does not exist in " + run);
    }
}
