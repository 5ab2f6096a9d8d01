package dev.lpl.data.imagefolder;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.LplException;
import dev.lpl.api.Seeds;
import dev.lpl.api.Settings;
import dev.lpl.api.data.DatasetContext;
import dev.lpl.api.data.DatasetFactory;
import dev.lpl.api.data.ImageDataset;
import dev.lpl.api.data.ImageSet;
import dev.lpl.data.PixelStatistics;
import dev.lpl.data.Sha256;
import dev.lpl.data.image.ImageDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * The {@code image-folder} dataset: the user's own images, one sub-folder per class.
 *
 * <p>{@code data.path} names a directory laid out in one of two ways:
 *
 * <ul>
 *   <li>{@code train/} and {@code test/}, each with the same class folders ({@code
 *       train/cat/001.png}, {@code test/cat/917.jpg}, ...);
 *   <li>the class folders directly ({@code cat/001.png}, ...): then {@code test-fraction} of every
 *       class (rounded, at least one image, never the last one) is held out as the test set,
 *       chosen by a seeded shuffle of the class's sorted file names (the run's data seed), so the
 *       same seed gives the same split.
 * </ul>
 *
 * <p>Classes are the folder names in sorted (code point) order, label 0 first. Images are PNG,
 * JPEG, BMP or GIF files, decoded with {@code javax.imageio}, converted to RGB ({@code channels =
 * 3}) or grey ({@code channels = 1}) and resized to {@code size × size} (bilinear, aspect ratio not
 * kept); hidden files are ignored, and other files (by their names: {@code notes.txt}, {@code
 * labels.csv}) are skipped with one warning that names how many and the first. The normalisation is computed from the training pixels. The
 * identity holds the directory, the layout, the image counts and a SHA-256 over every file's
 * relative path and SHA-256.
 */
public final class ImageFolderDatasetFactory implements DatasetFactory {

    /** The name that selects this dataset. */
    public static final String NAME = "image-folder";

    private static final Set<String> IGNORED = Set.of("thumbs.db", "desktop.ini");

    private final Consumer<String> warnings;

    /** Creates the factory; warnings go to the log (the runner prints them on standard error). */
    public ImageFolderDatasetFactory() {
        this(LoggerFactory.getLogger(ImageFolderDatasetFactory.class)::warn);
    }

    /**
     * Creates the factory with its own warning sink (for tests).
     *
     * @param warnings receives each warning
     */
    ImageFolderDatasetFactory(Consumer<String> warnings) {
        this.warnings = requireNonNull(warnings, "warnings is null");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "your own images: data.path with train/ and test/ (or one folder split by test-fraction),"
                + " one sub-folder per class, PNG/JPEG resized to size x size";
    }

