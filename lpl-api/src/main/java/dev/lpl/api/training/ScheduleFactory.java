package dev.lpl.api.training;

import dev.lpl.api.PluginFactory;
import dev.lpl.api.Settings;

/** Creates a {@link LearningRateSchedule} from its configuration block. */
public interface ScheduleFactory extends PluginFactory {

    /**
     * Creates the schedule.
     *
     * @param settings the whole {@code schedule} block (shared keys such as {@code warmup-epochs},
     *     and the schedule's own block under its name), defaults merged
     * @return the schedule
     */
    LearningRateSchedule create(Settings settings);
}
