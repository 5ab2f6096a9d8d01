package dev.lpl.runner;

import dev.lpl.api.LplException;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.run.Checkpoints;
import dev.lpl.core.run.Json;
import dev.lpl.core.run.PreparedRun;
import dev.lpl.core.train.ShotGroup;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lpl eval}: evaluates a run's checkpoint on the test set, optionally with post-hoc logit adjustment. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = {
    "Evaluate a run (its best checkpoint, or --checkpoint) or a checkpoint directory on the test set.",
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
            description = "best (default when present), latest, or a name under RUN_DIR/checkpoints.")
    String checkpoint;

    @Option(names = "--post-hoc-tau", paramLabel = "T", defaultValue = "0",
            description = "Post-hoc logit adjustment strength; 0 (default) uses the method's own predictions.")
    double tau;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;

    @Override
    public Integer call() throws IOException {
        Path runDir;
        Path checkpointDir;
        if (Files.isRegularFile(target.resolve("state.json"))) {
            checkpointDir = target;
            runDir = target.toAbsolutePath().getParent().getParent();
        } else {
            runDir = target;
            Checkpoints checkpoints = new Checkpoints(runDir, 1);
            Path best = runDir.resolve(Checkpoints.DIRECTORY).resolve(Checkpoints.BEST);
            String choice = checkpoint != null ? checkpoint : (Files.isDirectory(best) ? Checkpoints.BEST : "latest");
            checkpointDir = switch (choice) {
                case "latest" -> checkpoints.latest().orElseThrow(() -> new LplException(
                        runDir + " has no checkpoint to evaluate (is it an lpl run directory?)"));
                default -> runDir.resolve(Checkpoints.DIRECTORY).resolve(choice);
            };
            if (!Files.isDirectory(checkpointDir)) {
                List<String> names = checkpoints.list().stream().map(p -> p.getFileName().toString()).toList();
                throw new LplException("checkpoint " + choice + " does not exist in " + runDir
                        + "; available: best, latest, " + String.join(", ", names));
            }
        }
        if (!(tau >= 0) || Double.isInfinite(tau)) {
            throw new LplException("--post-hoc-tau " + tau + " must be a finite number >= 0");
        }
        Bootstrap lpl = parent.bootstrap();
        PrintWriter out = spec.commandLine().getOut();
        try (PreparedRun run = lpl.runFactory().openForEvaluation(lpl.configLoader(), runDir, checkpointDir)) {
            PreparedRun.Evaluation e = run.evaluate(tau);
            var m = e.metrics();
            out.printf(Locale.ROOT, "run %s, checkpoint %s (epoch %d)%s%n", run.description().name(),
                    checkpointDir.getFileName(), run.start().epoch(),
                    tau == 0 ? "" : String.format(Locale.ROOT, ", post-hoc logit adjustment tau %.3g", tau));
            out.printf(Locale.ROOT, "test accuracy          %s%n", ResultTables.percent(m.accuracy()));
            out.printf(Locale.ROOT, "balanced accuracy      %s%n", ResultTables.percent(m.balancedAccuracy()));
            out.printf(Locale.ROOT, "many-shot   (>100)     %s%n", ResultTables.percent(m.groupAccuracy(ShotGroup.MANY)));
            out.printf(Locale.ROOT, "medium-shot (20-100)   %s%n", ResultTables.percent(m.groupAccuracy(ShotGroup.MEDIUM)));
            out.printf(Locale.ROOT, "few-shot    (<20)      %s%n", ResultTables.percent(m.groupAccuracy(ShotGroup.FEW)));
            out.printf(Locale.ROOT, "ECE (15 bins)          %s%n", ResultTables.percent(e.calibration().ece()));
            out.flush();
            if (json != null) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("run", run.description().name());
                doc.put("checkpoint", checkpointDir.getFileName().toString());
                doc.put("epochs_completed", run.start().epoch());
                doc.put("post_hoc_tau", tau);
                doc.put("test_accuracy", m.accuracy());
                doc.put("top1_error", 1 - m.accuracy());
                doc.put("balanced_accuracy", m.balancedAccuracy());
                doc.put("many_shot_accuracy", m.groupAccuracy(ShotGroup.MANY));
                doc.put("medium_shot_accuracy", m.groupAccuracy(ShotGroup.MEDIUM));
                doc.put("few_shot_accuracy", m.groupAccuracy(ShotGroup.FEW));
                doc.put("ece", e.calibration().ece());
                doc.put("per_class_accuracy", m.perClassAccuracy());
                doc.put("confusion", m.confusion());
                Files.writeString(json, Json.pretty(doc));
            }
        }
        return 0;
    }
}
