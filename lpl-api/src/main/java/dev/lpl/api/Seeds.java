package dev.lpl.api;

import java.nio.charset.StandardCharsets;

/**
 * Derives independent child seeds from a run's root seed, so that every random stream of a run
 * (weight initialisation, shuffling, augmentation, data generation, long-tail sampling) is
 * reproducible on its own and does not shift when another stream draws more numbers.
 *
 * <p>A child seed is {@code mix(seed ^ fnv64(label) ^ mix(index))} with SplitMix64's finaliser
 * (Steele, Lea and Flood, OOPSLA 2014).
 */
public final class Seeds {

    private Seeds() {}

    /**
     * Derives the seed of a named stream.
     *
     * @param seed the parent seed
     * @param label the stream's name, e.g. {@code "shuffle"}
     * @return the child seed
     */
    public static long derive(long seed, String label) {
        return mix(seed ^ fnv64(label));
    }

    /**
     * Derives the seed of an indexed member of a named stream (e.g. the shuffle of epoch 7).
     *
     * @param seed the parent seed
     * @param label the stream's name
     * @param index the member's index
     * @return the child seed
     */
    public static long derive(long seed, String label, long index) {
        return mix(derive(seed, label) ^ mix(index + 0x9E3779B97F4A7C15L));
    }

    private static long fnv64(String label) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : label.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
