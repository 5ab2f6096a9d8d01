package dev.lpl.api.data;

import dev.lpl.api.PluginFactory;
import dev.lpl.api.Settings;
import java.io.IOException;
import java.util.OptionalInt;

/**
 * Loads a dataset. A missing, truncated or malformed file must be reported as an {@link
 * dev.lpl.api.LplException} naming the file, what is wrong and how to fix it.
 */
public interface DatasetFactory extends PluginFactory {

    /**
     * Loads the dataset.
     *
     * @param settings the block {@code data.<name>}, defaults merged
     * @param context the data path, cache directory and seed
     * @return the dataset
     * @throws IOException if reading fails for a reason other than bad user input
     */
    ImageDataset load(Settings settings, DatasetContext context) throws IOException;

    /**
     * Returns the number of classes C that {@link #load} would give, when the factory can tell it
     * from the settings and the dataset's metadata alone: a fixed label set (CIFAR-10: 10), or a
     * listing of class folders, never by reading images or downloading. The framework uses it to
     * check the method's settings against C ({@link
     * dev.lpl.api.perturbation.Perturbation#checkNumClasses}) before the engine starts, the data
     * is read or a run directory is created, and in {@code --dry-run}. It must be cheap and have
     * no side effects; when C cannot be told cheaply (files absent or unreadable), return empty:
     * {@link #load} then reports any problem, and the check runs after loading (still before any
     * run directory exists).
     *
     * @param settings the block {@code data.<name>}, defaults merged
     * @param context the data path, cache directory and seed
     * @return C, or empty when unknown without loading; the default returns empty
     */
    default OptionalInt numClasses(Settings settings, DatasetContext context) {
        return OptionalInt.empty();
    }
}
