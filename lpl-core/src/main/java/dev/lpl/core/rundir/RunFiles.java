package dev.lpl.core.rundir;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The JSON files of a run directory: their names, and the one place they are turned into records
 * ({@link Manifest}; {@link MetricsLine} and {@link Summary} for classifier runs, {@link
 * GanMetricsLine} and {@link GanSummary} for GAN runs) and back. JSON names are the records'
 * component names in snake case (unless annotated), non-finite numbers are {@code null} ({@link
 * NonFinite}), fields a reader does not know are ignored (a newer lpl's), and whole files are
 * indented as {@code Json.pretty} indents them, so that the files read as before the schema existed.
 * Writing a file atomically is {@code dev.lpl.core.run.RunDirectory}'s business; this class only
 * makes and reads the text.
 */
public final class RunFiles {

    /** Versions, seeds, dataset identity and configuration ({@link Manifest}). */
    public static final String MANIFEST = "manifest.json";
    /** One JSON object per finished epoch ({@link MetricsLine}). */
    public static final String METRICS = "metrics.jsonl";
    /** Status and headline figures, rewritten after every epoch ({@link Summary}). */
    public static final String SUMMARY = "summary.json";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(NonFinite.module())
            .build();
    /** As {@link #MAPPER}, but keeping non-finite numbers as they are (for figures handed on in Java). */
    private static final ObjectMapper VALUES = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();
    private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();
    /** As {@link #PRETTY}, for GAN manifests: they leave out the dataset's null {@code validation}. */
    private static final ObjectWriter GAN_MANIFEST = MAPPER.copy()
            .addMixIn(Manifest.Dataset.class, WithoutValidation.class)
            .writerWithDefaultPrettyPrinter();

    private RunFiles() {}

    /**
     * A mix-in that writes {@link Manifest.Dataset#validation} only when it is not null: GAN runs
     * have no validation set and never wrote the field, while a classifier manifest writes {@code
     * "validation": null} explicitly (the record's own annotation).
     */
    private abstract static class WithoutValidation {

        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract Map<String, Object> validation();
    }

    /**
     * A run directory's file that is not what its schema says: not JSON, not an object, or a field
     * of the wrong type.
     */
    public static final class MalformedException extends IOException {

        private static final long serialVersionUID = 1L;

        /** The file. */
        private final transient Path file;
        /** The 1-based line, or −1 when unknown. */
        private final int line;
        /** What is wrong, on one line. */
        private final String detail;

        MalformedException(Path file, int line, String detail, Throwable cause) {
            super("malformed JSON in " + file + (line > 0 ? " line " + line : "") + ": " + detail, cause);
            this.file = file;
            this.line = line;
            this.detail = detail;
        }

        /**
         * Returns the malformed file.
         *
         * @return its path
         */
        public Path file() {
            return file;
        }

        /**
         * Returns the line the error is on.
         *
         * @return the 1-based line, or −1 when unknown
         */
        public int line() {
            return line;
        }

        /**
         * Returns what is wrong, without the file and line.
         *
         * @return one line of text
         */
        public String detail() {
            return detail;
        }
    }

    /**
     * Returns a manifest as {@code manifest.json} holds it. A GAN manifest ({@link Manifest#isGan})
     * leaves out its dataset's {@code validation} when null, as GAN runs always did; a classifier
     * manifest writes it as {@code null}.
     *
     * @param manifest the manifest
     * @return indented JSON ending with a line break
     */
    public static String manifestText(Manifest manifest) {
        if (manifest.isGan()) {
            try {
                return GAN_MANIFEST.writeValueAsString(manifest) + System.lineSeparator();
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return pretty(manifest);
    }

    /**
     * Returns a summary as {@code summary.json} holds it.
     *
     * @param summary the summary
     * @return indented JSON ending with a line break
     */
    public static String summaryText(Summary summary) {
        return pretty(summary);
    }

    /**
     * Returns a metrics line as {@code metrics.jsonl} holds it.
     *
     * @param line the line
     * @return one line of JSON, without its line break
     */
    public static String metricsLineText(MetricsLine line) {
        return compact(line);
    }

    /**
     * Returns a GAN summary as a GAN run's {@code summary.json} holds it.
     *
     * @param summary the summary
     * @return indented JSON ending with a line break
     */
    public static String ganSummaryText(GanSummary summary) {
        return pretty(summary);
    }

    /**
     * Returns a GAN metrics line as a GAN run's {@code metrics.jsonl} holds it.
     *
     * @param line the line
     * @return one line of JSON, without its line break
     */
    public static String ganMetricsLineText(GanMetricsLine line) {
        return compact(line);
    }

    private static String compact(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pretty(Object value) {
        try {
            return PRETTY.writeValueAsString(value) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Returns a record as the JSON tree its file holds, e.g. to keep metrics lines in a checkpoint's
     * {@code state.json}.
     *
     * @param value a record of this package
     * @return its tree
     */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * Reads a record from a JSON tree in its file's format (see {@link #tree}).
     *
     * @param node the tree
     * @param type the record's class
     * @param <T> the record's type
     * @return the record
     * @throws IllegalArgumentException if the tree does not fit the record
     */
    public static <T> T fromTree(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Returns a record's fields by their JSON names, in order, as Java values: numbers as numbers
     * (non-finite ones kept), lists as lists, absent fields left out.
     *
     * @param value a record of this package
     * @return field name to value
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> values(Object value) {
        Map<String, Object> map = VALUES.convertValue(value, LinkedHashMap.class);
        map.values().removeIf(java.util.Objects::isNull);
        return map;
    }

    /**
     * Parses one line of {@code metrics.jsonl}.
     *
     * @param text the line
     * @return the line's record
     * @throws MalformedException if it is not one JSON object of the schema (file unknown)
     */
    public static MetricsLine parseMetricsLine(String text) throws MalformedException {
        return parseLine(Path.of(METRICS), 0, text, MetricsLine.class);
    }

    /**
     * Parses one line of a GAN run's {@code metrics.jsonl}.
     *
     * @param text the line
     * @return the line's record
     * @throws MalformedException if it is not one JSON object of the schema (file unknown)
     */
    public static GanMetricsLine parseGanMetricsLine(String text) throws MalformedException {
        return parseLine(Path.of(METRICS), 0, text, GanMetricsLine.class);
    }

    /**
     * Reads a run directory's {@code manifest.json}.
     *
     * @param directory the run directory
     * @return the manifest
     * @throws java.nio.file.NoSuchFileException if there is none
     * @throws MalformedException if it is not a JSON object of the schema
     * @throws IOException if it cannot be read
     */
    public static Manifest readManifest(Path directory) throws IOException {
        return readObject(directory.resolve(MANIFEST), Manifest.class);
    }

    /**
     * Reads a run directory's {@code summary.json}.
     *
     * @param directory the run directory
     * @return the summary
     * @throws java.nio.file.NoSuchFileException if there is none (no epoch has finished)
     * @throws MalformedException if it is not a JSON object of the schema
     * @throws IOException if it cannot be read
     */
    public static Summary readSummary(Path directory) throws IOException {
        return readObject(directory.resolve(SUMMARY), Summary.class);
    }

    /**
     * Reads a run directory's {@code metrics.jsonl}; blank lines are skipped.
     *
     * @param directory the run directory
     * @return its lines, in order
     * @throws java.nio.file.NoSuchFileException if there is none
     * @throws MalformedException naming the line, if a line is not one JSON object of the schema
     *     (a line cut short by a crash included)
     * @throws IOException if it cannot be read
     */
    public static List<MetricsLine> readMetrics(Path directory) throws IOException {
        return readLines(directory, MetricsLine.class);
    }

    /**
     * Reads a GAN run directory's {@code summary.json}.
     *
     * @param directory the GAN run directory
     * @return the summary
     * @throws java.nio.file.NoSuchFileException if there is none (no epoch has finished)
     * @throws MalformedException if it is not a JSON object of the schema
     * @throws IOException if it cannot be read
     */
    public static GanSummary readGanSummary(Path directory) throws IOException {
        return readObject(directory.resolve(SUMMARY), GanSummary.class);
    }

    /**
     * Reads a GAN run directory's {@code metrics.jsonl}; blank lines are skipped.
     *
     * @param directory the GAN run directory
     * @return its lines, in order
     * @throws java.nio.file.NoSuchFileException if there is none
     * @throws MalformedException naming the line, if a line is not one JSON object of the schema
     * @throws IOException if it cannot be read
     */
    public static List<GanMetricsLine> readGanMetrics(Path directory) throws IOException {
        return readLines(directory, GanMetricsLine.class);
    }

    private static <T> List<T> readLines(Path directory, Class<T> type) throws IOException {
        Path file = directory.resolve(METRICS);
        List<T> lines = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int number = 0;
            while ((text = reader.readLine()) != null) {
                number++;
                if (!text.isBlank()) {
                    lines.add(parseLine(file, number, text, type));
                }
            }
        }
        return lines;
    }

    private static <T> T parseLine(Path file, int number, String text, Class<T> type) throws MalformedException {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MalformedException(file, number, e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new MalformedException(file, number, "expected one object per line", null);
        }
        return convert(file, number, node, type);
    }

    private static <T> T readObject(Path file, Class<T> type) throws IOException {
        JsonNode node;
        try {
            node = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new MalformedException(file, line, e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new MalformedException(file, -1, "expected an object", null);
        }
        return convert(file, -1, node, type);
    }

    private static <T> T convert(Path file, int line, JsonNode node, Class<T> type) throws MalformedException {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            String path = e instanceof JsonMappingException m && !m.getPath().isEmpty()
                    ? m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                            : Integer.toString(r.getIndex())).collect(Collectors.joining(".")) + ": "
                    : "";
            throw new MalformedException(file, line, path + e.getOriginalMessage(), e);
        }
    }
}
