package dev.lpl.runner.compare;

import dev.lpl.runner.report.RunResults;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Runs grouped by a {@link GroupKey}, one row per group with the number of runs and, for each
 * headline figure, the mean and sample standard deviation over the group's runs (typically seeds).
 * Runs whose status is not {@code completed} are left out unless asked for. Rendered as Markdown
 * or CSV, in percent.
 */
public final class ComparisonTable {

    /** The figures compared, in column order. */
    public enum Column {
        /** 1 − top-1 accuracy. */
        TOP1_ERROR("top-1 error (%)", "top1_error_pct", RunResults.Figures::top1Error),
        /** Mean per-class accuracy. */
        BALANCED_ACCURACY("balanced acc. (%)", "balanced_accuracy_pct", RunResults.Figures::balancedAccuracy),
        /** Accuracy on classes with more than 100 training images. */
        MANY_SHOT("many-shot (%)", "many_shot_accuracy_pct", RunResults.Figures::manyShotAccuracy),
        /** Accuracy on classes with 20 to 100 training images. */
        MEDIUM_SHOT("medium-shot (%)", "medium_shot_accuracy_pct", RunResults.Figures::mediumShotAccuracy),
        /** Accuracy on classes with fewer than 20 training images. */
        FEW_SHOT("few-shot (%)", "few_shot_accuracy_pct", RunResults.Figures::fewShotAccuracy),
        /** Expected calibration error, 15 bins. */
        ECE("ECE (%)", "ece_pct", RunResults.Figures::ece);

        private final String header;
        private final String csvName;
        private final ToDoubleFunction<RunResults.Figures> value;

        Column(String header, String csvName, ToDoubleFunction<RunResults.Figures> value) {
            this.header = header;
            this.csvName = csvName;
            this.value = value;
        }

        /**
         * Returns the Markdown header.
         *
         * @return e.g. {@code top-1 error (%)}
         */
        public String header() {
            return header;
        }

        /**
         * Returns the CSV column prefix (followed by {@code _mean} and {@code _std}).
         *
         * @return e.g. {@code top1_error_pct}
         */
        public String csvName() {
            return csvName;
        }

        /**
         * Returns the figure of a run (a fraction, {@code NaN} when absent).
         *
         * @param figures the run's figures
         * @return the value
         */
        public double of(RunResults.Figures figures) {
            return value.applyAsDouble(figures);
        }
    }

    /**
     * One group.
     *
     * @param group the group's label
     * @param runs its runs
     * @param statistics per column, over fractions (not percent)
     */
    public record Row(String group, List<RunResults> runs, Map<Column, Statistic> statistics) {

        /**
         * Creates a row.
         */
        public Row {
            runs = List.copyOf(runs);
            statistics = Map.copyOf(statistics);
        }

        /**
         * Returns the number of runs.
         *
         * @return n
         */
        public int n() {
            return runs.size();
        }

        /**
         * Returns a column's statistic.
         *
         * @param column the column
         * @return mean and standard deviation, as fractions
         */
        public Statistic get(Column column) {
            return statistics.get(column);
        }
    }

    private final GroupKey key;
    private final RunResults.Metric metric;
    private final List<Row> rows;
    private final List<RunResults> incomplete;
    private final boolean incompleteIncluded;

    private ComparisonTable(GroupKey key, RunResults.Metric metric, List<Row> rows, List<RunResults> incomplete,
            boolean incompleteIncluded) {
        this.key = key;
        this.metric = metric;
        this.rows = List.copyOf(rows);
        this.incomplete = List.copyOf(incomplete);
        this.incompleteIncluded = incompleteIncluded;
    }

