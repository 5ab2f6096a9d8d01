/**
 * The input pipeline every dataset shares: long-tail sampling of the training set, augmentation on
 * raw bytes (pad, random crop, horizontal flip, normalisation in one pass) and batch assembly on a
 * background thread.
 */
package dev.lpl.core.data;
