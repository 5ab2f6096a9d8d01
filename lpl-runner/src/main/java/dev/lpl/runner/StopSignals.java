package dev.lpl.runner;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM ask a training to stop after its current step (it then writes a checkpoint
 * and exits with status 3); a second signal exits at once. The previous handlers are restored on
 * close.
 */
final class StopSignals implements AutoCloseable {

    private final AtomicBoolean requested = new AtomicBoolean();
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private StopSignals() {}

    static StopSignals install(PrintWriter err) {
        StopSignals stop = new StopSignals();
        for (String name : new String[] {"INT", "TERM"}) {
            Signal signal = new Signal(name);
            try {
                SignalHandler old = Signal.handle(signal, s -> {
                    if (stop.requested.getAndSet(true)) {
                        err.println();
                        err.println("lpl: second SIG" + s.getName() + ", exiting without a checkpoint");
                        err.flush();
                        Runtime.getRuntime().halt(128 + s.getNumber());
                    }
                    err.println();
                    err.println("lpl: SIG" + s.getName() + " received; finishing the current step and writing a checkpoint"
                            + " (send it again to exit at once)");
                    err.flush();
                });
                stop.signals.add(signal);
                stop.previous.add(old);
            } catch (IllegalArgumentException e) {
                // the signal is not available on this platform or is reserved by the JVM
            }
        }
        return stop;
    }

    boolean requested() {
        return requested.get();
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
