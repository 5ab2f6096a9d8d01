/**
 * Experiment tracking as run listeners ({@link dev.lpl.api.training.RunListener}): {@code csv}
 * writes {@code metrics.csv}, {@code tensorboard} writes TensorBoard event files. Both record
 * {@link dev.lpl.api.training.EpochResult#scalars()}, the figures of {@code metrics.jsonl}.
 */
package dev.lpl.tracking;
