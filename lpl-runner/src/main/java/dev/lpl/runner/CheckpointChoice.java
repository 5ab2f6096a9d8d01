package dev.lpl.runner;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lpl.api.LplException;
import dev.lpl.core.run.Checkpoints;
import dev.lpl.core.run.Json;
import dev.lpl.core.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which checkpoint of a run a command reads: a checkpoint directory named directly, or in a run
 * directory {@code --checkpoint NAME} ({@code best}, {@code latest} or a name under {@code
 * checkpoints/}), by default {@code best} when the run selects on a validation split ({@code
 * summary.json} {@code "selection": "validation"}) and the final (latest) checkpoint otherwise: a
 * {@code best} picked on the test set is not an honest model to hand on.
 *
 * @param runDirectory the run directory
 * @param checkpoint the checkpoint directory
 * @param how how it was chosen, for output ({@code "best, selected on validation"}, {@code
 *     "latest"}, {@code "named"})
 */
record CheckpointChoice(Path runDirectory, Path checkpoint, String how) {

    /** The name of the most advanced checkpoint. */
    static final String LATEST = "latest";

    CheckpointChoice {
        requireNonNull(runDirectory, "runDirectory is null");
        requireNonNull(checkpoint, "checkpoint is null");
        requireNonNull(how, "how is null");
    }

    /**
     * Resolves a command's run or checkpoint argument.
     *
     * @param target a run directory or one of its {@code checkpoints/<name>} directories
     * @param name the {@code --checkpoint} option, or null for the default
     * @return the choice
     * @throws LplException when the target is not a run or the checkpoint does not exist
     */
    static CheckpointChoice of(Path target, String name) {
        requireNonNull(target, "target is null");
        if (Files.isRegularFile(target.resolve("state.json"))) {
            if (name != null) {
                throw new LplException(target + " is a checkpoint directory already; pass its run directory with"
                        + " --checkpoint " + name + ", or the checkpoint alone");
            }
            Path runDir = target.toAbsolutePath().normalize().getParent().getParent();
            return new CheckpointChoice(runDir, target, "named");
        }
        if (!Files.isRegularFile(target.resolve(RunDirectory.RESOLVED_CONF))) {
            throw new LplException(target + " is not an lpl run directory (no " + RunDirectory.RESOLVED_CONF
                    + "); pass the directory lpl train --out wrote, or one of its checkpoints/<name> directories");
        }
        Checkpoints checkpoints = new Checkpoints(target, 1);
        Path best = target.resolve(Checkpoints.DIRECTORY).resolve(Checkpoints.BEST);
        boolean validated = selectsOnValidation(target);
        String choice = name != null ? name : validated && Files.isDirectory(best) ? Checkpoints.BEST : LATEST;
        Path dir = choice.equals(LATEST)
                ? checkpoints.latest().orElseThrow(() -> new LplException(target + " has no checkpoint yet;"
                        + " train it first (lpl train --resume " + target + ")"))
                : target.resolve(Checkpoints.DIRECTORY).resolve(choice);
        if (!Files.isRegularFile(dir.resolve("state.json"))) {
            List<String> names = new ArrayList<>();
            if (Files.isDirectory(best)) {
                names.add(Checkpoints.BEST);
            }
            names.add(LATEST);
            checkpoints.list().forEach(p -> names.add(p.getFileName().toString()));
            throw new LplException("checkpoint " + choice + " does not exist in " + target
                    + (choice.equals(Checkpoints.BEST) && !validated
                            ? " (the run has no validation split, so no best checkpoint was selected)" : "")
                    + "; available: " + String.join(", ", names));
        }
        String how = name != null ? "named"
                : choice.equals(Checkpoints.BEST) ? "best, selected on validation balanced accuracy"
                : "latest" + (validated ? "" : ": the run has no validation split");
        return new CheckpointChoice(target, dir, how);
    }

    private static boolean selectsOnValidation(Path runDir) {
        Path summary = runDir.resolve(RunDirectory.SUMMARY);
        if (!Files.isRegularFile(summary)) {
            return false;
        }
        try {
            JsonNode node = Json.mapper().readTree(summary.toFile());
            return "validation".equals(node.path("selection").asText());
        } catch (IOException e) {
            throw new LplException(summary + " cannot be read: " + e.getMessage(), e);
        }
    }
}
