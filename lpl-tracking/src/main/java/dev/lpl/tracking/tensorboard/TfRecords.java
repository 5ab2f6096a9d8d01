package dev.lpl.tracking.tensorboard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorBoard event files: each record is {@code uint64
 * length}, {@code uint32 masked_crc32c(length)}, {@code byte[length] data}, {@code uint32
 * masked_crc32c(data)}, all little-endian; the mask is {@code ((crc >>> 15) | (crc << 17)) +
 * 0xa282ead8} (TensorFlow's {@code tensorflow/core/lib/hash/crc32c.h}).
 */
public final class TfRecords {

    private static final int MASK_DELTA = 0xa282ead8;

    private TfRecords() {}

    /**
     * Returns the masked CRC-32C (Castagnoli) of bytes.
     *
     * @param data the bytes
     * @return the masked checksum, as an unsigned 32-bit value in an int
     */
    public static int maskedCrc(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        int value = (int) crc.getValue();
        return ((value >>> 15) | (value << 17)) + MASK_DELTA;
    }

    /**
     * Frames one record.
     *
     * @param data the record's payload (a serialized Event)
     * @return length, its checksum, the payload and its checksum
     */
    public static byte[] frame(byte[] data) {
        ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length);
        ByteBuffer out = ByteBuffer.allocate(8 + 4 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        out.put(header.array()).putInt(maskedCrc(header.array())).put(data).putInt(maskedCrc(data));
        return out.array();
    }

    /**
     * Reads the payloads of a file's records up to the first one that is incomplete or fails its
     * checksums (what a crash while writing leaves at the end).
     *
     * @param file a TFRecord file
     * @return the payloads of its intact leading records
     * @throws IOException if the file cannot be read
     */
    public static List<byte[]> readIntact(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> records = new ArrayList<>();
        while (in.remaining() >= 12) {
            byte[] header = new byte[8];
            in.get(header);
            long length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (in.getInt() != maskedCrc(header) || length < 0 || length > in.remaining() - 4) {
                break;
            }
            byte[] data = new byte[(int) length];
            in.get(data);
            if (in.getInt() != maskedCrc(data)) {
                break;
            }
            records.add(data);
        }
        return records;
    }
}
