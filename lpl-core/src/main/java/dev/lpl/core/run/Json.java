package dev.lpl.core.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON output with Jackson. NaN and infinities (e.g. the accuracy of an empty shot group) are
 * written as {@code null}, since JSON has no NaN.
 */
public final class Json {

    private static final ObjectMapper COMPACT = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    /**
     * Returns the shared mapper (for reading).
     *
     * @return the mapper
     */
    public static ObjectMapper mapper() {
        return COMPACT;
    }

    /**
     * Writes a value on one line.
     *
     * @param value maps, lists, numbers, strings
     * @return JSON text without line breaks
     */
    public static String line(Object value) {
        try {
            return COMPACT.writeValueAsString(clean(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes a value indented.
     *
     * @param value maps, lists, numbers, strings
     * @return indented JSON text ending with a line break
     */
    public static String pretty(Object value) {
        try {
            return PRETTY.writeValueAsString(clean(value)) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Replaces non-finite doubles by null and arrays of primitives by lists, recursively.
     *
     * @param value the value
     * @return a JSON-safe value
     */
    static Object clean(Object value) {
        if (value instanceof Double d) {
            return Double.isFinite(d) ? d : null;
        }
        if (value instanceof Float f) {
            return Float.isFinite(f) ? f : null;
        }
        if (value instanceof double[] array) {
            List<Object> list = new ArrayList<>(array.length);
            for (double d : array) {
                list.add(clean(d));
            }
            return list;
        }
        if (value instanceof long[] array) {
            List<Object> list = new ArrayList<>(array.length);
            for (long l : array) {
                list.add(l);
            }
            return list;
        }
        if (value instanceof long[][] matrix) {
            List<Object> list = new ArrayList<>(matrix.length);
            for (long[] row : matrix) {
                list.add(clean(row));
            }
            return list;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, clean(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(clean(v)));
            return out;
        }
        return value;
    }
}
