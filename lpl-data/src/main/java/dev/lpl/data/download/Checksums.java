package dev.lpl.data.download;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * MD5 and SHA-256 digests of files. MD5 is what the dataset publishers print next to their
 * archives (CIFAR, Fashion-MNIST); it guards against corrupt downloads, not against tampering,
 * which is why every run also records the files' SHA-256.
 */
public final class Checksums {

    private Checksums() {}

    /**
     * Creates a digest that every Java platform has.
     *
     * @param algorithm {@code MD5} or {@code SHA-256}
     * @return a new digest
     */
    public static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the Java platform lacks " + algorithm, e);
        }
    }

    /**
     * Finishes a digest.
     *
     * @param digest a digest that has seen all the data
     * @return lower-case hexadecimal digits
     */
    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Digests a file.
     *
     * @param file the file
     * @return its MD5 and SHA-256
     * @throws IOException if reading fails
     */
    public static FileDigests of(Path file) throws IOException {
        requireNonNull(file, "file is null");
        MessageDigest md5 = newDigest("MD5");
        MessageDigest sha256 = newDigest("SHA-256");
        byte[] buffer = new byte[1 << 16];
        long bytes = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                md5.update(buffer, 0, n);
                sha256.update(buffer, 0, n);
                bytes += n;
            }
        }
        return new FileDigests(bytes, hex(md5), hex(sha256));
    }

    /**
     * The size and digests of a file.
     *
     * @param bytes its size
     * @param md5 its MD5, lower-case hex
     * @param sha256 its SHA-256, lower-case hex
     */
    public record FileDigests(long bytes, String md5, String sha256) {}
}
