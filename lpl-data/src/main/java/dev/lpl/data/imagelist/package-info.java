/**
 * The {@code image-list} dataset: images under a root folder, listed with their labels in split
 * files (the format of ImageNet-LT, Places-LT and iNaturalist's published splits).
 */
package dev.lpl.data.imagelist;
