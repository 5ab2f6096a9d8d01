package dev.lpl.core.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import dev.lpl.api.Settings;
import java.util.List;

/**
 * A validated run configuration: the resolved keys below {@code lpl} (defaults merged), what the
 * user wrote, and where it came from.
 */
public final class RunConfig {

    private final Config resolved;
    private final Config user;
    private final List<String> sources;

    RunConfig(Config resolved, Config user, List<String> sources) {
        this.resolved = requireNonNull(resolved, "resolved is null");
        this.user = requireNonNull(user, "user is null");
        this.sources = List.copyOf(sources);
    }

    /**
     * Returns the resolved configuration below {@code lpl}.
     *
     * @return the configuration
     */
    public Config config() {
        return resolved;
    }

    /**
     * Returns the keys the user set (file and overrides), below {@code lpl}.
     *
     * @return the user's configuration
     */
    public Config user() {
        return user;
    }

    /**
     * Returns the experiment file and overrides, in order.
     *
     * @return the sources
     */
    public List<String> sources() {
        return sources;
    }

    /**
     * Returns the whole configuration as settings.
     *
     * @return the root settings
     */
    public Settings settings() {
        return new TypesafeSettings(resolved, "");
    }

    /**
     * Returns one block as settings.
     *
     * @param path a dotted path below {@code lpl}
     * @return the block
     */
    public Settings settings(String path) {
        return settings().getSettings(path);
    }

    /**
     * Renders the resolved configuration as HOCON, the way {@code resolved.conf} is written: it
     * can be passed back with {@code -c} to repeat the run.
     *
     * @return HOCON text
     */
    public String render() {
        return resolved.root()
                .render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
    }
}
