/**
 * Image files: {@link dev.lpl.data.image.ImageDecoder} turns PNG, JPEG, BMP and GIF files into the
 * planar bytes of an {@link dev.lpl.api.data.ImageSet}, for the image datasets and {@code lpl
 * predict}.
 */
package dev.lpl.data.image;
