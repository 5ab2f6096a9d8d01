package dev.lpl.data.idx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes IDX files for tests. */
public final class IdxTestFiles {

    private IdxTestFiles() {}

    /**
     * Returns the bytes of an IDX image file.
     *
     * @param magic the magic number to write
     * @param count the count to declare
     * @param rows the rows to declare
     * @param columns the columns to declare
     * @param pixels the data
     * @return the file's bytes
     */
    public static byte[] images(int magic, int count, int rows, int columns, byte[] pixels) {
        return ByteBuffer.allocate(16 + pixels.length)
                .putInt(magic).putInt(count).putInt(rows).putInt(columns).put(pixels).array();
    }

    /**
     * Returns the bytes of an IDX label file.
     *
     * @param magic the magic number to write
     * @param count the count to declare
     * @param labels the data
     * @return the file's bytes
     */
    public static byte[] labels(int magic, int count, byte[] labels) {
        return ByteBuffer.allocate(8 + labels.length).putInt(magic).putInt(count).put(labels).array();
    }

    /**
     * Returns the gzip compression of bytes.
     *
     * @param bytes the data
     * @return a gzip stream
     */
    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(buffer)) {
            out.write(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return buffer.toByteArray();
    }

    /**
     * Writes bytes to a file, gzip-compressed when its name ends in {@code .gz}.
     *
     * @param file the file
     * @param bytes the uncompressed contents
     * @return the file
     * @throws IOException if writing fails
     */
    public static Path write(Path file, byte[] bytes) throws IOException {
        return Files.write(file, file.toString().endsWith(".gz") ? gzip(bytes) : bytes);
    }

    /**
     * Returns deterministic pixel bytes.
     *
     * @param n the number of bytes
     * @param salt varies the pattern
     * @return n bytes
     */
    public static byte[] pattern(int n, int salt) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + salt * 7 + (i >> 8));
        }
        return b;
    }
}
