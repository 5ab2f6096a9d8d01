package dev.lpl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lpl.api.data.ImageSet;
import org.junit.jupiter.api.Test;

class PixelStatisticsTest {

    @Test
    void computesPerChannelMeanAndPopulationStd() {
        // two images of 2 channels × 1×2 pixels: channel 0 holds 0, 255, 0, 255; channel 1 holds 51
        byte[] pixels = {0, (byte) 255, 51, 51, 0, (byte) 255, 51, 51};
        ImageSet set = new ImageSet(pixels, new int[] {0, 1}, 2, 1, 2);

        PixelStatistics stats = PixelStatistics.of(set);

        assertThat(stats.mean()[0]).isCloseTo(0.5f, within(1e-6f));
        assertThat(stats.std()[0]).isCloseTo(0.5f, within(1e-6f));
        assertThat(stats.mean()[1]).isCloseTo(0.2f, within(1e-6f));
        assertThat(stats.std()[1]).isCloseTo(0f, within(1e-6f));
    }
}
