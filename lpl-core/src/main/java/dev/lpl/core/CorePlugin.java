package dev.lpl.core;

import dev.lpl.api.LplPlugin;
import dev.lpl.api.Settings;
import dev.lpl.api.objective.ClassWeighting;
import dev.lpl.api.objective.ClassWeightingFactory;
import dev.lpl.api.objective.LossFunction;
import dev.lpl.api.objective.LossFunctionFactory;
import dev.lpl.api.training.Backend;
import dev.lpl.api.training.BackendFactory;
import dev.lpl.api.training.LearningRateSchedule;
import dev.lpl.api.training.ScheduleFactory;
import dev.lpl.api.training.WeightOptimizer;
import dev.lpl.api.training.WeightOptimizerFactory;
import dev.lpl.core.train.Backends;
import dev.lpl.core.train.CrossEntropyLoss;
import dev.lpl.core.train.PyTorchSgd;
import dev.lpl.core.train.Schedules;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The built-in plugin of lpl-core: the cross-entropy loss and the unweighted mean, the SGD weight
 * optimizer, schedules and backends.
 */
public final class CorePlugin implements LplPlugin {

    @Override
    public List<LossFunctionFactory> losses() {
        return List.of(new LossFunctionFactory() {
            @Override
            public String name() {
                return "cross-entropy";
            }

            @Override
            public String description() {
                return "softmax cross-entropy -log softmax(u)_y on the perturbed logits";
            }

            @Override
            public LossFunction create(Settings settings) {
                return CrossEntropyLoss.INSTANCE;
            }
        });
    }

    @Override
    public List<ClassWeightingFactory> weightings() {
        return List.of(new ClassWeightingFactory() {
            @Override
            public String name() {
                return "none";
            }

            @Override
            public String description() {
                return "every class weighs 1: the plain mean of the per-sample losses";
            }

            @Override
            public ClassWeighting create(Settings settings) {
                return (counts, epoch, total) -> Optional.empty();
            }
        });
    }

    @Override
    public List<WeightOptimizerFactory> weightOptimizers() {
        return List.of(new WeightOptimizerFactory() {
            @Override
            public String name() {
                return "sgd";
            }

            @Override
            public String description() {
                return "SGD with momentum, Nesterov option and weight decay, exactly as torch.optim.SGD";
            }

            @Override
            public WeightOptimizer create(Settings settings) {
                double momentum = settings.getDouble("momentum", 0, 0.999999);
                boolean nesterov = settings.getBoolean("nesterov");
                if (nesterov && momentum == 0) {
                    throw settings.invalid("nesterov", "Nesterov momentum needs momentum > 0");
                }
                return new PyTorchSgd(
                        settings.getDouble("learning-rate", 0, 100),
                        momentum,
                        nesterov,
                        settings.getDouble("weight-decay", 0, 1));
            }
        });
    }

    @Override
    public List<ScheduleFactory> schedules() {
        return List.of(
                schedule("constant", "constant learning rate (after the optional linear warm-up)", Schedules::constant),
                schedule("multi-step", "multiply the rate by gamma at each milestone epoch (PyTorch MultiStepLR)",
                        Schedules::multiStep),
                schedule("cosine", "cosine annealing per step to final-factor (Loshchilov & Hutter, ICLR 2017)",
                        Schedules::cosine));
    }

    @Override
    public List<BackendFactory> backends() {
        return List.of(
                backend("cpu", "the CPU", Backends::cpu),
                backend("auto", "the first GPU the engine reports, else the CPU", Backends::auto));
    }

    private static ScheduleFactory schedule(
            String name, String description, Function<Settings, LearningRateSchedule> create) {
        return new ScheduleFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public LearningRateSchedule create(Settings settings) {
                return create.apply(settings);
            }
        };
    }

    private static BackendFactory backend(String name, String description, Supplier<Backend> create) {
        return new BackendFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public Backend create(Settings settings) {
                return create.get();
            }
        };
    }
}
