package dev.lpl.core.interop;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lpl.api.LplException;
import dev.lpl.core.run.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors file format (Hugging Face, <a
 * href="https://github.com/huggingface/safetensors">github.com/huggingface/safetensors</a>): an
 * 8-byte little-endian header length N, N bytes of JSON header mapping every tensor name to {@code
 * {"dtype", "shape", "data_offsets": [begin, end]}} (offsets relative to the data section) plus an
 * optional {@code "__metadata__"} object of string values, then the tensors' raw little-endian
 * bytes.
 *
 * <p>Reading uses DJL's own decoder ({@code NDList.decode}, which recognises the format); writing is
 * done here, because DJL's encoder cannot write {@code __metadata__} (which Hugging Face's loaders
 * read, {@code "format": "pt"}) and orders its header by hash. The header lists the tensors in the
 * order given, their data follows in the same order without gaps, and the header is padded with
 * spaces to a multiple of 8 bytes, as the reference implementation writes it.
 */
public final class Safetensors {

    /** The {@code __metadata__} key Hugging Face's loaders check: {@code "pt"} for PyTorch weights. */
    public static final String FORMAT = "format";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    /** Element types lpl writes. */
    public enum DType {
        /** 32-bit IEEE float. */
        F32(4),
        /** 64-bit signed integer. */
        I64(8);

        private final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }

        /**
         * Returns the size of one element.
         *
         * @return bytes per element
         */
        public int bytes() {
            return bytes;
        }
    }

    /**
     * One tensor to write.
     *
     * @param name its name
     * @param dtype its element type
     * @param shape its shape (empty for a scalar)
     * @param data its elements, little-endian, exactly {@code dtype.bytes() × ∏shape} bytes
     */
    public record Tensor(String name, DType dtype, long[] shape, byte[] data) {

        /** Checks the size of the data against the shape. */
        public Tensor {
            requireNonNull(name, "name is null");
            requireNonNull(dtype, "dtype is null");
            shape = shape.clone();
            long elements = Arrays.stream(shape).reduce(1, Math::multiplyExact);
            if (data.length != elements * dtype.bytes()) {
                throw new IllegalArgumentException(name + ": " + data.length + " bytes for shape "
                        + Arrays.toString(shape) + " of " + dtype);
            }
        }

        /**
         * A float32 tensor from an array of any float type (converted to float32).
         *
         * @param name the name
         * @param array the array
         * @return the tensor
         */
        public static Tensor of(String name, NDArray array) {
            float[] values = array.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            buffer.asFloatBuffer().put(values);
            return new Tensor(name, DType.F32, array.getShape().getShape(), buffer.array());
        }

        /**
         * A 64-bit integer scalar.
         *
         * @param name the name
         * @param value the value
         * @return the tensor, of shape {@code []}
         */
        public static Tensor scalar(String name, long value) {
            return new Tensor(name, DType.I64, new long[0],
                    ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        }
    }

    private Safetensors() {}

    /**
     * Writes a safetensors file, atomically (a temporary file next to it, renamed into place).
     *
     * @param file the file (replaced if it exists)
     * @param tensors the tensors, in order; names must be unique
     * @param metadata {@code __metadata__}, string to string; empty for none
     * @throws IOException when the file cannot be written
     */
    public static void write(Path file, List<Tensor> tensors, Map<String, String> metadata) throws IOException {
        requireNonNull(file, "file is null");
        requireNonNull(tensors, "tensors is null");
        requireNonNull(metadata, "metadata is null");
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put("__metadata__", new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (Tensor t : tensors) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", t.dtype().name());
            entry.put("shape", t.shape());
            entry.put("data_offsets", new long[] {offset, offset + t.data().length});
            if (header.put(t.name(), entry) != null || t.name().equals("__metadata__")) {
                throw new IllegalArgumentException("duplicate tensor name " + t.name());
            }
            offset += t.data().length;
        }
        byte[] json = MAPPER.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        byte[] headerBytes = Arrays.copyOf(json, padded);
        Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = parent.resolve(".tmp-" + file.getFileName());
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 20)) {
            out.write(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(headerBytes);
            for (Tensor t : tensors) {
                out.write(t.data());
            }
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        AtomicFiles.move(temp, file, true);
    }

    /**
     * Reads the header's {@code __metadata__} of a safetensors file.
     *
     * @param file the file
     * @return the metadata (empty if there is none)
     * @throws LplException naming the file when it is not a safetensors file
     */
    public static Map<String, String> metadata(Path file) {
        JsonNode header = header(file);
        Map<String, String> out = new LinkedHashMap<>();
        header.path("__metadata__").properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /**
     * Reads every tensor of a safetensors file, by name, in the header's order.
     *
     * @param file the file
     * @param manager where the arrays are created
     * @return the tensors
     * @throws LplException naming the file when it is not a readable safetensors file
     */
    public static Map<String, NDArray> read(Path file, NDManager manager) {
        requireNonNull(manager, "manager is null");
        JsonNode header = header(file);
        long dataBytes = 0;
        for (Map.Entry<String, JsonNode> e : header.properties()) {
            if (!e.getKey().equals("__metadata__")) {
                JsonNode offsets = e.getValue().path("data_offsets");
                if (!offsets.isArray() || offsets.size() != 2 || !e.getValue().path("shape").isArray()) {
                    throw notSafetensors(file, "tensor " + e.getKey() + " has no shape or data_offsets");
                }
                dataBytes = Math.max(dataBytes, offsets.get(1).asLong());
            }
        }
        try {
            long expected = Long.BYTES + headerLength(file) + dataBytes;
            if (Files.size(file) < expected) {
                throw notSafetensors(file, "it is truncated (" + Files.size(file) + " bytes, the header describes "
                        + expected + ")");
            }
            Map<String, NDArray> out = new LinkedHashMap<>();
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                for (NDArray array : NDList.decode(manager, in)) {
                    out.put(array.getName(), array);
                }
            }
            return out;
        } catch (IOException | RuntimeException e) {
            if (e instanceof LplException l) {
                throw l;
            }
            throw notSafetensors(file, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private static JsonNode header(Path file) {
        requireNonNull(file, "file is null");
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            long length = headerLength(file);
            in.skipNBytes(Long.BYTES);
            byte[] json = in.readNBytes((int) length);
            if (json.length != length) {
                throw notSafetensors(file, "the header is cut short");
            }
            JsonNode node = MAPPER.readTree(new String(json, StandardCharsets.UTF_8));
            if (node == null || !node.isObject()) {
                throw notSafetensors(file, "the header is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw notSafetensors(file, "the header is not JSON");
        } catch (IOException e) {
            throw new LplException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static long headerLength(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(Long.BYTES);
            if (bytes.length < Long.BYTES) {
                throw notSafetensors(file, "it is shorter than 8 bytes");
            }
            long length = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (length < 2 || length > MAX_HEADER || length > Files.size(file) - Long.BYTES) {
                throw notSafetensors(file, "its header length " + length + " does not fit the file");
            }
            return length;
        }
    }

    private static LplException notSafetensors(Path file, String why) {
        return new LplException(file + " is not a readable safetensors file: " + why
                + "; write one with lpl export RUN --format safetensors");
    }
}
