package dev.lpl.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lpl.api.LplException;
import dev.lpl.core.run.EngineSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

    @Test
    void writesThePublishedLayoutThatDjlsReaderReadsBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("w.safetensors");
        try (NDManager manager = EngineSession.withThreads(1).start().engine().newBaseManager()) {
            NDArray weight = manager.arange(6f).reshape(2, 3);
            Safetensors.write(file, List.of(Safetensors.Tensor.of("layer.weight", weight),
                    Safetensors.Tensor.scalar("bn.num_batches_tracked", 5)), Map.of("format", "pt"));

            byte[] bytes = Files.readAllBytes(file);
            long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertThat(headerLength % 8).isZero();
            String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
            assertThat(header.strip()).isEqualTo("{\"__metadata__\":{\"format\":\"pt\"},"
                    + "\"layer.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                    + "\"bn.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[24,32]}}");
            assertThat(bytes.length).isEqualTo(8 + headerLength + 32);
            ByteBuffer data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(data.getFloat(8 + (int) headerLength + 20)).isEqualTo(5f); // weight[1][2], little-endian
            assertThat(data.getLong(8 + (int) headerLength + 24)).isEqualTo(5L);

            Map<String, NDArray> read = Safetensors.read(file, manager);
            assertThat(read.keySet()).containsExactly("layer.weight", "bn.num_batches_tracked");
            assertThat(read.get("layer.weight").getShape()).isEqualTo(new Shape(2, 3));
            assertThat(read.get("layer.weight").toFloatArray()).containsExactly(0f, 1f, 2f, 3f, 4f, 5f);
            assertThat(read.get("bn.num_batches_tracked").getDataType()).isEqualTo(DataType.INT64);
            assertThat(read.get("bn.num_batches_tracked").getShape().dimension()).isZero();
            assertThat(read.get("bn.num_batches_tracked").toLongArray()).containsExactly(5L);
            assertThat(Safetensors.metadata(file)).containsExactly(Map.entry("format", "pt"));
        }
    }

    @Test
    void aDamagedFileIsNamedWithWhatIsWrong(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("w.safetensors");
        try (NDManager manager = EngineSession.withThreads(1).start().engine().newBaseManager()) {
            Safetensors.write(file, List.of(Safetensors.Tensor.of("w", manager.ones(new Shape(4, 4)))), Map.of());
            byte[] bytes = Files.readAllBytes(file);
            Path truncated = dir.resolve("truncated.safetensors");
            Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 10));
            assertThatThrownBy(() -> Safetensors.read(truncated, manager)).isInstanceOf(LplException.class)
                    .hasMessage(truncated + " is not a readable safetensors file: it is truncated (" + (bytes.length - 10)
                            + " bytes, the header describes " + bytes.length + "); write one with lpl export RUN"
                            + " --format safetensors");
            Path text = dir.resolve("notes.safetensors");
            Files.writeString(text, "just some text, not tensors");
            assertThatThrownBy(() -> Safetensors.read(text, manager)).isInstanceOf(LplException.class)
                    .hasMessageStartingWith(text + " is not a readable safetensors file: its header length");
        }
    }
}
