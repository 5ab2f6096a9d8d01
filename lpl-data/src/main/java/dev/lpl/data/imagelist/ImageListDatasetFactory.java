package dev.lpl.data.imagelist;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import dev.lpl.api.UserPaths;
import dev.lpl.api.data.DatasetContext;
import dev.lpl.api.data.DatasetFactory;
import dev.lpl.api.data.ImageDataset;
import dev.lpl.api.data.ImageSet;
import dev.lpl.data.PixelStatistics;
import dev.lpl.data.Sha256;
import dev.lpl.data.image.ImageDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code image-list} dataset: images under a root folder ({@code data.path}) listed in split
 * files of {@code relative/path label} lines, the format of the published ImageNet-LT, Places-LT
 * (Liu et al., "Large-Scale Long-Tailed Recognition in an Open World", CVPR 2019) and iNaturalist
 * splits ({@code ImageNet_LT_train.txt}: {@code train/n01440764/n01440764_10026.JPEG 0}).
 *
 * <p>Settings ({@code data.image-list}): {@code train} and {@code test}, the split files (relative
 * to {@code data.path}, or absolute); {@code names}, an optional file with one class name per line
 * (line k names class k; without it classes are {@code class_0}, {@code class_1}, ... and C is the
 * largest label + 1); {@code size} and {@code channels} as for {@code image-folder} (the same
 * decoder: RGB or BT.601 grey, resized to size × size, bilinear, aspect ratio not kept); {@code
 * normalization}, {@code computed} (the training pixels' statistics) or {@code imagenet} (mean
 * (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225), as ImageNet-LT code uses).
 *
 * <p>Refused, with the file and line: a missing split file or image, a line without a label, a
 * label that is not an integer, negative or (with a names file) not below C, a path outside {@code
 * data.path}, a path listed twice in a split or in both splits, an empty split, a class without
 * training images, an image that cannot be decoded. The identity holds the root, each split file's
 * SHA-256 and line count, the image counts and shape, and a SHA-256 over every image's relative path
 * and SHA-256.
 */
public final class ImageListDatasetFactory implements DatasetFactory {

