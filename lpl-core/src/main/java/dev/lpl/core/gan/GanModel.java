package dev.lpl.core.gan;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.lpl.api.LplException;
import dev.lpl.core.run.Checkpoints;
import dev.lpl.core.train.GradMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A GAN's two networks on one long-lived manager: the generator G and the discriminator D of
 * {@link GanNetworks}, with the conditioning of their {@link GanVariant}.
 */
public final class GanModel implements AutoCloseable {

    /** The file of G's parameters in a checkpoint. */
    public static final String GENERATOR_FILE = "generator.npz";
    /** The file of D's parameters in a checkpoint. */
    public static final String DISCRIMINATOR_FILE = "discriminator.npz";

    private final GanSpec spec;
    private final NDManager manager;
    private final Device device;
    private final SequentialBlock generator;
    private final SequentialBlock discriminator;
    private final ParameterStore parameters;

    /**
     * Builds and initialises both networks (weights from the engine's generator, which the caller
     * seeds).
     *
     * @param spec the GAN's shape
     * @param manager a long-lived manager the parameters live on (closed with this model)
     * @param withDiscriminator false to build G alone (a frozen generator for augmentation)
     */
    public GanModel(GanSpec spec, NDManager manager, boolean withDiscriminator) {
        this.spec = requireNonNull(spec, "spec is null");
        this.manager = requireNonNull(manager, "manager is null");
        this.device = manager.getDevice();
        this.generator = GanNetworks.generator(spec);
        GanNetworks.initialize(generator, manager, new Shape(1, spec.generatorInput()));
        if (withDiscriminator) {
            this.discriminator = GanNetworks.discriminator(spec);
            GanNetworks.initialize(discriminator, manager,
                    new Shape(1, spec.discriminatorInputChannels(), spec.height(), spec.width()));
        } else {
            this.discriminator = null;
        }
        this.parameters = new ParameterStore(manager, false);
    }

    /** @return the GAN's shape */
    public GanSpec spec() {
        return spec;
    }

    /** @return G */
    public SequentialBlock generator() {
        return generator;
    }

    /** @return D (null for a generator alone) */
    public SequentialBlock discriminator() {
        return discriminator;
    }

    /** @return the long-lived manager */
    public NDManager manager() {
        return manager;
    }

    /** @return the device */
    public Device device() {
        return device;
    }

    /**
     * Runs G.
     *
     * @param input B × (noise + C + codes) latents on the step's manager
     * @param training training mode (batch statistics, updating BatchNorm's running statistics)
     * @return B × channels × H × W images in [−1, 1]
     */
    public NDArray generate(NDArray input, boolean training) {
        return generator.forward(parameters, new NDList(input), training).singletonOrThrow();
    }

    /**
     * Runs G in inference mode without recording a graph, for latents drawn on the host.
     *
     * @param m the manager the result belongs to
     * @param latents the latents
     * @return n × channels × H × W images in [−1, 1], detached
     */
    public NDArray sample(NDManager m, Latents latents) {
        try (GradMode off = GradMode.disabled()) {
            NDArray input = m.create(latents.input(), new Shape(latents.labels().length, spec.generatorInput()));
            return generate(input, false).stopGradient();
        }
    }

    /**
     * Runs D; for CGAN the label enters as C constant planes concatenated to the image.
     *
     * @param images B × channels × H × W in [−1, 1]
     * @param labels the B labels (int64)
     * @param training training mode
     * @return B × (1 [+ C] [+ codes]): the real/fake logit, then class logits, then code estimates
     */
    public NDArray discriminate(NDArray images, NDArray labels, boolean training) {
        NDArray input = images;
        if (spec.variant().labelIntoDiscriminator()) {
            long b = images.getShape().get(0);
            NDArray planes = labels.oneHot(spec.classes()).toType(DataType.FLOAT32, false)
                    .reshape(b, spec.classes(), 1, 1).broadcast(new Shape(b, spec.classes(), spec.height(),
                            spec.width()));
            input = NDArrays.concat(new NDList(images, planes), 1);
        }
        return discriminator.forward(parameters, new NDList(input), training).singletonOrThrow();
    }

    /**
     * Writes one network's parameters (BatchNorm statistics included) to an {@code .npz} file.
     *
     * @param discriminatorToo false for G, true for D
     * @param file the file
     * @throws IOException if it cannot be written
     */
    void save(boolean discriminatorToo, Path file) throws IOException {
        SequentialBlock block = discriminatorToo ? discriminator : generator;
        NDList arrays = new NDList();
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray view = p.getValue().getArray().duplicate();
            view.setName(p.getKey());
            arrays.add(view);
        }
        Checkpoints.writeNpz(file, arrays);
    }

    /**
     * Loads one network's parameters from an {@code .npz} file written by {@link #save}.
     *
     * @param discriminatorToo false for G, true for D
     * @param file the file
     * @throws Checkpoints.UnreadableException if the file is missing or damaged
     * @throws LplException if it does not fit the network
     */
    public void load(boolean discriminatorToo, Path file) {
        SequentialBlock block = discriminatorToo ? discriminator : generator;
        try (NDManager temp = manager.newSubManager()) {
            Map<String, NDArray> saved = Checkpoints.readNpz(file, temp);
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray array = saved.get(p.getKey());
                NDArray live = p.getValue().getArray();
                if (array == null || !array.getShape().equals(live.getShape())) {
                    throw new LplException(file + " does not fit the " + (discriminatorToo ? "discriminator"
                            : "generator") + ": parameter " + p.getKey() + (array == null ? " is missing"
                            : " has shape " + array.getShape() + ", the network " + live.getShape())
                            + "; was the GAN configuration changed?");
                }
                live.set(new NDIndex("..."), array);
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
