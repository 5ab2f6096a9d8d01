package dev.lpl.runner;

import dev.lpl.api.LplException;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.run.Checkpoints;
import dev.lpl.core.run.Json;
import dev.lpl.core.run.ModelSelection;
import dev.lpl.core.run.PreparedRun;
import dev.lpl.core.rundir.RunFiles;
import dev.lpl.core.rundir.RunStatus;
import dev.lpl.core.rundir.Summary;
import dev.lpl.core.train.ShotGroup;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lpl eval}: evaluates a run's checkpoint on the test set (and its validation set, when it
 * has one), optionally with post-hoc logit adjustment. By default a run with a validation set is
 * evaluated at its {@code best} checkpoint (selected on validation balanced accuracy), any other
 * run at its final checkpoint; the output says which checkpoint and how it was selected.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, description = {
    "Evaluate a run or a checkpoint directory on the test set.",
    "Default checkpoint: best (selected on validation balanced accuracy) when the run has a validation split"
            + " (data.validation), else the final one.",
    "--post-hoc-tau T predicts argmax(u - T*log(prior)) (post-hoc logit adjustment, Menon et al. 2021).",
    "Nothing in the run directory is changed."})
final class EvalCommand implements Callable<Integer> {

    @ParentCommand
    LplCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR|CHECKPOINT", description = "A run directory or one of its checkpoints/<name> directories.")
    Path target;

    @Option(names = "--checkpoint", paramLabel = "NAME",
            description = "best (the default with a validation split), latest (the default without one), or a"
                    + " name under RUN_DIR/checkpoints.")
    String checkpoint;

    @Option(names = "--post-hoc-tau", paramLabel = "T", defaultValue = "0",
            description = "Post-hoc logit adjustment strength; 0 (default) uses the method's own predictions.")
    double tau;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;

