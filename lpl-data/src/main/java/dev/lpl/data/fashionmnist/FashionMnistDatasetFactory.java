package dev.lpl.data.fashionmnist;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import dev.lpl.api.data.DatasetContext;
import dev.lpl.api.data.DatasetFactory;
import dev.lpl.api.data.ImageDataset;
import dev.lpl.api.data.ImageSet;
import dev.lpl.data.PixelStatistics;
import dev.lpl.data.idx.IdxImages;
import dev.lpl.data.idx.IdxLabels;
import dev.lpl.data.idx.IdxReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code fashion-mnist} dataset: 60,000 training and 10,000 test images of 1×28×28 grey
 * pixels in ten classes, read from the IDX files {@code train-images-idx3-ubyte}, {@code
 * train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte},
 * each gzip-compressed ({@code .gz}, preferred when both exist) or not.
 *
 * <p>The files are read from {@code data.path} when it is set (and only there); otherwise from the
 * first directory holding all four among {@code <cache>/fashion-mnist} and {@code
 * /usr/share/datasets/fashion-mnist} (where Debian's {@code dataset-fashion-mnist} installs them).
 * The normalisation statistics are computed from the training pixels (mean 0.2860, std 0.3530 for
 * the real data); the identity holds the directory and each file's SHA-256.
 */
public final class FashionMnistDatasetFactory implements DatasetFactory {

    /** The name that selects this dataset ({@code data.type = fashion-mnist}). */
    public static final String NAME = "fashion-mnist";

    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    public static final Path SYSTEM_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

    /** The class names, in label order. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The image side in pixels. */
    public static final int SIDE = 28;

    /** The base names of the four files (train images and labels, test images and labels). */
    static final List<String> FILES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private static final String FIX =
            "replace it with the original file (reinstall Debian's dataset-fashion-mnist or"
                    + " download Fashion-MNIST again)";

    private final List<Path> systemDirectories;

    /** Creates the factory, looking in Debian's directory after the cache. */
    public FashionMnistDatasetFactory() {
        this(List.of(SYSTEM_DIRECTORY));
    }

    /**
     * Creates a factory that looks in other system directories after the cache (for tests).
     *
     * @param systemDirectories directories searched after {@code <cache>/fashion-mnist}
     */
    FashionMnistDatasetFactory(List<Path> systemDirectories) {
        this.systemDirectories = List.copyOf(requireNonNull(systemDirectories, "systemDirectories is null"));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Fashion-MNIST (Xiao et al. 2017): 60,000/10,000 28x28 grey images, 10 classes,"
                + " from IDX files in data.path, the cache or /usr/share/datasets/fashion-mnist";
    }

    @Override
    public ImageDataset load(Settings settings, DatasetContext context) throws IOException {
        requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        Location location = locate(context);

        IdxImages trainImages = IdxReader.readImages(location.file(0), FIX);
        IdxLabels trainLabels = IdxReader.readLabels(location.file(1), FIX);
        IdxImages testImages = IdxReader.readImages(location.file(2), FIX);
        IdxLabels testLabels = IdxReader.readLabels(location.file(3), FIX);
        ImageSet train = imageSet(trainImages, trainLabels);
        ImageSet test = imageSet(testImages, testLabels);
        PixelStatistics stats = PixelStatistics.of(train);

        Map<String, String> identity = new LinkedHashMap<>();
        identity.put("directory", location.directory().toString());
        identity.put(fileName(trainImages.file()), trainImages.sha256());
        identity.put(fileName(trainLabels.file()), trainLabels.sha256());
        identity.put(fileName(testImages.file()), testImages.sha256());
        identity.put(fileName(testLabels.file()), testLabels.sha256());
        return new ImageDataset(NAME, CLASS_NAMES, train, test, stats.mean(), stats.std(), identity);
    }

    private static String fileName(Path file) {
        return file.getFileName().toString();
    }

    private static ImageSet imageSet(IdxImages images, IdxLabels labels) {
        if (images.rows() != SIDE || images.columns() != SIDE) {
            throw new LplException(images.file() + " holds images of " + images.rows() + "×"
                    + images.columns() + " pixels, expected " + SIDE + "×" + SIDE
                    + "; it is not a Fashion-MNIST file: " + FIX);
        }
        int[] y = labels.labels();
        if (y.length != images.count()) {
            throw new LplException(labels.file() + " holds " + y.length + " labels but "
                    + images.file() + " holds " + images.count() + " images; use the matching"
                    + " pair of files: " + FIX);
        }
        for (int i = 0; i < y.length; i++) {
            if (y[i] >= CLASS_NAMES.size()) {
                throw new LplException(labels.file() + " has label " + y[i] + " at index " + i
                        + ", outside 0.." + (CLASS_NAMES.size() - 1)
                        + "; it is not a Fashion-MNIST label file: " + FIX);
            }
        }
        return new ImageSet(images.pixels(), y, 1, SIDE, SIDE);
    }

    /**
     * Finds the directory to read from: {@code data.path} if set, else the first complete one of
     * the cache and the system directories.
     *
     * @param context the data path and cache directory
     * @return the directory and its four files
     * @throws LplException naming the files, the directories searched and the fixes
     */
    private Location locate(DatasetContext context) {
        List<Path> candidates = new ArrayList<>();
        if (context.path().isPresent()) {
            candidates.add(context.path().get().toAbsolutePath().normalize());
        } else {
            candidates.add(context.cacheDirectory().resolve(NAME).toAbsolutePath().normalize());
            candidates.addAll(systemDirectories);
        }
        List<String> report = new ArrayList<>();
        for (Path directory : candidates) {
            List<Path> found = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String base : FILES) {
                Path gz = directory.resolve(base + ".gz");
                Path plain = directory.resolve(base);
                if (Files.isRegularFile(gz)) {
                    found.add(gz);
                } else if (Files.isRegularFile(plain)) {
                    found.add(plain);
                } else {
                    missing.add(base + ".gz");
                }
            }
            if (missing.isEmpty()) {
                return new Location(directory, found);
            }
            String state;
            if (Files.isDirectory(directory)) {
                state = "missing " + String.join(", ", missing);
            } else if (Files.exists(directory)) {
                state = "not a directory";
            } else {
                state = "no such directory";
            }
            report.add("  " + directory + ": " + state);
        }
        throw new LplException(notFound(context, candidates) + "\nsearched:\n"
                + String.join("\n", report));
    }

    private static String notFound(DatasetContext context, List<Path> candidates) {
        String files = FILES.stream().map(f -> f + ".gz").collect(Collectors.joining(", "));
        String where = candidates.stream().map(Path::toString).collect(Collectors.joining(", "));
        Path cache = context.cacheDirectory().resolve(NAME).toAbsolutePath().normalize();
        if (context.path().isPresent()) {
            return "Fashion-MNIST files not found in data.path " + where + " (need " + files
                    + ", or the same without .gz): put the four IDX files there, or unset"
                    + " data.path to use Debian's dataset-fashion-mnist (apt-get install"
                    + " dataset-fashion-mnist) or " + cache;
        }
        return "Fashion-MNIST files not found in " + where + " (need " + files
                + ", or the same without .gz): install Debian's dataset-fashion-mnist"
                + " (apt-get install dataset-fashion-mnist), or put the four IDX files into "
                + cache + ", or set data.path to the directory that holds them";
    }

    /**
     * The directory the files are read from and the four files.
     *
     * @param directory the directory
     * @param files the four files, in {@link #FILES} order
     */
    private record Location(Path directory, List<Path> files) {
        Path file(int index) {
            return files.get(index);
        }
    }
}
