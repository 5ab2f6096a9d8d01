package dev.lpl.api;

/**
 * A named factory of one extension point. The name is what a configuration's {@code type} key
 * selects, so it must be unique within its kind, lower-case and kebab-case (for example {@code
 * varied-longtail}).
 */
public interface PluginFactory {

    /**
     * Returns the name that selects this implementation in a configuration ({@code type = name}).
     *
     * @return a unique, lower-case, kebab-case name
     */
    String name();

    /**
     * Returns a one-line description for {@code lpl list}: what it computes and, for methods, the
     * paper it implements.
     *
     * @return a single line of text
     */
    String description();
}
