package dev.lpl.data.archive;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.LplException;
import dev.lpl.data.download.Checksums;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads and extracts gzip-compressed tar archives ({@code .tar.gz}) safely.
 *
 * <p>Extraction writes into a fresh temporary directory inside the destination and moves the
 * archive's top-level entries into place only when the whole archive was read without error, so
 * an interrupted or corrupt archive leaves nothing behind. An entry is rejected, with an error
 * naming it and nothing written outside the destination, when its name is absolute or escapes the
 * destination ({@code ../}), when it is a symbolic or hard link pointing outside, or when it is a
 * device, FIFO or other special file. Permissions and owners are not restored.
 *
 * <p>A corrupt or truncated archive (bad gzip data, CRC error, a tar stream that ends early) is an
 * {@link LplException} naming the archive, followed by the caller's fix.
 */
public final class TarGz {

    private static final int BUFFER_BYTES = 1 << 16;

    private TarGz() {}

    /** Receives the regular files of an archive, in archive order. */
    @FunctionalInterface
    public interface FileVisitor {
        /**
         * Receives one regular file.
         *
         * @param name the entry's name, normalised, with {@code /} separators
         * @param size its size in bytes
         * @param content its bytes; read as much as needed (the rest is skipped)
         * @throws IOException if reading fails
         */
        void file(String name, long size, InputStream content) throws IOException;
    }

    /**
     * Reads every regular file of an archive without writing anything, and digests the archive.
     *
     * @param archive the {@code .tar.gz} file
     * @param visitor receives the files
     * @param fix what the user should do about a bad archive (ends every error message)
     * @return the archive's size and digests
     * @throws LplException if the archive is corrupt, truncated or holds an unsafe entry
     * @throws IOException if reading fails for another reason
     */
    public static Checksums.FileDigests read(Path archive, FileVisitor visitor, String fix) throws IOException {
        requireNonNull(visitor, "visitor is null");
        return walk(archive, fix, (entry, name, in) -> {
            if (entry.isFile()) {
                visitor.file(name, entry.getSize(), in);
            }
        });
    }

