package dev.lpl.core.gan;

import static java.util.Objects.requireNonNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import dev.lpl.core.data.HostBatch;
import dev.lpl.core.train.GradMode;
import dev.lpl.core.train.ImageFormat;
import dev.lpl.core.train.InputBuffer;
import dev.lpl.core.train.MethodObjective;

/**
 * One adversarial step on a batch of real images in [−1, 1] (the collections' order: D first,
 * then G, each with a fresh forward pass of G). With s(x) = D's real/fake logit, σ the logistic
 * function, CE the class cross-entropy of D's class head, ŷ the labels drawn for the fakes
 * (uniform over the classes) and c the infoGAN codes with D's estimate ĉ:
 *
 * <pre>
 * L_D = −log σ(s(x)) − log(1 − σ(s(G(z, ŷ))))  [+ CE(x, y) + CE(G(z, ŷ), ŷ)]  [+ λ·‖ĉ − c‖²/k]
 * L_G = −log σ(s(G(z, ŷ)))                     [+ CE(G(z, ŷ), ŷ)]            [+ λ·‖ĉ − c‖²/k]
 * </pre>
 *
 * (the non-saturating generator loss of Goodfellow et al. 2014; the bracketed class terms for
 * ACGAN and infoGAN, the code term, λ = {@code gan.info-weight}, for infoGAN). In D's step the
 * fakes are constants; in G's step D's parameters get gradients that are discarded. The
 * latents come from the step seed alone, so a step is a function of (weights, optimizer state,
 * batch, seed).
 */
public final class GanStep {

    private final GanModel model;
    private final Adam generatorOptimizer;
    private final Adam discriminatorOptimizer;
    private final double infoWeight;
    private final InputBuffer input = new InputBuffer();

    /**
     * The figures of one step (sums over the batch, so that epochs add them up).
     *
     * @param discriminatorLoss L_D (batch mean)
     * @param generatorLoss L_G (batch mean)
     * @param realCorrect real images D calls real (s &gt; 0)
     * @param fakeCorrect generated images D calls fake (s &lt; 0), in D's step
     * @param classCorrect real images whose class D's head gets right (0 without a class head)
     * @param infoLoss the code regression error (batch mean; 0 without codes)
     * @param size the batch size
     */
    public record Result(float discriminatorLoss, float generatorLoss, long realCorrect, long fakeCorrect,
            long classCorrect, float infoLoss, int size) {

        /** @return whether both losses are finite */
        public boolean finite() {
            return Float.isFinite(discriminatorLoss) && Float.isFinite(generatorLoss);
        }
    }

    /**
     * Creates the step.
     *
     * @param model G and D
     * @param generatorOptimizer Adam for G
     * @param discriminatorOptimizer Adam for D
     * @param infoWeight λ of the infoGAN code term
     */
    public GanStep(GanModel model, Adam generatorOptimizer, Adam discriminatorOptimizer, double infoWeight) {
        this.model = requireNonNull(model, "model is null");
        this.generatorOptimizer = requireNonNull(generatorOptimizer, "generatorOptimizer is null");
        this.discriminatorOptimizer = requireNonNull(discriminatorOptimizer, "discriminatorOptimizer is null");
        this.infoWeight = infoWeight;
    }

