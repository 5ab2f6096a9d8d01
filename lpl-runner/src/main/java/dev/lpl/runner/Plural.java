package dev.lpl.runner;

import java.util.Locale;

/**
 * A count with its noun in the right number, for everything lpl prints: {@code 1 epoch}, {@code 2
 * epochs}, {@code 1 class}, {@code 0 classes}.
 */
public final class Plural {

    private Plural() {}

    /**
     * Returns the count and the noun, e.g. {@code 1 epoch}, {@code 12 epochs}.
     *
     * @param count the count
     * @param singular the noun in the singular ({@code epoch}, {@code class}, {@code CPU})
     * @return the text
     */
    public static String of(long count, String singular) {
        return count + " " + noun(count, singular);
    }

    /**
     * Returns the count with thousands separators and the noun, e.g. {@code 14,762 images}.
     *
     * @param count the count
     * @param singular the noun in the singular
     * @return the text
     */
    public static String grouped(long count, String singular) {
        return String.format(Locale.ROOT, "%,d", count) + " " + noun(count, singular);
    }

    /**
     * Returns the noun alone in the number a count asks for.
     *
     * @param count the count
     * @param singular the noun in the singular
     * @return {@code singular} for 1 (and −1), else its plural: {@code -es} after s, x, sh and tch
     *     ({@code classes}, {@code batches}); else {@code -s} ({@code epochs})
     */
    public static String noun(long count, String singular) {
        if (Math.abs(count) == 1) {
            return singular;
        }
        return singular.matches(".*(s|x|sh|tch)") ? singular + "es" : singular + "s";
    }
}
