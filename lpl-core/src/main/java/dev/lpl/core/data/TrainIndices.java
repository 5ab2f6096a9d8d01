package dev.lpl.core.data;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.LplException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

/**
 * Reads a file of training-set indices ({@code data.long-tail.indices-file}), such as the {@code
 * train-indices.txt} every long-tailed run writes: one index into the dataset's full training set
 * per line, in training-set order; blank lines and lines starting with {@code #} are ignored.
 */
public final class TrainIndices {

    private TrainIndices() {}

    /**
     * Reads and checks an indices file.
     *
     * @param file the file
     * @param sourceSize the size of the full training set; every index must be below it
     * @return the indices, in file order
     * @throws LplException if the file is missing, empty, or holds a non-integer, an index out of
     *     range or a duplicate (naming the file and the line)
     */
    public static int[] read(Path file, int sourceSize) {
        return read(file, sourceSize, "data.long-tail.indices-file", "train-indices.txt", "to sample");
    }

    /**
     * Reads and checks an indices file named by another key (e.g. {@code
     * data.validation.indices-file}).
     *
     * @param file the file
     * @param sourceSize the size of the full training set; every index must be below it
     * @param key the configuration key that named the file, for messages
     * @param runFile the run-directory file it is usually, for messages
     * @param nullMeans what setting the key to null does, for messages (e.g. {@code to sample})
     * @return the indices, in file order
     * @throws LplException if the file is missing, empty, or holds a non-integer, an index out of
     *     range or a duplicate (naming the file and the line)
     */
    public static int[] read(Path file, int sourceSize, String key, String runFile, String nullMeans) {
        requireNonNull(file, "file is null");
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new LplException(key + " " + file + " does not exist; name the " + runFile
                    + " of an earlier run, or set it to null " + nullMeans, e);
        } catch (IOException e) {
            throw new LplException(key + " " + file + " cannot be read: " + e.getMessage(), e);
        }
        int[] indices = new int[lines.size()];
        int n = 0;
        BitSet seen = new BitSet(sourceSize);
        for (int line = 0; line < lines.size(); line++) {
            String text = lines.get(line).trim();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            int index;
            try {
                index = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new LplException(file + " line " + (line + 1) + ": '" + text + "' is not an index; the file"
                        + " must hold one training-set index per line (as " + runFile + " of a run)");
            }
            if (index < 0 || index >= sourceSize) {
                throw new LplException(file + " line " + (line + 1) + ": index " + index + " is outside the"
                        + " training set of " + sourceSize + " images (0.." + (sourceSize - 1) + "); the file"
                        + " belongs to another dataset: use the data.type and data.path of the run that wrote it");
            }
            if (seen.get(index)) {
                throw new LplException(file + " line " + (line + 1) + ": index " + index + " appears twice; each"
                        + " training image may be listed once");
            }
            seen.set(index);
            indices[n++] = index;
        }
        if (n == 0) {
            throw new LplException(file + " lists no indices; name the " + runFile + " of an earlier run, or set "
                    + key + " to null " + nullMeans);
        }
        return java.util.Arrays.copyOf(indices, n);
    }
}
