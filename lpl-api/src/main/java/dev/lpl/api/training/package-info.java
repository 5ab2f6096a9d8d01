/**
 * The training loop's extension points: the optimizer of the network weights and its
 * learning-rate schedule, the compute backend, and listeners that observe every epoch of a run.
 */
package dev.lpl.api.training;
