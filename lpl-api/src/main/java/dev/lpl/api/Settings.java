package dev.lpl.api;

import java.nio.file.Path;
import java.util.List;

/**
 * A read-only, typed view of one block of the run configuration, handed to a factory.
 *
 * <p>Keys are relative to the block (for example {@code alpha} inside {@code
 * method.lpl.optimizer.pgd}). Every key a factory reads must have a default in its module's {@code
 * reference.conf}; a missing key or a value of the wrong type is reported as an {@link
 * LplException} naming the full key. Implementations are immutable.
 */
public interface Settings {

    /**
     * Returns the full path of this block within the configuration (empty for the root), used in
     * error messages.
     *
     * @return a dotted path such as {@code method.lpl.split}
     */
    String path();

    /**
     * Returns whether the key is present with a non-null value.
     *
     * @param key a key relative to this block
     * @return true if the key has a non-null value
     */
    boolean has(String key);

    /**
     * Returns a string value.
     *
     * @param key a key relative to this block
     * @return the value
     */
    String getString(String key);

    /**
     * Returns a boolean value.
     *
     * @param key a key relative to this block
     * @return the value
     */
    boolean getBoolean(String key);

    /**
     * Returns an integer value.
     *
     * @param key a key relative to this block
     * @return the value
     */
    int getInt(String key);

    /**
     * Returns a long value.
     *
     * @param key a key relative to this block
     * @return the value
     */
    long getLong(String key);

    /**
     * Returns a double value. Every double setting is finite: {@code NaN}, {@code Infinity} and a
     * literal beyond the double range ({@code 1e400}) are refused here, when the configuration is
     * read, naming the key.
     *
     * @param key a key relative to this block
     * @return the value, finite
     * @throws LplException if the value is not a number or not finite
     */
    double getDouble(String key);

    /**
     * Returns a list of integers.
     *
     * @param key a key relative to this block
     * @return the value, immutable
     */
    List<Integer> getIntList(String key);

    /**
     * Returns a list of doubles, each finite as for {@link #getDouble(String)}.
     *
     * @param key a key relative to this block
     * @return the value, immutable
     */
    List<Double> getDoubleList(String key);

    /**
     * Returns a list of strings.
     *
     * @param key a key relative to this block
     * @return the value, immutable
     */
    List<String> getStringList(String key);

    /**
     * Returns a file-system path. A leading {@code ~} or {@code ~/} is the user's home directory,
     * as a shell expands it ({@link UserPaths}); every setting that names a file or directory is
     * read with this method, so none is ever taken as a literal {@code ~} directory.
     *
     * @param key a key relative to this block
     * @return the path (relative paths stay relative to the working directory)
     * @throws LplException if the value is not a string, names another user's home ({@code
     *     ~user}), or is not a valid path
     */
    default Path getPath(String key) {
        String value = getString(key);
        try {
            return UserPaths.expand(value);
        } catch (LplException e) {
            throw invalid(key, e.getMessage());
        }
    }

    /**
     * Returns a sub-block; an absent key gives an empty block.
     *
     * @param key a key relative to this block
     * @return the sub-block
     */
    Settings getSettings(String key);

    /**
     * Returns a double that must lie in {@code [min, max]}.
     *
     * @param key a key relative to this block
     * @param min the smallest allowed value
     * @param max the largest allowed value
     * @return the value
     * @throws LplException naming the key and the allowed range when out of range
     */
    default double getDouble(String key, double min, double max) {
        double value = getDouble(key);
        if (!(value >= min && value <= max)) {
            throw invalid(key, value + " is out of range; allowed: [" + min + ", " + max + "]");
        }
        return value;
    }

    /**
     * Returns an integer that must lie in {@code [min, max]}.
     *
     * @param key a key relative to this block
     * @param min the smallest allowed value
     * @param max the largest allowed value
     * @return the value
     * @throws LplException naming the key and the allowed range when out of range
     */
    default int getInt(String key, int min, int max) {
        int value = getInt(key);
        if (value < min || value > max) {
            throw invalid(key, value + " is out of range; allowed: [" + min + ", " + max + "]");
        }
        return value;
    }

    /**
     * Returns a string that must be one of the allowed values.
     *
     * @param key a key relative to this block
     * @param allowed the allowed values
     * @return the value
     * @throws LplException naming the key and the allowed values otherwise
     */
    default String getChoice(String key, List<String> allowed) {
        String value = getString(key);
        if (!allowed.contains(value)) {
            throw invalid(key, "'" + value + "' is not allowed; use one of " + allowed);
        }
        return value;
    }

    /**
     * Builds the error for an invalid value of a key, naming its full path.
     *
     * @param key a key relative to this block
     * @param problem what is wrong and what is allowed
     * @return the exception to throw
     */
    default LplException invalid(String key, String problem) {
        String full = path().isEmpty() ? key : path() + "." + key;
        return new LplException("invalid configuration value " + full + ": " + problem);
    }
}
