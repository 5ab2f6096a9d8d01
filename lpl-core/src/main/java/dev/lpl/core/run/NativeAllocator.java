package dev.lpl.core.run;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.Optional;

/**
 * Keeps the C allocator from handing the engine's freed tensor memory back to the kernel between
 * the passes of a step, on Linux with glibc.
 *
 * <p>The engine allocates every activation with {@code malloc}. With glibc's defaults, a block of
 * up to 32 MiB that is freed at the top of a heap is returned to the kernel once more than the trim
 * threshold is free, and blocks above the (adaptive) mmap threshold get their own mapping, so the
 * next pass of the same size page-faults its memory in again, zero-filled, one 4 KiB page at a time.
 * A plain step reaches a steady state; a step whose passes differ in size does not. Meta-Weight-Net's
 * look-ahead (five forward passes of two batch sizes) took 49,000 page faults per step, measured on
 * ResNet-32, batch 128; with the settings below, 8,000, and the step became about a quarter faster
 * ({@code benchmarks/README.md}). The cost is that the process keeps the memory of its largest
 * step resident (it used it anyway).
 *
 * <p>The settings, through {@code mallopt}: {@code M_MMAP_THRESHOLD} 32 MiB (the largest glibc
 * accepts; it also stops the threshold adapting), {@code M_TRIM_THRESHOLD} 1 GiB and {@code
 * M_TOP_PAD} 64 MiB. The environment variables {@code MALLOC_MMAP_THRESHOLD_}, {@code
 * MALLOC_TRIM_THRESHOLD_} and {@code MALLOC_TOP_PAD_}, when set, win: this class leaves a setting
 * the user made alone. Elsewhere (macOS, Windows, musl) it does nothing.
 */
public final class NativeAllocator {

    /** glibc's {@code mallopt} parameter numbers ({@code malloc.h}). */
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;

    static final int MMAP_THRESHOLD = 32 << 20;
    static final int TRIM_THRESHOLD = 1 << 30;
    static final int TOP_PAD = 64 << 20;

    private static volatile Optional<String> applied;

    private NativeAllocator() {}

    /** The two glibc functions this class calls. */
    private interface GlibC extends Library {
        int mallopt(int param, int value);

        String gnu_get_libc_version();
    }

    /**
     * Applies the settings once per process (later calls return the first outcome).
     *
     * @return a description of what was set (for {@code lpl env}), or empty where nothing was
     */
    public static synchronized Optional<String> tune() {
        if (applied == null) {
            applied = apply();
        }
        return applied;
    }

    private static Optional<String> apply() {
        if (!Platform.isLinux()) {
            return Optional.empty();
        }
        GlibC c;
        String version;
        try {
            c = Native.load("c", GlibC.class);
            version = c.gnu_get_libc_version(); // absent from musl: not glibc, nothing to tune
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return Optional.empty();
        }
        StringBuilder set = new StringBuilder("glibc " + version + " malloc:");
        set(c, M_MMAP_THRESHOLD, MMAP_THRESHOLD, "MALLOC_MMAP_THRESHOLD_", "mmap threshold", set);
        set(c, M_TRIM_THRESHOLD, TRIM_THRESHOLD, "MALLOC_TRIM_THRESHOLD_", "trim threshold", set);
        set(c, M_TOP_PAD, TOP_PAD, "MALLOC_TOP_PAD_", "top pad", set);
        return Optional.of(set.toString());
    }

    private static void set(GlibC c, int param, int value, String variable, String name, StringBuilder out) {
        String fromEnvironment = System.getenv(variable);
        if (fromEnvironment != null) {
            out.append(' ').append(name).append(' ').append(fromEnvironment).append(" (").append(variable).append(')');
        } else if (c.mallopt(param, value) == 1) {
            out.append(' ').append(name).append(' ').append(value >> 20).append(" MiB");
        } else {
            out.append(' ').append(name).append(" left at glibc's default (refused)");
        }
    }
}
