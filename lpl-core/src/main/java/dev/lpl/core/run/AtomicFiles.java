package dev.lpl.core.run;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The two file operations that keep lpl's outputs whole: a rename into place that readers see all
 * at once (a checkpoint, a report, a state file is either the old one or the new one, never half
 * written), and the removal of a temporary or pruned directory.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /**
     * Renames {@code from} to {@code to} atomically where the file system can (falling back to a
     * plain rename where it cannot, e.g. across some network file systems).
     *
     * @param from the complete temporary file or directory, next to the target
     * @param to the target
     * @param replace whether an existing target file is replaced (directories never are)
     * @throws IOException when the rename fails
     */
    public static void move(Path from, Path to, boolean replace) throws IOException {
        StandardCopyOption[] options = replace
                ? new StandardCopyOption[] {StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE}
                : new StandardCopyOption[] {StandardCopyOption.ATOMIC_MOVE};
        try {
            Files.move(from, to, options);
        } catch (AtomicMoveNotSupportedException e) {
            if (replace) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(from, to);
            }
        }
    }

    /**
     * Deletes a directory tree (or a file) without following symbolic links; nothing if absent.
     *
     * @param path the tree
     * @throws IOException when an entry cannot be deleted
     */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(path)) {
            entries = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : entries) {
            Files.deleteIfExists(p);
        }
    }
}
