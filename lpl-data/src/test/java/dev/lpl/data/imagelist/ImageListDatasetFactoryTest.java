package dev.lpl.data.imagelist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lpl.api.LplException;
import dev.lpl.api.data.DatasetContext;
import dev.lpl.api.data.ImageDataset;
import dev.lpl.data.TestSettings;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageListDatasetFactoryTest {

    @TempDir
    Path temp;

    private final ImageListDatasetFactory factory = new ImageListDatasetFactory();

    private ImageDataset load(Path root, String settings) throws IOException {
        return factory.load(TestSettings.dataset("image-list", settings), new DatasetContext(root, temp.resolve("cache"), 1));
    }

    /** A w×h RGB image whose every pixel is (r, g, b). */
    private static void write(Path file, int w, int h, int r, int g, int b) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        assertThat(ImageIO.write(image, "png", file.toFile())).isTrue();
    }

    /** An ImageNet-LT-like root: images of 3 classes of different sizes, train.txt and test.txt. */
    private Path dataset() throws IOException {
        Path root = temp.resolve("lt");
        write(root.resolve("train/n01/a.png"), 8, 8, 10, 0, 0);
        write(root.resolve("train/n01/b.png"), 20, 12, 20, 0, 0);
        write(root.resolve("train/n01/c.png"), 8, 8, 30, 0, 0);
        write(root.resolve("train/n02/a.png"), 8, 8, 0, 40, 0);
        write(root.resolve("train/n02/with space.png"), 8, 8, 0, 50, 0);
        write(root.resolve("train/n03/a.png"), 8, 8, 0, 0, 60);
        write(root.resolve("val/n01/v.png"), 8, 8, 70, 0, 0);
        write(root.resolve("val/n03/v.png"), 16, 16, 0, 0, 80);
        Files.writeString(root.resolve("train.txt"), String.join("\n",
                "train/n01/a.png 0", "train/n01/b.png 0", "train/n02/a.png 1", "train/n01/c.png 0",
                "train/n02/with space.png 1", "", "train/n03/a.png 2", ""));
        Files.writeString(root.resolve("test.txt"), "val/n03/v.png 2\r\nval/n01/v.png 0\r\n");
        return root;
    }

    @Test
    void readsTheListedImagesInFileOrderResizedWithTheirLabels() throws IOException {
        Path root = dataset();

        ImageDataset dataset = load(root, "size = 4");

        assertThat(dataset.name()).isEqualTo("image-list");
        assertThat(dataset.classNames()).containsExactly("class_0", "class_1", "class_2");
        assertThat(dataset.train().labels()).containsExactly(0, 0, 1, 0, 1, 2);
        assertThat(dataset.test().labels()).containsExactly(2, 0);
        assertThat(dataset.train().height()).isEqualTo(4);
        int image = 3 * 16;
        byte[] px = dataset.train().pixels();
        assertThat(px[0] & 0xff).isEqualTo(10);                 // a.png R
        assertThat(px[image] & 0xff).isEqualTo(20);             // b.png 20x12, resized, R
        assertThat(px[2 * image + 16] & 0xff).isEqualTo(40);    // n02/a.png G plane
        assertThat(px[4 * image + 16] & 0xff).isEqualTo(50);    // the path with a space
        assertThat(dataset.test().pixels()[32] & 0xff).isEqualTo(80); // val/n03/v.png 16x16, B plane
        assertThat(dataset.identity()).containsEntry("directory", root.toString())
                .containsEntry("image_shape", "3x4x4").containsEntry("train_images", "6")
                .containsEntry("test_images", "2").containsEntry("normalization", "computed")
                .containsKey("files_sha256");
        assertThat(dataset.identity().get("train_list")).startsWith(root.resolve("train.txt") + " (6 lines, sha256 ");
        assertThat(dataset.mean()[0]).isPositive();

        assertThat(load(root, "size = 4").identity()).isEqualTo(dataset.identity());
        Files.writeString(root.resolve("test.txt"), "val/n01/v.png 0\nval/n03/v.png 2\n");
        assertThat(load(root, "size = 4").identity().get("test_list")).isNotEqualTo(dataset.identity().get("test_list"));
    }

    @Test
    void namesFileImagenetNormalisationAndGrey() throws IOException {
        Path root = dataset();
        Files.writeString(root.resolve("names.txt"), "tench\ngoldfish\nshark\n\n");

        ImageDataset dataset = load(root, "names = names.txt, normalization = imagenet, size = 8");

        assertThat(dataset.classNames()).containsExactly("tench", "goldfish", "shark");
        assertThat(dataset.mean()).containsExactly(0.485f, 0.456f, 0.406f);
        assertThat(dataset.std()).containsExactly(0.229f, 0.224f, 0.225f);
        assertThat(factory.numClasses(TestSettings.dataset("image-list", "names = names.txt"),
                new DatasetContext(root, temp, 1))).hasValue(3);
        Files.writeString(root.resolve("names.txt"), "tench\ngoldfish\nshark\nhen\n");
        // a fourth class without training images
        assertThatThrownBy(() -> load(root, "names = names.txt"))
                .isInstanceOf(LplException.class).hasMessage("class 3 (hen) has no training images in "
                        + root.resolve("train.txt") + ": every class needs at least one; relabel the classes 0..3"
                        + " without gaps or remove the class's name");

        ImageDataset grey = load(root, "channels = 1, size = 4");
        assertThat(grey.train().pixels()).hasSize(6 * 16);
        assertThat(grey.train().pixels()[2 * 16] & 0xff).isEqualTo((587 * 40 + 500) / 1000);
        assertThatThrownBy(() -> load(root, "channels = 1, normalization = imagenet"))
                .hasMessageStartingWith("invalid configuration value data.image-list.normalization: imagenet needs channels = 3");
    }

    @Test
    void tellsTheNumberOfClassesFromTheSplitFilesAlone() throws IOException {
        Path root = dataset();
        Files.delete(root.resolve("train/n01/a.png")); // no image is read
        var settings = TestSettings.dataset("image-list", "");
        assertThat(factory.numClasses(settings, new DatasetContext(root, temp, 1))).hasValue(3);
        assertThat(factory.numClasses(settings, new DatasetContext(temp.resolve("absent"), temp, 1))).isEmpty();
        assertThat(factory.numClasses(settings, new DatasetContext(null, temp, 1))).isEmpty();
    }

    @Test
    void everyProblemNamesTheFileAndLine() throws IOException {
        Path root = dataset();
        Path train = root.resolve("train.txt");
        String good = Files.readString(train);

        assertThatThrownBy(() -> factory.load(TestSettings.dataset("image-list", ""), new DatasetContext(null, temp, 1)))
                .hasMessageStartingWith("data.type = image-list needs data.path");
        assertThatThrownBy(() -> load(root, "test = absent.txt"))
                .hasMessageStartingWith("split file " + root.resolve("absent.txt") + " (data.image-list.test) does not exist");

        Files.writeString(train, good + "train/n01/gone.png 0\n");
        assertThatThrownBy(() -> load(root, ""))
                .isInstanceOf(LplException.class)
                .hasMessage(train + " line 8: " + root.resolve("train/n01/gone.png") + " does not exist; fix the line,"
                        + " or set data.path to the folder the listed paths are relative to");

        Files.writeString(train, good + "train/n01/a.png zero\n");
        assertThatThrownBy(() -> load(root, ""))
                .hasMessageStartingWith(train + " line 8: the label 'zero' is not an integer");
        Files.writeString(train, good + "train/n01/a.png\n");
        assertThatThrownBy(() -> load(root, ""))
                .hasMessageStartingWith(train + " line 8: 'train/n01/a.png' has no label");
        Files.writeString(train, good + "train/n01/a.png -1\n");
        assertThatThrownBy(() -> load(root, "")).hasMessageStartingWith(train + " line 8: the label -1 is negative");
        Files.writeString(train, good + "train/n01/a.png 0\n");
        assertThatThrownBy(() -> load(root, ""))
                .hasMessageStartingWith(train + " line 8: train/n01/a.png is listed again (first on line 1)");
        Files.writeString(train, good + "train/n01/./a.png 0\n");
        assertThatThrownBy(() -> load(root, ""))
                .hasMessageStartingWith(train + " line 8: train/n01/./a.png is listed again (" + train + " line 1)");
        Files.writeString(train, good + "val/n01/v.png 0\n");
        assertThatThrownBy(() -> load(root, ""))
                .hasMessageStartingWith(root.resolve("test.txt") + " line 2: val/n01/v.png is also a training image ("
                        + train + " line 8)");
        Files.writeString(train, good + "../outside.png 0\n");
        assertThatThrownBy(() -> load(root, ""))
                .hasMessageStartingWith(train + " line 8: ../outside.png is not inside the image root " + root);
        Files.writeString(root.resolve("names.txt"), "a\nb\nc\n");
        Files.writeString(train, good + "train/n01/extra.png 3\n");
        assertThatThrownBy(() -> load(root, "names = names.txt"))
                .hasMessageStartingWith(train + " line 8: the label 3 is not below the 3 classes of the names file");
        Files.writeString(root.resolve("names.txt"), "a\n\nc\n");
        assertThatThrownBy(() -> load(root, "names = names.txt"))
                .hasMessageStartingWith(root.resolve("names.txt") + " line 2 is blank");
        Files.write(root.resolve("train/n01/broken.png"), Arrays.copyOf(Files.readAllBytes(root.resolve("train/n01/a.png")), 30));
        Files.writeString(train, good + "train/n01/broken.png 0\n");
        assertThatThrownBy(() -> load(root, ""))
                .hasMessageStartingWith(train + " line 8: " + root.resolve("train/n01/broken.png") + " cannot be read as an image");
        Files.writeString(train, "\n\n");
        assertThatThrownBy(() -> load(root, ""))
                .hasMessageStartingWith("split file " + train + " (data.image-list.train) lists no images");
        Files.write(train, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertThatThrownBy(() -> load(root, ""))
                .hasMessageStartingWith("split file " + train + " is not UTF-8 text");
    }
}
