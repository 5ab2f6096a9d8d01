package dev.lpl.runner;

import dev.lpl.api.LplException;
import dev.lpl.core.run.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The checkpoint a command that loads a run's network reads ({@code lpl eval}, {@code lpl predict}):
 * the one named by {@code --checkpoint}, else {@code best} when the run has a validation split
 * (selected on validation balanced accuracy), else the final (latest) one; or a checkpoint directory
 * named directly.
 *
 * @param runDir the run directory
 * @param checkpointDir the checkpoint directory
 * @param selection what the run says about its model selection
 */
record RunCheckpoint(Path runDir, Path checkpointDir, EvalCommand.RunSelection selection) {

    /**
     * Resolves the command's target.
     *
     * @param target a run directory or one of its {@code checkpoints/<name>} directories
     * @param checkpoint the {@code --checkpoint} name, or null for the default
     * @return the run and checkpoint directories
     * @throws LplException if the named checkpoint does not exist (listing those that do)
     */
    static RunCheckpoint resolve(Path target, String checkpoint) {
        if (Files.isRegularFile(target.resolve("state.json"))) {
            Path runDir = target.toAbsolutePath().getParent().getParent();
            return new RunCheckpoint(runDir, target, EvalCommand.RunSelection.read(runDir));
        }
        Path runDir = target;
        EvalCommand.RunSelection selection = EvalCommand.RunSelection.read(runDir);
        Checkpoints checkpoints = new Checkpoints(runDir, 1);
        Path best = runDir.resolve(Checkpoints.DIRECTORY).resolve(Checkpoints.BEST);
        String choice = checkpoint != null ? checkpoint
                : (selection.validated() && Files.isDirectory(best) ? Checkpoints.BEST : "latest");
        Path checkpointDir = switch (choice) {
            case "latest" -> checkpoints.latest().orElseThrow(() -> new LplException(
                    runDir + " has no checkpoint to evaluate (is it an lpl run directory?)"));
            default -> runDir.resolve(Checkpoints.DIRECTORY).resolve(choice);
        };
        if (!Files.isDirectory(checkpointDir)) {
            List<String> names = new ArrayList<>(Files.isDirectory(best) ? List.of("best", "latest")
                    : List.of("latest"));
            checkpoints.list().forEach(p -> names.add(p.getFileName().toString()));
            throw new LplException("checkpoint " + choice + " does not exist in " + runDir
                    + (choice.equals(Checkpoints.BEST) && !selection.validated()
                            ? " (the run has no validation split, so no best checkpoint was selected)" : "")
                    + "; available: " + String.join(", ", names));
        }
        return new RunCheckpoint(runDir, checkpointDir, selection);
    }
}
