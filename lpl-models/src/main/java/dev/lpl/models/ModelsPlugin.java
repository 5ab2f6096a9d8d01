package dev.lpl.models;

import dev.lpl.api.LplPlugin;
import dev.lpl.api.model.ModelFactory;
import java.util.List;

/**
 * The plugin that contributes lpl's networks: {@code small-cnn} ({@link SmallCnnFactory}) and the
 * CIFAR ResNets of He et al. (CVPR 2016) in their LDAM-DRW / ISDA form, {@code resnet32} and {@code
 * resnet110}, and the squeeze-and-excitation {@code se-resnet110} ({@link CifarResNetFactory}), and
 * the Wide-ResNets {@code wrn-28-10} and {@code wrn-16-8} ({@link WideResNetFactory}), and the
 * ImageNet ResNet-50 {@code resnet50} ({@link ResNet50Factory}). Registered in {@code
 * META-INF/services/dev.lpl.api.LplPlugin}; option defaults are in this module's {@code
 * reference.conf} under {@code lpl.model.<name>}.
 */
public final class ModelsPlugin implements LplPlugin {

    private final List<ModelFactory> models =
            List.of(
                    new SmallCnnFactory(),
                    CifarResNetFactory.resnet32(),
                    CifarResNetFactory.resnet110(),
                    CifarResNetFactory.seResnet110(),
                    WideResNetFactory.wrn28x10(),
                    WideResNetFactory.wrn16x8(),
                    new ResNet50Factory());

    /** Creates the plugin (called by {@link java.util.ServiceLoader}). */
    public ModelsPlugin() {
        // the factories are stateless
    }

    @Override
    public List<ModelFactory> models() {
        return models;
    }
}
