/**
 * The datasets plugin: {@link dev.lpl.data.DataPlugin} registers the embedded {@code synthetic}
 * shapes, the {@code fashion-mnist}, {@code cifar10} and {@code cifar100} readers and the {@code
 * image-folder} and {@code image-list} datasets; {@link dev.lpl.data.PixelStatistics} and {@link dev.lpl.data.Sha256} are
 * shared by the datasets, and {@link dev.lpl.data.DownloadableDataset} marks those that {@code lpl
 * data fetch} can download ahead of time.
 *
 * <p>Datasets only load images as bytes; long-tail sampling, augmentation and batching are done by
 * the core for every dataset.
 */
package dev.lpl.data;
