/**
 * The {@code cifar10} and {@code cifar100} datasets, read from the binary versions of Krizhevsky's
 * CIFAR archives (a folder, the archive itself, or downloaded into the cache and extracted).
 */
package dev.lpl.data.cifar;
