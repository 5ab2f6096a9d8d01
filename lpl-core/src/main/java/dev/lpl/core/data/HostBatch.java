package dev.lpl.core.data;

/**
 * A mini-batch assembled on the host: normalised images in NCHW float layout and their labels.
 *
 * @param images B·C·H·W floats
 * @param labels B labels
 * @param size B
 */
public record HostBatch(float[] images, long[] labels, int size) {}
