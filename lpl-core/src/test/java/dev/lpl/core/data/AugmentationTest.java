package dev.lpl.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lpl.api.data.ImageSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentationTest {

    /** One 1×3×4 image with pixel values 1..12, row-major. */
    private static ImageSet image() {
        byte[] px = new byte[12];
        for (int i = 0; i < 12; i++) {
            px[i] = (byte) (i + 1);
        }
        return new ImageSet(px, new int[] {0}, 1, 3, 4);
    }

    private static final float[] MEAN = {0f};
    private static final float[] STD = {1f / 255f};

    @Test
    void plainWriteNormalises() {
        float[] out = new float[12];
        new Augmentation(0, Augmentation.PaddingMode.ZERO, false, new float[] {0.5f}, new float[] {0.25f})
                .writePlain(image(), 0, out, 0);
        assertThat(out[0]).isCloseTo((1 / 255f - 0.5f) / 0.25f, within(1e-6f));
        assertThat(out[11]).isCloseTo((12 / 255f - 0.5f) / 0.25f, within(1e-6f));
    }

    @Test
    void cropsAndFlipsAreShiftsOfThePaddedImage() {
        // With std = 1/255 and mean 0 the output equals the byte value.
        Augmentation aug = new Augmentation(1, Augmentation.PaddingMode.ZERO, true, MEAN, STD);
        boolean sawShift = false;
        boolean sawFlip = false;
        for (int trial = 0; trial < 200; trial++) {
            float[] out = new float[12];
            SplittableRandom use = new SplittableRandom(trial);
            aug.writeAugmented(image(), 0, out, 0, use);
            SplittableRandom again = new SplittableRandom(trial);
            int dy = again.nextInt(3) - 1;
            int dx = again.nextInt(3) - 1;
            boolean flip = again.nextBoolean();
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    int sx = (flip ? 3 - x : x) + dx;
                    int sy = y + dy;
                    float expected = sy < 0 || sy > 2 || sx < 0 || sx > 3 ? 0f : 1 + sy * 4 + sx;
                    assertThat(out[y * 4 + x]).isCloseTo(expected, within(1e-3f));
                }
            }
            sawShift |= dx != 0 || dy != 0;
            sawFlip |= flip;
        }
        assertThat(sawShift).isTrue();
        assertThat(sawFlip).isTrue();
    }

    @Test
    void reflectPaddingMirrorsWithoutRepeatingTheEdge() {
        Augmentation aug = new Augmentation(2, Augmentation.PaddingMode.REFLECT, false, MEAN, STD);
        for (int seed = 0; seed < 100; seed++) {
            SplittableRandom replay = new SplittableRandom(seed);
            int dy = replay.nextInt(5) - 2;
            int dx = replay.nextInt(5) - 2;
            float[] out = new float[12];
            aug.writeAugmented(image(), 0, out, 0, new SplittableRandom(seed));
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    int sy = reflect(y + dy, 3);
                    int sx = reflect(x + dx, 4);
                    assertThat(out[y * 4 + x]).isCloseTo(1 + sy * 4 + sx, within(1e-3f));
                }
            }
        }
    }

    private static int reflect(int i, int n) {
        // numpy.pad(mode="reflect") for |overhang| < n
        if (i < 0) {
            return -i;
        }
        return i >= n ? 2 * (n - 1) - i : i;
    }
}
