package dev.lpl.api.training;

import dev.lpl.api.PluginFactory;
import dev.lpl.api.Settings;

/**
 * Creates a {@link RunListener} for one run.
 *
 * <p>Every run-listener plugin declares its block in its module's {@code reference.conf}, with an
 * {@code enabled} flag that says whether it runs by default:
 *
 * <pre>{@code
 * lpl.training.listener.my-listener {
 *   enabled = false
 *   # the listener's own settings
 * }
 * }</pre>
 *
 * A run enables it with {@code training.listener.my-listener.enabled = true} in the experiment
 * file (or {@code --set}). Listeners are keyed by name, not listed, so that every module adds its
 * own defaults without overriding another module's. A listener without an {@code enabled} key is
 * never enabled.
 */
public interface RunListenerFactory extends PluginFactory {

    /**
     * Creates the listener. Called while a configuration is checked (also by {@code lpl train
     * --dry-run} and {@code lpl eval}), so it must only read and check its settings: no files are
     * created before {@link RunListener#runStarted}.
     *
     * @param settings the block {@code training.listener.<name>}, defaults merged
     * @return the listener
     * @throws dev.lpl.api.LplException on an invalid setting (a configuration error)
     */
    RunListener create(Settings settings);
}
