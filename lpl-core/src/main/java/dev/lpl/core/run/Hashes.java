package dev.lpl.core.run;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests for provenance. */
public final class Hashes {

    private Hashes() {}

    /**
     * Digests integers in big-endian order.
     *
     * @param values the values
     * @return the lower-case hex digest
     */
    public static String sha256(int[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Integer.BYTES);
        buffer.asIntBuffer().put(values);
        return sha256(buffer.array());
    }

    /**
     * Digests bytes.
     *
     * @param bytes the bytes
     * @return the lower-case hex digest
     */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
