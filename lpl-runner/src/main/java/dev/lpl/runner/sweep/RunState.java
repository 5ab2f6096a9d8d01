package dev.lpl.runner.sweep;

import dev.lpl.core.run.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
        String status = summaryStatus(directory);
        return status.equals("completed") || status.equals("failed") ? status : "resumable";
    }

    /**
     * The {@code status} of a run's {@code summary.json}.
     *
     * @param directory the run directory
     * @return running, completed, stopped or failed; empty when there is no readable summary
     */
    public static String summaryStatus(Path directory) {
        Path summary = directory.resolve("summary.json");
        if (!Files.isRegularFile(summary)) {
            return "";
        }
        try {
            return Json.mapper().readTree(summary.toFile()).path("status").asText();
        } catch (IOException e) {
            return "";
        }
    }
}