    /**
     * Groups runs and computes every group's statistics.
     *
     * @param runs the runs (e.g. read with {@code RunDirectoryReader.readSummary})
     * @param key what to group by
     * @param metric the final epoch's figures or the best epoch's
     * @param includeIncomplete whether runs whose status is not {@code completed} count
     * @return the table; without rows when no run counts
     */
    public static ComparisonTable of(List<RunResults> runs, GroupKey key, RunResults.Metric metric,
            boolean includeIncomplete) {
        List<RunResults> incomplete = runs.stream().filter(r -> !r.completed()).toList();
        Map<String, List<RunResults>> groups = new LinkedHashMap<>();
        for (RunResults run : runs) {
            if (run.completed() || includeIncomplete) {
                groups.computeIfAbsent(key.of(run), k -> new ArrayList<>()).add(run);
            }
        }
        List<String> labels = new ArrayList<>(groups.keySet());
        labels.sort(groupOrder(labels));
        List<Row> rows = new ArrayList<>();
        for (String label : labels) {
            List<RunResults> members = groups.get(label);
            Map<Column, Statistic> statistics = new EnumMap<>(Column.class);
            for (Column column : Column.values()) {
                statistics.put(column, Statistic.of(members.stream().mapToDouble(r -> column.of(r.figures(metric))).toArray()));
            }
            rows.add(new Row(label, members, statistics));
        }
        return new ComparisonTable(key, metric, rows, incomplete, includeIncomplete);
    }

    /** Numeric order when every label is a number, else alphabetical; runs lacking the key last. */
    private static Comparator<String> groupOrder(List<String> labels) {
        Comparator<String> missingLast = Comparator.comparing(GroupKey.MISSING::equals);
        boolean numeric = labels.stream().filter(l -> !GroupKey.MISSING.equals(l)).allMatch(ComparisonTable::isNumber);
        return numeric
                ? missingLast.thenComparing(l -> GroupKey.MISSING.equals(l) ? BigDecimal.ZERO : new BigDecimal(l))
                : missingLast.thenComparing(Comparator.naturalOrder());
    }

