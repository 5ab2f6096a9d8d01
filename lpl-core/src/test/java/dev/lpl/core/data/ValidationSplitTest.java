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
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validation set: balanced, carved before the meta set and long-tail sampling, seeded, reproducible. */
class ValidationSplitTest {

    private static final LongTail EXPONENTIAL = new LongTail(LongTail.Profile.EXPONENTIAL, 10);
    private static final LongTail NONE = new LongTail(LongTail.Profile.NONE, 1);

    @TempDir
    Path temp;

    /** Four classes with the given counts, labels interleaved, image i's single pixel = i mod 256. */
    private static ImageDataset dataset(int... counts) {
        int n = IntStream.of(counts).sum();
        byte[] pixels = new byte[n];
        int[] labels = new int[n];
        int[] left = counts.clone();
        for (int i = 0, c = 0; i < n; c = (c + 1) % counts.length) {
            if (left[c] > 0) {
                left[c]--;
                pixels[i] = (byte) i;
                labels[i++] = c;
            }
        }
        ImageSet train = new ImageSet(pixels, labels, 1, 1, 1);
        ImageSet test = new ImageSet(new byte[4], new int[] {0, 1, 2, 3}, 1, 1, 1);
        return new ImageDataset("toy", List.of("a", "b", "c", "d"), train, test, new float[] {0.5f},
                new float[] {0.25f}, Map.of("generator", "toy"));
    }

    private static ImageDataset balanced() {
        return dataset(100, 100, 100, 100);
    }

    private static Set<Integer> set(int[] indices) {
        return IntStream.of(indices).boxed().collect(Collectors.toSet());
    }

    private static String lines(int[] indices) {
        return IntStream.of(indices).mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void balancedDisjointFromTrainingAndMetaAndCarvedBeforeTheLongTail() {
        TrainSubset s = TrainSubset.of(balanced(), EXPONENTIAL, null, 7, 5, new ValidationSplit(10, null, null), 11);

        assertThat(s.validation().classCounts(4)).containsExactly(10, 10, 10, 10);
        assertThat(s.validationIndices()).hasSize(40).doesNotHaveDuplicates();
        assertThat(set(s.validationIndices())).doesNotContainAnyElementsOf(set(s.kept()))
                .doesNotContainAnyElementsOf(set(s.metaIndices()));
        assertThat(s.meta().classCounts(4)).containsExactly(5, 5, 5, 5);
        // the long tail is drawn from the 100 - 10 - 5 = 85 images left per class: 85, 85·10^(-1/3), ...
        assertThat(s.dataset().train().classCounts(4)).containsExactly(85, 39, 18, 8);
        for (int k = 0; k < 40; k++) {
            assertThat(s.validation().label(k)).isEqualTo(k / 10); // class by class
        }
        assertThat(s.validationInfo()).containsEntry("per_class", 10).containsEntry("size", 40)
                .containsEntry("indices_sha256", Hashes.sha256(s.validationIndices()));
        assertThat(s.dataset().identity().get("long-tail")).endsWith(", validation 10/class");
    }

    @Test
    void seededAndIndependentOfTheMethodAndTheLongTail() {
        ValidationSplit split = new ValidationSplit(10, null, null);
        int[] a = TrainSubset.of(balanced(), EXPONENTIAL, null, 7, 5, split, 11).validationIndices();
        assertThat(TrainSubset.of(balanced(), EXPONENTIAL, null, 7, 5, split, 11).validationIndices()).isEqualTo(a);
        assertThat(TrainSubset.of(balanced(), NONE, null, 3, 0, split, 11).validationIndices())
                .as("same validation seed, other method and profile").isEqualTo(a);
        assertThat(TrainSubset.of(balanced(), EXPONENTIAL, null, 7, 5, split, 12).validationIndices()).isNotEqualTo(a);

        // no profile, no meta set: everything but the validation set is trained on, in order
        TrainSubset none = TrainSubset.of(balanced(), NONE, null, 7, 0, split, 11);
        assertThat(none.kept()).hasSize(360).isSorted();
        assertThat(set(none.kept())).doesNotContainAnyElementsOf(set(a));
        assertThat(none.info()).containsEntry("profile", "none");
    }

    @Test
    void withoutAValidationSetNothingChanges() {
        TrainSubset before = TrainSubset.of(balanced(), EXPONENTIAL, null, 7, 5);
        TrainSubset after = TrainSubset.of(balanced(), EXPONENTIAL, null, 7, 5, ValidationSplit.NONE, 11);
        assertThat(after.kept()).isEqualTo(before.kept());
        assertThat(after.metaIndices()).isEqualTo(before.metaIndices());
        assertThat(after.validation()).isNull();
        assertThat(after.validationInfo()).isNull();
        assertThat(TrainSubset.of(balanced(), NONE, null, 7, 0, ValidationSplit.NONE, 11).kept()).isNull();
    }

    @Test
    void anIndicesFileReproducesTheSplitExactly() throws IOException {
        TrainSubset drawn = TrainSubset.of(balanced(), EXPONENTIAL, null, 7, 0, new ValidationSplit(10, null, null), 11);
        Path file = Files.writeString(temp.resolve("validation-indices.txt"), lines(drawn.validationIndices()));

        TrainSubset reused = TrainSubset.of(balanced(), EXPONENTIAL, null, 7, 0, new ValidationSplit(0, null, file), 999);
        assertThat(reused.validationIndices()).isEqualTo(drawn.validationIndices());
        assertThat(reused.kept()).isEqualTo(drawn.kept());
        assertThat(reused.validationInfo()).containsEntry("per_class", 10)
                .containsEntry("indices_sha256", drawn.validationInfo().get("indices_sha256"))
                .containsEntry("indices_source", file.toAbsolutePath().normalize().toString());
        assertThat(TrainSubset.of(balanced(), EXPONENTIAL, null, 7, 0, new ValidationSplit(10, null, file), 999)
                .validationIndices()).as("a per-class that agrees with the file").isEqualTo(drawn.validationIndices());

        assertThatThrownBy(() -> TrainSubset.of(balanced(), EXPONENTIAL, null, 7, 0, new ValidationSplit(9, null, file), 1))
                .isInstanceOf(LplException.class)
                .hasMessage(file + " holds 10 validation images per class, but data.validation.per-class = 9 asks for 9;"
                        + " set data.validation.per-class = 10 (or 0 and fraction = null to take the file's count)");
        Path unbalanced = Files.writeString(temp.resolve("unbalanced.txt"), "0\n1\n2\n3\n4\n");
        assertThatThrownBy(() -> TrainSubset.of(balanced(), NONE, null, 7, 0, new ValidationSplit(0, null, unbalanced), 1))
                .isInstanceOf(LplException.class)
                .hasMessageStartingWith(unbalanced + " is not a balanced validation set: class 0 (a) has 2 images in it,"
                        + " class 1 (b) 1");
        Path range = Files.writeString(temp.resolve("range.txt"), "400\n");
        assertThatThrownBy(() -> TrainSubset.of(balanced(), NONE, null, 7, 0, new ValidationSplit(0, null, range), 1))
                .hasMessageStartingWith(range + " line 1: index 400 is outside the training set of 400 images")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> TrainSubset.of(balanced(), NONE, null, 7, 0,
                new ValidationSplit(0, null, temp.resolve("absent.txt")), 1))
                .hasMessageStartingWith("data.validation.indices-file " + temp.resolve("absent.txt") + " does not exist;"
                        + " name the validation-indices.txt of an earlier run");
    }

