package dev.lpl.runner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PluralTest {

    @Test
    void oneIsSingularEverythingElsePlural() {
        assertThat(Plural.of(1, "epoch")).isEqualTo("1 epoch");
        assertThat(Plural.of(0, "epoch")).isEqualTo("0 epochs");
        assertThat(Plural.of(12, "epoch")).isEqualTo("12 epochs");
        assertThat(Plural.of(1, "class")).isEqualTo("1 class");
        assertThat(Plural.of(10, "class")).isEqualTo("10 classes");
        assertThat(Plural.of(1, "CPU")).isEqualTo("1 CPU");
        assertThat(Plural.of(2, "CPU")).isEqualTo("2 CPUs");
        assertThat(Plural.of(2, "batch")).isEqualTo("2 batches");
        assertThat(Plural.of(1, "timed step")).isEqualTo("1 timed step");
        assertThat(Plural.grouped(14_762, "image")).isEqualTo("14,762 images");
        assertThat(Plural.grouped(1, "image")).isEqualTo("1 image");
    }
}
