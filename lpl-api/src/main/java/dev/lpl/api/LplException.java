package dev.lpl.api;

/**
 * An error caused by the user's input (configuration, data files, command-line arguments), as
 * opposed to a bug. The runner prints only its message — whose first line must name the problem
 * and the fix — and exits with a non-zero status; the stack trace is shown with {@code --debug}.
 */
public class LplException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates a user error.
     *
     * @param message what is wrong and how to fix it; the first line stands alone
     */
    public LplException(String message) {
        super(message);
    }

    /**
     * Creates a user error with its underlying cause (shown with {@code --debug}).
     *
     * @param message what is wrong and how to fix it; the first line stands alone
     * @param cause the underlying exception
     */
    public LplException(String message, Throwable cause) {
        super(message, cause);
    }
}
