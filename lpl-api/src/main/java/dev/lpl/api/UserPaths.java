package dev.lpl.api;

import static java.util.Objects.requireNonNull;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Turns a path the user typed into a {@link Path}, expanding a leading {@code ~} the way a shell
 * does: {@code ~} alone and {@code ~/rest} name the user's home directory ({@code $HOME}, else the
 * JVM's {@code user.home}). Every path read from the configuration ({@link Settings#getPath}) or
 * the command line goes through here, so {@code --set data.path=~/pets} and a quoted {@code --out
 * '~/runs/a'} mean what they would in a shell, and no directory named {@code ~} is ever created.
 *
 * <p>{@code ~user/rest} (another user's home) is refused rather than taken literally: write the
 * full path instead. A {@code ~} anywhere but at the start ({@code runs/~a}) is an ordinary
 * character, as in a shell.
 */
public final class UserPaths {

    private UserPaths() {}

    /**
     * Expands a leading {@code ~} with the current user's home directory.
     *
     * @param path the path as the user wrote it
     * @return the path
     * @throws LplException if the path names another user's home ({@code ~user}) or is not a valid
     *     path
     */
    public static Path expand(String path) {
        return expand(path, home());
    }

    /**
     * Expands a leading {@code ~} with a given home directory.
     *
     * @param path the path as the user wrote it
     * @param home the home directory that {@code ~} stands for
     * @return the path
     * @throws LplException if the path names another user's home ({@code ~user}) or is not a valid
     *     path
     */
    public static Path expand(String path, String home) {
        requireNonNull(path, "path is null");
        requireNonNull(home, "home is null");
        String expanded = path;
        if (path.equals("~")) {
            expanded = home;
        } else if (path.startsWith("~/")) {
            expanded = home + path.substring(1);
        } else if (path.startsWith("~")) {
            int slash = path.indexOf('/');
            String user = slash < 0 ? path : path.substring(0, slash);
            throw new LplException("path " + path + " starts with " + user + " (another user's home directory),"
                    + " which lpl does not expand; write the full path, or ~/... for your own home");
        }
        try {
            return Path.of(expanded);
        } catch (InvalidPathException e) {
            throw new LplException("'" + path + "' is not a valid path: " + e.getReason(), e);
        }
    }

    /**
     * Returns the home directory {@code ~} stands for: {@code $HOME} when set, as a shell uses it,
     * else the JVM's {@code user.home}.
     *
     * @return the home directory
     */
    public static String home() {
        String home = System.getenv("HOME");
        return home == null || home.isBlank() ? System.getProperty("user.home") : home;
    }
}
