package dev.lpl.runner.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lpl.core.config.ResultKeys;
import dev.lpl.core.rundir.Manifest;
import dev.lpl.runner.Plural;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's {@code index.html}: one self-contained page (inline CSS, no script, nothing fetched
 * from the network) with the run's key facts, final and best figures, the settings that can change
 * the result, the plots (each linking its SVG and PDF) and a per-class table.
 */
final class ReportPage {

    /**
     * A plot on the page.
     *
     * @param name its files' name without extension, relative to the page ({@code NAME.png},
     *     {@code NAME.svg}, {@code NAME.pdf})
     * @param title its heading
     * @param caption how to read it
     */
    record Figure(String name, String title, String caption) {}

    /**
     * A plot that was not drawn.
     *
     * @param title its heading
     * @param reason why
     * @param expected whether the run has nothing to draw by design (e.g. no perturbation), shown as
     *     information rather than as a warning
     */
    record Skipped(String title, String reason, boolean expected) {}

    private static final String STYLE = """
            body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
            h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
            table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ddd;padding:.25em .6em;text-align:left}
            td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f5f5f5}
            figure{margin:1.5em 0}figure img{max-width:100%;border:1px solid #eee}figcaption{color:#555;font-size:.9em;margin-top:.3em}
            .note{background:#fff8e1;border-left:4px solid #f0b400;padding:.4em .8em;margin:.5em 0}
            .muted{color:#777;font-size:.9em}code{background:#f5f5f5;padding:0 .2em}
            .info{color:#444;border-left:4px solid #9ecae1;padding:.4em .8em;margin:.5em 0}
            table.settings td,table.settings th{font-size:.9em;padding:.15em .6em}table.settings td{font-family:ui-monospace,Menlo,Consolas,monospace}
            """;

    private ReportPage() {}