    /**
     * Extracts an archive into a directory: its entries end up under {@code destination} exactly
     * as named in the archive; an existing top-level file or directory of the same name is replaced.
     *
     * @param archive the {@code .tar.gz} file
     * @param destination the directory to extract into (created if absent)
     * @param fix what the user should do about a bad archive (ends every error message)
     * @return the archive's top-level entries, now in {@code destination}
     * @throws LplException if the archive is corrupt, truncated or holds an unsafe entry
     * @throws IOException if writing fails
     */
    public static List<Path> extract(Path archive, Path destination, String fix) throws IOException {
        requireNonNull(destination, "destination is null");
        Files.createDirectories(destination);
        Path temp = Files.createTempDirectory(destination, ".extract-");
        Path root = temp.toRealPath();
        try {
            Map<Path, TarArchiveEntry> links = new LinkedHashMap<>();
            walk(archive, fix, (entry, name, in) -> write(archive, fix, root, entry, name, in, links));
            // Each link was checked on its own; a chain of links can still lead elsewhere.
            for (Map.Entry<Path, TarArchiveEntry> link : links.entrySet()) {
                Path real;
                try {
                    real = link.getKey().toRealPath();
                } catch (IOException e) {
                    throw unsafe(archive, fix, link.getValue(), "is a symbolic link to '"
                            + link.getValue().getLinkName() + "', which the archive does not contain");
                }
                if (!real.startsWith(root)) {
                    throw unsafe(archive, fix, link.getValue(), "is a symbolic link to '"
                            + link.getValue().getLinkName() + "', which leads outside the extraction directory");
                }
            }
            List<Path> moved = new ArrayList<>();
            List<Path> children;
            try (Stream<Path> list = Files.list(temp)) {
                children = list.sorted().toList();
            }
            if (children.isEmpty()) {
                throw new LplException(archive + " holds no files; " + fix);
            }
            for (Path child : children) {
                Path target = destination.resolve(child.getFileName().toString());
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    Path old = Files.createTempDirectory(destination, ".replaced-").resolve("old");
                    move(target, old);
                    deleteRecursively(old.getParent());
                }
                move(child, target);
                moved.add(target);
            }
            return moved;
        } finally {
            // after success it is empty; after a failure it holds all that was written
            deleteRecursively(temp);
        }
    }

    /** What to do with one entry of a walk. */
    @FunctionalInterface
    private interface EntryHandler {
        void entry(TarArchiveEntry entry, String name, InputStream content) throws IOException;
    }

    private static Checksums.FileDigests walk(Path archive, String fix, EntryHandler handler) throws IOException {
        requireNonNull(archive, "archive is null");
        requireNonNull(fix, "fix is null");
        MessageDigest md5 = Checksums.newDigest("MD5");
        MessageDigest sha256 = Checksums.newDigest("SHA-256");
        InputStream file;
        try {
            file = Files.newInputStream(archive);
        } catch (NoSuchFileException e) {
            throw new LplException(archive + " does not exist; " + fix, e);
        }
        try (DigestInputStream digested = new DigestInputStream(new DigestInputStream(file, md5), sha256)) {
            InputStream buffered = new BufferedInputStream(digested, BUFFER_BYTES);
            GZIPInputStream gzip = archiveRead(archive, fix, () -> new GZIPInputStream(buffered, BUFFER_BYTES));
            TarArchiveInputStream tar = new TarArchiveInputStream(gzip);
            int entries = 0;
            while (true) {
                TarArchiveEntry entry = archiveRead(archive, fix, tar::getNextEntry);
                if (entry == null) {
                    break;
                }
                entries++;
                String name = checkName(archive, fix, entry);
                InputStream content = new GuardedEntryStream(tar, archive, fix);
                handler.entry(entry, name, content);
            }
            if (entries == 0) {
                throw new LplException(archive + " is not a tar archive or holds no files; " + fix);
            }
            // Read to the end of the gzip stream, so that its CRC and length are checked.
            archiveRead(archive, fix, () -> gzip.transferTo(OutputStream.nullOutputStream()));
            digested.transferTo(OutputStream.nullOutputStream());
        }
        return new Checksums.FileDigests(Files.size(archive), Checksums.hex(md5), Checksums.hex(sha256));
    }

    private static String checkName(Path archive, String fix, TarArchiveEntry entry) {
        String raw = entry.getName();
        String unsafe = null;
        if (raw.isEmpty() || raw.indexOf('\0') >= 0) {
            unsafe = "has an empty or invalid name";
        } else if (raw.startsWith("/") || raw.startsWith("\\") || raw.matches("^[A-Za-z]:.*")) {
            unsafe = "has an absolute path";
        } else if (raw.contains("\\")) {
            unsafe = "has a backslash in its name";
        }
        String normalized = null;
        if (unsafe == null) {
            try {
                Path p = Path.of(raw).normalize();
                normalized = p.toString().replace('\\', '/');
                if (p.isAbsolute() || normalized.equals("..") || normalized.startsWith("../")) {
                    unsafe = "points outside the extraction directory";
                } else if (normalized.isEmpty()) {
                    normalized = ".";
                }
            } catch (InvalidPathException e) {
                unsafe = "has an invalid name";
            }
        }
        if (unsafe != null) {
            throw new LplException(archive + " is unsafe: entry '" + raw + "' " + unsafe
                    + "; nothing was extracted. " + capitalize(fix));
        }
        return normalized;
    }

    private static void write(Path archive, String fix, Path root, TarArchiveEntry entry, String name, InputStream in,
            Map<Path, TarArchiveEntry> links) throws IOException {
        if (name.equals(".")) {
            return;
        }
        Path target = root.resolve(name).normalize();
        if (!target.startsWith(root)) {
            throw unsafe(archive, fix, entry, "points outside the extraction directory");
        }
        if (entry.isDirectory()) {
            createDirectories(archive, fix, root, entry, target);
            return;
        }
        Path parent = target.getParent();
        createDirectories(archive, fix, root, entry, parent);
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw unsafe(archive, fix, entry, "replaces a directory of the archive with a file");
        }
        Files.deleteIfExists(target);
        if (entry.isSymbolicLink()) {
            String link = entry.getLinkName();
            Path resolved;
            try {
                resolved = parent.resolve(link).normalize();
            } catch (InvalidPathException e) {
                throw unsafe(archive, fix, entry, "is a link with an invalid target");
            }
            if (Path.of(link).isAbsolute() || link.startsWith("/") || !resolved.startsWith(root)) {
                throw unsafe(archive, fix, entry, "is a symbolic link to '" + link + "', outside the extraction directory");
            }
            Files.createSymbolicLink(target, Path.of(link));
            links.put(target, entry);
        } else if (entry.isLink()) {
            String link = entry.getLinkName();
            Path resolved = root.resolve(link).normalize();
            if (Path.of(link).isAbsolute() || !resolved.startsWith(root)
                    || !Files.isRegularFile(resolved, LinkOption.NOFOLLOW_LINKS)
                    || !resolved.toRealPath().startsWith(root)) {
                throw unsafe(archive, fix, entry, "is a hard link to '" + link
                        + "', which is outside the extraction directory or not an earlier file of the archive");
            }
            Files.copy(resolved, target);
        } else if (entry.isFile()) {
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                byte[] buffer = new byte[BUFFER_BYTES];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                }
            }
        } else {
            throw unsafe(archive, fix, entry, "is a device, FIFO or other special file");
        }
    }

    /** Creates directories, refusing to go through a symbolic link that leads outside. */
    private static void createDirectories(Path archive, String fix, Path root, TarArchiveEntry entry, Path dir)
            throws IOException {
        Files.createDirectories(dir);
        if (!dir.toRealPath().startsWith(root)) {
            throw unsafe(archive, fix, entry, "is reached through a symbolic link that leads outside the"
                    + " extraction directory");
        }
    }

    private static LplException unsafe(Path archive, String fix, TarArchiveEntry entry, String problem) {
        return new LplException(archive + " is unsafe: entry '" + entry.getName() + "' " + problem
                + "; nothing was extracted. " + capitalize(fix));
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** An archive read step that may fail because the archive is bad. */
    @FunctionalInterface
    private interface ArchiveRead<T> {
        T get() throws IOException;
    }

    private static <T> T archiveRead(Path archive, String fix, ArchiveRead<T> read) throws IOException {
        try {
            return read.get();
        } catch (EOFException e) {
            throw new LplException(archive + " is truncated (" + detail(e) + "); " + fix, e);
        } catch (ZipException e) {
            throw new LplException(archive + " is not a valid gzip file (" + detail(e) + "): it is corrupt or"
                    + " truncated; " + fix, e);
        } catch (IOException | IllegalArgumentException e) {
            if (e instanceof java.nio.file.FileSystemException) {
                throw (java.nio.file.FileSystemException) e;
            }
            throw new LplException(archive + " is not a valid tar.gz archive (" + detail(e) + "): it is corrupt"
                    + " or truncated; " + fix, e);
        }
    }

    private static String detail(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /**
     * Deletes a file or a directory tree without following symbolic links.
     *
     * @param path the file or directory (nothing happens if it does not exist)
     * @throws IOException if deleting fails
     */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                try {
                    Files.deleteIfExists(dir);
                } catch (DirectoryNotEmptyException e) {
                    // a concurrent writer; leave it
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** An entry's content whose read errors are reported as a bad archive. */
    private static final class GuardedEntryStream extends InputStream {
        private final InputStream in;
        private final Path archive;
        private final String fix;

        GuardedEntryStream(InputStream in, Path archive, String fix) {
            this.in = in;
            this.archive = archive;
            this.fix = fix;
        }

        @Override
        public int read() throws IOException {
            return archiveRead(archive, fix, in::read);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return archiveRead(archive, fix, () -> in.read(b, off, len));
        }

        @Override
        public void close() {
            // the archive stream stays open for the next entry
        }
    }
}
