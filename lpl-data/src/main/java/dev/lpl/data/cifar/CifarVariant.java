package dev.lpl.data.cifar;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The two CIFAR datasets in their binary versions (Krizhevsky, "Learning Multiple Layers of
 * Features from Tiny Images", 2009; https://www.cs.toronto.edu/~kriz/cifar.html). A record is
 * {@link #labelBytes()} label bytes followed by 3072 pixel bytes: 1024 red, 1024 green, 1024 blue,
 * each a row-major 32×32 plane — the planar layout of {@link dev.lpl.api.data.ImageSet}.
 */
public enum CifarVariant {

    /** CIFAR-10: 10 classes, 5 training files of 10,000 records, 1 label byte. */
    CIFAR10(
            "cifar10",
            "CIFAR-10",
            "cifar-10-binary.tar.gz",
            "c32a1d4ab5d03f1284b67883e8d87530",
            "cifar-10-batches-bin",
            IntStream.rangeClosed(1, 5).mapToObj(i -> "data_batch_" + i + ".bin").toList(),
            "test_batch.bin",
            "batches.meta.txt",
            1,
            0,
            List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
            new float[] {0.4914f, 0.4822f, 0.4465f},
            new float[] {0.2023f, 0.1994f, 0.2010f}),

    /** CIFAR-100: 100 fine classes (20 coarse), one training file, 2 label bytes (coarse, fine). */
    CIFAR100(
            "cifar100",
            "CIFAR-100",
            "cifar-100-binary.tar.gz",
            "03b5dce01913d631647c71ecec9e9cb8",
            "cifar-100-binary",
            List.of("train.bin"),
            "test.bin",
            "fine_label_names.txt",
            2,
            1,
            List.of("apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle", "bicycle",
                    "bottle", "bowl", "boy", "bridge", "bus", "butterfly", "camel", "can", "castle",
                    "caterpillar", "cattle", "chair", "chimpanzee", "clock", "cloud", "cockroach", "couch",
                    "crab", "crocodile", "cup", "dinosaur", "dolphin", "elephant", "flatfish", "forest", "fox",
                    "girl", "hamster", "house", "kangaroo", "keyboard", "lamp", "lawn_mower", "leopard", "lion",
                    "lizard", "lobster", "man", "maple_tree", "motorcycle", "mountain", "mouse", "mushroom",
                    "oak_tree", "orange", "orchid", "otter", "palm_tree", "pear", "pickup_truck", "pine_tree",
                    "plain", "plate", "poppy", "porcupine", "possum", "rabbit", "raccoon", "ray", "road",
                    "rocket", "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper", "snail", "snake",
                    "spider", "squirrel", "streetcar", "sunflower", "sweet_pepper", "table", "tank",
                    "telephone", "television", "tiger", "tractor", "train", "trout", "tulip", "turtle",
                    "wardrobe", "whale", "willow_tree", "wolf", "woman", "worm"),
            new float[] {0.5071f, 0.4865f, 0.4409f},
            new float[] {0.2673f, 0.2564f, 0.2762f});

    /**
     * Returns the folder of the Python (pickle) version, which lpl does not read: torchvision's
     * {@code datasets.CIFAR10/100} download it, so users often have it instead of the binary one.
     *
     * @return {@code cifar-10-batches-py} or {@code cifar-100-python}
     */
    public String pythonFolder() {
        return this == CIFAR10 ? "cifar-10-batches-py" : "cifar-100-python";
    }

    /**
     * Returns the archive name of the Python (pickle) version.
     *
     * @return {@code cifar-10-python.tar.gz} or {@code cifar-100-python.tar.gz}
     */
    public String pythonArchive() {
        return this == CIFAR10 ? "cifar-10-python.tar.gz" : "cifar-100-python.tar.gz";
    }

    /** Bytes of one image: 3 planes of 32×32. */
    public static final int IMAGE_BYTES = 3 * 32 * 32;

    /** The image side. */
    public static final int SIDE = 32;

    /** The number of coarse classes of CIFAR-100 (its first label byte). */
    static final int COARSE_CLASSES = 20;

    private final String datasetName;
    private final String title;
    private final String archive;
    private final String md5;
    private final String folder;
    private final List<String> trainFiles;
    private final String testFile;
    private final String namesFile;
    private final int labelBytes;
    private final int labelIndex;
    private final List<String> classNames;
    private final float[] mean;
    private final float[] std;

    CifarVariant(String datasetName, String title, String archive, String md5, String folder, List<String> trainFiles,
            String testFile, String namesFile, int labelBytes, int labelIndex, List<String> classNames, float[] mean,
            float[] std) {
        this.datasetName = datasetName;
        this.title = title;
        this.archive = archive;
        this.md5 = md5;
        this.folder = folder;
        this.trainFiles = trainFiles;
        this.testFile = testFile;
        this.namesFile = namesFile;
        this.labelBytes = labelBytes;
        this.labelIndex = labelIndex;
        this.classNames = classNames;
        this.mean = mean;
        this.std = std;
    }

    /**
     * Returns the name that selects the dataset ({@code data.type}).
     *
     * @return {@code cifar10} or {@code cifar100}
     */
    public String datasetName() {
        return datasetName;
    }

    /**
     * Returns the dataset's usual spelling for messages.
     *
     * @return {@code CIFAR-10} or {@code CIFAR-100}
     */
    public String title() {
        return title;
    }

    /**
     * Returns the name of the official archive.
     *
     * @return e.g. {@code cifar-10-binary.tar.gz}
     */
    public String archive() {
        return archive;
    }

    /**
     * Returns the MD5 published on the dataset's page for the archive.
     *
     * @return lower-case hex
     */
    public String publishedMd5() {
        return md5;
    }

    /**
     * Returns the folder the archive extracts to.
     *
     * @return e.g. {@code cifar-10-batches-bin}
     */
    public String folder() {
        return folder;
    }

    /**
     * Returns the training files, in the order their records are concatenated.
     *
     * @return the file names within {@link #folder()}
     */
    public List<String> trainFiles() {
        return trainFiles;
    }

    /**
     * Returns the test file.
     *
     * @return the file name within {@link #folder()}
     */
    public String testFile() {
        return testFile;
    }

    /**
     * Returns the file listing the class names, one per line.
     *
     * @return the file name within {@link #folder()}
     */
    public String namesFile() {
        return namesFile;
    }

    /**
     * Returns every data file: the training files, then the test file.
     *
     * @return the file names within {@link #folder()}
     */
    public List<String> dataFiles() {
        return java.util.stream.Stream.concat(trainFiles.stream(), java.util.stream.Stream.of(testFile)).toList();
    }

    /**
     * Returns the label bytes of a record.
     *
     * @return 1 (CIFAR-10) or 2 (CIFAR-100: coarse, fine)
     */
    public int labelBytes() {
        return labelBytes;
    }

    /**
     * Returns which label byte is the class.
     *
     * @return 0 (CIFAR-10) or 1 (CIFAR-100's fine label)
     */
    public int labelIndex() {
        return labelIndex;
    }

    /**
     * Returns the size of a record.
     *
     * @return 3073 or 3074
     */
    public int recordBytes() {
        return labelBytes + IMAGE_BYTES;
    }

    /**
     * Returns the class names in label order.
     *
     * @return 10 or 100 names
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * Returns the number of classes.
     *
     * @return 10 or 100
     */
    public int numClasses() {
        return classNames.size();
    }

    /**
     * Returns the customary per-channel mean of the training pixels scaled to [0, 1].
     *
     * @return R, G, B
     */
    public float[] publishedMean() {
        return mean.clone();
    }

    /**
     * Returns the customary per-channel standard deviation.
     *
     * @return R, G, B
     */
    public float[] publishedStd() {
        return std.clone();
    }
}
