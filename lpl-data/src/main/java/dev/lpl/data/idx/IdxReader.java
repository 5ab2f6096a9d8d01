package dev.lpl.data.idx;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.LplException;
import dev.lpl.data.Sha256;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files: a big-endian header (magic {@code 0x00000803} then count, rows and columns for
 * images; magic {@code 0x00000801} then count for labels) followed by unsigned bytes. A name ending
 * in {@code .gz} is read through gzip. The data are read with whole-array reads, the file's SHA-256
 * is computed on the same pass, and the file must hold exactly what its header declares.
 *
 * <p>Every problem with a file's contents is an {@link LplException} whose first line names the
 * file, says what is wrong and ends with the caller's fix (for example "reinstall ...").
 */
public final class IdxReader {

    /** The magic number of an IDX file of unsigned-byte 3-D data (images). */
    public static final int IMAGE_MAGIC = 0x00000803;

    /** The magic number of an IDX file of unsigned-byte 1-D data (labels). */
    public static final int LABEL_MAGIC = 0x00000801;

    private static final int BUFFER_BYTES = 1 << 16;
    /** Deflate cannot expand more than 1032:1; a header declaring more is certainly wrong. */
    private static final long MAX_GZIP_RATIO = 1100;
    private static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 16;

    private IdxReader() {}

    /**
     * Reads an IDX image file.
     *
     * @param file the file ({@code .gz} for gzip)
     * @param fix what the user should do about a bad file, appended to every error message
     * @return the images and the file's SHA-256
     * @throws LplException if the file is not a complete IDX image file
     * @throws IOException if reading fails for another reason
     */
    public static IdxImages readImages(Path file, String fix) throws IOException {
        requireNonNull(file, "file is null");
        requireNonNull(fix, "fix is null");
        try (Source source = Source.open(file, fix)) {
            int magic = source.header(4)[0];
            if (magic != IMAGE_MAGIC) {
                throw source.error("is not an IDX image file: magic number " + hex(magic)
                        + ", expected " + hex(IMAGE_MAGIC) + kind(magic));
            }
            int[] dims = source.header(12);
            int count = dims[0];
            int rows = dims[1];
            int columns = dims[2];
            if (count < 0 || rows <= 0 || columns <= 0) {
                throw source.error("has an invalid IDX header: " + count + " images of "
                        + rows + "×" + columns);
            }
            long bytes = (long) count * rows * columns;
            if (bytes > MAX_DATA_BYTES) {
                throw source.error("has an invalid IDX header: " + count + " images of "
                        + rows + "×" + columns + " exceed 2 GiB");
            }
            byte[] pixels = source.data(16, (int) bytes);
            return new IdxImages(file, pixels, count, rows, columns, source.finish());
        }
    }

