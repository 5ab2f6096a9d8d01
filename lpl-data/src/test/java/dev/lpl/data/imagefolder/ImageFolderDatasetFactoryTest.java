package dev.lpl.data.imagefolder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lpl.api.LplException;
import dev.lpl.api.data.DatasetContext;
import dev.lpl.api.data.ImageDataset;
import dev.lpl.data.TestSettings;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDatasetFactoryTest {

    @TempDir
    Path temp;

    private final List<String> warnings = new ArrayList<>();
    private final ImageFolderDatasetFactory factory = new ImageFolderDatasetFactory(warnings::add);

    private ImageDataset load(Path root, String settings, long seed) throws IOException {
        return factory.load(TestSettings.dataset("image-folder", settings), new DatasetContext(root, temp.resolve("cache"), seed));
    }

    private ImageDataset load(Path root, String settings) throws IOException {
        return load(root, settings, 1);
    }

    private static Path write(Path file, BufferedImage image, String format) throws IOException {
        Files.createDirectories(file.getParent());
        assertThat(ImageIO.write(image, format, file.toFile())).as(format).isTrue();
        return file;
    }

    private static BufferedImage solid(int w, int h, Color color) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return image;
    }

    /** A 32×32 RGB image whose pixel (x, y) is (x·8, y·8, seed). */
    private static BufferedImage gradient(int seed) {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                image.setRGB(x, y, (x * 8) << 16 | (y * 8) << 8 | seed);
            }
        }
        return image;
    }

    /** train/{cat,dog,ant}/ and test/{cat,dog,ant}/ with PNG, JPEG and grey PNG images. */
    private Path trainTest() throws IOException {
        Path root = temp.resolve("pets");
        for (int i = 0; i < 3; i++) {
            write(root.resolve("train/cat/c" + i + ".png"), gradient(i), "png");
        }
        write(root.resolve("train/dog/big.jpg"), solid(64, 48, new Color(200, 40, 10)), "jpg");
        write(root.resolve("train/dog/d.PNG"), solid(32, 32, new Color(0, 0, 255)), "png");
        BufferedImage grey = new BufferedImage(20, 20, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                grey.getRaster().setSample(x, y, 0, 77);
            }
        }
        write(root.resolve("train/ant/grey.png"), grey, "png");
        write(root.resolve("test/cat/t.png"), gradient(9), "png");
        write(root.resolve("test/dog/t.png"), solid(32, 32, Color.WHITE), "png");
        write(root.resolve("test/ant/t.bmp"), solid(32, 32, Color.BLACK), "bmp");
        Files.writeString(root.resolve("train/cat/.DS_Store"), "junk");
        return root;
    }

    @Test
    void readsTrainAndTestFoldersWithSortedClassesResizedToRgb() throws IOException {
        Path root = trainTest();

        ImageDataset dataset = load(root, "");

        assertThat(dataset.name()).isEqualTo("image-folder");
        assertThat(dataset.classNames()).containsExactly("ant", "cat", "dog");
        assertThat(dataset.train().size()).isEqualTo(6);
        assertThat(dataset.test().size()).isEqualTo(3);
        assertThat(dataset.train().labels()).containsExactly(0, 1, 1, 1, 2, 2);
        assertThat(dataset.test().labels()).containsExactly(0, 1, 2);
        assertThat(dataset.train().channels()).isEqualTo(3);
        assertThat(dataset.train().height()).isEqualTo(32);
        byte[] px = dataset.train().pixels();
        int image = 3 * 32 * 32;
        // grey PNG 20x20 of 77 -> RGB 77 everywhere, exactly (no colour-space gamma)
        for (int k = 0; k < image; k++) {
            assertThat(px[k] & 0xff).as("grey %d", k).isEqualTo(77);
        }
        // cat c1.png: a 32x32 PNG keeps its pixels exactly, planar R, G, B
        int c1 = 2 * image;
        assertThat(px[c1 + 5 * 32 + 3] & 0xff).isEqualTo(3 * 8);           // R plane (x = 3)
        assertThat(px[c1 + 1024 + 5 * 32 + 3] & 0xff).isEqualTo(5 * 8);    // G plane (y = 5)
        assertThat(px[c1 + 2048 + 5 * 32 + 3] & 0xff).isEqualTo(1);        // B plane (seed 1)
        // dog big.jpg 64x48 solid (200, 40, 10) -> 32x32, JPEG-close
        int big = 4 * image;
        assertThat(px[big + 500] & 0xff).isCloseTo(200, within(6));
        assertThat(px[big + 1024 + 500] & 0xff).isCloseTo(40, within(6));
        assertThat(px[big + 2048 + 500] & 0xff).isCloseTo(10, within(6));
        assertThat(dataset.identity()).containsEntry("directory", root.toString())
                .containsEntry("layout", "train/ and test/")
                .containsEntry("train_images", "6").containsEntry("test_images", "3")
                .containsEntry("image_shape", "3x32x32").containsKey("files_sha256");
        assertThat(dataset.mean()).hasSize(3);
        assertThat(dataset.std()[0]).isPositive();

        ImageDataset again = load(root, "");
        assertThat(again.identity()).isEqualTo(dataset.identity());
        assertThat(again.train().pixels()).isEqualTo(px);
    }

    @Test
    void greyAndOtherSizes() throws IOException {
        Path root = trainTest();

        ImageDataset dataset = load(root, "channels = 1, size = 16");

        assertThat(dataset.train().channels()).isEqualTo(1);
        assertThat(dataset.train().height()).isEqualTo(16);
        assertThat(dataset.train().width()).isEqualTo(16);
        assertThat(dataset.train().pixels()).hasSize(6 * 256);
        assertThat(dataset.mean()).hasSize(1);
        byte[] px = dataset.train().pixels();
        assertThat(px[0] & 0xff).isEqualTo(77);
        // blue (0, 0, 255) -> luma 0.114 * 255 = 29
        assertThat(px[5 * 256 + 100] & 0xff).isEqualTo(29);
        assertThat(dataset.test().pixels()[7] & 0xff).isZero(); // ant: black BMP
        assertThat(dataset.test().pixels()[2 * 256 + 7] & 0xff).isEqualTo(255); // dog: white
    }

    @Test
    void classFoldersAloneAreSplitBySeed() throws IOException {
        Path root = temp.resolve("flat");
        for (String c : new String[] {"b", "a"}) {
            for (int i = 0; i < 8; i++) {
                write(root.resolve(c + "/" + i + ".png"), gradient(i + (c.equals("a") ? 0 : 100)), "png");
            }
        }
        write(root.resolve("single/only.png"), gradient(50), "png");

        ImageDataset dataset = load(root, "test-fraction = 0.25", 7);

        assertThat(dataset.classNames()).containsExactly("a", "b", "single");
        assertThat(dataset.train().classCounts(3)).containsExactly(6, 6, 1);
        assertThat(dataset.test().classCounts(3)).containsExactly(2, 2, 0);
        assertThat(dataset.identity().get("layout")).startsWith("class folders split by test-fraction 0.25 (seed ");
        assertThat(load(root, "test-fraction = 0.25", 7).test().pixels()).isEqualTo(dataset.test().pixels());
        boolean differs = false;
        for (long seed = 8; seed < 20 && !differs; seed++) {
            differs = !Arrays.equals(load(root, "test-fraction = 0.25", seed).test().pixels(), dataset.test().pixels());
        }
        assertThat(differs).as("another seed gives another split").isTrue();
        assertThatThrownBy(() -> load(root, "test-fraction = 0"))
                .hasMessageStartingWith("invalid configuration value data.image-folder.test-fraction: 0.0 leaves no test images");
    }

    @Test
    void errorsNameThePathAndTheFix() throws IOException {
        assertThatThrownBy(() -> factory.load(TestSettings.dataset("image-folder", ""), new DatasetContext(null, temp, 1)))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith("data.type = image-folder needs data.path");
        assertThatThrownBy(() -> load(temp.resolve("absent"), ""))
                .hasMessageStartingWith("image folder " + temp.resolve("absent") + " does not exist");

        Path empty = Files.createDirectories(temp.resolve("empty"));
        Files.writeString(empty.resolve("readme.txt"), "x");
        assertThatThrownBy(() -> load(empty, ""))
                .hasMessageStartingWith("image folder " + empty + " has no class folders (only files such as readme.txt)");

        Path root = trainTest();
        Path emptyClass = Files.createDirectories(root.resolve("train/eel"));
        Files.createDirectories(root.resolve("test/eel"));
        assertThatThrownBy(() -> load(root, ""))
                .hasMessageStartingWith("class folder " + emptyClass + " holds no images")
                .hasMessageContaining("(from both train/ and test/)");
        Files.delete(root.resolve("test/eel"));
        write(emptyClass.resolve("e.png"), gradient(3), "png");
        assertThatThrownBy(() -> load(root, ""))
                .hasMessageStartingWith("the class folders of " + root.resolve("train") + " and " + root.resolve("test")
                        + " differ (only in train: [eel], only in test: [])");
        write(root.resolve("test/eel/e.png"), gradient(4), "png");
        assertThat(load(root, "").numClasses()).isEqualTo(4);

        Path broken = Files.write(root.resolve("train/cat/broken.png"), Arrays.copyOf(
                Files.readAllBytes(root.resolve("train/cat/c0.png")), 40));
        assertThatThrownBy(() -> load(root, ""))
                .hasMessageStartingWith(broken.toString())
                .hasMessageContaining("remove it");
        Files.delete(broken);
        Path garbage = Files.writeString(root.resolve("train/cat/garbage.jpg"), "not a jpeg at all");
        assertThatThrownBy(() -> load(root, ""))
                .hasMessageStartingWith(garbage + " is not an image Java can read");
        Files.delete(garbage);

        dev.lpl.data.archive.TarGz.deleteRecursively(root.resolve("test"));
        assertThatThrownBy(() -> load(root, ""))
                .hasMessageStartingWith("image folder " + root + " has train/ but no test/");
        assertThatThrownBy(() -> load(root, "channels = 2"))
                .hasMessageStartingWith("invalid configuration value data.image-folder.channels: 2 is not allowed");
    }

    @Test
    void skipsFilesThatAreNotImagesWithOneWarning() throws IOException {
        Path root = trainTest();
        ImageDataset clean = load(root, "");
        assertThat(warnings).isEmpty();
        Files.writeString(root.resolve("train/cat/notes.txt"), "hello");
        Files.writeString(root.resolve("test/dog/labels.csv"), "a,b");
        Files.writeString(root.resolve("train/README"), "about the pets");

        ImageDataset dataset = load(root, "");

        assertThat(dataset.train().pixels()).isEqualTo(clean.train().pixels());
        assertThat(dataset.test().labels()).isEqualTo(clean.test().labels());
        assertThat(warnings).containsExactly("image folder " + root + ": skipped 3 files that are not images by name"
                + " (not .png, .jpg, .jpeg, .bmp or .gif; first: " + root.resolve("test/dog/labels.csv") + "); move"
                + " them out of the dataset to silence this");
        assertThat(dataset.identity()).containsEntry("skipped_files", "3");

        Path onlyText = Files.createDirectories(root.resolve("train/eel"));
        Files.createDirectories(root.resolve("test/eel"));
        Files.writeString(onlyText.resolve("eel.txt"), "no picture");
        assertThatThrownBy(() -> load(root, ""))
                .hasMessageStartingWith("class folder " + onlyText + " holds no images (only files of other types,"
                        + " such as eel.txt)");
    }

    @Test
    void tellsTheNumberOfClassesFromTheFolderListingWithoutReadingImages() throws IOException {
        Path root = trainTest();
        var settings = TestSettings.dataset("image-folder", "");
        assertThat(factory.numClasses(settings, new DatasetContext(root, temp.resolve("cache"), 1))).hasValue(3);
        Path flat = temp.resolve("flat");
        write(flat.resolve("a/1.png"), gradient(1), "png");
        write(flat.resolve("b/1.png"), gradient(2), "png");
        assertThat(factory.numClasses(settings, new DatasetContext(flat, temp.resolve("cache"), 1))).hasValue(2);
        assertThat(factory.numClasses(settings, new DatasetContext(temp.resolve("absent"), temp.resolve("cache"), 1)))
                .isEmpty();
        assertThat(factory.numClasses(settings, new DatasetContext(null, temp.resolve("cache"), 1))).isEmpty();
        assertThat(Files.exists(temp.resolve("cache"))).isFalse();
    }
}
