package dev.lpl.runner.sweep;

import dev.lpl.core.rundir.RunFiles;
import dev.lpl.core.rundir.RunStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a sweep run's directory says about the run, the same for every executor: {@code new} (absent
 * or empty), {@code completed} or {@code failed} (its {@code summary.json} status), {@code resumable}
 * (an lpl run that did not finish: running, stopped, killed or preempted; {@code lpl train --resume}
 * continues it, from scratch when no checkpoint was written), or {@code other} (a directory that is
 * not an lpl run).
 */
public final class RunState {

    private RunState() {}

    /**
     * Reads a run directory's state.
     *
     * @param directory the run directory
     * @return new, completed, failed, resumable or other
     */
    public static String of(Path directory) {
        if (!Files.exists(directory)) {
            return "new";
        }
        try (var entries = Files.list(directory)) {
            if (entries.findAny().isEmpty()) {
                return "new";
            }
        } catch (IOException e) {
            return "other";
        }
        if (!Files.isRegularFile(directory.resolve("resolved.conf"))) {
            return "other";
        }
        return summaryStatus(directory).filter(s -> s == RunStatus.COMPLETED || s == RunStatus.FAILED)
                .map(RunStatus::text).orElse("resumable");
    }

    /**
     * The {@code status} of a run's {@code summary.json}.
     *
     * @param directory the run directory
     * @return running, completed, stopped, failed or unknown; empty when there is no readable summary
     */
    public static Optional<RunStatus> summaryStatus(Path directory) {
        if (!Files.isRegularFile(directory.resolve(RunFiles.SUMMARY))) {
            return Optional.empty();
        }
        try {
            return Optional.of(RunFiles.readSummary(directory).status());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
