/** The {@code image-folder} dataset: the user's images, one sub-folder per class. */
package dev.lpl.data.imagefolder;
