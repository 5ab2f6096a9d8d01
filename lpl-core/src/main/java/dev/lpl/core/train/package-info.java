/**
 * The training engine (our own loop: forward → perturbation → loss → backward → step, one NDManager
 * per batch), evaluation, the PyTorch-exact SGD, learning-rate schedules and backends.
 */
package dev.lpl.core.train;
