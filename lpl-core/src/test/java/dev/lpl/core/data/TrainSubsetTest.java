package dev.lpl.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lpl.api.LplException;
import dev.lpl.api.data.ImageDataset;
import dev.lpl.api.data.ImageSet;
import dev.lpl.core.run.Hashes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainSubsetTest {

    @TempDir
    Path temp;

    /** 100 images per class of 4 classes, image i's single pixel = i mod 256. */
    private static ImageDataset dataset() {
        int n = 400;
        byte[] pixels = new byte[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            pixels[i] = (byte) i;
            labels[i] = i % 4;
        }
        ImageSet train = new ImageSet(pixels, labels, 1, 1, 1);
        ImageSet test = new ImageSet(new byte[4], new int[] {0, 1, 2, 3}, 1, 1, 1);
        return new ImageDataset("toy", List.of("a", "b", "c", "d"), train, test, new float[] {0.5f},
                new float[] {0.25f}, Map.of("generator", "toy"));
    }

    private static String lines(int[] indices) {
        return IntStream.of(indices).mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void noProfileKeepsEverything() {
        TrainSubset all = TrainSubset.of(dataset(), new LongTail(LongTail.Profile.NONE, 100), null, 1);
        assertThat(all.kept()).isNull();
        assertThat(all.dataset().train().size()).isEqualTo(400);
        assertThat(all.info()).containsExactly(Map.entry("profile", "none"));
    }

    @Test
    void anIndicesFileReproducesASampledSubsetExactly() throws IOException {
        LongTail tail = new LongTail(LongTail.Profile.EXPONENTIAL, 10);
        TrainSubset sampled = TrainSubset.of(dataset(), tail, null, 7);
        assertThat(sampled.dataset().train().classCounts(4)).containsExactly(100, 46, 21, 10);
        assertThat(sampled.info()).containsEntry("profile", "exponential").containsEntry("ratio", 10.0)
                .containsEntry("source_train_size", 400)
                .containsEntry("indices_sha256", Hashes.sha256(sampled.kept()));
        Path file = Files.writeString(temp.resolve("train-indices.txt"), "# from an earlier run\n\n"
                + lines(sampled.kept()));

        TrainSubset reused = TrainSubset.of(dataset(), new LongTail(LongTail.Profile.NONE, 1), file, 999);

        assertThat(reused.kept()).isEqualTo(sampled.kept());
        assertThat(reused.dataset().train().pixels()).isEqualTo(sampled.dataset().train().pixels());
        assertThat(reused.dataset().train().labels()).isEqualTo(sampled.dataset().train().labels());
        assertThat(reused.info()).containsEntry("profile", "indices-file")
                .containsEntry("indices_sha256", sampled.info().get("indices_sha256"))
                .containsEntry("indices_source", file.toAbsolutePath().normalize().toString());
        assertThat(reused.dataset().identity()).containsEntry("long-tail", "indices of train-indices.txt");
    }

    @Test
    void badIndicesFilesAreNamedWithTheLine() throws IOException {
        LongTail none = new LongTail(LongTail.Profile.NONE, 1);
        Path range = Files.writeString(temp.resolve("range.txt"), "0\n5\n400\n");
        assertThatThrownBy(() -> TrainSubset.of(dataset(), none, range, 1))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(range + " line 3: index 400 is outside the training set of 400 images (0..399)");
        Path twice = Files.writeString(temp.resolve("twice.txt"), "3\n4\n3\n");
        assertThatThrownBy(() -> TrainSubset.of(dataset(), none, twice, 1))
                .hasMessageStartingWith(twice + " line 3: index 3 appears twice");
        Path text = Files.writeString(temp.resolve("text.txt"), "1\nseven\n");
        assertThatThrownBy(() -> TrainSubset.of(dataset(), none, text, 1))
                .hasMessageStartingWith(text + " line 2: 'seven' is not an index");
        Path empty = Files.writeString(temp.resolve("empty.txt"), "# nothing\n");
        assertThatThrownBy(() -> TrainSubset.of(dataset(), none, empty, 1))
                .hasMessageStartingWith(empty + " lists no indices");
        assertThatThrownBy(() -> TrainSubset.of(dataset(), none, temp.resolve("absent.txt"), 1))
                .hasMessageStartingWith("data.long-tail.indices-file " + temp.resolve("absent.txt") + " does not exist");
    }

    @Test
    void theMetaSetIsCarvedOutBeforeLongTailSampling() throws Exception {
        LongTail tail = new LongTail(LongTail.Profile.EXPONENTIAL, 10);
        TrainSubset withMeta = TrainSubset.of(dataset(), tail, null, 7, 5);
        int[] meta = withMeta.metaIndices();
        assertThat(meta).hasSize(20);
        assertThat(withMeta.meta().classCounts(4)).containsExactly(5, 5, 5, 5);
        java.util.Set<Integer> kept = IntStream.of(withMeta.kept()).boxed().collect(Collectors.toSet());
        assertThat(IntStream.of(meta).boxed().toList()).doesNotContainAnyElementsOf(kept);
        // the long tail is drawn from the 95 remaining images per class: 95, 95·10^(-1/3), ...
        assertThat(withMeta.dataset().train().classCounts(4)).containsExactly(95, 44, 20, 9);
        assertThat(withMeta.info()).containsEntry("meta_per_class", 5)
                .containsEntry("meta_indices_sha256", Hashes.sha256(meta));
        assertThat(TrainSubset.of(dataset(), tail, null, 7, 5).metaIndices()).containsExactly(meta);
        assertThat(TrainSubset.of(dataset(), tail, null, 8, 5).metaIndices()).isNotEqualTo(meta);

        assertThatThrownBy(() -> TrainSubset.of(dataset(), tail, null, 7, 100))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("class 0 (a) has 100 training images, too few to give 100 to the meta set");
        Path file = temp.resolve("with-meta.txt");
        Files.writeString(file, meta[0] + "\n");
        assertThatThrownBy(() -> TrainSubset.of(dataset(), tail, file, 7, 5))
                .isInstanceOf(LplException.class).hasMessageContaining("which the method's meta set takes");
    }
}
