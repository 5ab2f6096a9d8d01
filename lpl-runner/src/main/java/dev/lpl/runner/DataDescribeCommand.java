package dev.lpl.runner;

import dev.lpl.api.data.ImageDataset;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.data.TrainSubset;
import dev.lpl.core.train.ShotGroup;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lpl data describe}: loads the configured dataset, validation split and long-tail sampling
 * exactly as a run does (without starting the engine) and prints the validation set's size, the
 * class counts, the imbalance ratio and the shot groups.
 */
@Command(name = "describe", mixinStandardHelpOptions = true, description = {
    "Describe the configured dataset: class counts, imbalance and shot groups.",
    "It is loaded with its validation split and long-tail sampling exactly as lpl train would; printed are the"
            + " validation set's size, per-class training and test counts, the imbalance ratio n_max/n_min and the"
            + " shot group of each class (many > 100, medium 20-100, few < 20 training images)."})
final class DataDescribeCommand implements Callable<Integer> {

    @ParentCommand
    DataCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Bootstrap lpl = parent.parent.bootstrap();
        TrainSubset subset = lpl.runFactory().loadDataset(config.load(lpl.configLoader()));
        print(out, subset);
        out.flush();
        return 0;
    }

    static void print(PrintWriter out, TrainSubset subset) {
        ImageDataset dataset = subset.dataset();
        int classes = dataset.numClasses();
        long[] train = dataset.train().classCounts(classes);
        long[] test = dataset.test().classCounts(classes);
        out.printf(Locale.ROOT, "dataset        %s: %s, images %dx%dx%d%n", dataset.name(), Plural.of(classes, "class"),
                dataset.train().channels(), dataset.train().height(), dataset.train().width());
        Map<String, Object> info = subset.info();
        String sampling = switch (String.valueOf(info.get("profile"))) {
            case "none" -> "all of it";
            case "indices-file" -> "the indices of " + info.get("indices_source") + ", from "
                    + subset.sourceTrainSize();
            default -> "long-tail " + info.get("profile") + " ratio " + info.get("ratio") + ", sampled from "
                    + subset.sourceTrainSize();
        };
        out.printf(Locale.ROOT, "training set   %s (%s)%n", Plural.of(dataset.train().size(), "image"), sampling);
        if (subset.validation() != null) {
            Map<String, Object> v = subset.validationInfo();
            out.printf(Locale.ROOT, "validation set %s (%s per class, balanced, carved from the %d training"
                    + " images before long-tail sampling%s)%n", Plural.of(subset.validation().size(), "image"),
                    v.get("per_class"), subset.sourceTrainSize(), v.containsKey("indices_source") ? "; the indices of "
                    + v.get("indices_source") : "");
        }
        out.printf(Locale.ROOT, "test set       %s%n", Plural.of(dataset.test().size(), "image"));
        long max = 0;
        long min = Long.MAX_VALUE;
        int empty = -1;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, train[c]);
            if (train[c] == 0) {
                empty = empty < 0 ? c : empty;
            } else {
                min = Math.min(min, train[c]);
            }
        }
        if (empty >= 0) {
            out.printf(Locale.ROOT, "imbalance      n_max/n_min = infinite: class %d (%s) has no training images%n",
                    empty, dataset.classNames().get(empty));
        } else {
            out.printf(Locale.ROOT, "imbalance      n_max/n_min = %d/%d = %.2f%n", max, min, (double) max / min);
        }
        Map<ShotGroup, long[]> groups = new EnumMap<>(ShotGroup.class);
        for (ShotGroup g : ShotGroup.values()) {
            groups.put(g, new long[2]);
        }
        for (int c = 0; c < classes; c++) {
            long[] g = groups.get(ShotGroup.of(train[c]));
            g[0]++;
            g[1] += train[c];
        }
        List<String> parts = new ArrayList<>();
        for (ShotGroup g : ShotGroup.values()) {
            long[] v = groups.get(g);
            parts.add(String.format(Locale.ROOT, "%s %s (%s)", g.label(), Plural.of(v[0], "class"),
                    Plural.of(v[1], "image")));
        }
        out.println("shot groups    " + String.join(", ", parts)
                + "   [many > 100, medium 20-100, few < 20 training images]");
        if (info.containsKey("indices_sha256")) {
            out.println("indices sha256 " + info.get("indices_sha256"));
        }
        if (subset.validationInfo() != null) {
            out.println("validation sha256 " + subset.validationInfo().get("indices_sha256"));
        }
        out.println();
        int nameWidth = Math.max(4, dataset.classNames().stream().mapToInt(String::length).max().orElse(4));
        String row = "%5s  %-" + nameWidth + "s  %7s  %6s  %s%n";
        out.printf(Locale.ROOT, row, "class", "name", "train", "test", "shot");
        for (int c = 0; c < classes; c++) {
            out.printf(Locale.ROOT, row, c, dataset.classNames().get(c), train[c], test[c],
                    ShotGroup.of(train[c]).label());
        }
        out.println();
        out.println("identity");
        dataset.identity().forEach((k, v) -> out.println("  " + k + ": " + v));
    }
}
