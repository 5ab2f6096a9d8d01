package dev.lpl.core.train;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The vector and matrix instruction sets of the CPU that matter to the engine's kernels, read from
 * the flags of {@code /proc/cpuinfo} (Linux). Elsewhere nothing is known, and nothing is refused.
 *
 * @param flags the CPU's flags (lower case), empty when unknown
 * @param known whether the flags could be read
 */
public record CpuFeatures(Set<String> flags, boolean known) {

    /** The flags reported, in this order, by {@link #summary()}. */
    private static final List<String> REPORTED =
            List.of("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16");

    /**
     * Copies the flags.
     *
     * @param flags the CPU's flags
     * @param known whether the flags could be read
     */
    public CpuFeatures {
        flags = Set.copyOf(requireNonNull(flags, "flags is null"));
    }

    /**
     * Reads this machine's CPU flags.
     *
     * @return the features, unknown where {@code /proc/cpuinfo} cannot be read
     */
    public static CpuFeatures detect() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        try {
            return Files.isReadable(cpuinfo) ? parse(Files.readString(cpuinfo)) : new CpuFeatures(Set.of(), false);
        } catch (IOException e) {
            return new CpuFeatures(Set.of(), false);
        }
    }

    /**
     * Parses the text of {@code /proc/cpuinfo}: the {@code flags} line of the first processor.
     *
     * @param cpuinfo the file's text
     * @return the features (unknown without a flags line)
     */
    public static CpuFeatures parse(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals("flags")) {
                Set<String> flags = new LinkedHashSet<>();
                for (String flag : line.substring(colon + 1).strip().split("\\s+")) {
                    if (!flag.isEmpty()) {
                        flags.add(flag.toLowerCase(Locale.ROOT));
                    }
                }
                return new CpuFeatures(flags, true);
            }
        }
        return new CpuFeatures(Set.of(), false);
    }

    /**
     * Returns whether the CPU has bfloat16 arithmetic (AVX512-BF16 or AMX-BF16).
     *
     * @return whether bfloat16 kernels can run
     */
    public boolean bf16() {
        return flags.contains("avx512_bf16") || flags.contains("amx_bf16");
    }

    /**
     * Returns the reported instruction sets the CPU has, for messages and {@code lpl bench}.
     *
     * @return e.g. {@code "avx2 avx512f avx512_bf16"}, {@code "none of avx2, ..."}, or {@code "unknown"}
     */
    public String summary() {
        if (!known) {
            return "unknown instruction sets";
        }
        List<String> present = new ArrayList<>();
        for (String flag : REPORTED) {
            if (flags.contains(flag)) {
                present.add(flag);
            }
        }
        return present.isEmpty() ? "none of " + String.join(", ", REPORTED) : String.join(" ", present);
    }
}
