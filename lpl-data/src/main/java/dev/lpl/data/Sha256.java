package dev.lpl.data;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests as lower-case hexadecimal strings, for dataset identities. */
public final class Sha256 {

    private Sha256() {}

    /**
     * Creates a SHA-256 digest (every Java platform has one).
     *
     * @return a new digest
     */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the Java platform lacks SHA-256", e);
        }
    }

    /**
     * Returns the digest of bytes.
     *
     * @param bytes the data
     * @return 64 lower-case hexadecimal digits
     */
    public static String hex(byte[] bytes) {
        requireNonNull(bytes, "bytes is null");
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    /**
     * Finishes a digest.
     *
     * @param digest a digest that has seen all the data
     * @return 64 lower-case hexadecimal digits
     */
    public static String hex(MessageDigest digest) {
        requireNonNull(digest, "digest is null");
        return HexFormat.of().formatHex(digest.digest());
    }
}
