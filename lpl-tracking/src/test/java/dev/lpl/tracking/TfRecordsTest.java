package dev.lpl.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lpl.tracking.tensorboard.Events;
import dev.lpl.tracking.tensorboard.TfRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfRecordsTest {

    @Test
    void maskedCrcOfTheStandardCheckString() {
        // CRC-32C("123456789") = 0xE3069283; masked as TensorFlow's crc32c::Mask
        int crc = 0xE3069283;
        int mask = ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
        assertThat(TfRecords.maskedCrc("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(mask);
    }

    @Test
    void recordsReadBackAndATornTailIsDropped(@TempDir Path tmp) throws Exception {
        byte[] a = Events.fileVersion(1.5);
        byte[] b = Events.scalars(2.5, 7, Map.of("x", 0.25f));
        byte[] framedB = TfRecords.frame(b);
        Path file = tmp.resolve("f");
        Files.write(file, concat(TfRecords.frame(a), framedB, Arrays.copyOf(framedB, framedB.length - 3)));
        List<byte[]> records = TfRecords.readIntact(file);
        assertThat(records).hasSize(2);
        assertThat(records.get(1)).isEqualTo(b);
        assertThat(Events.step(records.get(0))).isZero();
        assertThat(Events.step(records.get(1))).isEqualTo(7);
        byte[] corrupt = TfRecords.frame(b);
        corrupt[14] ^= 1; // a payload byte: the data CRC no longer matches
        Files.write(file, concat(TfRecords.frame(a), corrupt));
        assertThat(TfRecords.readIntact(file)).hasSize(1);
    }

    private static byte[] concat(byte[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] out = new byte[n];
        int i = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        return out;
    }
}