    private static boolean isNumber(String s) {
        try {
            new BigDecimal(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Returns the groups, in display order.
     *
     * @return the rows
     */
    public List<Row> rows() {
        return rows;
    }

    /**
     * Returns what the runs are grouped by.
     *
     * @return the key
     */
    public GroupKey key() {
        return key;
    }

    /**
     * Returns which epoch's figures are compared.
     *
     * @return final or best
     */
    public RunResults.Metric metric() {
        return metric;
    }

    /**
     * Returns the runs whose status is not {@code completed}, included or not.
     *
     * @return the incomplete runs
     */
    public List<RunResults> incomplete() {
        return incomplete;
    }

    /**
     * Returns whether the incomplete runs are in the rows.
     *
     * @return whether they count
     */
    public boolean incompleteIncluded() {
        return incompleteIncluded;
    }

    /**
     * Renders the table as Markdown with aligned columns, {@code mean ± std} in percent with two
     * decimals ({@code ± —} for a single value, {@code —} for none, {@code (k of n)} when only k of
     * the group's n runs have the figure).
     *
     * @return the table, one line per row, each ending with a line break
     */
    public String markdown() {
        List<List<String>> cells = new ArrayList<>();
        List<String> header = new ArrayList<>();
        header.add(key.name());
        header.add("n");
        for (Column c : Column.values()) {
            header.add(c.header());
        }
        cells.add(header);
        for (Row row : rows) {
            List<String> line = new ArrayList<>();
            line.add(row.group());
            line.add(Integer.toString(row.n()));
            for (Column c : Column.values()) {
                line.add(meanStd(row.get(c), row.n()));
            }
            cells.add(line);
        }
        int[] width = new int[header.size()];
        for (List<String> line : cells) {
            for (int i = 0; i < line.size(); i++) {
                width[i] = Math.max(Math.max(width[i], 3), line.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        appendMarkdownLine(out, cells.get(0), width);
        out.append('|');
        for (int i = 0; i < width.length; i++) {
            out.append(' ').append(i == 0 ? ":" + "-".repeat(width[i] - 1) : "-".repeat(width[i] - 1) + ":").append(" |");
        }
        out.append('\n');
        for (List<String> line : cells.subList(1, cells.size())) {
            appendMarkdownLine(out, line, width);
        }
        return out.toString();
    }

    private static void appendMarkdownLine(StringBuilder out, List<String> line, int[] width) {
        out.append('|');
        for (int i = 0; i < line.size(); i++) {
            String cell = line.get(i).replace("|", "\\|");
            String pad = " ".repeat(Math.max(0, width[i] - cell.length()));
            out.append(' ').append(i == 0 ? cell + pad : pad + cell).append(" |");
        }
        out.append('\n');
    }

    private static String meanStd(Statistic s, int n) {
        if (s.isEmpty()) {
            return "—";
        }
        Statistic p = s.scaled(100);
        String text = String.format(Locale.ROOT, "%.2f ± %s", p.mean(),
                Double.isNaN(p.std()) ? "—" : String.format(Locale.ROOT, "%.2f", p.std()));
        return s.count() < n ? text + " (" + s.count() + " of " + n + ")" : text;
    }

    /**
     * Renders the table as CSV (RFC 4180 quoting, {@code \n} line ends): the group, {@code n}, and
     * for each figure {@code <name>_mean} and {@code <name>_std} in percent as plain decimals (at
     * most six decimals); an empty cell where there is no value.
     *
     * @return the CSV text with a header line
     */
    public String csv() {
        StringBuilder out = new StringBuilder();
        List<String> header = new ArrayList<>();
        header.add(key.name());
        header.add("n");
        for (Column c : Column.values()) {
            header.add(c.csvName() + "_mean");
            header.add(c.csvName() + "_std");
        }
        appendCsvLine(out, header);
        for (Row row : rows) {
            List<String> line = new ArrayList<>();
            line.add(row.group());
            line.add(Integer.toString(row.n()));
            for (Column c : Column.values()) {
                Statistic p = row.get(c).scaled(100);
                line.add(plain(p.mean()));
                line.add(plain(p.std()));
            }
            appendCsvLine(out, line);
        }
        return out.toString();
    }

    private static void appendCsvLine(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(csvQuote(cells.get(i)));
        }
        out.append('\n');
    }

    /**
     * Quotes a CSV field when it holds a comma, quote, line break or surrounding space.
     *
     * @param field the field
     * @return the field as written
     */
    static String csvQuote(String field) {
        boolean quote = field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")
                || !field.equals(field.strip());
        return quote ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }

    private static String plain(double v) {
        if (!Double.isFinite(v)) {
            return "";
        }
        BigDecimal d = BigDecimal.valueOf(v).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return d.signum() == 0 ? "0" : d.toPlainString();
    }

    /**
     * Explains the figures and lists the incomplete runs that were included, for under a Markdown
     * table.
     *
     * @return note lines
     */
    public List<String> notes() {
        List<String> notes = new ArrayList<>();
        notes.add((metric == RunResults.Metric.BEST ? "Figures of each run's epoch with the best balanced accuracy"
                : "Figures of each run's final epoch")
                + ", in %: mean ± sample standard deviation over the runs of each group.");
        if (incompleteIncluded && !incomplete.isEmpty()) {
            notes.add("Included " + incomplete.size() + " incomplete run" + (incomplete.size() == 1 ? "" : "s")
                    + " (figures of the last finished epoch): " + describe(incomplete) + ".");
        }
        return notes;
    }

    /**
     * Describes runs for a note, e.g. {@code a (running, 3 of 20 epochs), b (failed, 0 of 20 epochs)}.
     *
     * @param runs the runs
     * @return the description
     */
    public static String describe(List<RunResults> runs) {
        List<String> parts = new ArrayList<>();
        for (RunResults r : runs) {
            parts.add(r.directory() + " (" + r.status() + ", " + r.epochsCompleted()
                    + (r.epochs() > 0 ? " of " + r.epochs() : "") + " epochs)");
        }
        return String.join(", ", parts);
    }
}
