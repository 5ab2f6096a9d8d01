package dev.lpl.data.testing;

import dev.lpl.data.cifar.CifarVariant;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Generates CIFAR binary files and archives in the exact official layout (for tests): record i of
 * a file has label {@code i mod C} (CIFAR-100: coarse label {@code fine mod 20}) and pixel k the
 * byte {@code (31·i + 7·k + salt) mod 256}.
 */
public final class CifarFixtures {

    private CifarFixtures() {}

    /**
     * Generates the records of one file.
     *
     * @param variant CIFAR-10 or CIFAR-100
     * @param count the number of records
     * @param salt varies the pixels between files
     * @param zeroPixels true for all-zero pixels (cheap, for size-only tests)
     * @return count × record bytes
     */
    public static byte[] records(CifarVariant variant, int count, int salt, boolean zeroPixels) {
        int recordBytes = variant.recordBytes();
        byte[] out = new byte[count * recordBytes];
        int classes = variant.numClasses();
        for (int i = 0; i < count; i++) {
            int offset = i * recordBytes;
            int label = Math.floorMod(i * 7 + salt, classes); // every class equally often when count % C == 0
            if (variant.labelBytes() == 2) {
                out[offset] = (byte) (label % 20);
                out[offset + 1] = (byte) label;
            } else {
                out[offset] = (byte) label;
            }
            if (!zeroPixels) {
                for (int k = 0; k < CifarVariant.IMAGE_BYTES; k++) {
                    out[offset + variant.labelBytes() + k] = (byte) (31 * i + 7 * k + salt);
                }
            }
        }
        return out;
    }

    /**
     * Returns the expected label of record i of a generated file.
     *
     * @param variant the variant
     * @param i the record
     * @param salt the file's salt
     * @return the class
     */
    public static int label(CifarVariant variant, int i, int salt) {
        return Math.floorMod(i * 7 + salt, variant.numClasses());
    }

    /**
     * Returns the expected planar pixels of record i of a generated file.
     *
     * @param i the record
     * @param salt the file's salt
     * @return 3072 bytes
     */
    public static byte[] pixels(int i, int salt) {
        byte[] out = new byte[CifarVariant.IMAGE_BYTES];
        for (int k = 0; k < out.length; k++) {
            out[k] = (byte) (31 * i + 7 * k + salt);
        }
        return out;
    }

