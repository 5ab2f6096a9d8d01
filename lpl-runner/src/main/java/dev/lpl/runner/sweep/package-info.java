/**
 * {@code lpl sweep}: a grid of runs (methods × seeds × ratios × any key) executed as separate
 * {@code lpl train} processes, resumable, ending with the comparison table.
 */
package dev.lpl.runner.sweep;