    @Test
    void aTrainingIndicesFileMayNotListValidationImages() throws IOException {
        TrainSubset drawn = TrainSubset.of(balanced(), EXPONENTIAL, null, 7, 0, new ValidationSplit(10, null, null), 11);
        Path good = Files.writeString(temp.resolve("train-indices.txt"), lines(drawn.kept()));
        assertThat(TrainSubset.of(balanced(), NONE, good, 1, 0, new ValidationSplit(10, null, null), 11).kept())
                .isEqualTo(drawn.kept());
        Path bad = Files.writeString(temp.resolve("bad.txt"), drawn.validationIndices()[3] + "\n");
        assertThatThrownBy(() -> TrainSubset.of(balanced(), NONE, bad, 1, 0, new ValidationSplit(10, null, null), 11))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("lists image " + drawn.validationIndices()[3] + ", which the validation set takes");
    }

    @Test
    void aFractionIsOfTheSmallestClassOfTheSourceSet() {
        ImageDataset uneven = dataset(100, 60, 40, 20);
        TrainSubset s = TrainSubset.of(uneven, NONE, null, 7, 0, new ValidationSplit(0, 0.25, null), 11);
        assertThat(s.validation().classCounts(4)).containsExactly(5, 5, 5, 5); // floor(0.25 × 20)
        assertThat(s.dataset().train().classCounts(4)).containsExactly(95, 55, 35, 15);
        assertThat(TrainSubset.of(uneven, NONE, null, 7, 0, new ValidationSplit(0, 0.99, null), 11)
                .validation().classCounts(4)).containsExactly(19, 19, 19, 19);

        assertThatThrownBy(() -> TrainSubset.of(uneven, NONE, null, 7, 0, new ValidationSplit(0, 0.01, null), 11))
                .isInstanceOf(LplException.class)
                .hasMessage("data.validation.fraction = 0.01 gives floor(0.01 × 20) = 0 validation images per class"
                        + " (class 3 (d) has 20 training images); raise data.validation.fraction or set"
                        + " data.validation.per-class instead");
    }

    @Test
    void tooFewImagesNameTheClassAndTheMaximum() {
        ImageDataset uneven = dataset(100, 60, 40, 20);
        assertThatThrownBy(() -> TrainSubset.of(uneven, NONE, null, 7, 0, new ValidationSplit(20, null, null), 11))
                .isInstanceOf(LplException.class)
                .hasMessage("data.validation.per-class = 20 asks for 20 validation images of every class, but class 3 (d)"
                        + " has only 20 training images and must keep at least one to train on; the maximum is 19"
                        + " (set data.validation.per-class <= 19)");
        assertThat(TrainSubset.of(uneven, NONE, null, 7, 0, new ValidationSplit(19, null, null), 11)
                .dataset().train().classCounts(4)).containsExactly(81, 41, 21, 1);
        assertThatThrownBy(() -> TrainSubset.of(uneven, NONE, null, 7, 1, new ValidationSplit(19, null, null), 11))
                .isInstanceOf(LplException.class)
                .hasMessage("class 3 (d) has 1 training images after the validation set took 19, too few to give 1 to the"
                        + " meta set and keep some to train on; lower the method's meta-per-class or"
                        + " data.validation.per-class");
    }

    @Test
    void theConstructorRejectsImpossibleValues() {
        assertThatThrownBy(() -> new ValidationSplit(-1, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ValidationSplit(0, 1.0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ValidationSplit.NONE.enabled()).isFalse();
        assertThat(new ValidationSplit(0, 0.1, null).requestedPerClass(55)).isEqualTo(5);
    }
}
