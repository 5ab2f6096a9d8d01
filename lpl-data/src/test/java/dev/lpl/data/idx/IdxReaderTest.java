package dev.lpl.data.idx;

import static dev.lpl.data.idx.IdxReader.IMAGE_MAGIC;
import static dev.lpl.data.idx.IdxReader.LABEL_MAGIC;
import static dev.lpl.data.idx.IdxTestFiles.gzip;
import static dev.lpl.data.idx.IdxTestFiles.images;
import static dev.lpl.data.idx.IdxTestFiles.labels;
import static dev.lpl.data.idx.IdxTestFiles.pattern;
import static dev.lpl.data.idx.IdxTestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lpl.api.LplException;
import dev.lpl.data.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {

    private static final String FIX = "get a good copy";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"images", "images.gz"})
    void readsImagesAndDigestsTheStoredFile(String name) throws IOException {
        byte[] pixels = pattern(3 * 4 * 5, 1);
        Path file = write(dir.resolve(name), images(IMAGE_MAGIC, 3, 4, 5, pixels));

        IdxImages read = IdxReader.readImages(file, FIX);

        assertThat(read.file()).isEqualTo(file);
        assertThat(read.count()).isEqualTo(3);
        assertThat(read.rows()).isEqualTo(4);
        assertThat(read.columns()).isEqualTo(5);
        assertThat(read.pixels()).isEqualTo(pixels);
        assertThat(read.sha256()).isEqualTo(Sha256.hex(Files.readAllBytes(file)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"labels", "labels.gz"})
    void readsLabelsAsUnsignedBytes(String name) throws IOException {
        Path file = write(dir.resolve(name), labels(LABEL_MAGIC, 4, new byte[] {0, 9, 127, (byte) 200}));

        IdxLabels read = IdxReader.readLabels(file, FIX);

        assertThat(read.labels()).containsExactly(0, 9, 127, 200);
        assertThat(read.sha256()).isEqualTo(Sha256.hex(Files.readAllBytes(file)));
    }

    @Test
    void readsAnEmptySet() throws IOException {
        Path file = write(dir.resolve("empty.gz"), images(IMAGE_MAGIC, 0, 28, 28, new byte[0]));

        assertThat(IdxReader.readImages(file, FIX).count()).isZero();
    }

    @Test
    void digestCoversTheWholeGzipFileIncludingATrailingMember() throws IOException {
        byte[] whole = images(IMAGE_MAGIC, 2, 2, 2, pattern(8, 3));
        byte[] first = gzip(Arrays.copyOf(whole, 10));
        byte[] second = gzip(Arrays.copyOfRange(whole, 10, whole.length));
        byte[] stored = new byte[first.length + second.length];
        System.arraycopy(first, 0, stored, 0, first.length);
        System.arraycopy(second, 0, stored, first.length, second.length);
        Path file = Files.write(dir.resolve("two-members.gz"), stored);

        IdxImages read = IdxReader.readImages(file, FIX);

        assertThat(read.pixels()).isEqualTo(pattern(8, 3));
        assertThat(read.sha256()).isEqualTo(Sha256.hex(stored));
    }

    @ParameterizedTest
    @ValueSource(strings = {"labels", "labels.gz"})
    void aLabelFileIsNotAnImageFile(String name) throws IOException {
        Path file = write(dir.resolve(name), labels(LABEL_MAGIC, 1, new byte[] {1}));

        assertThatThrownBy(() -> IdxReader.readImages(file, FIX))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(file + " is not an IDX image file: magic number 0x00000801,"
                        + " expected 0x00000803 (that of a label file)")
                .hasMessageEndingWith(FIX);
    }

    @Test
    void anImageFileIsNotALabelFile() throws IOException {
        Path file = write(dir.resolve("images"), images(IMAGE_MAGIC, 1, 1, 1, new byte[] {1}));

        assertThatThrownBy(() -> IdxReader.readLabels(file, FIX))
                .isInstanceOf(LplException.class)
                .hasMessageContaining(file + " is not an IDX label file: magic number 0x00000803");
    }

    @Test
    void anyOtherMagicIsReported() throws IOException {
        Path file = write(dir.resolve("text.gz"), "hello, world, not IDX".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> IdxReader.readImages(file, FIX))
                .isInstanceOf(LplException.class)
                .hasMessageContaining(file + " is not an IDX image file: magic number 0x68656C6C");
    }

    @ParameterizedTest
    @ValueSource(strings = {"images", "images.gz"})
    void truncatedDataAreReportedWithBothSizes(String name) throws IOException {
        byte[] full = images(IMAGE_MAGIC, 3, 4, 5, pattern(60, 1));
        Path file = write(dir.resolve(name), Arrays.copyOf(full, full.length - 7));

        assertThatThrownBy(() -> IdxReader.readImages(file, FIX))
                .isInstanceOf(LplException.class)
                .hasMessage(file + " is truncated: expected 76 bytes, got 69; " + FIX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"labels", "labels.gz"})
    void aTruncatedHeaderIsReported(String name) throws IOException {
        Path file = write(dir.resolve(name), new byte[] {0, 0, 8, 1, 0, 0});

        assertThatThrownBy(() -> IdxReader.readLabels(file, FIX))
                .isInstanceOf(LplException.class)
                .hasMessage(file + " is truncated: expected 8 bytes, got 6; " + FIX);
    }

    @Test
    void anEmptyFileIsTruncated() throws IOException {
        Path file = Files.write(dir.resolve("labels"), new byte[0]);

        assertThatThrownBy(() -> IdxReader.readLabels(file, FIX))
                .isInstanceOf(LplException.class)
                .hasMessage(file + " is truncated: expected 4 bytes, got 0; " + FIX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"labels", "labels.gz"})
    void dataBeyondTheHeaderCountAreReported(String name) throws IOException {
        Path file = write(dir.resolve(name), labels(LABEL_MAGIC, 2, new byte[] {1, 2, 3}));

        assertThatThrownBy(() -> IdxReader.readLabels(file, FIX))
                .isInstanceOf(LplException.class)
                .hasMessage(file + " is longer than its IDX header declares: expected 10 bytes,"
                        + " got 11; " + FIX);
    }

    @Test
    void aHeaderDeclaringMoreThanGzipCanHoldIsTruncated() throws IOException {
        Path file = write(dir.resolve("images.gz"), images(IMAGE_MAGIC, 1_000_000, 28, 28, new byte[5]));

        assertThatThrownBy(() -> IdxReader.readImages(file, FIX))
                .isInstanceOf(LplException.class)
                .hasMessage(file + " is truncated: expected 784000016 bytes, got 21; " + FIX);
    }

    @Test
    void anInvalidHeaderIsReported() throws IOException {
        Path negative = write(dir.resolve("negative"), images(IMAGE_MAGIC, -1, 28, 28, new byte[0]));
        Path huge = write(dir.resolve("huge"), images(IMAGE_MAGIC, 100_000_000, 28, 28, new byte[0]));

        assertThatThrownBy(() -> IdxReader.readImages(negative, FIX))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(negative + " has an invalid IDX header: -1 images of 28×28");
        assertThatThrownBy(() -> IdxReader.readImages(huge, FIX))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(huge + " has an invalid IDX header");
    }

    @Test
    void aFileThatIsNotGzipIsReported() throws IOException {
        Path file = Files.write(dir.resolve("images.gz"), images(IMAGE_MAGIC, 1, 1, 1, new byte[] {1}));

        assertThatThrownBy(() -> IdxReader.readImages(file, FIX))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(file + " is not a valid gzip file (Not in GZIP format)")
                .hasMessageEndingWith(FIX);
    }

    @Test
    void anEmptyGzipFileIsReported() throws IOException {
        Path file = Files.write(dir.resolve("labels.gz"), new byte[0]);

        assertThatThrownBy(() -> IdxReader.readLabels(file, FIX))
                .isInstanceOf(LplException.class)
                .hasMessage(file + " is not a valid gzip file (unexpected end of file): it is corrupt"
                        + " or truncated; " + FIX);
    }

    @Test
    void aCutGzipStreamIsReported() throws IOException {
        byte[] stored = gzip(images(IMAGE_MAGIC, 100, 28, 28, pattern(78_400, 5)));
        Path file = Files.write(dir.resolve("images.gz"), Arrays.copyOf(stored, stored.length / 2));

        assertThatThrownBy(() -> IdxReader.readImages(file, FIX))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(file + " is not a valid gzip file (")
                .hasMessageContaining("corrupt or truncated");
    }

    @Test
    void aCorruptGzipChecksumIsReported() throws IOException {
        byte[] stored = gzip(images(IMAGE_MAGIC, 10, 28, 28, pattern(7_840, 5)));
        stored[stored.length - 6] ^= 0x55; // inside the CRC-32 of the trailer
        Path file = Files.write(dir.resolve("images.gz"), stored);

        assertThatThrownBy(() -> IdxReader.readImages(file, FIX))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(file + " is not a valid gzip file (Corrupt GZIP trailer)");
    }

    @Test
    void corruptDeflateDataAreReported() throws IOException {
        byte[] stored = gzip(images(IMAGE_MAGIC, 10, 28, 28, pattern(7_840, 5)));
        for (int i = 20; i < stored.length - 20; i += 3) {
            stored[i] ^= (byte) 0xA7;
        }
        Path file = Files.write(dir.resolve("images.gz"), stored);

        assertThatThrownBy(() -> IdxReader.readImages(file, FIX))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageEndingWith(FIX);
    }

    @Test
    void aMissingFileIsReported() {
        Path file = dir.resolve("absent.gz");

        assertThatThrownBy(() -> IdxReader.readLabels(file, FIX))
                .isInstanceOf(LplException.class)
                .hasMessage(file + " does not exist; " + FIX);
    }
}