    /**
     * {@inheritDoc} The number of class folders (of {@code train/}, or of {@code data.path} itself),
     * from a directory listing; empty when {@code data.path} is unset or its layout is not valid,
     * which {@link #load} then reports.
     */
    @Override
    public OptionalInt numClasses(Settings settings, DatasetContext context) {
        Optional<Path> path = requireNonNull(context, "context is null").path();
        if (path.isEmpty()) {
            return OptionalInt.empty();
        }
        Path root = path.get().toAbsolutePath().normalize();
        Path classes = Files.isDirectory(root.resolve("train")) ? root.resolve("train") : root;
        if (!Files.isDirectory(classes)) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(classFolders(classes, new ArrayList<>()).size());
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    @Override
    public ImageDataset load(Settings settings, DatasetContext context) throws IOException {
        requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        int size = settings.getInt("size", 4, 1024);
        int channels = settings.getInt("channels", 1, 3);
        if (channels == 2) {
            throw settings.invalid("channels", "2 is not allowed; use 3 (RGB) or 1 (grey)");
        }
        double testFraction = settings.getDouble("test-fraction", 0.0, 0.9);
        Path root = context.path().orElseThrow(() -> new LplException("data.type = image-folder needs data.path:"
                + " a directory with train/ and test/ sub-directories (or just the class folders), each holding"
                + " one folder of images per class; set data.path=DIR"))
                .toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new LplException("image folder " + root + (Files.exists(root) ? " is not a directory" : " does not exist")
                    + ": set data.path to a directory with train/ and test/ (or the class folders)");
        }
        Path trainDir = root.resolve("train");
        Path testDir = root.resolve("test");
        Map<String, String> identity = new LinkedHashMap<>();
        identity.put("directory", root.toString());
        List<String> classes;
        List<List<Path>> trainFiles;
        List<List<Path>> testFiles;
        List<Path> skipped = new ArrayList<>();
        if (Files.isDirectory(trainDir) || Files.isDirectory(testDir)) {
            if (!Files.isDirectory(trainDir) || !Files.isDirectory(testDir)) {
                Path absent = Files.isDirectory(trainDir) ? testDir : trainDir;
                throw new LplException("image folder " + root + " has " + (absent == testDir ? "train/" : "test/")
                        + " but no " + absent.getFileName() + "/: add " + absent + " with the same class folders, or"
                        + " put the class folders directly into " + root + " to split them by test-fraction");
            }
            classes = classFolders(trainDir, skipped);
            List<String> testClasses = classFolders(testDir, skipped);
            if (!classes.equals(testClasses)) {
                Set<String> onlyTrain = new TreeSet<>(classes);
                onlyTrain.removeAll(testClasses);
                Set<String> onlyTest = new TreeSet<>(testClasses);
                onlyTest.removeAll(classes);
                throw new LplException("the class folders of " + trainDir + " and " + testDir + " differ (only in"
                        + " train: " + onlyTrain + ", only in test: " + onlyTest + "): give both the same class"
                        + " folders, even if a test folder holds few images");
            }
            trainFiles = new ArrayList<>();
            testFiles = new ArrayList<>();
            for (String c : classes) {
                trainFiles.add(images(trainDir.resolve(c), skipped));
                testFiles.add(images(testDir.resolve(c), skipped));
            }
            identity.put("layout", "train/ and test/");
        } else {
            if (!(testFraction > 0)) {
                throw settings.invalid("test-fraction", testFraction + " leaves no test images; " + root
                        + " has no train/ and test/ folders, so its class folders are split: use a value in (0, 0.9]");
            }
            classes = classFolders(root, skipped);
            trainFiles = new ArrayList<>();
            testFiles = new ArrayList<>();
            long splitSeed = Seeds.derive(context.seed(), "image-folder-split");
            for (int c = 0; c < classes.size(); c++) {
                List<Path> all = images(root.resolve(classes.get(c)), skipped);
                Path[] shuffled = all.toArray(Path[]::new);
                SplittableRandom random = new SplittableRandom(Seeds.derive(splitSeed, "class", c));
                for (int i = shuffled.length - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    Path t = shuffled[i];
                    shuffled[i] = shuffled[j];
                    shuffled[j] = t;
                }
                int n = shuffled.length;
                int nTest = n < 2 ? 0 : Math.min(n - 1, Math.max(1, (int) Math.round(n * testFraction)));
                List<Path> test = new ArrayList<>(Arrays.asList(shuffled).subList(0, nTest));
                List<Path> train = new ArrayList<>(Arrays.asList(shuffled).subList(nTest, n));
                test.sort(null);
                train.sort(null);
                trainFiles.add(train);
                testFiles.add(test);
            }
            identity.put("layout", "class folders split by test-fraction " + testFraction + " (seed " + splitSeed + ")");
        }
        if (!skipped.isEmpty()) {
            skipped.sort(null);
            warnings.accept("image folder " + root + ": skipped " + ImageDecoder.skipped(skipped.size(), "",
                    skipped.get(0).toString()) + "; move them out of the dataset to silence this");
            identity.put("skipped_files", Integer.toString(skipped.size()));
        }
        MessageDigest digest = Sha256.newDigest();
        ImageSet train = read(root, trainFiles, size, channels, digest);
        ImageSet test = read(root, testFiles, size, channels, digest);
        if (test.size() == 0) {
            throw new LplException("image folder " + root + " gives no test images: every class folder holds a"
                    + " single image; add images, or give train/ and test/ folders");
        }
        identity.put("image_shape", channels + "x" + size + "x" + size);
        identity.put("train_images", Integer.toString(train.size()));
        identity.put("test_images", Integer.toString(test.size()));
        identity.put("files_sha256", Sha256.hex(digest));
        PixelStatistics stats = PixelStatistics.of(train);
        float[] std = stats.std();
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 0)) {
                std[c] = 1; // every training pixel of this channel has one value: keep the scale
            }
        }
        return new ImageDataset(NAME, classes, train, test, stats.mean(), std, identity);
    }

    /** The class folders of a directory, sorted; hidden folders are ignored, other files skipped. */
    private static List<String> classFolders(Path directory, List<Path> skipped) throws IOException {
        List<String> classes = new ArrayList<>();
        List<String> stray = new ArrayList<>();
        try (Stream<Path> entries = list(directory)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    classes.add(name);
                } else if (!IGNORED.contains(name.toLowerCase(Locale.ROOT))) {
                    stray.add(name);
                }
            }
        }
        if (classes.isEmpty()) {
            throw new LplException("image folder " + directory + " has no class folders"
                    + (stray.isEmpty() ? "" : " (only files such as " + stray.get(0) + ")")
                    + ": put the images of each class into a sub-folder named after the class ("
                    + directory.resolve("cat") + "/001.png, ...)");
        }
        for (String name : stray) {
            skipped.add(directory.resolve(name));
        }
        classes.sort(null);
        return classes;
    }

    /** The images of a class folder, sorted by name; files of other types are added to skipped. */
    private static List<Path> images(Path classDir, List<Path> skipped) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> entries = list(classDir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                String lower = name.toLowerCase(Locale.ROOT);
                if (name.startsWith(".") || IGNORED.contains(lower)) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    throw new LplException(p + " is a folder inside the class folder " + classDir + ": class folders"
                            + " must hold images only; move its images up or out of the dataset");
                }
                if (ImageDecoder.hasImageExtension(p)) {
                    files.add(p);
                } else {
                    skipped.add(p);
                }
            }
        }
        if (files.isEmpty()) {
            throw new LplException("class folder " + classDir + " holds no images"
                    + (skipped.stream().anyMatch(p -> classDir.equals(p.getParent()))
                    ? " (only files of other types, such as " + skipped.stream().filter(p -> classDir.equals(p.getParent()))
                    .findFirst().orElseThrow().getFileName() + ")" : "")
                    + ": add PNG or JPEG images of the class, or remove the folder" + (classDir.getParent().getFileName().toString().equals("test")
                    || classDir.getParent().getFileName().toString().equals("train")
                    ? " (from both train/ and test/)" : ""));
        }
        files.sort(null);
        return files;
    }

    private static Stream<Path> list(Path directory) throws IOException {
        try {
            return Files.list(directory);
        } catch (AccessDeniedException e) {
            throw new LplException(directory + " cannot be read: permission denied", e);
        }
    }

    private static ImageSet read(Path root, List<List<Path>> byClass, int size, int channels, MessageDigest digest)
            throws IOException {
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < byClass.size(); c++) {
            for (Path p : byClass.get(c)) {
                files.add(p);
                labels.add(c);
            }
        }
        int n = files.size();
        byte[] pixels = new byte[Math.multiplyExact(n, channels * size * size)];
        String[] fileDigests = ImageDecoder.decodeAll(files, channels, size, size,
                file -> "", "it disappeared while the dataset was read: run again", pixels);
        for (int i = 0; i < n; i++) {
            String relative = root.relativize(files.get(i)).toString().replace('\\', '/');
            digest.update((relative + "\t" + fileDigests[i] + "\n").getBytes(StandardCharsets.UTF_8));
        }
        int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
        return new ImageSet(pixels, y, channels, size, size);
    }
}
