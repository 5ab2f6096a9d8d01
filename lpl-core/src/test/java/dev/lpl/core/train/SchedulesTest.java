package dev.lpl.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lpl.api.LplException;
import dev.lpl.api.training.LearningRateSchedule;
import dev.lpl.core.config.TypesafeSettings;
import org.junit.jupiter.api.Test;

class SchedulesTest {

    @Test
    void ldamRecipeWarmsUpThenDropsAt160And180() {
        LearningRateSchedule s = Schedules.multiStep(TypesafeSettings.parse(
                "warmup-epochs = 5, multi-step { milestones = [160, 180], gamma = 0.01 }"));
        assertThat(s.factor(0, 0, 200)).isCloseTo(0.2, within(1e-12));
        assertThat(s.factor(4, 0.5, 200)).isCloseTo(1.0, within(1e-12));
        assertThat(s.factor(5, 0, 200)).isEqualTo(1.0);
        assertThat(s.factor(159, 0.99, 200)).isEqualTo(1.0);
        assertThat(s.factor(160, 0, 200)).isCloseTo(0.01, within(1e-12));
        assertThat(s.factor(180, 0, 200)).isCloseTo(1e-4, within(1e-12));
    }

    @Test
    void cosineGoesFromOneToTheFinalFactor() {
        LearningRateSchedule s = Schedules.cosine(TypesafeSettings.parse("warmup-epochs = 0, cosine { final-factor = 0.1 }"));
        assertThat(s.factor(0, 0, 10)).isCloseTo(1.0, within(1e-12));
        assertThat(s.factor(5, 0, 10)).isCloseTo(0.55, within(1e-12));
        assertThat(s.factor(9, 0.999999, 10)).isCloseTo(0.1, within(1e-6));
    }

    @Test
    void constantAndBadMilestones() {
        assertThat(Schedules.constant(TypesafeSettings.parse("warmup-epochs = 2")).factor(0, 0, 5)).isEqualTo(0.5);
        assertThatThrownBy(() -> Schedules.multiStep(TypesafeSettings.parse(
                "warmup-epochs = 0, multi-step { milestones = [5, 3], gamma = 0.1 }")))
                .isInstanceOf(LplException.class)
                .hasMessageContaining("multi-step.milestones");
    }
}
