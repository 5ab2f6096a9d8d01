package dev.lpl.core.testing;

import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.lpl.api.LplPlugin;
import dev.lpl.api.Settings;
import dev.lpl.api.data.DatasetContext;
import dev.lpl.api.data.DatasetFactory;
import dev.lpl.api.data.ImageDataset;
import dev.lpl.api.data.ImageSet;
import dev.lpl.api.model.ClassifierBlock;
import dev.lpl.api.model.ModelFactory;
import dev.lpl.api.model.ModelSpec;
import dev.lpl.api.perturbation.Components;
import dev.lpl.api.perturbation.Perturbation;
import dev.lpl.api.perturbation.PerturbationFactory;
import dev.lpl.api.training.EpochResult;
import dev.lpl.api.training.RunInfo;
import dev.lpl.api.training.RunListener;
import dev.lpl.api.training.RunListenerFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Test plugin for the core's own tests: a tiny two-class image set (bright top vs bright bottom
 * half, with noise), a two-layer perceptron and two trivial methods.
 */
public final class TinyPlugin implements LplPlugin {

    @Override
    public List<DatasetFactory> datasets() {
        return List.of(new DatasetFactory() {
            @Override
            public String name() {
                return "tiny";
            }

            @Override
            public String description() {
                return "two classes of 1x4x4 images (test only)";
            }

            @Override
            public ImageDataset load(Settings settings, DatasetContext context) {
                SplittableRandom random = new SplittableRandom(context.seed());
                return new ImageDataset("tiny", List.of("top", "bottom"),
                        images(settings.getInt("train-size"), settings.getInt("noise"), random),
                        images(100, settings.getInt("noise"), random),
                        new float[] {0.5f}, new float[] {0.25f}, Map.of("generator", "tiny"));
            }
        });
    }

    private static ImageSet images(int n, int noise, SplittableRandom random) {
        byte[] px = new byte[n * 16];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int k = 0; k < 16; k++) {
                boolean top = k < 8;
                int base = (top == (labels[i] == 0)) ? 170 : 70;
                px[i * 16 + k] = (byte) Math.max(0, Math.min(255, base + random.nextInt(-noise, noise + 1)));
            }
        }
        return new ImageSet(px, labels, 1, 4, 4);
    }

    @Override
    public List<ModelFactory> models() {
        return List.of(new ModelFactory() {
            @Override
            public String name() {
                return "tiny-mlp";
            }

            @Override
            public String description() {
                return "flatten, dense 8, relu, dense C (test only)";
            }

            @Override
            public ClassifierBlock create(Settings settings, ModelSpec spec) {
                SequentialBlock features = new SequentialBlock()
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(8).build())
                        .add(Activation::relu);
                return new ClassifierBlock(features, Linear.builder().setUnits(spec.numClasses()).build(), 8);
            }
        });
    }

    @Override
    public List<PerturbationFactory> perturbations() {
        return List.of(
                method("identity", "delta = 0 (test only)", (u, y, view) -> u.add(0)),
                method("explode", "turns the logits into NaN (test only)", (u, y, view) -> u.mul(Float.NaN)),
                method("explode-late", "turns the logits into NaN from the second epoch on (test only)",
                        (u, y, view) -> view.epoch() >= 1 ? u.mul(Float.NaN) : u.add(0)),
                method("features", "records the shapes of the features and classifier weight (test only)",
                        (u, y, view) -> {
                            if (EVENTS.isEmpty()) {
                                EVENTS.add("features " + view.features().orElseThrow().getShape()
                                        + " weight " + view.classifierWeight().orElseThrow().getShape());
                            }
                            return u;
                        }));
    }

    /** Events seen by the {@code recorder} listener, e.g. {@code "start tiny 2"}, {@code "epoch 1"}. */
    public static final List<String> EVENTS = Collections.synchronizedList(new ArrayList<>());

    @Override
    public List<RunListenerFactory> runListeners() {
        return List.of(new RunListenerFactory() {
            @Override
            public String name() {
                return "recorder";
            }

            @Override
            public String description() {
                return "records run events (test only)";
            }

            @Override
            public RunListener create(Settings settings) {
                String prefix = settings.getString("prefix");
                return new RunListener() {
                    @Override
                    public void runStarted(RunInfo run) {
                        EVENTS.add(prefix + "start " + run.dataset() + " " + run.classNames().size()
                                + " from " + run.startEpoch() + " method.type=" + run.hyperparameters().get("method.type"));
                    }

                    @Override
                    public void epochFinished(EpochResult result) {
                        EVENTS.add(prefix + "epoch " + (result.epoch() + 1) + " scalars epoch="
                                + result.scalars().get("epoch") + " balanced=" + (result.scalars().get("balanced_accuracy")
                                        == result.balancedAccuracy()) + " per-class=" + result.scalars().keySet().stream()
                                        .filter(k -> k.startsWith("per_class_accuracy/")).count());
                    }

                    @Override
                    public void runFinished(EpochResult last) {
                        EVENTS.add(prefix + "finished " + (last.epoch() + 1));
                    }

                    @Override
                    public void close() {
                        EVENTS.add(prefix + "closed");
                    }
                };
            }
        }, new RunListenerFactory() {
            @Override
            public String name() {
                return "faulty";
            }

            @Override
            public String description() {
                return "throws in every call (test only)";
            }

            @Override
            public RunListener create(Settings settings) {
                return new RunListener() {
                    @Override
                    public void runStarted(RunInfo run) {
                        EVENTS.add("faulty start");
                    }

                    @Override
                    public void epochFinished(EpochResult result) {
                        EVENTS.add("faulty epoch " + (result.epoch() + 1));
                        throw new IllegalStateException("disk full (test)");
                    }

                    @Override
                    public void close() {
                        throw new IllegalStateException("cannot close (test)");
                    }
                };
            }
        });
    }

    private static PerturbationFactory method(String name, String description, Perturbation perturbation) {
        return new PerturbationFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public Perturbation create(Settings settings, Components components) {
                return perturbation;
            }
        };
    }

}
