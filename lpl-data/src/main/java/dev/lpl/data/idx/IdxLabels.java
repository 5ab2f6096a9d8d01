package dev.lpl.data.idx;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * The contents of an IDX label file (magic {@code 0x00000801}): one unsigned byte per item.
 *
 * @param file the file read
 * @param labels the labels, 0–255 (not copied; do not modify)
 * @param sha256 the SHA-256 of the file as stored (compressed, for a {@code .gz} file), in hex
 */
public record IdxLabels(Path file, int[] labels, String sha256) {

    /**
     * Checks the components.
     *
     * @param file the file read
     * @param labels the labels
     * @param sha256 the file's SHA-256
     */
    public IdxLabels {
        requireNonNull(file, "file is null");
        requireNonNull(labels, "labels is null");
        requireNonNull(sha256, "sha256 is null");
    }
}
