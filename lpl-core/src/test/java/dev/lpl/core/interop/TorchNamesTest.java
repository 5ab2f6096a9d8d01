package dev.lpl.core.interop;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import dev.lpl.api.model.ClassifierBlock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TorchNamesTest {

    @Test
    void sequentialChildrenArePositionsBatchNormsTakePyTorchNamesAndCountBatches() {
        SequentialBlock inner = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(4).optBias(false).build())
                .add(BatchNorm.builder().build());
        SequentialBlock features = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(4).build())
                .add(Activation.reluBlock())
                .add(inner);
        ClassifierBlock block = new ClassifierBlock(features, Linear.builder().setUnits(3).build(), 4);

        List<TorchNames.Entry> entries = TorchNames.of(block);

        assertThat(entries).extracting(TorchNames.Entry::torchName).containsExactly(
                "features.0.weight", "features.0.bias",
                "features.2.0.weight",
                "features.2.1.weight", "features.2.1.bias", "features.2.1.running_mean", "features.2.1.running_var",
                "features.2.1.num_batches_tracked",
                "classifier.weight", "classifier.bias");
        List<String> djl = new ArrayList<>();
        block.getParameters().forEach(p -> djl.add(p.getKey()));
        assertThat(entries).filteredOn(e -> !e.isBatchCount()).extracting(TorchNames.Entry::djlName)
                .containsExactlyElementsOf(djl);
        assertThat(entries.get(3).djlName()).isEqualTo("01features_03SequentialBlock_02BatchNorm_gamma");
        assertThat(entries.get(7).isBatchCount()).isTrue();
    }
}
