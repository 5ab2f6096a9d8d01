package dev.lpl.core.run;

import static java.util.Objects.requireNonNull;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * A test seam that simulates a crash at a {@link CrashPoint}. Production code calls {@link
 * #reached} at every point; it does nothing unless armed:
 *
 * <ul>
 *   <li>by a test, {@link #arm}: the {@code n}-th time the point is reached, a {@link Crash} (an
 *       {@link Error} nothing in lpl catches) is thrown, so the run stops there in-process;
 *   <li>by the system property {@code lpl.crash-at=POINT} or {@code POINT:N} (e.g. {@code
 *       java -Dlpl.crash-at=CHECKPOINT_RENAMED:3 -jar lpl-runner.jar train ...}): the process halts
 *       at once with status 99, like {@code kill -9} (no shutdown hooks, no stop checkpoint).
 * </ul>
 *
 * <p>It also counts how often every point was reached since the last {@link #reset}, so a test can
 * crash at every occurrence a run has.
 */
public final class CrashInjector {

    /** The system property that arms the injector for a whole process. */
    public static final String PROPERTY = "lpl.crash-at";

    /** The exit status of a process halted by the system property. */
    public static final int HALT_STATUS = 99;

    private static final Map<CrashPoint, Integer> COUNTS = new EnumMap<>(CrashPoint.class);
    private static CrashPoint armed;
    private static int occurrence;
    private static boolean halt;

    static {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            String[] parts = property.trim().split(":", 2);
            armed = CrashPoint.valueOf(parts[0].trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            occurrence = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : 1;
            halt = true;
        }
    }

    private CrashInjector() {}

    /** The simulated crash thrown in-process; an {@link Error} so that nothing catches it. */
    public static final class Crash extends Error {

        private static final long serialVersionUID = 1L;

        Crash(CrashPoint point, int occurrence) {
            super("crash injected at " + point + " (occurrence " + occurrence + ")");
        }
    }

    /**
     * Marks that the run reached a point; crashes if armed for this occurrence.
     *
     * @param point the point
     */
    public static void reached(CrashPoint point) {
        requireNonNull(point, "point is null");
        int count;
        synchronized (CrashInjector.class) {
            count = COUNTS.merge(point, 1, Integer::sum);
            if (point != armed || count != occurrence) {
                return;
            }
            armed = null;
        }
        if (halt) {
            System.err.println("lpl: crash injected at " + point + " (occurrence " + count + ", " + PROPERTY + ")");
            System.err.flush();
            Runtime.getRuntime().halt(HALT_STATUS);
        }
        throw new Crash(point, count);
    }

    /**
     * Arms an in-process crash at the {@code n}-th time a point is reached from now on (the counts
     * are reset).
     *
     * @param point the point
     * @param n the occurrence, from 1
     */
    public static synchronized void arm(CrashPoint point, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("occurrence must be at least 1: " + n);
        }
        reset();
        armed = requireNonNull(point, "point is null");
        occurrence = n;
        halt = false;
    }

    /** Disarms the injector and resets the counts. */
    public static synchronized void reset() {
        armed = null;
        halt = false;
        COUNTS.clear();
    }

    /**
     * Returns how often a point was reached since the last {@link #reset} or {@link #arm}.
     *
     * @param point the point
     * @return the count
     */
    public static synchronized int count(CrashPoint point) {
        return COUNTS.getOrDefault(point, 0);
    }
}