    @Override
    public Integer call() throws IOException {
        RunCheckpoint resolved = RunCheckpoint.resolve(target, checkpoint);
        Path runDir = resolved.runDir();
        Path checkpointDir = resolved.checkpointDir();
        RunSelection selection = resolved.selection();
        if (!(tau >= 0) || Double.isInfinite(tau)) {
            throw new LplException("--post-hoc-tau " + tau + " must be a finite number >= 0");
        }
        Bootstrap lpl = parent.bootstrap();
        PrintWriter out = spec.commandLine().getOut();
        try (PreparedRun run = lpl.runFactory().openForEvaluation(lpl.configLoader(), runDir, checkpointDir)) {
            PreparedRun.Evaluation e = run.evaluate(tau);
            var m = e.metrics();
            String name = checkpointDir.getFileName().toString();
            int epoch = run.start().epoch();
            Checkpoints checkpoints = new Checkpoints(runDir, 1);
            boolean isFinal = selection.completed() && epoch == run.description().epochs()
                    && checkpoints.latest().map(p -> p.getFileName().toString().equals(name)).orElse(false);
            String selectedOn = name.equals(Checkpoints.BEST) ? selection.bestSelectedOn() : null;
            out.printf(Locale.ROOT, "run %s, checkpoint %s (%s)%s%n", run.description().name(), name,
                    how(epoch, selectedOn, isFinal),
                    tau == 0 ? "" : String.format(Locale.ROOT, ", post-hoc logit adjustment tau %.3g", tau));
            out.printf(Locale.ROOT, "test accuracy          %s%n", ResultTables.percent(m.accuracy()));
            out.printf(Locale.ROOT, "balanced accuracy      %s%n", ResultTables.percent(m.balancedAccuracy()));
            out.printf(Locale.ROOT, "many-shot   (>100)     %s%n", ResultTables.percent(m.groupAccuracy(ShotGroup.MANY)));
            out.printf(Locale.ROOT, "medium-shot (20-100)   %s%n", ResultTables.percent(m.groupAccuracy(ShotGroup.MEDIUM)));
            out.printf(Locale.ROOT, "few-shot    (<20)      %s%n", ResultTables.percent(m.groupAccuracy(ShotGroup.FEW)));
            out.printf(Locale.ROOT, "ECE (15 bins)          %s%n", ResultTables.percent(e.calibration().ece()));
            out.printf(Locale.ROOT, "test loss              %.4f%n", e.loss());
            java.util.Optional<PreparedRun.Evaluation> validation = tau == 0 ? run.evaluateValidation()
                    : java.util.Optional.empty();
            validation.ifPresent(v -> {
                long images = java.util.Arrays.stream(v.metrics().confusion()).flatMapToLong(java.util.Arrays::stream).sum();
                out.printf(Locale.ROOT, "validation set (%s, balanced):%n", Plural.of(images, "image"));
                out.printf(Locale.ROOT, "  accuracy             %s%n", ResultTables.percent(v.metrics().accuracy()));
                out.printf(Locale.ROOT, "  balanced accuracy    %s%n", ResultTables.percent(v.metrics().balancedAccuracy()));
                out.printf(Locale.ROOT, "  ECE (15 bins)        %s%n", ResultTables.percent(v.calibration().ece()));
                out.printf(Locale.ROOT, "  loss                 %.4f%n", v.loss());
            });
            out.flush();
            if (json != null) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("run", run.description().name());
                doc.put("checkpoint", name);
                doc.put("epochs_completed", epoch);
                doc.put("selected_on", selectedOn != null ? selectedOn : isFinal ? ModelSelection.FINAL : null);
                doc.put("post_hoc_tau", tau);
                doc.put("test_accuracy", m.accuracy());
                doc.put("top1_error", 1 - m.accuracy());
                doc.put("balanced_accuracy", m.balancedAccuracy());
                doc.put("many_shot_accuracy", m.groupAccuracy(ShotGroup.MANY));
                doc.put("medium_shot_accuracy", m.groupAccuracy(ShotGroup.MEDIUM));
                doc.put("few_shot_accuracy", m.groupAccuracy(ShotGroup.FEW));
                doc.put("ece", e.calibration().ece());
                doc.put("test_loss", e.loss());
                doc.put("per_class_accuracy", m.perClassAccuracy());
                doc.put("confusion", m.confusion());
                validation.ifPresent(v -> {
                    Map<String, Object> val = new LinkedHashMap<>();
                    val.put("accuracy", v.metrics().accuracy());
                    val.put("balanced_accuracy", v.metrics().balancedAccuracy());
                    val.put("ece", v.calibration().ece());
                    val.put("loss", v.loss());
                    val.put("per_class_accuracy", v.metrics().perClassAccuracy());
                    doc.put("validation", val);
                });
                Files.writeString(json, Json.pretty(doc));
            }
        }
        return 0;
    }

    /** How the evaluated checkpoint was chosen, as printed after its name. */
    static String how(int epoch, String selectedOn, boolean isFinal) {
        if (ModelSelection.VALIDATION.equals(selectedOn)) {
            return "epoch " + epoch + ", selected on validation balanced accuracy";
        }
        if (ModelSelection.TEST.equals(selectedOn)) {
            return "epoch " + epoch + ", selected on test balanced accuracy: optimistic, not a fair comparison";
        }
        return isFinal ? "final" : "epoch " + epoch;
    }

    /**
     * What a run directory says about its model selection ({@code summary.json}).
     *
     * @param validated whether the run has a validation split ({@code "selection": "validation"})
     * @param completed whether the run trained to its last epoch
     */
    record RunSelection(boolean validated, boolean completed) {

        /** Reads the summary; a run without one, or written before selection existed, has no validation split. */
        static RunSelection read(Path runDir) {
            Path summary = runDir.resolve(RunFiles.SUMMARY);
            if (!Files.isRegularFile(summary)) {
                return new RunSelection(false, false);
            }
            try {
                Summary read = RunFiles.readSummary(runDir);
                return new RunSelection(ModelSelection.VALIDATION.equals(read.selection()),
                        read.status() == RunStatus.COMPLETED);
            } catch (IOException e) {
                throw new LplException(summary + " cannot be read: " + e.getMessage(), e);
            }
        }

        /** How {@code checkpoints/best} was selected: on validation, or (runs of an older lpl) on the test set. */
        String bestSelectedOn() {
            return validated ? ModelSelection.VALIDATION : ModelSelection.TEST;
        }
    }
}
