package dev.lpl.data.imagelist;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.LplException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One split file of an {@code image-list} dataset, parsed: a line per image, {@code relative/path
 * label} (the path may contain spaces: the label is the last field), blank lines ignored. Every
 * problem is reported with the file and line number.
 *
 * @param file the split file
 * @param entries the images it lists, in file order
 * @param sha256 the SHA-256 of the file's bytes
 */
record SplitFile(Path file, List<Entry> entries, String sha256) {

    /**
     * One listed image.
     *
     * @param path the path as written, relative to the image root
     * @param label the class label
     * @param line the 1-based line number
     */
    record Entry(String path, int label, int line) {}

    SplitFile {
        requireNonNull(file, "file is null");
        entries = List.copyOf(entries);
        requireNonNull(sha256, "sha256 is null");
    }

    /**
     * Reads and checks a split file.
     *
     * @param file the file
     * @param key the configuration key that named it (for messages)
     * @return the parsed file
     * @throws LplException if the file is missing, empty, or has a malformed or duplicate line
     * @throws IOException if reading fails otherwise
     */
    static SplitFile read(Path file, String key) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new LplException("split file " + file + " (" + key + ") "
                    + (Files.exists(file) ? "is not a file" : "does not exist")
                    + ": set " + key + " to a file of 'relative/path label' lines (relative to data.path, or absolute)");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (AccessDeniedException e) {
            throw new LplException(file + " cannot be read: permission denied", e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new LplException("split file " + file + " is not UTF-8 text: is it the right file? It should hold"
                    + " 'relative/path label' lines", e);
        }
        List<Entry> entries = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            int space = lastWhitespace(line);
            if (space < 0) {
                throw new LplException(file + " line " + number + ": '" + abbreviate(line) + "' has no label; each line"
                        + " must be 'relative/path label', e.g. 'train/cat/001.jpg 3'");
            }
            String path = line.substring(0, space).strip();
            String labelText = line.substring(space + 1);
            int label;
            try {
                label = Integer.parseInt(labelText);
            } catch (NumberFormatException e) {
                throw new LplException(file + " line " + number + ": the label '" + abbreviate(labelText) + "' is not"
                        + " an integer; each line must be 'relative/path label' with a class index 0, 1, ...");
            }
            if (label < 0) {
                throw new LplException(file + " line " + number + ": the label " + label + " is negative; class"
                        + " indices start at 0");
            }
            Integer first = seen.putIfAbsent(path, number);
            if (first != null) {
                throw new LplException(file + " line " + number + ": " + path + " is listed again (first on line "
                        + first + "); remove the duplicate line");
            }
            entries.add(new Entry(path, label, number));
        }
        if (entries.isEmpty()) {
            throw new LplException("split file " + file + " (" + key + ") lists no images: it should hold one"
                    + " 'relative/path label' line per image");
        }
        return new SplitFile(file, entries, dev.lpl.data.Sha256.hex(bytes));
    }

    /**
     * Returns the largest label listed.
     *
     * @return the largest label
     */
    int maxLabel() {
        return entries.stream().mapToInt(Entry::label).max().orElse(-1);
    }

    private static int lastWhitespace(String line) {
        for (int i = line.length() - 1; i >= 0; i--) {
            if (Character.isWhitespace(line.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
