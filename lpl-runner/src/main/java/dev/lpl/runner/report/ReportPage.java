package dev.lpl.runner.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/**
 * The report's {@code index.html}: one self-contained page (inline CSS, no script, nothing fetched
 * from the network) with the run's key facts, final and best figures, the plots next to it and a
 * per-class table.
 */
final class ReportPage {

    /**
     * A plot on the page.
     *
     * @param file the PNG's file name, relative to the page
     * @param title its heading
     * @param caption how to read it
     */
    record Figure(String file, String title, String caption) {}

    /**
     * A plot that could not be drawn.
     *
     * @param title its heading
     * @param reason why
     */
    record Skipped(String title, String reason) {}

    private static final String STYLE = """
            body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
            h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
            table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ddd;padding:.25em .6em;text-align:left}
            td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f5f5f5}
            figure{margin:1.5em 0}figure img{max-width:100%;border:1px solid #eee}figcaption{color:#555;font-size:.9em;margin-top:.3em}
            .note{background:#fff8e1;border-left:4px solid #f0b400;padding:.4em .8em;margin:.5em 0}
            .muted{color:#777;font-size:.9em}code{background:#f5f5f5;padding:0 .2em}
            """;

    private ReportPage() {}

    /**
     * Renders the page.
     *
     * @param run the run
     * @param figures the plots drawn, in page order
     * @param skipped the plots not drawn, with the reason
     * @param generated when and by what the report was made
     * @return the HTML text
     */
    static String render(RunResults run, List<Figure> figures, List<Skipped> skipped, String generated) {
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
        h.append("<h2>Plots</h2>\n");
        for (Skipped s : skipped) {
            h.append("<p class=\"note\">").append(esc(s.title())).append(": not drawn, ").append(esc(s.reason())).append(".</p>\n");
        }
        for (Figure f : figures) {
            h.append("<figure>\n<img src=\"").append(esc(f.file())).append("\" alt=\"").append(esc(f.title())).append("\">\n")
                    .append("<figcaption>").append(esc(f.caption())).append("</figcaption>\n</figure>\n");
        }
        classes(h, run);
        h.append("<p class=\"muted\">").append(esc(generated)).append("</p>\n</body>\n</html>\n");
        return h.toString();
    }

    private static String status(RunResults run) {
        return run.status() + ", " + run.epochsCompleted() + (run.epochs() > 0 ? " of " + run.epochs() : "") + " epochs";
    }

    private static void facts(StringBuilder h, RunResults run) {
        JsonNode m = run.manifest();
        h.append("<h2>Run</h2>\n<table>\n");
        row(h, "run", run.run());
        row(h, "directory", run.directory().toAbsolutePath().normalize().toString());
        row(h, "status", status(run));
        row(h, "method", run.method());
        row(h, "dataset", run.dataset() + longTail(m.path("dataset").path("long_tail")));
        JsonNode counts = m.path("dataset").path("train_class_counts");
        if (counts.isArray() && !counts.isEmpty()) {
            long max = 0;
            long min = Long.MAX_VALUE;
            for (JsonNode n : counts) {
                max = Math.max(max, n.asLong());
                min = Math.min(min, n.asLong());
            }
            row(h, "training set", String.format(Locale.ROOT, "%,d images, %d classes, %,d … %,d per class (imbalance %.1f)",
                    m.path("dataset").path("train_size").asLong(sum(counts)), counts.size(), max, min,
                    min == 0 ? Double.POSITIVE_INFINITY : (double) max / min));
        }
        JsonNode parameters = m.path("model").path("trainable_parameters");
        row(h, "model", run.model() + (parameters.isNumber()
                ? String.format(Locale.ROOT, " (%,d trainable parameters)", parameters.asLong()) : ""));
        row(h, "epochs", run.epochsCompleted() + (run.epochs() > 0 ? " of " + run.epochs() : ""));
        row(h, "seed", run.seed().orElse("—"));
        JsonNode v = m.path("versions");
        if (v.isObject()) {
            StringBuilder versions = new StringBuilder();
            v.properties().forEach(e -> versions.append(versions.length() == 0 ? "" : ", ")
                    .append(e.getKey()).append(' ').append(e.getValue().asText()));
            row(h, "versions", versions.toString());
        }
        optionalRow(h, "device", m.path("device"));
        optionalRow(h, "host", m.path("host"));
        optionalRow(h, "git commit", m.path("git_commit"));
        optionalRow(h, "created", m.path("created"));
        if (m.isMissingNode()) {
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

    private static void classes(StringBuilder h, RunResults run) {
        if (run.classes().isEmpty()) {
            return;
        }
        double[] variation = run.lastWithLossVariation().map(RunResults.EpochMetrics::relativeLossVariation).orElse(null);
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

    private static String longTail(JsonNode longTail) {
        if (!longTail.isObject()) {
            return "";
        }
        String profile = longTail.path("profile").asText("none");
        if ("none".equals(profile)) {
            return "";
        }
        JsonNode ratio = longTail.path("ratio");
        return ", long-tail " + profile + (ratio.isMissingNode() || ratio.isNull() ? "" : " ρ = " + ratio.asText());
    }

    private static long sum(JsonNode counts) {
        long sum = 0;
        for (JsonNode n : counts) {
            sum += n.asLong();
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

    private static void optionalRow(StringBuilder h, String key, JsonNode value) {
        if (value.isValueNode() && !value.isNull() && !value.asText().isEmpty()) {
            row(h, key, value.asText());
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
