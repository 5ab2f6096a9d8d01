package dev.lpl.core.run;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.training.EpochResult;
import dev.lpl.api.training.RunInfo;
import dev.lpl.api.training.RunListener;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Isolates a {@link RunListener}: the first exception it throws (any {@link RuntimeException} or
 * {@link Error} but {@link VirtualMachineError}) is reported as one warning naming the listener
 * and the call, and the listener is called no more in this run, except for {@link #close}. So a
 * full disk under the TensorBoard directory, a bug in a third-party listener, or an unreachable
 * tracking server never stops or fails training.
 */
final class GuardedListener implements RunListener {

    private static final Logger LOG = LoggerFactory.getLogger("dev.lpl.listener");

    private final String name;
    private final RunListener delegate;
    private final Consumer<String> warnings;
    private boolean disabled;

    /**
     * Guards a listener, warning through the log.
     *
     * @param name the listener's name, for the warning
     * @param delegate the listener
     */
    GuardedListener(String name, RunListener delegate) {
        this(name, delegate, LOG::warn);
    }

    /**
     * Guards a listener.
     *
     * @param name the listener's name, for the warning
     * @param delegate the listener
     * @param warnings where the warning goes
     */
    GuardedListener(String name, RunListener delegate, Consumer<String> warnings) {
        this.name = requireNonNull(name, "name is null");
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.warnings = requireNonNull(warnings, "warnings is null");
    }

    /**
     * Returns whether the listener failed and is no longer called.
     *
     * @return true after its first exception
     */
    boolean disabled() {
        return disabled;
    }

    @Override
    public void runStarted(RunInfo run) {
        call("runStarted", () -> delegate.runStarted(run));
    }

    @Override
    public void epochFinished(EpochResult result) {
        call("epochFinished (epoch " + (result.epoch() + 1) + ")", () -> delegate.epochFinished(result));
    }

    @Override
    public void runFinished(EpochResult last) {
        call("runFinished", () -> delegate.runFinished(last));
    }

    @Override
    public void close() {
        // called even after a failure, to release files; a listener warns at most once
        try {
            delegate.close();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            fail("close", e);
        }
    }

    private void call(String what, Runnable action) {
        if (disabled) {
            return;
        }
        try {
            action.run();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            fail(what, e);
        }
    }

    private void fail(String what, Throwable e) {
        if (!disabled) {
            disabled = true;
            warnings.accept("run listener " + name + " failed in " + what + " and is disabled for the rest of"
                    + " this run (training goes on): " + describe(e));
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : message;
    }
}
