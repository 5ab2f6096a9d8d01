package dev.lpl.core.data;

import java.util.BitSet;
import java.util.stream.IntStream;

/** The positions of every class's images in a label array, each class in ascending order. */
final class ClassIndices {

    private ClassIndices() {}

    /**
     * Groups positions by label.
     *
     * @param labels labels in {@code [0, numClasses)}
     * @param numClasses C
     * @return C arrays; array c holds, ascending, every i with {@code labels[i] == c} (empty if none)
     */
    static int[][] of(int[] labels, int numClasses) {
        int[] counts = new int[numClasses];
        for (int y : labels) {
            counts[y]++;
        }
        int[][] byClass = new int[numClasses][];
        for (int c = 0; c < numClasses; c++) {
            byClass[c] = new int[counts[c]];
        }
        int[] filled = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            byClass[labels[i]][filled[labels[i]]++] = i;
        }
        return byClass;
    }

    /**
     * Groups positions by label, leaving out some.
     *
     * @param labels labels in {@code [0, numClasses)}
     * @param numClasses C
     * @param excluded positions to leave out (e.g. images already taken by the validation set)
     * @return C arrays; array c holds, ascending, every i with {@code labels[i] == c} not in {@code
     *     excluded}
     */
    static int[][] of(int[] labels, int numClasses, BitSet excluded) {
        int[][] byClass = of(labels, numClasses);
        if (!excluded.isEmpty()) {
            for (int c = 0; c < numClasses; c++) {
                byClass[c] = IntStream.of(byClass[c]).filter(i -> !excluded.get(i)).toArray();
            }
        }
        return byClass;
    }
}
