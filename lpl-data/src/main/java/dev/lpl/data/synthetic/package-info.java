/**
 * The embedded {@code synthetic} dataset: ten classes of procedurally drawn, anti-aliased grey
 * shapes on 28×28 pixels, generated deterministically from the run's data seed, with a long-tailed
 * training set and a balanced test set. Needs no files and no download, so every test and demo can
 * train on it.
 */
package dev.lpl.data.synthetic;
