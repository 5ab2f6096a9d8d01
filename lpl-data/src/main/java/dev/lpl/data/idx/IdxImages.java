package dev.lpl.data.idx;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * The contents of an IDX image file (magic {@code 0x00000803}): {@code count} images of {@code rows
 * × columns} unsigned bytes, row-major, one after another.
 *
 * @param file the file read
 * @param pixels count · rows · columns bytes (not copied; do not modify)
 * @param count the number of images
 * @param rows the image height
 * @param columns the image width
 * @param sha256 the SHA-256 of the file as stored (compressed, for a {@code .gz} file), in hex
 */
public record IdxImages(Path file, byte[] pixels, int count, int rows, int columns, String sha256) {

    /**
     * Checks the components.
     *
     * @param file the file read
     * @param pixels count · rows · columns bytes
     * @param count the number of images
     * @param rows the image height
     * @param columns the image width
     * @param sha256 the file's SHA-256
     */
    public IdxImages {
        requireNonNull(file, "file is null");
        requireNonNull(pixels, "pixels is null");
        requireNonNull(sha256, "sha256 is null");
        if ((long) count * rows * columns != pixels.length) {
            throw new IllegalArgumentException("pixels do not hold " + count + " images of "
                    + rows + "×" + columns);
        }
    }
}
