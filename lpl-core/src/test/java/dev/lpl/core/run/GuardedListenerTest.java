package dev.lpl.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lpl.api.training.EpochResult;
import dev.lpl.api.training.RunInfo;
import dev.lpl.api.training.RunListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuardedListenerTest {

    private static EpochResult epoch(int epoch) {
        return new EpochResult(epoch, 3, 1, 0.5, 0.5, 0.5, Double.NaN, Double.NaN, new double[] {0.5}, 0.1, 1);
    }

    private static final RunInfo INFO = new RunInfo("r", Path.of("r"), "ce", "tiny", List.of("a"), new long[] {1}, 3);

    @Test
    void theFirstFailureWarnsOnceNamingTheListenerAndLaterCallsAreSkipped() {
        List<String> calls = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        RunListener failing = new RunListener() {
            @Override
            public void runStarted(RunInfo run) {
                calls.add("start");
            }

            @Override
            public void epochFinished(EpochResult result) {
                calls.add("epoch " + result.epoch());
                throw new IllegalStateException("No space left on device");
            }

            @Override
            public void close() {
                calls.add("close");
                throw new IllegalStateException("again");
            }
        };
        GuardedListener guarded = new GuardedListener("tensorboard", failing, warnings::add);
        guarded.runStarted(INFO);
        guarded.epochFinished(epoch(0));
        guarded.epochFinished(epoch(1));
        guarded.runFinished(epoch(2));
        guarded.close();
        assertThat(calls).containsExactly("start", "epoch 0", "close");
        assertThat(warnings).containsExactly("run listener tensorboard failed in epochFinished (epoch 1) and is"
                + " disabled for the rest of this run (training goes on): No space left on device");
        assertThat(guarded.disabled()).isTrue();
    }

    @Test
    void aListenerThatNeverFailsSeesEveryCallAndAFailingCloseWarns() {
        List<String> warnings = new ArrayList<>();
        List<String> calls = new ArrayList<>();
        GuardedListener guarded = new GuardedListener("csv", new RunListener() {
            @Override
            public void epochFinished(EpochResult result) {
                calls.add("epoch " + result.epoch());
            }

            @Override
            public void close() {
                throw new UnsupportedOperationException();
            }
        }, warnings::add);
        guarded.epochFinished(epoch(0));
        guarded.epochFinished(epoch(1));
        guarded.close();
        assertThat(calls).containsExactly("epoch 0", "epoch 1");
        assertThat(warnings).containsExactly("run listener csv failed in close and is disabled for the rest of this"
                + " run (training goes on): java.lang.UnsupportedOperationException");
    }

    @Test
    void outOfMemoryIsNotSwallowed() {
        GuardedListener guarded = new GuardedListener("x", new RunListener() {
            @Override
            public void runStarted(RunInfo run) {
                throw new OutOfMemoryError("heap");
            }
        }, w -> {});
        assertThatThrownBy(() -> guarded.runStarted(INFO)).isInstanceOf(OutOfMemoryError.class);
    }
}