    /**
     * Runs one step. A non-finite loss updates nothing after it (a NaN in D's loss leaves both
     * networks as they were; the caller stops the run).
     *
     * @param batch real images in [−1, 1] with their labels
     * @param stepSeed the step's seed (the fakes' labels, z and codes)
     * @return the step's figures
     */
    public Result run(HostBatch batch, long stepSeed) {
        GanSpec spec = model.spec();
        int n = batch.size();
        Latents latents = Latents.drawWithLabels(spec, n, null, stepSeed);
        try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager(model.device())) {
            scope.suppressNotUsedWarning();
            NDArray x = input.images(m, batch.images(), n,
                    ImageFormat.channelsFirst(new Shape(spec.channels(), spec.height(), spec.width())));
            NDArray y = input.labels(m, batch.labels());
            NDArray z = m.create(latents.input(), new Shape(n, spec.generatorInput()));
            NDArray fakeY = m.create(latents.labels());
            NDArray codes = spec.variant().codes() == 0 ? null
                    : m.create(latents.codes(), new Shape(n, spec.variant().codes()));

            // D's step: the fakes are constants
            NDArray fakes;
            try (GradMode off = GradMode.disabled()) {
                fakes = model.generate(z, true).stopGradient();
            }
            zeroGradients(model.discriminator());
            NDArray dLoss;
            NDArray realLogit;
            NDArray fakeLogit;
            NDArray realClassCorrect;
            NDArray dInfo;
            try (GradientCollector collector = m.getEngine().newGradientCollector()) {
                NDArray real = model.discriminate(x, y, true);
                NDArray fake = model.discriminate(fakes, fakeY, true);
                realLogit = real.get(new NDIndex(":, 0"));
                fakeLogit = fake.get(new NDIndex(":, 0"));
                dLoss = softplus(realLogit.neg()).mean().add(softplus(fakeLogit).mean());
                if (spec.variant().classHead()) {
                    NDArray realClasses = classLogits(real);
                    dLoss = dLoss.add(MethodObjective.crossEntropy(realClasses, y))
                            .add(MethodObjective.crossEntropy(classLogits(fake), fakeY));
                    realClassCorrect = realClasses.stopGradient().argMax(1).eq(y).toType(DataType.FLOAT32, false)
                            .sum();
                } else {
                    realClassCorrect = m.zeros(new Shape());
                }
                if (codes != null) {
                    dInfo = codeError(fake, codes);
                    dLoss = dLoss.add(dInfo.mul((float) infoWeight));
                } else {
                    dInfo = m.zeros(new Shape());
                }
                collector.backward(dLoss);
            }
            float dValue = dLoss.stopGradient().getFloat();
            if (!Float.isFinite(dValue)) {
                return new Result(dValue, Float.NaN, 0, 0, 0, Float.NaN, n);
            }
            update(model.discriminator(), discriminatorOptimizer);

            // G's step: a fresh forward pass of G, D as just updated
            zeroGradients(model.generator());
            NDArray gLoss;
            NDArray gInfo;
            try (GradientCollector collector = m.getEngine().newGradientCollector()) {
                NDArray out = model.discriminate(model.generate(z, true), fakeY, true);
                gLoss = softplus(out.get(new NDIndex(":, 0")).neg()).mean();
                if (spec.variant().classHead()) {
                    gLoss = gLoss.add(MethodObjective.crossEntropy(classLogits(out), fakeY));
                }
                if (codes != null) {
                    gInfo = codeError(out, codes);
                    gLoss = gLoss.add(gInfo.mul((float) infoWeight));
                } else {
                    gInfo = m.zeros(new Shape());
                }
                collector.backward(gLoss);
            }
            float[] f = NDArrays.stack(new NDList(
                    gLoss.stopGradient().reshape(new Shape()),
                    realLogit.stopGradient().gt(0).toType(DataType.FLOAT32, false).sum(),
                    fakeLogit.stopGradient().lt(0).toType(DataType.FLOAT32, false).sum(),
                    realClassCorrect.reshape(new Shape()),
                    dInfo.stopGradient().reshape(new Shape()))).toFloatArray();
            if (Float.isFinite(f[0])) {
                update(model.generator(), generatorOptimizer);
            }
            zeroGradients(model.discriminator()); // G's step left gradients on D
            return new Result(dValue, f[0], Math.round(f[1]), Math.round(f[2]), Math.round(f[3]), f[4], n);
        }
    }

    private NDArray classLogits(NDArray out) {
        return out.get(new NDIndex(":, 1:{}", 1 + model.spec().classes()));
    }

    private NDArray codeError(NDArray out, NDArray codes) {
        int from = 1 + (model.spec().variant().classHead() ? model.spec().classes() : 0);
        return out.get(new NDIndex(":, {}:", from)).sub(codes).square().mean();
    }

    /** softplus(t) = log(1 + eᵗ), computed stably as max(t, 0) + log(1 + e^−|t|). */
    static NDArray softplus(NDArray t) {
        return t.maximum(0f).add(t.abs().neg().exp().add(1f).log());
    }

    private void update(SequentialBlock block, Adam optimizer) {
        optimizer.beginStep();
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter parameter = p.getValue();
            if (!parameter.requiresGradient()) {
                continue;
            }
            NDArray weight = parameter.getArray();
            try (NDArray grad = weight.getGradient()) {
                optimizer.update(p.getKey(), weight, grad, model.manager());
            }
        }
    }

    private static void zeroGradients(SequentialBlock block) {
        for (Parameter parameter : block.getParameters().values()) {
            NDArray array = parameter.getArray();
            if (parameter.requiresGradient() && array instanceof PtNDArray pt && array.hasGradient()) {
                JniUtils.zeroGrad(pt);
            }
        }
    }
}
