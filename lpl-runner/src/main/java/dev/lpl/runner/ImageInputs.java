package dev.lpl.runner;

import dev.lpl.api.LplException;
import dev.lpl.data.image.ImageDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The image files named on a command line: a file stands for itself (whatever its name; it must
 * decode), a directory for its image files (by name: PNG, JPEG, BMP, GIF), sorted, not its
 * sub-directories; hidden files are ignored and other files skipped with one warning per
 * directory, as {@code image-folder} does.
 */
final class ImageInputs {

    private ImageInputs() {}

    /**
     * Lists the image files.
     *
     * @param inputs files and directories, as the user named them
     * @param warnings receives a warning per directory with skipped files
     * @return the files, in the order named (a directory's sorted by name)
     * @throws LplException if a path does not exist or a directory holds no image file
     */
    static List<Path> list(List<Path> inputs, Consumer<String> warnings) {
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                files.addAll(directory(input, warnings));
            } else if (Files.isRegularFile(input)) {
                files.add(input);
            } else {
                throw new LplException(input + (Files.exists(input) ? " is neither a file nor a directory"
                        : " does not exist") + ": name image files (PNG, JPEG, BMP, GIF) or directories holding them");
            }
        }
        return files;
    }

    private static List<Path> directory(Path directory, Consumer<String> warnings) {
        List<Path> images = new ArrayList<>();
        List<Path> skipped = new ArrayList<>();
        boolean subdirectories = false;
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path p : (Iterable<Path>) entries.sorted()::iterator) {
                if (p.getFileName().toString().startsWith(".")) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    subdirectories = true;
                } else if (ImageDecoder.hasImageExtension(p)) {
                    images.add(p);
                } else {
                    skipped.add(p);
                }
            }
        } catch (IOException e) {
            throw new LplException(directory + " cannot be listed: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new LplException(directory + " cannot be listed: " + e.getCause().getMessage(), e);
        }
        if (images.isEmpty()) {
            throw new LplException(directory + " holds no image files (" + ImageDecoder.FORMATS + ", by name)"
                    + (subdirectories ? ", only sub-directories, which are not searched: name them (e.g. "
                            + directory.resolve("*") + ")" : skipped.isEmpty() ? "" : ", only files such as "
                            + skipped.get(0).getFileName()) + ": name image files or a directory holding them");
        }
        if (!skipped.isEmpty()) {
            warnings.accept("skipped " + ImageDecoder.skipped(skipped.size(), " of " + directory,
                    skipped.get(0).getFileName().toString()));
        }
        return images;
    }
}
