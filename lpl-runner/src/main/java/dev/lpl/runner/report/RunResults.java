package dev.lpl.runner.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.lpl.core.rundir.Manifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * What a run directory holds ({@code summary.json}, {@code manifest.json}, {@code metrics.jsonl}),
 * as read by {@link RunDirectoryReader}. Every number a run may lack (an empty shot group, a field
 * an older lpl did not write) is {@code NaN}; arrays and objects it may lack are {@code null}.
 *
 * @param directory the run directory, as given
 * @param run the run's name
 * @param status {@code running}, {@code completed}, {@code stopped} or {@code failed} (as written)
 * @param method the method
 * @param model the model
 * @param dataset the dataset
 * @param epochsCompleted epochs finished
 * @param epochs epochs planned
 * @param last the final (last finished) epoch's figures
 * @param best the figures of the epoch with the best balanced accuracy: on the validation set when
 *     the run has one ({@link #bestSelectedOnValidation()}), else on the test set (optimistic)
 * @param classes every class, in class order
 * @param confusion the final confusion matrix (row = true class), or null
 * @param calibration the final reliability bins, or null
 * @param history one entry per line of {@code metrics.jsonl} (empty when not read)
 * @param manifest {@code manifest.json}, or null when the run directory has none
 */
public record RunResults(
        Path directory,
        String run,
        String status,
        String method,
        String model,
        String dataset,
        int epochsCompleted,
        int epochs,
        Figures last,
        Figures best,
        List<ClassResult> classes,
        long[][] confusion,
        Calibration calibration,
        List<EpochMetrics> history,
        Manifest manifest) {

    /** The status of a run that trained to its last epoch. */
    public static final String COMPLETED = "completed";

    /**
     * Headline figures of one epoch (fractions; {@code NaN} when absent or an empty group).
     *
     * @param epoch the 1-based epoch, 0 when unknown
     * @param testAccuracy top-1 accuracy
     * @param top1Error 1 − top-1 accuracy
     * @param balancedAccuracy mean per-class accuracy
     * @param manyShotAccuracy many-shot accuracy
     * @param mediumShotAccuracy medium-shot accuracy
     * @param fewShotAccuracy few-shot accuracy
     * @param trainLoss mean training loss
     * @param ece expected calibration error
     */
    public record Figures(
            int epoch,
            double testAccuracy,
            double top1Error,
            double balancedAccuracy,
            double manyShotAccuracy,
            double mediumShotAccuracy,
            double fewShotAccuracy,
            double trainLoss,
            double ece) {}

    /**
     * One class.
     *
     * @param index the class index
     * @param name its name
     * @param trainCount its training count (−1 when unknown)
     * @param shotGroup {@code many}, {@code medium}, {@code few} (or empty when unknown)
     * @param accuracy its final test accuracy
     */
    public record ClassResult(int index, String name, long trainCount, String shotGroup, double accuracy) {}

    /**
     * Reliability bins of the final test predictions.
     *
     * @param bins the number of equal-width confidence bins
     * @param lower each bin's lower edge
     * @param upper each bin's upper edge
     * @param count each bin's sample count
     * @param confidence each bin's mean confidence ({@code NaN} when empty)
     * @param accuracy each bin's accuracy ({@code NaN} when empty)
     * @param ece the expected calibration error
     */
    public record Calibration(
            int bins, double[] lower, double[] upper, long[] count, double[] confidence, double[] accuracy, double ece) {}

    /**
     * One line of {@code metrics.jsonl}.
     *
     * @param epoch the 1-based epoch
     * @param trainLoss mean training loss
     * @param testAccuracy top-1 test accuracy
     * @param balancedAccuracy balanced accuracy
     * @param manyShotAccuracy many-shot accuracy
     * @param mediumShotAccuracy medium-shot accuracy
     * @param fewShotAccuracy few-shot accuracy
     * @param learningRate the learning rate
     * @param ece expected calibration error of the epoch's test predictions
     * @param perClassAccuracy test accuracy of every class, or null
     * @param relativeLossVariation (Σ l′ − Σ l)/Σ l of every class ({@code NaN} for a class without
     *     samples), or null when the run did not record it
     * @param phase {@code train}, or {@code finetune} in a run's class-balanced fine-tuning phase
     * @param validationAccuracy top-1 accuracy on the validation split ({@code NaN} without one)
     * @param validationBalancedAccuracy balanced accuracy on the validation split ({@code NaN}
     *     without one)
     */
    public record EpochMetrics(
            int epoch,
            double trainLoss,
            double testAccuracy,
            double balancedAccuracy,
            double manyShotAccuracy,
            double mediumShotAccuracy,
            double fewShotAccuracy,
            double learningRate,
            double ece,
            double[] perClassAccuracy,
            double[] relativeLossVariation,
            String phase,
            double validationAccuracy,
            double validationBalancedAccuracy) {

        /** The phase of epochs written before runs had phases, and of single-phase runs. */
        public static final String TRAIN = "train";
    }

    /** Which epoch's figures a comparison uses. */
    public enum Metric {
        /** The last finished epoch. */
        FINAL,
        /** The epoch with the best balanced accuracy. */
        BEST
    }

    /**
     * Copies the lists.
     */
    public RunResults {
        classes = List.copyOf(classes);
        history = List.copyOf(history);
    }

    /**
     * Returns whether {@link #best} was selected on a validation set ({@code data.validation});
     * otherwise it was selected on the test set and is optimistic.
     *
     * @return the manifest records a validation set
     */
    public boolean bestSelectedOnValidation() {
        return manifestDataset().map(Manifest.Dataset::validation).isPresent();
    }

    /**
     * Returns the dataset block of the manifest.
     *
     * @return it, or empty when the run has no manifest or its manifest none
     */
    public Optional<Manifest.Dataset> manifestDataset() {
        return Optional.ofNullable(manifest).map(Manifest::dataset);
    }

    /**
     * Returns the resolved configuration recorded in the manifest.
     *
     * @return the configuration tree below {@code lpl}, or a missing node when the run has no
     *     manifest or its manifest records none
     */
    public JsonNode configTree() {
        return manifest == null || manifest.config() == null ? MissingNode.getInstance() : manifest.config();
    }

    /**
     * Returns whether the run trained to its last epoch.
     *
     * @return status is {@code completed}
     */
    public boolean completed() {
        return COMPLETED.equals(status);
    }

    /**
     * Returns the final or best figures.
     *
     * @param metric which
     * @return the figures
     */
    public Figures figures(Metric metric) {
        return metric == Metric.BEST ? best : last;
    }

    /**
     * Returns a value of the resolved configuration recorded in the manifest.
     *
     * @param dottedKey a key relative to {@code lpl}, e.g. {@code data.long-tail.ratio}
     * @return the value (possibly a JSON null), or empty when the manifest or the key is absent
     */
    public Optional<JsonNode> config(String dottedKey) {
        JsonNode node = configTree();
        for (String part : dottedKey.split("\\.", -1)) {
            if (!node.isObject()) {
                return Optional.empty();
            }
            node = node.path(part);
        }
        return node.isMissingNode() ? Optional.empty() : Optional.of(node);
    }

    /**
     * Returns the root seed.
     *
     * @return the manifest's {@code seeds.root}, else {@code run.seed} of the configuration, else empty
     */
    public Optional<String> seed() {
        Long root = manifest == null || manifest.seeds() == null ? null : manifest.seeds().get("root");
        if (root != null) {
            return Optional.of(root.toString());
        }
        return config("run.seed").filter(n -> !n.isNull()).map(JsonNode::asText);
    }

    /**
     * Returns the class indices ordered by decreasing training count (ties by index).
     *
     * @return the order
     */
    public List<Integer> classesByTrainCount() {
        List<Integer> order = new ArrayList<>(IntStream.range(0, classes.size()).boxed().toList());
        order.sort(Comparator.<Integer>comparingLong(c -> -classes.get(c).trainCount()).thenComparing(c -> c));
        return order;
    }

    /**
     * Returns whether the run recorded a relative loss variation that is zero for every class in
     * every epoch: the method does not perturb the logits (cross-entropy and the loss-reweighting
     * methods), so there is nothing to draw.
     *
     * @return true when every recorded value is 0 (within 1e-12); false when none was recorded
     */
    public boolean lossVariationAllZero() {
        boolean recorded = false;
        for (EpochMetrics e : history) {
            if (e.relativeLossVariation() == null) {
                continue;
            }
            for (double v : e.relativeLossVariation()) {
                if (Double.isFinite(v)) {
                    recorded = true;
                    if (Math.abs(v) > 1e-12) {
                        return false;
                    }
                }
            }
        }
        return recorded;
    }

    /**
     * Returns the last epoch that recorded the relative loss variation.
     *
     * @return the epoch's metrics, or empty
     */
    public Optional<EpochMetrics> lastWithLossVariation() {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).relativeLossVariation() != null) {
                return Optional.of(history.get(i));
            }
        }
        return Optional.empty();
    }
}
