package dev.lpl.api.data;

import dev.lpl.api.PluginFactory;
import dev.lpl.api.Settings;
import java.io.IOException;

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
}
