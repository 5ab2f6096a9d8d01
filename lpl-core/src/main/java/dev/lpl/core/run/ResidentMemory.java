package dev.lpl.core.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The process's resident memory as the kernel counts it (Linux {@code /proc/self/status}): the
 * Java heap, the JVM and every native allocation of the engine together, so that a native leak
 * (an NDArray never closed) shows here although the Java heap stays flat.
 */
public final class ResidentMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ResidentMemory() {}

    /** @return the current resident set size in bytes ({@code VmRSS}); empty where unknown */
    public static OptionalLong current() {
        return field("VmRSS:");
    }

    /** @return the peak resident set size in bytes ({@code VmHWM}); empty where unknown */
    public static OptionalLong peak() {
        return field("VmHWM:");
    }

    private static OptionalLong field(String name) {
        if (!Files.isReadable(STATUS)) {
            return OptionalLong.empty();
        }
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024); // kB
                }
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
