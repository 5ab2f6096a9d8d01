package dev.lpl.core.run;

/**
 * The named instants of the run directory's write protocol at which a crash is injected in tests
 * ({@link CrashInjector}). They are listed in the order a run reaches them: creating the run
 * directory, then, at the end of every checkpointed epoch, the checkpoint, pruning, {@code best},
 * {@code metrics.jsonl} and {@code summary.json}. A crash at any of them (or between two of them)
 * leaves a directory that {@code lpl train --resume} completes exactly as the uninterrupted run.
 */
public enum CrashPoint {
    /** A new run's temporary directory holds {@code resolved.conf} but not yet {@code manifest.json}. */
    RUN_CONF_WRITTEN,
    /** A new run's temporary directory is complete, not yet renamed into place. */
    RUN_TEMP_COMPLETE,
    /** The new run directory was renamed into place (stale temporaries not yet removed). */
    RUN_CREATED,
    /** An epoch was evaluated; nothing of it is written yet. */
    EPOCH_EVALUATED,
    /** A checkpoint's temporary directory holds the arrays but not yet {@code state.json}. */
    CHECKPOINT_ARRAYS_WRITTEN,
    /** A checkpoint's temporary directory is complete, not yet renamed into place. */
    CHECKPOINT_TEMP_COMPLETE,
    /** The checkpoint was renamed into place: the epoch is committed; nothing after it is written. */
    CHECKPOINT_RENAMED,
    /** An old checkpoint was renamed to a trash name, not yet deleted. */
    PRUNE_MOVED_ASIDE,
    /** An old checkpoint's trash directory is half deleted. */
    PRUNE_HALF_DELETED,
    /** The copy of the best checkpoint is complete in its temporary directory. */
    BEST_TEMP_COMPLETE,
    /** The previous {@code best} was renamed aside; the new one is not in place yet. */
    BEST_OLD_MOVED_ASIDE,
    /** The new {@code best} is in place; the previous one is not deleted yet. */
    BEST_REPLACED,
    /** The epoch's line was appended to {@code metrics.jsonl}; {@code summary.json} is the previous epoch's. */
    METRICS_APPENDED,
    /** {@code summary.json} was rewritten: the epoch's bookkeeping is done. */
    SUMMARY_WRITTEN
}
