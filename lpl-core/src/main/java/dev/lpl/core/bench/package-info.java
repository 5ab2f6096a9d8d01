/**
 * Benchmarks of the training step: every method runs exactly the training code ({@link
 * dev.lpl.core.train.TrainingStep}) on the same network and batch, interleaved round by round so
 * that drift of the machine affects all methods alike.
 */
package dev.lpl.core.bench;
