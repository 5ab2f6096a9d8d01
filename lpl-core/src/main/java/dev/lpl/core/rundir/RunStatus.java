package dev.lpl.core.rundir;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The {@code status} of a run's {@code summary.json}: where the run stands after the last time its
 * summary was written.
 */
public enum RunStatus {
    /** An epoch finished and more are to come (or the process died since). */
    RUNNING("running"),
    /** The last epoch finished. */
    COMPLETED("completed"),
    /** A stop was requested; a mid-epoch checkpoint was written ({@code stopped_at}, {@code checkpoint}). */
    STOPPED("stopped"),
    /** Training failed (a non-finite loss; {@code reason}). */
    FAILED("failed"),
    /**
     * Read only, never written: a summary without a status, or with one this lpl does not know (a
     * newer lpl's, or a hand-edited file).
     */
    UNKNOWN("unknown");

    private final String text;

    RunStatus(String text) {
        this.text = text;
    }

    /**
     * Returns the status as written in {@code summary.json}.
     *
     * @return e.g. {@code completed}
     */
    @JsonValue
    public String text() {
        return text;
    }

    /**
     * Returns the status a summary's text names.
     *
     * @param text e.g. {@code completed}; may be null
     * @return the status; {@link #UNKNOWN} for null or a text no status has
     */
    @JsonCreator
    public static RunStatus of(String text) {
        for (RunStatus status : values()) {
            if (status.text.equals(text)) {
                return status;
            }
        }
        return UNKNOWN;
    }

    @Override
    public String toString() {
        return text;
    }
}
