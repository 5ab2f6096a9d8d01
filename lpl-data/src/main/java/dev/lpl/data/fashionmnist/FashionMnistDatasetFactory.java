package dev.lpl.data.fashionmnist;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import java.util.OptionalInt;
import dev.lpl.api.data.DatasetContext;
import dev.lpl.data.DownloadableDataset;
import dev.lpl.data.download.CacheLock;
import dev.lpl.data.download.Checksums;
import dev.lpl.data.download.DownloadProgress;
import dev.lpl.data.download.Downloader;
import dev.lpl.api.data.ImageDataset;
import dev.lpl.api.data.ImageSet;
import dev.lpl.data.PixelStatistics;
import dev.lpl.data.idx.IdxImages;
import dev.lpl.data.idx.IdxLabels;
import dev.lpl.data.idx.IdxReader;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * When they are found nowhere, {@code data.path} is unset and {@code download = true}, the four
 * {@code .gz} files are downloaded from {@code url} into {@code <cache>/fashion-mnist}, each checked
 * against the MD5 published in Zalando's repository ({@code md5.<file>}).
 * The normalisation statistics are computed from the training pixels (mean 0.2860, std 0.3530 for
 * the real data); the identity holds the directory and each file's SHA-256.
 */
public final class FashionMnistDatasetFactory implements DownloadableDataset {

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
    private final Downloader downloader;

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
        this(systemDirectories, new Downloader());
    }

    /**
     * Creates a factory with other system directories and a given downloader (for tests).
     *
     * @param systemDirectories directories searched after {@code <cache>/fashion-mnist}
     * @param downloader the downloader
     */
    FashionMnistDatasetFactory(List<Path> systemDirectories, Downloader downloader) {
        this.systemDirectories = List.copyOf(requireNonNull(systemDirectories, "systemDirectories is null"));
        this.downloader = requireNonNull(downloader, "downloader is null");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Fashion-MNIST (Xiao et al. 2017): 60,000/10,000 28x28 grey images, 10 classes,"
                + " from IDX files in data.path, the cache or /usr/share/datasets/fashion-mnist, downloaded"
                + " when download = true";
    }

    /** {@inheritDoc} Always 10: Fashion-MNIST's fixed label set. */
    @Override
    public OptionalInt numClasses(Settings settings, DatasetContext context) {
        return OptionalInt.of(10);
    }

    @Override
    public ImageDataset load(Settings settings, DatasetContext context) throws IOException {
        requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        Location location = locate(context, Options.of(settings));

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
     * the cache and the system directories, else the cache after downloading (if allowed).
     *
     * @param context the data path and cache directory
     * @param options the dataset's settings
     * @return the directory and its four files
     * @throws LplException naming the files, the directories searched and the fixes
     */
    private Location locate(DatasetContext context, Options options) throws IOException {
        List<Path> candidates = candidates(context);
        List<String> report = new ArrayList<>();
        Location found = search(candidates, report);
        if (found != null) {
            return found;
        }
        if (context.path().isEmpty() && options.download()) {
            Path directory = download(options, cacheFolder(context.cacheDirectory()), DownloadProgress.standardError());
            Location downloaded = search(List.of(directory), report);
            if (downloaded != null) {
                return downloaded;
            }
        }
        throw new LplException(notFound(context, candidates) + "\nsearched:\n" + String.join("\n", report));
    }

    private List<Path> candidates(DatasetContext context) {
        List<Path> candidates = new ArrayList<>();
        if (context.path().isPresent()) {
            candidates.add(context.path().get().toAbsolutePath().normalize());
        } else {
            candidates.add(cacheFolder(context.cacheDirectory()));
            candidates.addAll(systemDirectories);
        }
        return candidates;
    }

    private static Path cacheFolder(Path cacheDirectory) {
        return cacheDirectory.resolve(NAME).toAbsolutePath().normalize();
    }

    /** Returns the first complete directory, or null, reporting on each incomplete one. */
    private static Location search(List<Path> candidates, List<String> report) {
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
        return null;
    }

    @Override
    public Fetched fetch(Settings settings, Path cacheDirectory, DownloadProgress progress) throws IOException {
        requireNonNull(progress, "progress is null");
        Options options = Options.of(requireNonNull(settings, "settings is null"));
        Location found = search(candidates(new DatasetContext(null, cacheDirectory, 0)), new ArrayList<>());
        if (found != null) {
            return new Fetched(found.directory(), Map.of());
        }
        Path directory = cacheFolder(cacheDirectory);
        Map<String, String> downloaded = new LinkedHashMap<>();
        downloadInto(options, directory, progress, downloaded);
        return new Fetched(directory, downloaded);
    }

    private Path download(Options options, Path directory, DownloadProgress progress) throws IOException {
        downloadInto(options, directory, progress, new LinkedHashMap<>());
        return directory;
    }

    /** Downloads the .gz files missing from a directory, each checked against its published MD5. */
    @SuppressWarnings("try") // the lock is held for the block, not used in it
    private void downloadInto(Options options, Path directory, DownloadProgress progress,
            Map<String, String> downloaded) throws IOException {
        Files.createDirectories(directory);
        try (CacheLock lock = CacheLock.acquire(directory.resolve(".lock"))) {
            for (String base : FILES) {
                Path gz = directory.resolve(base + ".gz");
                String md5 = options.md5().get(base);
                if (Files.isRegularFile(gz)) {
                    String got = Checksums.of(gz).md5();
                    if (got.equalsIgnoreCase(md5)) {
                        continue;
                    }
                    progress.note(gz + " has MD5 " + got + ", not the published " + md5
                            + "; deleting it and downloading it again");
                    Files.delete(gz);
                } else if (Files.isRegularFile(directory.resolve(base))) {
                    continue;
                }
                Downloader.Result result = downloader.download(url(options, base + ".gz"), gz, md5, progress,
                        "or install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist), or set"
                                + " data.path to a directory holding the four files");
                downloaded.put(base + ".gz", result.sha256());
            }
        }
    }

    private static URI url(Options options, String file) {
        String base = options.url().endsWith("/") ? options.url() : options.url() + "/";
        try {
            return new URI(base + file);
        } catch (URISyntaxException e) {
            throw new LplException("invalid configuration value data." + NAME + ".url: '" + options.url()
                    + "' is not a URL (" + e.getMessage() + ")");
        }
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
                + cache + ", or set data.path to the directory that holds them, or download them with"
                + " lpl data fetch fashion-mnist (or data.fashion-mnist.download = true)";
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

    /**
     * The dataset's settings.
     *
     * @param download whether {@code load} may download
     * @param url the base URL of the four .gz files
     * @param md5 the published MD5 of each .gz file, by base name
     */
    private record Options(boolean download, String url, Map<String, String> md5) {
        static Options of(Settings settings) {
            String url = settings.getString("url").trim();
            if (!url.matches("(?i)https?://.+")) {
                throw settings.invalid("url", "'" + url + "' is not an http(s) URL");
            }
            Settings sums = settings.getSettings("md5");
            Map<String, String> md5 = new LinkedHashMap<>();
            for (String base : FILES) {
                String value = sums.getString(base).trim().toLowerCase(Locale.ROOT);
                if (!value.matches("[0-9a-f]{32}")) {
                    throw sums.invalid(base, "'" + value + "' is not an MD5 checksum (32 hexadecimal digits)");
                }
                md5.put(base, value);
            }
            return new Options(settings.getBoolean("download"), url, md5);
        }
    }
}
