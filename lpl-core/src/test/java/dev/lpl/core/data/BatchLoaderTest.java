package dev.lpl.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lpl.api.data.ImageSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchLoaderTest {

    private static ImageSet set(int n) {
        byte[] px = new byte[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            for (int k = 0; k < 4; k++) {
                px[i * 4 + k] = (byte) i;
            }
        }
        return new ImageSet(px, labels, 1, 2, 2);
    }

    private static List<long[]> labelsOf(Iterator<HostBatch> it) {
        List<long[]> out = new ArrayList<>();
        it.forEachRemaining(b -> out.add(b.labels()));
        return out;
    }

    @Test
    void epochsCoverEverySampleOnceInBatches() {
        Augmentation aug = new Augmentation(0, Augmentation.PaddingMode.ZERO, false, new float[] {0}, new float[] {1 / 255f});
        try (BatchLoader loader = new BatchLoader(set(10), aug, 4, true, 5, 2)) {
            assertThat(loader.batchesPerEpoch()).isEqualTo(3);
            List<Integer> seen = new ArrayList<>();
            int[] sizes = new int[3];
            int b = 0;
            for (Iterator<HostBatch> it = loader.epoch(0); it.hasNext(); ) {
                HostBatch batch = it.next();
                sizes[b++] = batch.size();
                for (int i = 0; i < batch.size(); i++) {
                    seen.add(Math.round(batch.images()[i * 4]));
                }
            }
            assertThat(sizes).containsExactly(4, 4, 2);
            assertThat(seen).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        }
    }

    @Test
    void orderDependsOnlyOnSeedAndEpoch() {
        Augmentation aug = new Augmentation(1, Augmentation.PaddingMode.ZERO, true, new float[] {0}, new float[] {1});
        try (BatchLoader a = new BatchLoader(set(50), aug, 8, true, 5, 2);
                BatchLoader b = new BatchLoader(set(50), aug, 8, true, 5, 3)) {
            List<long[]> a1 = labelsOf(a.epoch(1));
            labelsOf(b.epoch(0)); // b also ran epoch 0: must not shift epoch 1
            List<long[]> b1 = labelsOf(b.epoch(1));
            assertThat(a1).usingRecursiveComparison().isEqualTo(b1);
            assertThat(labelsOf(a.epoch(2))).usingRecursiveComparison().isNotEqualTo(a1);
        }
    }

    @Test
    void startingMidEpochGivesTheSameBatchesAsAnUninterruptedEpoch() {
        Augmentation aug = new Augmentation(1, Augmentation.PaddingMode.ZERO, true, new float[] {0}, new float[] {1});
        try (BatchLoader loader = new BatchLoader(set(50), aug, 8, true, 5, 2)) {
            List<HostBatch> all = new ArrayList<>();
            loader.epoch(3).forEachRemaining(all::add);
            List<HostBatch> tail = new ArrayList<>();
            loader.epoch(3, 4).forEachRemaining(tail::add);
            assertThat(tail).hasSize(all.size() - 4);
            for (int k = 0; k < tail.size(); k++) {
                assertThat(tail.get(k).labels()).isEqualTo(all.get(k + 4).labels());
                assertThat(tail.get(k).images()).isEqualTo(all.get(k + 4).images());
            }
        }
    }

    @Test
    void evaluationKeepsOrderAndAbandonedEpochsDoNotBlock() {
        Augmentation aug = new Augmentation(0, Augmentation.PaddingMode.ZERO, false, new float[] {0}, new float[] {1});
        try (BatchLoader loader = new BatchLoader(set(100), aug, 10, false, 0, 1)) {
            loader.epoch(0).next(); // abandon after one batch
            List<long[]> all = labelsOf(loader.epoch(0));
            assertThat(all).hasSize(10);
            assertThat(all.get(0)).containsExactly(0, 1, 2, 0, 1, 2, 0, 1, 2, 0);
        }
    }

    @Test
    void balancedEpochsDrawClassesUniformlyFromALongTailedSet() {
        // 900 images of class 0, 90 of class 1, 10 of class 2; from epoch 1 on, class-balanced draws
        int n = 1000;
        byte[] px = new byte[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i < 900 ? 0 : i < 990 ? 1 : 2;
        }
        ImageSet longTailed = new ImageSet(px, labels, 1, 2, 2);
        Augmentation aug = new Augmentation(0, Augmentation.PaddingMode.ZERO, false, new float[] {0}, new float[] {1});
        try (BatchLoader loader = new BatchLoader(longTailed, aug, 100, true, 5, 2, 1);
                BatchLoader again = new BatchLoader(longTailed, aug, 100, true, 5, 2, 1)) {
            int[] plain = new int[3];
            labelsOf(loader.epoch(0)).forEach(b -> java.util.Arrays.stream(b).forEach(y -> plain[(int) y]++));
            assertThat(plain).containsExactly(900, 90, 10);
            int[] balanced = new int[3];
            List<long[]> epoch1 = labelsOf(loader.epoch(1));
            epoch1.forEach(b -> java.util.Arrays.stream(b).forEach(y -> balanced[(int) y]++));
            assertThat(java.util.Arrays.stream(balanced).sum()).isEqualTo(n);
            for (int count : balanced) {
                assertThat(count).isBetween(333 - 60, 333 + 60); // binomial sd 14.9: 4 sd
            }
            long[] first = epoch1.stream().flatMapToLong(java.util.Arrays::stream).toArray();
            long[] second = labelsOf(again.epoch(1)).stream().flatMapToLong(java.util.Arrays::stream).toArray();
            assertThat(second).containsExactly(first);
        }
    }
}
