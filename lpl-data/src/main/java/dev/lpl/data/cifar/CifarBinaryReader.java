package dev.lpl.data.cifar;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.LplException;
import dev.lpl.data.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Reads one CIFAR binary file: a sequence of fixed-size records, each label bytes then 3072 pixel
 * bytes. The file must hold a whole number of records and every label must be in range; the
 * SHA-256 of the file is computed on the same pass.
 */
public final class CifarBinaryReader {

    private static final int RECORDS_PER_READ = 1024;

    private CifarBinaryReader() {}

    /**
     * The records of one file.
     *
     * @param name the file (or archive entry) read, for messages and the identity
     * @param pixels count × 3072 bytes, planar R, G, B (not copied; do not modify)
     * @param labels the class of each record
     * @param sha256 the file's SHA-256, lower-case hex
     */
    public record Records(String name, byte[] pixels, int[] labels, String sha256) {

        /**
         * Returns the number of records.
         *
         * @return N
         */
        public int count() {
            return labels.length;
        }
    }

    /**
     * Reads a file.
     *
     * @param file the file
     * @param variant CIFAR-10 or CIFAR-100
     * @param fix what the user should do about a bad file (ends every error message)
     * @return the records
     * @throws LplException if the file is missing, truncated or malformed
     * @throws IOException if reading fails for another reason
     */
    public static Records read(Path file, CifarVariant variant, String fix) throws IOException {
        requireNonNull(file, "file is null");
        long size;
        InputStream in;
        try {
            size = Files.size(file);
            in = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new LplException(file + " does not exist; " + fix, e);
        } catch (AccessDeniedException e) {
            throw new LplException(file + " cannot be read: permission denied; " + fix, e);
        }
        try (InputStream stream = in) {
            return read(stream, size, file.toString(), variant, fix);
        }
    }

    /**
     * Reads records from a stream (e.g. an archive entry) of known size.
     *
     * @param in the bytes
     * @param size how many bytes the stream holds
     * @param name the file or entry, for messages
     * @param variant CIFAR-10 or CIFAR-100
     * @param fix what the user should do about a bad file (ends every error message)
     * @return the records
     * @throws LplException if the data are truncated or malformed
     * @throws IOException if reading fails for another reason
     */
    public static Records read(InputStream in, long size, String name, CifarVariant variant, String fix)
            throws IOException {
        requireNonNull(in, "in is null");
        requireNonNull(name, "name is null");
        requireNonNull(variant, "variant is null");
        requireNonNull(fix, "fix is null");
        int recordBytes = variant.recordBytes();
        String what = variant.title() + " binary file";
        if (size == 0) {
            throw new LplException(name + " is empty: it is not a " + what + "; " + fix);
        }
        if (size % recordBytes != 0) {
            throw new LplException(name + " is truncated or not a " + what + ": its " + size
                    + " bytes are not a whole number of " + recordBytes + "-byte records (" + labels(variant)
                    + " + " + CifarVariant.IMAGE_BYTES + " pixel bytes); " + fix);
        }
        long count = size / recordBytes;
        if (count * CifarVariant.IMAGE_BYTES > Integer.MAX_VALUE - 16) {
            throw new LplException(name + " is too large for a " + what + " (" + count + " records); " + fix);
        }
        int n = (int) count;
        byte[] pixels = new byte[n * CifarVariant.IMAGE_BYTES];
        int[] labels = new int[n];
        MessageDigest digest = Sha256.newDigest();
        byte[] buffer = new byte[RECORDS_PER_READ * recordBytes];
        int labelIndex = variant.labelIndex();
        int classes = variant.numClasses();
        int record = 0;
        while (record < n) {
            int batch = Math.min(RECORDS_PER_READ, n - record);
            int want = batch * recordBytes;
            int got = in.readNBytes(buffer, 0, want);
            digest.update(buffer, 0, got);
            if (got < want) {
                throw new LplException(name + " is truncated: expected " + size + " bytes, got "
                        + ((long) record * recordBytes + got) + "; " + fix);
            }
            for (int k = 0; k < batch; k++, record++) {
                int offset = k * recordBytes;
                if (variant.labelBytes() == 2) {
                    int coarse = buffer[offset] & 0xff;
                    if (coarse >= CifarVariant.COARSE_CLASSES) {
                        throw badLabel(name, "coarse label", coarse, record, CifarVariant.COARSE_CLASSES, what, fix);
                    }
                }
                int label = buffer[offset + labelIndex] & 0xff;
                if (label >= classes) {
                    throw badLabel(name, variant.labelBytes() == 2 ? "fine label" : "label", label, record, classes,
                            what, fix);
                }
                labels[record] = label;
                System.arraycopy(buffer, offset + variant.labelBytes(), pixels,
                        record * CifarVariant.IMAGE_BYTES, CifarVariant.IMAGE_BYTES);
            }
        }
        if (in.read() != -1) {
            throw new LplException(name + " is longer than its declared " + size + " bytes; " + fix);
        }
        return new Records(name, pixels, labels, Sha256.hex(digest));
    }

    private static String labels(CifarVariant variant) {
        return variant.labelBytes() == 1 ? "1 label byte" : "2 label bytes (coarse, fine)";
    }

    private static LplException badLabel(String name, String kind, int value, int record, int classes, String what,
            String fix) {
        return new LplException(String.format(Locale.ROOT, "%s has %s %d in record %d, outside 0..%d: it is not a"
                + " %s; %s", name, kind, value, record, classes - 1, what, fix));
    }
}
