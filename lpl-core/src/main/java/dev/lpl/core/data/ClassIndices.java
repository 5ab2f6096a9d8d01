package dev.lpl.core.data;

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
}
