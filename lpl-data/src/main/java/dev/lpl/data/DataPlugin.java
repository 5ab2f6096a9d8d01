package dev.lpl.data;

import dev.lpl.api.LplPlugin;
import dev.lpl.api.data.DatasetFactory;
import dev.lpl.data.fashionmnist.FashionMnistDatasetFactory;
import dev.lpl.data.synthetic.SyntheticDatasetFactory;
import java.util.List;

/**
 * The lpl-data plugin: provides the {@code synthetic} and {@code fashion-mnist} datasets. Their
 * defaults live in this module's {@code reference.conf} under {@code lpl.data.<name>}.
 */
public final class DataPlugin implements LplPlugin {

    /** Creates the plugin (called by {@link java.util.ServiceLoader}). */
    public DataPlugin() {}

    @Override
    public List<DatasetFactory> datasets() {
        return List.of(new SyntheticDatasetFactory(), new FashionMnistDatasetFactory());
    }
}
