package dev.lpl.data;

import dev.lpl.api.LplPlugin;
import dev.lpl.api.data.DatasetFactory;
import dev.lpl.data.cifar.CifarDatasetFactory;
import dev.lpl.data.cifar.CifarVariant;
import dev.lpl.data.fashionmnist.FashionMnistDatasetFactory;
import dev.lpl.data.imagefolder.ImageFolderDatasetFactory;
import dev.lpl.data.imagelist.ImageListDatasetFactory;
import dev.lpl.data.synthetic.SyntheticDatasetFactory;
import java.util.List;

/**
 * The lpl-data plugin: provides the {@code synthetic}, {@code fashion-mnist}, {@code cifar10},
 * {@code cifar100}, {@code image-folder} and {@code image-list} datasets. Their defaults live in this module's {@code
 * reference.conf} under {@code lpl.data.<name>}.
 */
public final class DataPlugin implements LplPlugin {

    /** Creates the plugin (called by {@link java.util.ServiceLoader}). */
    public DataPlugin() {}

    @Override
    public List<DatasetFactory> datasets() {
        return List.of(new SyntheticDatasetFactory(), new FashionMnistDatasetFactory(),
                new CifarDatasetFactory(CifarVariant.CIFAR10), new CifarDatasetFactory(CifarVariant.CIFAR100),
                new ImageFolderDatasetFactory(), new ImageListDatasetFactory());
    }
}
