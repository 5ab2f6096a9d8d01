package dev.lpl.data.cifar;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import java.util.OptionalInt;
import dev.lpl.api.data.DatasetContext;
import dev.lpl.api.data.ImageDataset;
import dev.lpl.api.data.ImageSet;
import dev.lpl.data.DownloadableDataset;
import dev.lpl.data.PixelStatistics;
import dev.lpl.data.archive.TarGz;
import dev.lpl.data.download.CacheLock;
import dev.lpl.data.download.Checksums;
import dev.lpl.data.download.DownloadProgress;
import dev.lpl.data.download.Downloader;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code cifar10} and {@code cifar100} datasets, read from the official binary versions.
 *
 * <p>Where the files are looked for:
 *
 * <ul>
 *   <li>{@code data.path} set (never any network then): the extracted folder inside it ({@code
 *       <path>/cifar-10-batches-bin}), the path itself if it is that folder, or the archive ({@code
 *       <path>/cifar-10-binary.tar.gz}, or {@code data.path} naming the archive), read directly
 *       without extracting after its MD5 was checked;
 *   <li>otherwise the cache ({@code data.cache-dir}, default {@code ~/.lpl/datasets}): the
 *       extracted folder, else the archive (MD5 checked, then extracted), else — when {@code
 *       download = true} — the archive downloaded from {@code url}, checked and extracted.
 * </ul>
 *
 * <p>The normalisation is the customary one ({@code normalization = published}): CIFAR-10 mean
 * (0.4914, 0.4822, 0.4465), std (0.2023, 0.1994, 0.2010) as in LDAM-DRW; CIFAR-100 mean (0.5071,
 * 0.4865, 0.4409), std (0.2673, 0.2564, 0.2762); or computed from the training pixels ({@code
 * normalization = computed}). The identity holds the directory or archive, the SHA-256 of every
 * data file (and the archive's MD5 and SHA-256 when read from it) and the record counts.
 */
public final class CifarDatasetFactory implements DownloadableDataset {

    private final CifarVariant variant;
    private final Downloader downloader;

    /**
     * Creates the factory of one variant.
     *
     * @param variant CIFAR-10 or CIFAR-100
     */
    public CifarDatasetFactory(CifarVariant variant) {
        this(variant, new Downloader());
    }

    /**
     * Creates the factory of one variant with a given downloader (tests: short timeouts).
     *
     * @param variant CIFAR-10 or CIFAR-100
     * @param downloader the downloader
     */
    public CifarDatasetFactory(CifarVariant variant, Downloader downloader) {
        this.variant = requireNonNull(variant, "variant is null");
        this.downloader = requireNonNull(downloader, "downloader is null");
    }

    @Override
    public String name() {
        return variant.datasetName();
    }

    @Override
    public String description() {
        return variant.title() + " (Krizhevsky 2009): 50,000/10,000 32x32 colour images, " + variant.numClasses()
                + " classes, binary version from data.path or the cache, downloaded when download = true";
    }

    /** {@inheritDoc} Always the variant's fixed label set (10 or 100 fine classes). */
    @Override
    public OptionalInt numClasses(Settings settings, DatasetContext context) {
        return OptionalInt.of(variant.numClasses());
    }

    @Override
    public ImageDataset load(Settings settings, DatasetContext context) throws IOException {
        requireNonNull(context, "context is null");
        Options options = Options.of(requireNonNull(settings, "settings is null"));
        if (context.path().isPresent()) {
            return fromDataPath(options, context.path().get().toAbsolutePath().normalize());
        }
        Path cache = context.cacheDirectory().toAbsolutePath().normalize();
        Path folder = cache.resolve(variant.folder());
        if (!missing(folder).isEmpty()) {
            folder = ensureInCache(options, cache, DownloadProgress.standardError(), options.download()).directory();
        }
        return fromFolder(options, folder);
    }

    @Override
    public Fetched fetch(Settings settings, Path cacheDirectory, DownloadProgress progress) throws IOException {
        Options options = Options.of(requireNonNull(settings, "settings is null"));
        return ensureInCache(options, cacheDirectory.toAbsolutePath().normalize(),
                requireNonNull(progress, "progress is null"), true);
    }

    // ----------------------------------------------------------------------------------------------
    // Locating

    private ImageDataset fromDataPath(Options options, Path path) throws IOException {
        if (Files.isRegularFile(path) && isArchiveName(path)) {
            if (path.getFileName().toString().equalsIgnoreCase(variant.pythonArchive())) {
                throw pythonVersion(options, path, path.getParent(), true);
            }
            return fromArchive(options, path);
        }
        Path inside = path.resolve(variant.folder());
        if (missing(inside).isEmpty()) {
            return fromFolder(options, inside);
        }
        if (missing(path).isEmpty()) {
            return fromFolder(options, path);
        }
        Path archive = path.resolve(variant.archive());
        if (Files.isRegularFile(archive)) {
            return fromArchive(options, archive);
        }
        for (Path python : List.of(path, path.resolve(variant.pythonFolder()), path.resolve(variant.pythonArchive()))) {
            boolean folder = python.getFileName().toString().equals(variant.pythonFolder()) && Files.isDirectory(python);
            boolean file = python.getFileName().toString().equals(variant.pythonArchive()) && Files.isRegularFile(python);
            if (folder || file) {
                throw pythonVersion(options, python, path.equals(python) ? path.getParent() : path, true);
            }
        }
        List<String> report = new ArrayList<>();
        report.add("  " + inside + ": " + state(inside));
        report.add("  " + path + ": " + state(path));
        report.add("  " + archive + ": " + (Files.exists(archive) ? "not a file" : "no such file"));
        throw new LplException(variant.title() + " files not found in data.path " + path + " (need the folder "
                + variant.folder() + " with " + String.join(", ", variant.dataFiles()) + ", or the archive "
                + variant.archive() + "): download " + url(options) + " into it (no need to extract), or unset"
                + " data.path to use the dataset cache (lpl data fetch " + variant.datasetName() + ")"
                + "\nsearched:\n" + String.join("\n", report));
    }

    private static boolean isArchiveName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".tar.gz") || name.endsWith(".tgz");
    }

    private List<String> missing(Path directory) {
        List<String> missing = new ArrayList<>();
        for (String file : variant.dataFiles()) {
            if (!Files.isRegularFile(directory.resolve(file))) {
                missing.add(file);
            }
        }
        return missing;
    }

    private String state(Path directory) {
        if (Files.isDirectory(directory)) {
            return "missing " + String.join(", ", missing(directory));
        }
        return Files.exists(directory) ? "not a directory" : "no such directory";
    }

    @SuppressWarnings("try") // the lock is held for the block, not used in it
    private Fetched ensureInCache(Options options, Path cache, DownloadProgress progress, boolean allowDownload)
            throws IOException {
        Path folder = cache.resolve(variant.folder());
        Path archive = cache.resolve(variant.archive());
        if (!allowDownload && !Files.isRegularFile(archive) && !missing(folder).isEmpty()) {
            throw notInCache(options, cache, folder);
        }
        try (CacheLock lock = CacheLock.acquire(cache.resolve(".lock-" + variant.datasetName()))) {
            if (missing(folder).isEmpty()) {
                return new Fetched(folder, Map.of());
            }
            Map<String, String> downloaded = new LinkedHashMap<>();
            if (Files.isRegularFile(archive)) {
                progress.note("verifying " + archive);
                Checksums.FileDigests digests = Checksums.of(archive);
                if (!digests.md5().equalsIgnoreCase(options.md5())) {
                    if (!allowDownload) {
                        throw new LplException(archive + " has MD5 " + digests.md5() + " but the published checksum"
                                + " is " + options.md5() + ": it is corrupt or incomplete; delete it and run lpl data"
                                + " fetch " + variant.datasetName() + ", or download " + url(options) + " again");
                    }
                    progress.note(archive + " has MD5 " + digests.md5() + ", not the published " + options.md5()
                            + "; deleting it and downloading it again");
                    Files.delete(archive);
                }
            }
            if (!Files.isRegularFile(archive)) {
                if (!allowDownload) {
                    throw notInCache(options, cache, folder);
                }
                Downloader.Result result = downloader.download(url(options), archive, options.md5(), progress,
                        "or set data.path to a directory holding it (lpl then never downloads)");
                downloaded.put(variant.archive(), result.sha256());
            }
            progress.note("extracting " + archive + " into " + cache);
            TarGz.extract(archive, cache, "delete it and download it again (lpl data fetch " + variant.datasetName()
                    + ")");
            List<String> stillMissing = missing(folder);
            if (!stillMissing.isEmpty()) {
                throw new LplException(archive + " does not contain " + variant.folder() + "/"
                        + String.join(", ", stillMissing) + ": it is not the " + variant.title() + " binary archive;"
                        + " delete it and download " + url(options) + " again");
            }
            return new Fetched(folder, downloaded);
        }
    }

    /**
     * The refusal of the Python (pickle) version of CIFAR (torchvision's download), found where the
     * binary version was looked for.
     */
    private LplException pythonVersion(Options options, Path found, Path directory, boolean dataPath) {
        return new LplException(found + " is the Python (pickle) version of " + variant.title() + " (torchvision's"
                + " download), which lpl does not read: lpl needs the binary version, " + variant.archive()
                + " (folder " + variant.folder() + "), from " + url(options) + " (see https://www.cs.toronto.edu/~kriz/"
                + "cifar.html): download it into " + directory + " (no need to extract), or "
                + (dataPath ? "unset data.path and " : "") + "run lpl data fetch " + variant.datasetName());
    }

    private LplException notInCache(Options options, Path cache, Path folder) {
        Path python = cache.resolve(variant.pythonFolder());
        if (Files.isDirectory(python) || Files.isRegularFile(cache.resolve(variant.pythonArchive()))) {
            return pythonVersion(options, Files.isDirectory(python) ? python : cache.resolve(variant.pythonArchive()),
                    cache, false);
        }
        return new LplException(variant.title() + " not found in the dataset cache " + cache + " (need "
                + variant.folder() + "/ with " + String.join(", ", variant.dataFiles()) + ", or "
                + variant.archive() + "; " + folder + ": " + state(folder) + ") and data." + variant.datasetName()
                + ".download = false: run lpl data fetch " + variant.datasetName() + ", or set data."
                + variant.datasetName() + ".download = true, or download " + url(options) + " by hand into " + cache
                + ", or set data.path to a directory holding it");
    }

    private URI url(Options options) {
        String base = options.url().endsWith("/") ? options.url() : options.url() + "/";
        try {
            return new URI(base + variant.archive());
        } catch (URISyntaxException e) {
            throw new LplException("invalid configuration value data." + variant.datasetName() + ".url: '"
                    + options.url() + "' is not a URL (" + e.getMessage() + ")");
        }
    }

    // ----------------------------------------------------------------------------------------------
    // Reading

    private String fileFix() {
        return "replace it with the file from the official " + variant.archive() + " (lpl data fetch "
                + variant.datasetName() + " downloads it into the cache)";
    }

    private ImageDataset fromFolder(Options options, Path folder) throws IOException {
        Map<String, CifarBinaryReader.Records> records = new LinkedHashMap<>();
        for (String file : variant.dataFiles()) {
            records.put(file, CifarBinaryReader.read(folder.resolve(file), variant, fileFix()));
        }
        Path namesFile = folder.resolve(variant.namesFile());
        List<String> names = Files.isRegularFile(namesFile)
                ? classNames(namesFile.toString(), Files.readString(namesFile, StandardCharsets.UTF_8))
                : variant.classNames();
        Map<String, String> identity = new LinkedHashMap<>();
        identity.put("directory", folder.toString());
        return dataset(options, records, names, identity);
    }

    private ImageDataset fromArchive(Options options, Path archive) throws IOException {
        String fix = "download " + url(options) + " again, or extract it and set data.path to the extracted folder";
        Map<String, CifarBinaryReader.Records> records = new LinkedHashMap<>();
        String[] names = new String[1];
        Checksums.FileDigests digests = TarGz.read(archive, (name, size, content) -> {
            String file = memberOf(name);
            if (file == null) {
                return;
            }
            String display = archive + "!" + name;
            if (file.equals(variant.namesFile())) {
                names[0] = new String(content.readAllBytes(), StandardCharsets.UTF_8);
            } else if (!records.containsKey(file)) {
                records.put(file, CifarBinaryReader.read(content, size, display, variant, fix));
            }
        }, fix);
        if (!digests.md5().equalsIgnoreCase(options.md5())) {
            throw new LplException(archive + " has MD5 " + digests.md5() + " but the published checksum is "
                    + options.md5() + ": it is corrupt, truncated or not the official archive; " + fix);
        }
        List<String> absent = variant.dataFiles().stream().filter(f -> !records.containsKey(f)).toList();
        if (!absent.isEmpty()) {
            throw new LplException(archive + " does not contain " + variant.folder() + "/" + String.join(", ", absent)
                    + ": it is not the " + variant.title() + " binary archive; " + fix);
        }
        List<String> classNames = names[0] == null ? variant.classNames()
                : classNames(archive + "!" + variant.folder() + "/" + variant.namesFile(), names[0]);
        Map<String, String> identity = new LinkedHashMap<>();
        identity.put("archive", archive.toString());
        identity.put("archive_md5", digests.md5());
        identity.put("archive_sha256", digests.sha256());
        // in archive order is not stable across re-packing: put the files in the canonical order
        Map<String, CifarBinaryReader.Records> ordered = new LinkedHashMap<>();
        for (String file : variant.dataFiles()) {
            ordered.put(file, records.get(file));
        }
        return dataset(options, ordered, classNames, identity);
    }

    private String memberOf(String entryName) {
        for (String file : variant.dataFiles()) {
            if (entryName.equals(variant.folder() + "/" + file) || entryName.equals(file)) {
                return file;
            }
        }
        String names = variant.namesFile();
        if (entryName.equals(variant.folder() + "/" + names) || entryName.equals(names)) {
            return names;
        }
        return null;
    }

    private List<String> classNames(String source, String text) {
        List<String> names = text.lines().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (names.size() != variant.numClasses()) {
            throw new LplException(source + " lists " + names.size() + " class names, expected "
                    + variant.numClasses() + "; " + fileFix());
        }
        return names;
    }

    private ImageDataset dataset(Options options, Map<String, CifarBinaryReader.Records> records, List<String> names,
            Map<String, String> identity) {
        List<CifarBinaryReader.Records> trainParts = variant.trainFiles().stream().map(records::get).toList();
        CifarBinaryReader.Records testPart = records.get(variant.testFile());
        ImageSet train = concat(trainParts);
        ImageSet test = new ImageSet(testPart.pixels(), testPart.labels(), 3, CifarVariant.SIDE, CifarVariant.SIDE);
        for (Map.Entry<String, CifarBinaryReader.Records> e : records.entrySet()) {
            identity.put(e.getKey(), e.getValue().sha256());
        }
        identity.put("train_records", Integer.toString(train.size()));
        identity.put("test_records", Integer.toString(test.size()));
        float[] mean;
        float[] std;
        if (options.normalization().equals("computed")) {
            PixelStatistics stats = PixelStatistics.of(train);
            mean = stats.mean();
            std = stats.std();
        } else {
            mean = variant.publishedMean();
            std = variant.publishedStd();
        }
        identity.put("normalization", options.normalization());
        return new ImageDataset(variant.datasetName(), names, train, test, mean, std, identity);
    }

    private static ImageSet concat(List<CifarBinaryReader.Records> parts) {
        if (parts.size() == 1) {
            CifarBinaryReader.Records only = parts.get(0);
            return new ImageSet(only.pixels(), only.labels(), 3, CifarVariant.SIDE, CifarVariant.SIDE);
        }
        int n = parts.stream().mapToInt(CifarBinaryReader.Records::count).sum();
        byte[] pixels = new byte[n * CifarVariant.IMAGE_BYTES];
        int[] labels = new int[n];
        int at = 0;
        for (CifarBinaryReader.Records part : parts) {
            System.arraycopy(part.pixels(), 0, pixels, at * CifarVariant.IMAGE_BYTES, part.pixels().length);
            System.arraycopy(part.labels(), 0, labels, at, part.count());
            at += part.count();
        }
        return new ImageSet(pixels, labels, 3, CifarVariant.SIDE, CifarVariant.SIDE);
    }

    /**
     * The dataset's settings.
     *
     * @param download whether {@code load} may download
     * @param url the base URL the archive is downloaded from
     * @param md5 the archive's expected MD5
     * @param normalization {@code published} or {@code computed}
     */
    private record Options(boolean download, String url, String md5, String normalization) {
        static Options of(Settings settings) {
            String md5 = settings.getString("md5").trim().toLowerCase(Locale.ROOT);
            if (!md5.matches("[0-9a-f]{32}")) {
                throw settings.invalid("md5", "'" + md5 + "' is not an MD5 checksum (32 hexadecimal digits)");
            }
            String url = settings.getString("url").trim();
            if (!url.matches("(?i)https?://.+")) {
                throw settings.invalid("url", "'" + url + "' is not an http(s) URL");
            }
            return new Options(settings.getBoolean("download"), url, md5,
                    settings.getChoice("normalization", List.of("published", "computed")));
        }
    }
}