    /**
     * Generates the files of the extracted folder (names relative to the folder): the training
     * files (CIFAR-10: trainPerClass·10 records split evenly over five files, salts 1..5), the test
     * file (salt 0) and the class-names file.
     *
     * @param variant the variant
     * @param trainPerClass training images per class
     * @param testPerClass test images per class
     * @param zeroPixels true for all-zero pixels
     * @return file name → content, in archive order
     */
    public static Map<String, byte[]> files(CifarVariant variant, int trainPerClass, int testPerClass,
            boolean zeroPixels) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        int classes = variant.numClasses();
        List<String> train = variant.trainFiles();
        int totalTrain = trainPerClass * classes;
        if (totalTrain % (train.size() * classes) != 0) {
            throw new IllegalArgumentException("trainPerClass must be a multiple of " + train.size());
        }
        int perFile = totalTrain / train.size();
        String names = String.join("\n", variant.classNames()) + "\n\n";
        if (variant == CifarVariant.CIFAR10) {
            files.put(variant.namesFile(), names.getBytes(StandardCharsets.US_ASCII));
        }
        for (int f = 0; f < train.size(); f++) {
            files.put(train.get(f), records(variant, perFile, f + 1, zeroPixels));
        }
        files.put(variant.testFile(), records(variant, testPerClass * classes, 0, zeroPixels));
        if (variant == CifarVariant.CIFAR100) {
            files.put(variant.namesFile(), names.getBytes(StandardCharsets.US_ASCII));
            files.put("coarse_label_names.txt", "aquatic_mammals\n".getBytes(StandardCharsets.US_ASCII));
        }
        return files;
    }

    /**
     * Writes the extracted folder.
     *
     * @param variant the variant
     * @param parent the directory to create the folder in
     * @param trainPerClass training images per class
     * @param testPerClass test images per class
     * @param zeroPixels true for all-zero pixels
     * @return the folder
     */
    public static Path writeFolder(CifarVariant variant, Path parent, int trainPerClass, int testPerClass,
            boolean zeroPixels) {
        try {
            Path folder = Files.createDirectories(parent.resolve(variant.folder()));
            for (Map.Entry<String, byte[]> e : files(variant, trainPerClass, testPerClass, zeroPixels).entrySet()) {
                Files.write(folder.resolve(e.getKey()), e.getValue());
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Generates the official archive's layout: the folder entry, then its files.
     *
     * @param variant the variant
     * @param trainPerClass training images per class
     * @param testPerClass test images per class
     * @return the .tar.gz bytes
     */
    public static byte[] archive(CifarVariant variant, int trainPerClass, int testPerClass) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(variant.folder() + "/", null);
        files(variant, trainPerClass, testPerClass, false).forEach((name, bytes) ->
                entries.put(variant.folder() + "/" + name, bytes));
        return tarGz(entries);
    }

    /**
     * Builds a .tar.gz: names ending in / are directories (null content), others regular files.
     *
     * @param entries name → content
     * @return the archive
     */
    public static byte[] tarGz(Map<String, byte[]> entries) {
        return tarGz(entries, Map.of(), Map.of());
    }

    /**
     * Builds a .tar.gz with links.
     *
     * @param entries name → content (names ending in / are directories)
     * @param symlinks link name → target, written after the entries
     * @param hardLinks link name → target, written after the symlinks
     * @return the archive
     */
    public static byte[] tarGz(Map<String, byte[]> entries, Map<String, String> symlinks,
            Map<String, String> hardLinks) {
        List<TarEntry> list = new java.util.ArrayList<>();
        entries.forEach((name, content) -> list.add(content == null ? TarEntry.dir(name) : TarEntry.file(name, content)));
        symlinks.forEach((name, target) -> list.add(TarEntry.symlink(name, target)));
        hardLinks.forEach((name, target) -> list.add(TarEntry.hardLink(name, target)));
        return tarGz(list);
    }

    /**
     * One entry of a generated archive.
     *
     * @param name the name, verbatim
     * @param type {@link TarArchiveEntry#LF_NORMAL}, {@code LF_DIR}, {@code LF_SYMLINK} or {@code LF_LINK}
     * @param content a file's bytes
     * @param link a link's target
     */
    public record TarEntry(String name, byte type, byte[] content, String link) {
        /** @param name the name @param content the bytes @return a regular file */
        public static TarEntry file(String name, byte[] content) {
            return new TarEntry(name, TarArchiveEntry.LF_NORMAL, content, null);
        }

        /** @param name the name @return a directory */
        public static TarEntry dir(String name) {
            return new TarEntry(name.endsWith("/") ? name : name + "/", TarArchiveEntry.LF_DIR, null, null);
        }

        /** @param name the name @param target the target @return a symbolic link */
        public static TarEntry symlink(String name, String target) {
            return new TarEntry(name, TarArchiveEntry.LF_SYMLINK, null, target);
        }

        /** @param name the name @param target the target @return a hard link */
        public static TarEntry hardLink(String name, String target) {
            return new TarEntry(name, TarArchiveEntry.LF_LINK, null, target);
        }
    }

    /**
     * Builds a .tar.gz from entries in order; names are written verbatim (absolute paths and
     * {@code ..} included).
     *
     * @param entries the entries
     * @return the archive
     */
    public static byte[] tarGz(List<TarEntry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            for (TarEntry e : entries) {
                TarArchiveEntry entry = new TarArchiveEntry(e.name(), e.type(), true);
                if (e.link() != null) {
                    entry.setLinkName(e.link());
                }
                if (e.content() != null) {
                    entry.setSize(e.content().length);
                }
                tar.putArchiveEntry(entry);
                if (e.content() != null) {
                    tar.write(e.content());
                }
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Returns the MD5 of bytes.
     *
     * @param bytes the bytes
     * @return lower-case hex
     */
    public static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
