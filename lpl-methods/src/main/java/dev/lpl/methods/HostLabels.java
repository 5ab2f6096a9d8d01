package dev.lpl.methods;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** The labels of a batch copied to the host, for methods whose per-sample work runs in Java. */
public final class HostLabels {

    private HostLabels() {}

    /**
     * Copies B labels to an int array.
     *
     * @param labels the B labels, int32 or int64
     * @return the labels
     * @throws IllegalArgumentException for another type or an int64 label outside [0, 2^31)
     */
    public static int[] of(NDArray labels) {
        DataType type = labels.getDataType();
        if (type == DataType.INT32) {
            return labels.toIntArray();
        }
        if (type == DataType.INT64) {
            long[] values = labels.toLongArray();
            int[] result = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                if (values[i] < 0 || values[i] > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("label " + values[i] + " is out of range");
                }
                result[i] = (int) values[i];
            }
            return result;
        }
        throw new IllegalArgumentException("labels must be int32 or int64: " + type);
    }
}