    /** The name that selects this dataset. */
    public static final String NAME = "image-list";

    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    /** Creates the factory. */
    public ImageListDatasetFactory() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "images under data.path listed in split files of 'relative/path label' lines (ImageNet-LT,"
                + " Places-LT, iNaturalist format), resized to size x size";
    }

    /**
     * {@inheritDoc} The lines of the names file, else the largest label of the split files + 1
     * (text files only, no image is read); empty when a file is missing or malformed, which {@link
     * #load} then reports.
     */
    @Override
    public OptionalInt numClasses(Settings settings, DatasetContext context) {
        Optional<Path> path = requireNonNull(context, "context is null").path();
        if (path.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            Path root = path.get().toAbsolutePath().normalize();
            Optional<List<String>> names = names(settings, root);
            if (names.isPresent()) {
                return OptionalInt.of(names.get().size());
            }
            int max = Math.max(SplitFile.read(file(settings, root, "train"), "").maxLabel(),
                    SplitFile.read(file(settings, root, "test"), "").maxLabel());
            return OptionalInt.of(max + 1);
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
        String normalization = settings.getChoice("normalization", List.of("computed", "imagenet"));
        if (normalization.equals("imagenet") && channels != 3) {
            throw settings.invalid("normalization", "imagenet needs channels = 3 (RGB); use computed for grey images");
        }
        Path root = context.path().orElseThrow(() -> new LplException("data.type = image-list needs data.path: the"
                + " folder the split files' image paths are relative to; set data.path=DIR"))
                .toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new LplException("image root " + root + (Files.exists(root) ? " is not a directory" : " does not exist")
                    + ": set data.path to the folder the split files' image paths are relative to");
        }
        SplitFile train = SplitFile.read(file(settings, root, "train"), settings.path() + ".train");
        SplitFile test = SplitFile.read(file(settings, root, "test"), settings.path() + ".test");
        Optional<List<String>> names = names(settings, root);
        int numClasses = names.map(List::size).orElse(Math.max(train.maxLabel(), test.maxLabel()) + 1);
        List<String> classNames = names.orElseGet(() -> {
            List<String> generated = new ArrayList<>();
            for (int k = 0; k < numClasses; k++) {
                generated.add("class_" + k);
            }
            return generated;
        });
        for (SplitFile split : List.of(train, test)) {
            for (SplitFile.Entry e : split.entries()) {
                if (e.label() >= numClasses) {
                    throw new LplException(split.file() + " line " + e.line() + ": the label " + e.label() + " is not"
                            + " below the " + numClasses + " classes of the names file "
                            + file(settings, root, "names") + "; fix the label or add the class's name");
                }
            }
        }
        long[] counts = new long[numClasses];
        train.entries().forEach(e -> counts[e.label()]++);
        for (int k = 0; k < numClasses; k++) {
            if (counts[k] == 0) {
                throw new LplException("class " + k + " (" + classNames.get(k) + ") has no training images in "
                        + train.file() + ": every class needs at least one; relabel the classes 0.."
                        + (numClasses - 1) + " without gaps" + (names.isPresent() ? " or remove the class's name" : ""));
            }
        }
        Map<Path, String> trainLines = new HashMap<>();
        List<Path> trainPaths = resolve(root, train, trainLines, Map.of());
        List<Path> testPaths = resolve(root, test, new HashMap<>(), trainLines);
        MessageDigest digest = Sha256.newDigest();
        ImageSet trainSet = read(root, train, trainPaths, channels, size, digest);
        ImageSet testSet = read(root, test, testPaths, channels, size, digest);
        Map<String, String> identity = new LinkedHashMap<>();
        identity.put("directory", root.toString());
        identity.put("train_list", train.file() + " (" + train.entries().size() + " lines, sha256 " + train.sha256() + ")");
        identity.put("test_list", test.file() + " (" + test.entries().size() + " lines, sha256 " + test.sha256() + ")");
        identity.put("image_shape", channels + "x" + size + "x" + size);
        identity.put("train_images", Integer.toString(trainSet.size()));
        identity.put("test_images", Integer.toString(testSet.size()));
        identity.put("files_sha256", Sha256.hex(digest));
        identity.put("normalization", normalization);
        float[] mean;
        float[] std;
        if (normalization.equals("imagenet")) {
            mean = IMAGENET_MEAN.clone();
            std = IMAGENET_STD.clone();
        } else {
            PixelStatistics stats = PixelStatistics.of(trainSet);
            mean = stats.mean();
            std = stats.std();
            for (int c = 0; c < std.length; c++) {
                if (!(std[c] > 0)) {
                    std[c] = 1; // every training pixel of this channel has one value: keep the scale
                }
            }
        }
        return new ImageDataset(NAME, classNames, trainSet, testSet, mean, std, identity);
    }

    /** The file a key names, relative to the root unless absolute. */
    private static Path file(Settings settings, Path root, String key) {
        String value = settings.getString(key);
        try {
            return root.resolve(UserPaths.expand(value)).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw settings.invalid(key, "'" + value + "' is not a valid path");
        }
    }

    /** The class names of the names file, when one is set. */
    private static Optional<List<String>> names(Settings settings, Path root) throws IOException {
        if (settings.getString("names").isBlank()) {
            return Optional.empty();
        }
        Path file = file(settings, root, "names");
        String key = settings.path() + ".names";
        if (!Files.isRegularFile(file)) {
            throw new LplException("names file " + file + " (" + key + ") does not exist: give a file with one class"
                    + " name per line (line k names class k), or set " + key + " = \"\" for class_0, class_1, ...");
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String name = lines.get(i).strip();
            if (name.isEmpty()) {
                throw new LplException(file + " line " + (i + 1) + " is blank: every line up to the last names one"
                        + " class (line k names class k)");
            }
            Integer first = seen.putIfAbsent(name, i + 1);
            if (first != null) {
                throw new LplException(file + " line " + (i + 1) + ": the class name '" + name + "' is also on line "
                        + first + "; class names must differ");
            }
            lines.set(i, name);
        }
        if (lines.isEmpty()) {
            throw new LplException("names file " + file + " (" + key + ") is empty: give one class name per line");
        }
        return Optional.of(List.copyOf(lines));
    }

    /** The image files of a split, checked to lie under the root and not to be in the other split. */
    private static List<Path> resolve(Path root, SplitFile split, Map<Path, String> where, Map<Path, String> other) {
        List<Path> paths = new ArrayList<>();
        for (SplitFile.Entry e : split.entries()) {
            Path p;
            try {
                p = root.resolve(e.path()).normalize();
            } catch (InvalidPathException ex) {
                throw new LplException(split.file() + " line " + e.line() + ": '" + e.path() + "' is not a valid path");
            }
            if (!p.startsWith(root) || p.equals(root)) {
                throw new LplException(split.file() + " line " + e.line() + ": " + e.path() + " is not inside the image"
                        + " root " + root + " (data.path); list paths relative to it, or set data.path to a folder"
                        + " that holds every image");
            }
            String location = split.file() + " line " + e.line();
            String before = other.get(p);
            if (before != null) {
                throw new LplException(location + ": " + e.path() + " is also a training image (" + before + "); a"
                        + " test image must not be trained on: remove it from one of the splits");
            }
            if (where.putIfAbsent(p, location) != null) {
                throw new LplException(location + ": " + e.path() + " is listed again (" + where.get(p)
                        + "); remove the duplicate line");
            }
            paths.add(p);
        }
        return paths;
    }

    private static ImageSet read(Path root, SplitFile split, List<Path> files, int channels, int size,
            MessageDigest digest) throws IOException {
        int n = files.size();
        Map<Path, Integer> lines = new HashMap<>();
        for (int i = 0; i < n; i++) {
            lines.put(files.get(i), split.entries().get(i).line());
        }
        byte[] pixels = new byte[Math.multiplyExact(n, channels * size * size)];
        String[] digests = ImageDecoder.decodeAll(files, channels, size, size,
                file -> split.file() + " line " + lines.get(file) + ": ", "fix the line, or set data.path to the"
                        + " folder the listed paths are relative to", pixels);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = split.entries().get(i).label();
            String relative = root.relativize(files.get(i)).toString().replace('\\', '/');
            digest.update((relative + "\t" + digests[i] + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return new ImageSet(pixels, labels, channels, size, size);
    }
}
