package dev.lpl.core.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;
import dev.lpl.api.LplException;
import dev.lpl.api.Settings;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@link Settings} backed by a Typesafe {@link Config} block, translating Typesafe's exceptions
 * into one-line {@link LplException}s that name the full key.
 */
public final class TypesafeSettings implements Settings {

    private final Config config;
    private final String path;

    /**
     * Wraps a configuration block.
     *
     * @param config the block
     * @param path its path from the configuration root (for messages), empty for the root
     */
    public TypesafeSettings(Config config, String path) {
        this.config = requireNonNull(config, "config is null");
        this.path = requireNonNull(path, "path is null");
    }

    /**
     * Parses HOCON text into settings (for tests and tools).
     *
     * @param hocon the text
     * @return the settings at the root
     */
    public static TypesafeSettings parse(String hocon) {
        return new TypesafeSettings(ConfigFactory.parseString(hocon).resolve(), "");
    }

    /**
     * Returns the underlying configuration block.
     *
     * @return the block
     */
    public Config config() {
        return config;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public boolean has(String key) {
        try {
            return config.hasPath(key);
        } catch (ConfigException.BadPath e) {
            return false;
        }
    }

    @Override
    public String getString(String key) {
        return read(key, "a string", () -> config.getString(key));
    }

    @Override
    public boolean getBoolean(String key) {
        return read(key, "true or false", () -> config.getBoolean(key));
    }

    @Override
    public int getInt(String key) {
        return read(key, "an integer", () -> config.getInt(key));
    }

    @Override
    public long getLong(String key) {
        return read(key, "an integer", () -> config.getLong(key));
    }

    @Override
    public double getDouble(String key) {
        return finite(key, read(key, "a number", () -> config.getDouble(key)));
    }

    @Override
    public List<Integer> getIntList(String key) {
        return read(key, "a list of integers", () -> List.copyOf(config.getIntList(key)));
    }

    @Override
    public List<Double> getDoubleList(String key) {
        List<Double> values = read(key, "a list of numbers", () -> List.copyOf(config.getDoubleList(key)));
        values.forEach(value -> finite(key, value));
        return values;
    }

    @Override
    public List<String> getStringList(String key) {
        return read(key, "a list of strings", () -> List.copyOf(config.getStringList(key)));
    }

    @Override
    public Settings getSettings(String key) {
        String full = full(key);
        if (!has(key)) {
            return new TypesafeSettings(ConfigFactory.empty(), full);
        }
        if (config.getValue(key).valueType() != ConfigValueType.OBJECT) {
            throw new LplException(
                    "invalid configuration value " + full + ": expected a block { ... }, got "
                            + config.getValue(key).valueType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return new TypesafeSettings(config.getConfig(key), full);
    }

    /** Refuses NaN and ±Infinity (a literal such as 1e400 parses as Infinity), naming the key. */
    private double finite(String key, double value) {
        if (!Double.isFinite(value)) {
            throw invalid(key, value + " is not a finite number (NaN, Infinity and literals beyond +-1.8e308,"
                    + " such as 1e400, are refused); write a finite value");
        }
        return value;
    }

    private String full(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private <T> T read(String key, String expected, Supplier<T> reader) {
        try {
            return reader.get();
        } catch (ConfigException.Missing e) {
            throw new LplException(
                    "missing configuration value " + full(key) + ": expected " + expected
                            + " (is a reference.conf default missing?)", e);
        } catch (ConfigException.WrongType e) {
            String got = config.getValue(key).render(com.typesafe.config.ConfigRenderOptions.concise());
            throw new LplException(
                    "invalid configuration value " + full(key) + ": expected " + expected + ", got " + got, e);
        } catch (ConfigException.BadValue e) {
            throw new LplException("invalid configuration value " + full(key) + ": " + e.getMessage(), e);
        } catch (ConfigException e) {
            throw new LplException("invalid configuration " + full(key) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Settings[" + path + "]";
    }
}