    /**
     * Renders the page.
     *
     * @param run the run
     * @param figures the plots drawn, in page order
     * @param skipped the plots not drawn, with the reason
     * @param resolvedConf whether {@code resolved.conf} lies next to the page
     * @param generated when and by what the report was made
     * @return the HTML text
     */
    static String render(RunResults run, List<Figure> figures, List<Skipped> skipped, boolean resolvedConf,
            String generated) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>lpl report: ").append(esc(run.run())).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        h.append("<h1>").append(esc(run.run())).append("</h1>\n");
        h.append("<p class=\"muted\">").append(esc(run.method())).append(" on ").append(esc(run.dataset()))
                .append(", ").append(esc(run.model())).append(" &middot; ").append(esc(status(run))).append("</p>\n");
        if (!run.completed()) {
            h.append("<p class=\"note\">This run is <b>").append(esc(run.status()))
                    .append("</b>: the figures are those of its last finished epoch.</p>\n");
        }
        facts(h, run);
        results(h, run);
        settings(h, run, resolvedConf);
        h.append("<h2>Plots</h2>\n");
        for (Skipped s : skipped) {
            h.append("<p class=\"").append(s.expected() ? "info" : "note").append("\">")
                    .append(esc(s.title())).append(": not drawn, ").append(esc(s.reason())).append(".</p>\n");
        }
        for (Figure f : figures) {
            String png = f.name() + ".png";
            h.append("<figure>\n<img src=\"").append(esc(png)).append("\" alt=\"").append(esc(f.title())).append("\">\n")
                    .append("<figcaption>").append(esc(f.caption())).append(" <span class=\"muted\">Also as <a href=\"")
                    .append(esc(f.name())).append(".svg\">SVG</a> and <a href=\"").append(esc(f.name()))
                    .append(".pdf\">PDF</a>.</span></figcaption>\n</figure>\n");
        }
        classes(h, run);
        h.append("<p class=\"muted\">").append(esc(generated)).append("</p>\n</body>\n</html>\n");
        return h.toString();
    }

    private static String status(RunResults run) {
        return run.status() + ", " + run.epochsCompleted() + (run.epochs() > 0 ? " of " + run.epochs() : "")
                + (Math.max(run.epochs(), run.epochsCompleted()) == 1 ? " epoch" : " epochs");
    }

    private static void facts(StringBuilder h, RunResults run) {
        Manifest m = run.manifest();
        Manifest.Dataset data = run.manifestDataset().orElse(null);
        h.append("<h2>Run</h2>\n<table>\n");
        row(h, "run", run.run());
        row(h, "directory", run.directory().toAbsolutePath().normalize().toString());
        row(h, "status", status(run));
        row(h, "method", run.method());
        row(h, "dataset", run.dataset() + longTail(data == null ? null : data.longTail()));
        List<Long> counts = data == null || data.trainClassCounts() == null ? List.of() : data.trainClassCounts();
        if (!counts.isEmpty()) {
            long max = 0;
            long min = Long.MAX_VALUE;
            for (Long n : counts) {
                max = Math.max(max, n == null ? 0 : n);
                min = Math.min(min, n == null ? 0 : n);
            }
            row(h, "training set", String.format(Locale.ROOT, "%s, %s, %,d … %,d per class (imbalance %.1f)",
                    Plural.grouped(data.trainSize() != null ? data.trainSize() : sum(counts), "image"),
                    Plural.of(counts.size(), "class"), max, min, min == 0 ? Double.POSITIVE_INFINITY : (double) max / min));
        }
        Long parameters = m == null || m.model() == null ? null : m.model().trainableParameters();
        row(h, "model", run.model() + (parameters != null
                ? String.format(Locale.ROOT, " (%,d trainable parameters)", parameters) : ""));
        row(h, "epochs", run.epochsCompleted() + (run.epochs() > 0 ? " of " + run.epochs() : ""));
        row(h, "seed", run.seed().orElse("—"));
        Manifest.Versions v = m == null ? null : m.versions();
        if (v != null) {
            StringBuilder versions = new StringBuilder();
            String[][] named = {{"lpl", v.lpl()}, {"djl", v.djl()}, {"engine", v.engine()}, {"java", v.java()},
                {"os", v.os()}};
            for (String[] version : named) {
                if (version[1] != null) {
                    versions.append(versions.length() == 0 ? "" : ", ")
                            .append(version[0]).append(' ').append(version[1]);
                }
            }
            row(h, "versions", versions.toString());
        }
        if (m != null) {
            optionalRow(h, "device", m.device());
            optionalRow(h, "host", m.host());
            optionalRow(h, "git commit", m.gitCommit());
            optionalRow(h, "created", m.created());
        } else {
            row(h, "manifest", "no manifest.json in the run directory");
        }
        h.append("</table>\n");
    }

    private static void results(StringBuilder h, RunResults run) {
        RunResults.Figures f = run.last();
        RunResults.Figures b = run.best();
        h.append("<h2>Results</h2>\n<table>\n<tr><th></th><th>final (epoch ").append(f.epoch())
                .append(")</th><th>").append(run.bestSelectedOnValidation()
                        ? "best on validation balanced accuracy (epoch " + b.epoch() + ")"
                        : "selected on test balanced accuracy (epoch " + b.epoch() + "; optimistic)")
                .append("</th></tr>\n");
        figureRow(h, "test accuracy", f.testAccuracy(), b.testAccuracy(), true);
        figureRow(h, "top-1 error", f.top1Error(), b.top1Error(), true);
        figureRow(h, "balanced accuracy", f.balancedAccuracy(), b.balancedAccuracy(), true);
        figureRow(h, "many-shot accuracy (&gt;100)", f.manyShotAccuracy(), b.manyShotAccuracy(), true);
        figureRow(h, "medium-shot accuracy (20–100)", f.mediumShotAccuracy(), b.mediumShotAccuracy(), true);
        figureRow(h, "few-shot accuracy (&lt;20)", f.fewShotAccuracy(), b.fewShotAccuracy(), true);
        figureRow(h, "ECE (15 bins)", f.ece(), b.ece(), true);
        figureRow(h, "training loss", f.trainLoss(), b.trainLoss(), false);
        h.append("</table>\n");
        phases(h, run);
    }

    /** For a run with a class-balanced fine-tuning phase: each phase's epochs and last figures. */
    private static void phases(StringBuilder h, RunResults run) {
        List<RunResults.EpochMetrics> history = run.history();
        if (history.stream().allMatch(e -> RunResults.EpochMetrics.TRAIN.equals(e.phase()))) {
            return;
        }
        h.append("<h2>Phases</h2>\n<p class=\"muted\">Figures at the last epoch of each phase; the fine-tuning"
                + " phase draws class-balanced epochs at a constant learning rate.</p>\n<table>\n<tr><th>phase</th>"
                + "<th>epochs</th><th>learning rate</th><th>balanced accuracy</th><th>many-shot</th>"
                + "<th>medium-shot</th><th>few-shot</th><th>top-1 error</th></tr>\n");
        int start = 0;
        while (start < history.size()) {
            String phase = history.get(start).phase();
            int end = start;
            while (end + 1 < history.size() && history.get(end + 1).phase().equals(phase)) {
                end++;
            }
            RunResults.EpochMetrics last = history.get(end);
            h.append("<tr><td>").append(esc(phase)).append("</td><td>").append(history.get(start).epoch())
                    .append("–").append(last.epoch()).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.4g", last.learningRate())).append("</td>");
            for (double v : new double[] {last.balancedAccuracy(), last.manyShotAccuracy(), last.mediumShotAccuracy(),
                    last.fewShotAccuracy(), 1 - last.testAccuracy()}) {
                h.append("<td>").append(Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.2f%%", 100 * v))
                        .append("</td>");
            }
            h.append("</tr>\n");
            start = end + 1;
        }
        h.append("</table>\n");
    }

    /**
     * The settings that can change the result ({@link ResultKeys}: what a sweep and {@code lpl
     * compare} compare), from the manifest's configuration, and a link to the full configuration.
     */
    private static void settings(StringBuilder h, RunResults run, boolean resolvedConf) {
        JsonNode config = run.configTree();
        if (!config.isObject() && !resolvedConf) {
            return;
        }
        h.append("<h2>Settings</h2>\n<p class=\"muted\">");
        if (config.isObject()) {
            h.append("The configuration keys that can change the result (paths, threads, checkpointing and the"
                    + " settings of components not chosen left out).");
        }
        if (resolvedConf) {
            h.append(" The full configuration: <a href=\"").append(ReportWriter.RESOLVED_CONF).append("\">")
                    .append(ReportWriter.RESOLVED_CONF).append("</a> (a copy of the run's).");
        }
        h.append("</p>\n");
        if (config.isObject()) {
            h.append("<table class=\"settings\">\n<tr><th>key</th><th>value</th></tr>\n");
            for (Map.Entry<String, String> e : ResultKeys.of(config).values().entrySet()) {
                h.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(e.getValue()))
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
    }

    private static void classes(StringBuilder h, RunResults run) {
        if (run.classes().isEmpty()) {
            return;
        }
        double[] variation = run.lossVariationAllZero() ? null
                : run.lastWithLossVariation().map(RunResults.EpochMetrics::relativeLossVariation).orElse(null);
        long[][] confusion = run.confusion();
        h.append("<h2>Classes</h2>\n<p class=\"muted\">Ordered by decreasing training count. Final epoch")
                .append(variation == null ? "" : "; relative loss variation (l′ − l)/l of epoch "
                        + run.lastWithLossVariation().orElseThrow().epoch())
                .append(".</p>\n<table>\n<tr><th>class</th><th>name</th><th>train count</th><th>shot group</th>");
        if (confusion != null) {
            h.append("<th>test count</th>");
        }
        h.append("<th>accuracy</th>");
        if (variation != null) {
            h.append("<th>(l′ − l)/l</th>");
        }
        h.append("</tr>\n");
        for (int c : run.classesByTrainCount()) {
            RunResults.ClassResult cls = run.classes().get(c);
            h.append("<tr><td class=\"n\">").append(cls.index()).append("</td><td>").append(esc(cls.name()))
                    .append("</td><td class=\"n\">").append(cls.trainCount() >= 0 ? String.format(Locale.ROOT, "%,d", cls.trainCount()) : "—")
                    .append("</td><td>").append(esc(cls.shotGroup().isEmpty() ? "—" : cls.shotGroup())).append("</td>");
            if (confusion != null) {
                int i = cls.index();
                h.append("<td class=\"n\">").append(i >= 0 && i < confusion.length
                        ? String.format(Locale.ROOT, "%,d", java.util.Arrays.stream(confusion[i]).sum()) : "—").append("</td>");
            }
            h.append("<td class=\"n\">").append(percent(cls.accuracy())).append("</td>");
            if (variation != null) {
                int i = cls.index();
                double v = i >= 0 && i < variation.length ? variation[i] : Double.NaN;
                h.append("<td class=\"n\">").append(Double.isFinite(v) ? String.format(Locale.ROOT, "%+.4f", v) : "—").append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static String longTail(Map<String, Object> longTail) {
        if (longTail == null) {
            return "";
        }
        Object profile = longTail.get("profile");
        if (profile == null || "none".equals(profile.toString())) {
            return "";
        }
        Object ratio = longTail.get("ratio");
        return ", long-tail " + profile + (ratio == null ? "" : " ρ = " + ratio);
    }

    private static long sum(List<Long> counts) {
        long sum = 0;
        for (Long n : counts) {
            sum += n == null ? 0 : n;
        }
        return sum;
    }

    private static void figureRow(StringBuilder h, String label, double last, double best, boolean percent) {
        h.append("<tr><th>").append(label).append("</th><td class=\"n\">")
                .append(percent ? percent(last) : number(last)).append("</td><td class=\"n\">")
                .append(percent ? percent(best) : number(best)).append("</td></tr>\n");
    }

    private static void row(StringBuilder h, String key, String value) {
        h.append("<tr><th>").append(esc(key)).append("</th><td>").append(esc(value)).append("</td></tr>\n");
    }

    private static void optionalRow(StringBuilder h, String key, String value) {
        if (value != null && !value.isEmpty()) {
            row(h, key, value);
        }
    }

    /**
     * Formats a fraction as a percentage with two decimals.
     *
     * @param v a fraction
     * @return e.g. {@code 26.70%}, or {@code —} for NaN
     */
    static String percent(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f%%", 100 * v) : "—";
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "—";
    }

    /**
     * Escapes text for HTML.
     *
     * @param s text
     * @return the escaped text
     */
    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
