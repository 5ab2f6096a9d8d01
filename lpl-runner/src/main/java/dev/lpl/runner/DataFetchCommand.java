package dev.lpl.runner;

import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import dev.lpl.api.data.DatasetContext;
import dev.lpl.api.data.DatasetFactory;
import dev.lpl.api.data.ImageDataset;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.config.StrictKeys;
import dev.lpl.core.plugin.PluginKind;
import dev.lpl.data.DownloadableDataset;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lpl data fetch NAME}: downloads a dataset into the cache ahead of time and checks it. */
@Command(name = "fetch", mixinStandardHelpOptions = true, description = {
    "Download a dataset into the cache (data.cache-dir, default ~/.lpl/datasets).",
    "The published checksums are verified, the files extracted and read once to check them.",
    "Nothing is downloaded when the files are already there.",
    "Datasets: cifar10, cifar100, fashion-mnist."})
final class DataFetchCommand implements Callable<Integer> {

    @ParentCommand
    DataCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The dataset (data.type), e.g. cifar10.")
    String name;

    @Mixin
    ConfigOptions config;

    @Mixin
    ProgressOption progress;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Bootstrap lpl = parent.parent.bootstrap();
        Settings root = config.load(lpl.configLoader(), List.of(), List.of("data.type=\"" + name + "\"")).settings();
        DatasetFactory factory = lpl.registry().get(PluginKind.DATASET, name, "lpl data fetch NAME");
        if (!(factory instanceof DownloadableDataset downloadable)) {
            List<String> fetchable = lpl.registry().all(PluginKind.DATASET).entrySet().stream()
                    .filter(e -> e.getValue() instanceof DownloadableDataset).map(Map.Entry::getKey).toList();
            throw new LplException("dataset " + name + " has nothing to download (" + factory.description()
                    + "); datasets that can be fetched: " + String.join(", ", fetchable));
        }
        Settings settings = root.getSettings("data").getSettings(StrictKeys.quoteIfNeeded(name));
        DatasetContext context = lpl.runFactory().datasetContext(root);
        Path cache = context.cacheDirectory().toAbsolutePath().normalize();
        DownloadableDataset.Fetched fetched =
                downloadable.fetch(settings, cache, DownloadBar.create(progress.mode(), err));
        ImageDataset dataset = downloadable.load(settings, new DatasetContext(null, cache, context.seed()));
        out.println(name + ": " + (fetched.downloaded().isEmpty() ? "already present in " : "downloaded into ")
                + fetched.directory());
        fetched.downloaded().forEach((file, sha) -> out.println("  downloaded " + file + "  sha256 " + sha));
        out.println("  " + dataset.train().size() + " training and " + Plural.of(dataset.test().size(), "test image")
                + ", " + Plural.of(dataset.numClasses(), "class") + ", " + dataset.train().channels() + "x" + dataset.train().height()
                + "x" + dataset.train().width());
        if (context.path().isPresent()) {
            out.println("note: data.path is set (" + context.path().get() + "): runs read " + name
                    + " from there, not from the cache");
        }
        out.flush();
        return 0;
    }
}
