package dev.lpl.api.data;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A classification dataset: a training and a test {@link ImageSet} of the same image shape, the
 * class names, the per-channel normalisation and an identity (file checksums or generator
 * parameters) recorded in every run's manifest so a result can be traced to its data.
 */
public final class ImageDataset {

    private final String name;
    private final List<String> classNames;
    private final ImageSet train;
    private final ImageSet test;
    private final float[] mean;
    private final float[] std;
    private final Map<String, String> identity;

    /**
     * Creates a dataset.
     *
     * @param name the dataset's name, e.g. {@code fashion-mnist}
     * @param classNames one name per class; the number of classes C is its size
     * @param train the training images
     * @param test the test images
     * @param mean per-channel mean of the pixel values scaled to [0, 1]
     * @param std per-channel standard deviation of the pixel values scaled to [0, 1]
     * @param identity what identifies the data (e.g. file name → SHA-256)
     */
    public ImageDataset(
            String name,
            List<String> classNames,
            ImageSet train,
            ImageSet test,
            float[] mean,
            float[] std,
            Map<String, String> identity) {
        this.name = requireNonNull(name, "name is null");
        this.classNames = List.copyOf(requireNonNull(classNames, "classNames is null"));
        this.train = requireNonNull(train, "train is null");
        this.test = requireNonNull(test, "test is null");
        this.mean = requireNonNull(mean, "mean is null").clone();
        this.std = requireNonNull(std, "std is null").clone();
        this.identity = new LinkedHashMap<>(requireNonNull(identity, "identity is null"));
        if (train.channels() != test.channels()
                || train.height() != test.height()
                || train.width() != test.width()) {
            throw new IllegalArgumentException("train and test images differ in shape");
        }
        if (mean.length != train.channels() || std.length != train.channels()) {
            throw new IllegalArgumentException("mean and std need one value per channel");
        }
        checkLabels(train, "train");
        checkLabels(test, "test");
    }

    private void checkLabels(ImageSet set, String which) {
        for (int y : set.labels()) {
            if (y < 0 || y >= classNames.size()) {
                throw new IllegalArgumentException(
                        which + " label " + y + " outside [0, " + classNames.size() + ")");
            }
        }
    }

    /**
     * Returns a copy of this dataset with another training set (e.g. a long-tailed subset) and
     * additional identity entries.
     *
     * @param newTrain the training images
     * @param extraIdentity entries added to the identity
     * @return a new dataset
     */
    public ImageDataset withTrain(ImageSet newTrain, Map<String, String> extraIdentity) {
        Map<String, String> id = new LinkedHashMap<>(identity);
        id.putAll(extraIdentity);
        return new ImageDataset(name, classNames, newTrain, test, mean, std, id);
    }

    /**
     * Returns the dataset's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the class names.
     *
     * @return C names
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * Returns the number of classes C.
     *
     * @return C
     */
    public int numClasses() {
        return classNames.size();
    }

    /**
     * Returns the training images.
     *
     * @return the training set
     */
    public ImageSet train() {
        return train;
    }

    /**
     * Returns the test images.
     *
     * @return the test set
     */
    public ImageSet test() {
        return test;
    }

    /**
     * Returns the per-channel mean used for normalisation.
     *
     * @return a copy, one value per channel
     */
    public float[] mean() {
        return mean.clone();
    }

    /**
     * Returns the per-channel standard deviation used for normalisation.
     *
     * @return a copy, one value per channel
     */
    public float[] std() {
        return std.clone();
    }

    /**
     * Returns what identifies the data.
     *
     * @return an ordered copy of the identity entries
     */
    public Map<String, String> identity() {
        return new LinkedHashMap<>(identity);
    }
}
