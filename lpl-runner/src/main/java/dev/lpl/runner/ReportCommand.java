package dev.lpl.runner;

import dev.lpl.runner.report.ReportWriter;
import dev.lpl.runner.report.RunDirectoryReader;
import dev.lpl.runner.report.RunResults;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lpl report}: an HTML page with the plots (PNG, SVG, PDF) and settings of one run. */
@Command(name = "report", mixinStandardHelpOptions = true, description = {
    "Write an HTML report of a run (RUN_DIR/report/index.html): its figures, settings and plots.",
    "The plots: loss and accuracy curves, per-class accuracy, the relative loss variation (l' - l)/l per class, "
            + "the confusion matrix and the reliability diagram (ECE), each as PNG, SVG and PDF.",
    "The page lists the settings that can change the result and links a copy of resolved.conf."})
final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run directory written by lpl train.")
    Path runDirectory;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Report directory (default: RUN_DIR/report); an existing report there is replaced.")
    Path out;

    @Override
    public Integer call() {
        ReportWriter.Report report;
        if (dev.lpl.runner.report.GanReport.isGanRun(runDirectory)) {
            // a GAN run (lpl gan train): GAN-test, losses and the sample grids
            report = dev.lpl.runner.report.GanReport.write(runDirectory,
                    out == null ? runDirectory.resolve(ReportWriter.DIRECTORY) : out);
        } else {
            RunResults run = RunDirectoryReader.read(runDirectory);
            report = out == null ? ReportWriter.write(run) : ReportWriter.write(run, out);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        for (String skipped : report.skipped()) {
            stdout.println("note: not drawn: " + skipped);
        }
        stdout.printf("report: %s (%s)%n", report.index(), Plural.of(report.plots().size(), "plot"));
        stdout.flush();
        return 0;
    }
}
