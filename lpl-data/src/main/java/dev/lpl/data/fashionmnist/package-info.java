/**
 * The {@code fashion-mnist} dataset, read from the four IDX files of Zalando's Fashion-MNIST
 * (Xiao, Rasul and Vollgraf, 2017) found in {@code data.path}, the dataset cache or Debian's
 * {@code dataset-fashion-mnist} package.
 */
package dev.lpl.data.fashionmnist;