    /**
     * Reads an IDX label file.
     *
     * @param file the file ({@code .gz} for gzip)
     * @param fix what the user should do about a bad file, appended to every error message
     * @return the labels (0–255) and the file's SHA-256
     * @throws LplException if the file is not a complete IDX label file
     * @throws IOException if reading fails for another reason
     */
    public static IdxLabels readLabels(Path file, String fix) throws IOException {
        requireNonNull(file, "file is null");
        requireNonNull(fix, "fix is null");
        try (Source source = Source.open(file, fix)) {
            int magic = source.header(4)[0];
            if (magic != LABEL_MAGIC) {
                throw source.error("is not an IDX label file: magic number " + hex(magic)
                        + ", expected " + hex(LABEL_MAGIC) + kind(magic));
            }
            int count = source.header(4)[0];
            if (count < 0) {
                throw source.error("has an invalid IDX header: " + count + " labels");
            }
            byte[] bytes = source.data(8, count);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = bytes[i] & 0xff;
            }
            return new IdxLabels(file, labels, source.finish());
        }
    }

    private static String hex(int value) {
        return String.format("0x%08X", value);
    }

    private static String kind(int magic) {
        if (magic == IMAGE_MAGIC) {
            return " (that of an image file)";
        }
        if (magic == LABEL_MAGIC) {
            return " (that of a label file)";
        }
        return "";
    }

    /** One file being read: the digest sees every byte of the file as stored, exactly once. */
    private static final class Source implements AutoCloseable {

        private final Path file;
        private final String fix;
        private final boolean gzip;
        private final long fileBytes;
        private final DigestInputStream raw;
        private final InputStream in;
        private long position;

        private Source(Path file, String fix, boolean gzip, long fileBytes, DigestInputStream raw,
                InputStream in) {
            this.file = file;
            this.fix = fix;
            this.gzip = gzip;
            this.fileBytes = fileBytes;
            this.raw = raw;
            this.in = in;
        }

        static Source open(Path file, String fix) throws IOException {
            boolean gzip = file.getFileName().toString().endsWith(".gz");
            long fileBytes;
            InputStream stream;
            try {
                fileBytes = Files.size(file);
                stream = Files.newInputStream(file);
            } catch (NoSuchFileException e) {
                throw new LplException(file + " does not exist; " + fix, e);
            } catch (AccessDeniedException e) {
                throw new LplException(file + " cannot be read: permission denied; " + fix, e);
            }
            MessageDigest digest = Sha256.newDigest();
            DigestInputStream raw = new DigestInputStream(stream, digest);
            if (!gzip) {
                return new Source(file, fix, false, fileBytes, raw, raw);
            }
            try {
                return new Source(file, fix, true, fileBytes, raw,
                        new GZIPInputStream(raw, BUFFER_BYTES));
            } catch (ZipException | EOFException e) {
                raw.close();
                throw gzipError(file, fix, e);
            }
        }

        /** Reads header integers (big-endian); {@code bytes} is a multiple of 4. */
        int[] header(int bytes) throws IOException {
            byte[] b = read(bytes);
            if (b.length < bytes) {
                throw truncated(position + bytes, position + b.length);
            }
            position += bytes;
            int[] values = new int[bytes / 4];
            for (int i = 0; i < values.length; i++) {
                values[i] = ((b[4 * i] & 0xff) << 24) | ((b[4 * i + 1] & 0xff) << 16)
                        | ((b[4 * i + 2] & 0xff) << 8) | (b[4 * i + 3] & 0xff);
            }
            return values;
        }

        /** Reads the data after a header of {@code headerBytes}; the file must end there. */
        byte[] data(int headerBytes, int bytes) throws IOException {
            long expected = headerBytes + (long) bytes;
            if (!gzip && fileBytes != expected) {
                if (fileBytes < expected) {
                    throw truncated(expected, fileBytes);
                }
                throw tooLong(expected, fileBytes);
            }
            if (gzip && bytes > fileBytes * MAX_GZIP_RATIO) {
                byte[] some = read(bytes);
                throw truncated(expected, headerBytes + (long) some.length);
            }
            byte[] data = new byte[bytes];
            int got = readFully(data);
            if (got < bytes) {
                throw truncated(expected, headerBytes + (long) got);
            }
            if (gzip) {
                long extra = skipRest();
                if (extra > 0) {
                    throw tooLong(expected, expected + extra);
                }
            }
            return data;
        }

        /** Reads the rest of the stored file into the digest and returns the hex digest. */
        String finish() throws IOException {
            raw.transferTo(OutputStream.nullOutputStream());
            return Sha256.hex(raw.getMessageDigest());
        }

        LplException error(String problem) {
            return new LplException(file + " " + problem + "; " + fix);
        }

        private LplException truncated(long expected, long got) {
            return error("is truncated: expected " + expected + " bytes, got " + got);
        }

        private LplException tooLong(long expected, long got) {
            return error("is longer than its IDX header declares: expected " + expected
                    + " bytes, got " + got);
        }

        private byte[] read(int bytes) throws IOException {
            try {
                return in.readNBytes(bytes);
            } catch (ZipException | EOFException e) {
                throw gzipError(file, fix, e);
            }
        }

        private int readFully(byte[] data) throws IOException {
            try {
                return in.readNBytes(data, 0, data.length);
            } catch (ZipException | EOFException e) {
                throw gzipError(file, fix, e);
            }
        }

        private long skipRest() throws IOException {
            try {
                return in.transferTo(OutputStream.nullOutputStream());
            } catch (ZipException | EOFException e) {
                throw gzipError(file, fix, e);
            }
        }

        private static LplException gzipError(Path file, String fix, IOException e) {
            String detail = e.getMessage() == null ? "unexpected end of file" : e.getMessage();
            return new LplException(file + " is not a valid gzip file (" + detail
                    + "): it is corrupt or truncated; " + fix, e);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
