/**
 * {@code lpl sweep}: a grid of runs (methods × seeds × ratios × any key) executed as separate
 * {@code lpl train} processes, resumable, ending with the comparison table: on this machine
 * ({@link dev.lpl.runner.sweep.LocalExecutor}) or as one Slurm job array
 * ({@link dev.lpl.runner.sweep.SlurmExecutor}), with the same run directories.
 */
package dev.lpl.runner.sweep;
