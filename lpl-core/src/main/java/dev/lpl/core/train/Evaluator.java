package dev.lpl.core.train;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.lpl.api.data.ImageSet;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.core.data.BatchLoader;
import dev.lpl.core.data.HostBatch;
import java.util.Iterator;
import java.util.function.UnaryOperator;

/**
 * Evaluates a network on a test (or validation) set: inference-mode forward passes (BatchNorm
 * running statistics, no dropout) without autograd, accumulating a confusion matrix of the
 * predictions (the argmax of the raw logits unless the method adjusts them, as post-hoc logit
 * adjustment does), their calibration and the mean cross-entropy of the prediction logits. Each
 * batch comes back to the host in one transfer (prediction, confidence and loss of every sample).
 */
public final class Evaluator {

    private final ClassifierBlock block;
    private final ParameterStore parameterStore;
    private final Precision precision;
    private final NDManager manager;
    private final Device device;
    private final BatchLoader loader;
    private final ImageFormat format;
    private final int numClasses;
    private final UnaryOperator<NDArray> predictionLogits;
    /** The reused direct buffer the batch is uploaded through (see InputBuffer). */
    private final InputBuffer input = new InputBuffer();

    /**
     * Creates an evaluator.
     *
     * @param block the network
     * @param parameterStore the parameter store the network trains with
     * @param manager the model's manager (a sub-manager per batch is made from it)
     * @param device the device
     * @param loader the test batches (no shuffle, no augmentation)
     * @param format the shape of one image and the layout batches are uploaded in
     * @param precision the precision the network runs in
     * @param numClasses C
     * @param predictionLogits maps raw logits to those predictions are taken from (e.g. post-hoc
     *     logit adjustment)
     */
    public Evaluator(
            ClassifierBlock block,
            ParameterStore parameterStore,
            NDManager manager,
            Device device,
            BatchLoader loader,
            ImageFormat format,
            Precision precision,
            int numClasses,
            UnaryOperator<NDArray> predictionLogits) {
        this.block = requireNonNull(block, "block is null");
        this.precision = requireNonNull(precision, "precision is null");
        this.parameterStore = precision.parameters(requireNonNull(parameterStore, "parameterStore is null"));
        this.manager = requireNonNull(manager, "manager is null");
        this.device = requireNonNull(device, "device is null");
        this.loader = requireNonNull(loader, "loader is null");
        this.format = requireNonNull(format, "format is null");
        this.numClasses = numClasses;
        this.predictionLogits = requireNonNull(predictionLogits, "predictionLogits is null");
    }

    /**
     * The outcome of an evaluation.
     *
     * @param confusion the C×C confusion matrix (row = true class)
     * @param calibration the confidence calibration of the predictions
     * @param loss the mean softmax cross-entropy of the prediction logits against the labels
     */
    public record Result(long[][] confusion, Calibration calibration, double loss) {}

    /**
     * Runs the evaluation.
     *
     * @return the confusion matrix and calibration
     */
    public Result evaluate() {
        return evaluate(predictionLogits);
    }

    /**
     * Runs the evaluation with other prediction logits (e.g. post-hoc logit adjustment of a run
     * trained with plain cross-entropy).
     *
     * @param predictionLogits maps raw logits to those predictions are taken from
     * @return the confusion matrix and calibration
     */
    public Result evaluate(UnaryOperator<NDArray> predictionLogits) {
        long[][] confusion = new long[numClasses][numClasses];
        Calibration calibration = new Calibration();
        double[] loss = new double[2]; // sum, samples
        try (GradMode noGrad = GradMode.disabled()) {
            Iterator<HostBatch> batches = loader.epoch(0);
            while (batches.hasNext()) {
                add(batches.next(), predictionLogits, confusion, calibration, loss);
            }
        }
        return new Result(confusion, calibration, loss[1] == 0 ? Double.NaN : loss[0] / loss[1]);
    }

    /**
     * Returns the class probabilities of other images, computed exactly as the evaluation set's
     * predictions are: the same normalisation and batch size, inference-mode forward passes without
     * autograd, the method's prediction logits, one transfer to the host per batch.
     *
     * @param images the images, of the evaluation set's shape (their labels are ignored)
     * @return N×C probabilities, row-major: the softmax of the prediction logits
     */
    public float[] probabilities(ImageSet images) {
        return probabilities(images, predictionLogits);
    }

    /**
     * Returns the class probabilities of other images with other prediction logits (e.g. post-hoc
     * logit adjustment), as {@link #probabilities(ImageSet)} does.
     *
     * @param images the images, of the evaluation set's shape (their labels are ignored)
     * @param predictionLogits maps raw logits to those the probabilities are the softmax of
     * @return N×C probabilities, row-major
     */
    @SuppressWarnings("try") // grad mode is off while the block runs, not used in it
    public float[] probabilities(ImageSet images, UnaryOperator<NDArray> predictionLogits) {
        requireNonNull(images, "images is null");
        Shape shape = new Shape(images.channels(), images.height(), images.width());
        if (!shape.equals(format.shape())) {
            throw new IllegalArgumentException("images are " + shape + ", the network takes " + format.shape());
        }
        float[] out = new float[Math.multiplyExact(images.size(), numClasses)];
        try (GradMode noGrad = GradMode.disabled(); BatchLoader imagesLoader = loader.forImages(images)) {
            Iterator<HostBatch> batches = imagesLoader.epoch(0);
            int offset = 0;
            while (batches.hasNext()) {
                HostBatch batch = batches.next();
                try (NDScope scope = new NDScope(); NDManager m = manager.newSubManager(device)) {
                    scope.suppressNotUsedWarning();
                    NDArray x = input.images(m, batch.images(), batch.size(), format);
                    NDArray logits = precision.output(
                    block.forward(parameterStore, new NDList(precision.input(x)), false).singletonOrThrow());
                    float[] p = predictionLogits.apply(logits).softmax(1).toType(DataType.FLOAT32, false).toFloatArray();
                    System.arraycopy(p, 0, out, offset, p.length);
                    offset += p.length;
                }
            }
        }
        return out;
    }

    private void add(HostBatch batch, UnaryOperator<NDArray> predictionLogits, long[][] confusion,
            Calibration calibration, double[] loss) {
        try (NDScope scope = new NDScope(); NDManager m = manager.newSubManager(device)) {
            scope.suppressNotUsedWarning();
            int size = batch.size();
            NDArray x = input.images(m, batch.images(), size, format);
            NDArray logits = precision.output(
                    block.forward(parameterStore, new NDList(precision.input(x)), false).singletonOrThrow());
            NDArray scores = predictionLogits.apply(logits);
            NDArray y = input.labels(m, batch.labels());
            // one transfer per batch: [predicted class (exact in float32 below 2^24), confidence, loss]
            float[] host = NDArrays.stack(new NDList(
                    scores.argMax(1).toType(DataType.FLOAT32, false),
                    scores.softmax(1).max(new int[] {1}).toType(DataType.FLOAT32, false),
                    CrossEntropyLoss.INSTANCE.perSample(scores, y).toType(DataType.FLOAT32, false))).toFloatArray();
            long[] labels = batch.labels();
            boolean[] hits = new boolean[size];
            float[] confidence = new float[size];
            double lossSum = 0;
            for (int i = 0; i < size; i++) {
                int predicted = (int) host[i];
                confusion[(int) labels[i]][predicted]++;
                hits[i] = labels[i] == predicted;
                confidence[i] = host[size + i];
                lossSum += host[2 * size + i];
            }
            calibration.add(confidence, hits);
            loss[0] += lossSum;
            loss[1] += size;
        }
    }
}
