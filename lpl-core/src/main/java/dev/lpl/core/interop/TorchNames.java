package dev.lpl.core.interop;

import static java.util.Objects.requireNonNull;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The PyTorch {@code state_dict} name of every tensor of a DJL network, derived from the block tree
 * by three rules, so that a PyTorch module built with the same tree of children loads lpl's
 * weights with {@code load_state_dict} (the modules of the repository's {@code interop/} directory
 * are written that way):
 *
 * <ol>
 *   <li><b>Children.</b> DJL names the i-th child {@code String.format("%02d%s", i + 1, name)}; a
 *       child of a {@link SequentialBlock} or {@link ParallelBlock} becomes its 0-based position,
 *       as in {@code torch.nn.Sequential} ({@code 01ConvBnRelu} → {@code 0}); any other child
 *       keeps the name its block gave it, without the prefix ({@code 03conv2} → {@code conv2}).
 *       Levels are joined with {@code .} instead of DJL's {@code _}.
 *   <li><b>Parameters</b> keep their name ({@code weight}, {@code bias}), except those of a
 *       {@link BatchNorm}, which take {@code torch.nn.BatchNorm2d}'s: {@code gamma} → {@code
 *       weight}, {@code beta} → {@code bias}, {@code runningMean} → {@code running_mean}, {@code
 *       runningVar} → {@code running_var}.
 *   <li><b>Buffers PyTorch has and DJL lacks:</b> every batch norm gets {@code
 *       num_batches_tracked} (a 64-bit integer scalar) after {@code running_var}, as PyTorch writes
 *       it. DJL does not count batches; the value is only read by a PyTorch batch norm with {@code
 *       momentum=None}, which lpl's networks do not use.
 * </ol>
 *
 * <p>So {@code 01features_02BasicBlock_02bn1_gamma} is {@code features.1.bn1.weight} and {@code
 * 02classifier_weight} is {@code classifier.weight}. Layouts need no change: DJL's convolution
 * weight is out×in×kh×kw, its linear weight out×in, as in PyTorch.
 */
public final class TorchNames {

    /** The name PyTorch gives a batch norm's count of training batches. */
    public static final String NUM_BATCHES_TRACKED = "num_batches_tracked";

    private static final Map<String, String> BATCH_NORM = Map.of(
            "gamma", "weight",
            "beta", "bias",
            "runningMean", "running_mean",
            "runningVar", "running_var");

    /**
     * One tensor of a network's {@code state_dict}.
     *
     * @param torchName its PyTorch name
     * @param djlName the DJL parameter it holds ({@code block.getParameters()}'s key), or null for
     *     {@code num_batches_tracked}, which DJL does not have
     * @param parameter the parameter, or null with {@code djlName}
     */
    public record Entry(String torchName, String djlName, Parameter parameter) {

        /**
         * Returns whether this is a batch norm's {@code num_batches_tracked}.
         *
         * @return true if DJL has no such tensor
         */
        public boolean isBatchCount() {
            return djlName == null;
        }
    }

    private TorchNames() {}

    /**
     * Lists the {@code state_dict} of a network in DJL's parameter order.
     *
     * @param root the network (its parameters need not be initialised)
     * @return one entry per parameter, plus a {@code num_batches_tracked} per batch norm
     * @throws IllegalStateException if the derived names are not unique (a block tree these rules
     *     do not cover)
     */
    public static List<Entry> of(Block root) {
        requireNonNull(root, "root is null");
        List<Entry> out = new ArrayList<>();
        walk(root, "", "", out);
        long distinct = out.stream().map(Entry::torchName).distinct().count();
        if (distinct != out.size()) {
            throw new IllegalStateException("PyTorch names of " + root.getClass().getSimpleName() + " are not unique");
        }
        return out;
    }

    private static void walk(Block block, String djlPrefix, String torchPrefix, List<Entry> out) {
        boolean batchNorm = block instanceof BatchNorm;
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            String name = p.getKey();
            String torch = batchNorm ? BATCH_NORM.getOrDefault(name, name) : name;
            out.add(new Entry(torchPrefix + torch, djlPrefix + name, p.getValue()));
            if (batchNorm && name.equals("runningVar")) {
                out.add(new Entry(torchPrefix + NUM_BATCHES_TRACKED, null, null));
            }
        }
        boolean positional = block instanceof SequentialBlock || block instanceof ParallelBlock;
        int index = 0;
        for (Pair<String, Block> child : block.getChildren()) {
            String djlChild = child.getKey();
            String prefix = String.format(Locale.ROOT, "%02d", index + 1);
            String torchChild = positional ? Integer.toString(index)
                    : djlChild.startsWith(prefix) ? djlChild.substring(prefix.length()) : djlChild;
            walk(child.getValue(), djlPrefix + djlChild + "_", torchPrefix + torchChild + ".", out);
            index++;
        }
    }
}
