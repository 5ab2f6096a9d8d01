/**
 * The datasets plugin: {@link dev.lpl.data.DataPlugin} registers the embedded {@code synthetic}
 * shapes and the {@code fashion-mnist} reader; {@link dev.lpl.data.PixelStatistics} and {@link
 * dev.lpl.data.Sha256} are shared by the datasets.
 *
 * <p>Datasets only load images as bytes; long-tail sampling, augmentation and batching are done by
 * the core for every dataset.
 */
package dev.lpl.data;
