package dev.lpl.runner.compare;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.LplException;
import dev.lpl.core.config.ResultKeys;
import dev.lpl.core.config.StrictKeys;
import dev.lpl.runner.report.RunResults;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Runs grouped by a {@link GroupKey}, one row per group with the number of runs and, for each
 * headline figure, the mean and sample standard deviation over the group's runs (typically seeds);
 * with a baseline group, every other group's difference to it ({@link BaselineDifference}). Runs
 * pooled into one row must have run the same experiment but for the seed (see {@link #of(List,
 * Options)}). Runs whose status is not {@code completed} are left out unless asked for. Rendered
 * as Markdown, CSV or LaTeX, in percent.
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
         * Returns the header without the unit, e.g. {@code top-1 error}.
         *
         * @return the short header
         */
        public String shortHeader() {
            return header.replace(" (%)", "");
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
     * How runs are compared.
     *
     * @param key what to group by
     * @param selection which epoch's figures of each run
     * @param includeIncomplete whether runs whose status is not {@code completed} count
     * @param allowMixed whether runs that differ in settings other than the grouping and the seed
     *     may share a row (the differences are listed in the notes)
     * @param baseline the label of the group the others are compared with, or null
     * @param firstOrder labels of the grouping's first part in the order their rows come (e.g. a
     *     sweep's variants, as written); labels not listed follow in the usual order
     */
    public record Options(GroupKey key, Selection selection, boolean includeIncomplete, boolean allowMixed,
            String baseline, List<String> firstOrder) {

        /**
         * Creates options.
         */
        public Options {
            requireNonNull(key, "key is null");
            requireNonNull(selection, "selection is null");
            firstOrder = List.copyOf(firstOrder);
        }

        /**
         * Returns these options with the rows of these first-part labels first, in this order.
         *
         * @param value the labels, e.g. a sweep's variant names
         * @return the options
         */
        public Options withFirstOrder(List<String> value) {
            return new Options(key, selection, includeIncomplete, allowMixed, baseline, value);
        }

        /**
         * Returns the default options for a grouping: final figures, completed runs, no mixing, no
         * baseline.
         *
         * @param key what to group by
         * @return the options
         */
        public static Options groupBy(GroupKey key) {
            return new Options(key, Selection.FINAL, false, false, null, List.of());
        }

        /**
         * Returns these options with another selection.
         *
         * @param value the selection
         * @return the options
         */
        public Options withSelection(Selection value) {
            return new Options(key, value, includeIncomplete, allowMixed, baseline, firstOrder);
        }

        /**
         * Returns these options with incomplete runs included or not.
         *
         * @param value whether they count
         * @return the options
         */
        public Options withIncomplete(boolean value) {
            return new Options(key, selection, value, allowMixed, baseline, firstOrder);
        }

        /**
         * Returns these options with mixing allowed or not.
         *
         * @param value whether runs that differ may share a row
         * @return the options
         */
        public Options withAllowMixed(boolean value) {
            return new Options(key, selection, includeIncomplete, value, baseline, firstOrder);
        }

        /**
         * Returns these options with a baseline group.
         *
         * @param value the baseline's label, or null
         * @return the options
         */
        public Options withBaseline(String value) {
            return new Options(key, selection, includeIncomplete, allowMixed, value, firstOrder);
        }
    }

    /**
     * One group.
     *
     * @param values the group's label for every part of the key
     * @param runs its runs
     * @param statistics per column, over fractions (not percent)
     * @param differences per compared column, the difference to the baseline (empty without a
     *     baseline and for the baseline's own row)
     */
    public record Row(List<String> values, List<RunResults> runs, Map<Column, Statistic> statistics,
            Map<Column, BaselineDifference> differences) {

        /**
         * Creates a row.
         */
        public Row {
            values = List.copyOf(values);
            runs = List.copyOf(runs);
            statistics = Map.copyOf(statistics);
            differences = Map.copyOf(differences);
        }

        /**
         * Returns the group's label.
         *
         * @return the values joined by {@link GroupKey#SEPARATOR}
         */
        public String group() {
            return String.join(GroupKey.SEPARATOR, values);
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

    /**
     * A setting in which the runs of one row differ (pooled only with {@code --allow-mixed}).
     *
     * @param row the row's label
     * @param key the dotted configuration key
     * @param runs each value ({@link ResultKeys#ABSENT} where a run lacks the key) with its runs
     */
    public record Mixture(String row, String key, Map<String, List<RunResults>> runs) {

        /**
         * Creates a mixture.
         */
        public Mixture {
            runs = Collections.unmodifiableMap(new LinkedHashMap<>(runs));
        }

        /**
         * Describes the values, e.g. {@code 100 in runs/a, 10 in runs/b}.
         *
         * @return the text
         */
        public String describe() {
            List<String> parts = new ArrayList<>();
            runs.forEach((value, members) -> parts.add(value + " in " + directories(members)));
            return String.join(", ", parts);
        }
    }

    /**
     * Runs of one row with the same seed and otherwise equal settings: one experiment twice.
     *
     * @param row the row's label
     * @param seed the seed
     * @param runs the runs
     */
    public record SharedSeed(String row, String seed, List<RunResults> runs) {

        /**
         * Creates the record.
         */
        public SharedSeed {
            runs = List.copyOf(runs);
        }
    }

    /** The figures compared with a baseline: the headline figure first. */
    public static final List<Column> COMPARED = List.of(Column.BALANCED_ACCURACY, Column.TOP1_ERROR);

    private static final int LISTED_RUNS = 2;
    private static final int LISTED_KEYS = 3;

    private final Options options;
    private final List<Row> rows;
    private final List<RunResults> incomplete;
    private final List<Mixture> mixtures;
    private final List<SharedSeed> sharedSeeds;
    private final List<RunResults> unchecked;

    private ComparisonTable(Options options, List<Row> rows, List<RunResults> incomplete, List<Mixture> mixtures,
            List<SharedSeed> sharedSeeds, List<RunResults> unchecked) {
        this.options = options;
        this.rows = List.copyOf(rows);
        this.incomplete = List.copyOf(incomplete);
        this.mixtures = List.copyOf(mixtures);
        this.sharedSeeds = List.copyOf(sharedSeeds);
        this.unchecked = List.copyOf(unchecked);
    }

    /**
     * Groups runs and computes every group's statistics, refusing to pool runs that differ (see
     * {@link #of(List, Options)}).
     *
     * @param runs the runs (e.g. read with {@code RunDirectoryReader.readSummary})
     * @param key what to group by
     * @param metric the final epoch's figures or the best epoch's (as older runs chose it: on test)
     * @param includeIncomplete whether runs whose status is not {@code completed} count
     * @return the table; without rows when no run counts
     */
    public static ComparisonTable of(List<RunResults> runs, GroupKey key, RunResults.Metric metric,
            boolean includeIncomplete) {
        return of(runs, Options.groupBy(key).withSelection(Selection.of(metric)).withIncomplete(includeIncomplete));
    }

    /**
     * Groups runs and computes every group's statistics and, with a baseline, every group's
     * difference to it.
     *
     * <p>The runs pooled into one row must agree on every result key ({@link ResultKeys}) of their
     * recorded configuration except the grouping's keys and {@code run.seed}, and no two of them
     * may have the same seed; otherwise this fails naming the differing keys and their values,
     * unless {@link Options#allowMixed()}, which pools them and lists the differences in {@link
     * #notes()}.
     *
     * @param runs the runs (e.g. read with {@code RunDirectoryReader.readSummary})
     * @param options how
     * @return the table; without rows when no run counts
     * @throws LplException for an unknown grouping key, a selection a run lacks, runs that may not
     *     be pooled or an unknown baseline
     */
    public static ComparisonTable of(List<RunResults> runs, Options options) {
        requireNonNull(options, "options is null");
        GroupKey key = options.key();
        List<RunResults> incomplete = runs.stream().filter(r -> !r.completed()).toList();
        List<RunResults> counted = runs.stream().filter(r -> r.completed() || options.includeIncomplete()).toList();
        if (!counted.isEmpty()) {
            key.check(counted);
        }
        Map<RunResults, RunResults.Figures> figures = new IdentityHashMap<>();
        for (RunResults run : counted) {
            figures.put(run, options.selection().figures(run));
        }
        Map<List<String>, List<RunResults>> groups = new LinkedHashMap<>();
        for (RunResults run : counted) {
            groups.computeIfAbsent(key.values(run), k -> new ArrayList<>()).add(run);
        }
        List<List<String>> labels = new ArrayList<>(groups.keySet());
        List<String> first = options.firstOrder();
        labels.sort(Comparator.<List<String>>comparingInt(l -> {
            int at = first.indexOf(l.get(0));
            return at < 0 ? first.size() : at;
        }).thenComparing(groupOrder(labels, key.names().size())));

        List<Mixture> mixtures = new ArrayList<>();
        List<SharedSeed> shared = new ArrayList<>();
        List<RunResults> unchecked = new ArrayList<>();
        Set<String> ignored = new HashSet<>(key.configKeys());
        ignored.add("run.seed");
        for (List<String> label : labels) {
            String row = String.join(GroupKey.SEPARATOR, label);
            List<RunResults> members = groups.get(label);
            List<Mixture> rowMixtures = mixtures(row, members, ignored, unchecked);
            if (!rowMixtures.isEmpty() && !options.allowMixed()) {
                throw new LplException(mixedMessage(key, rowMixtures));
            }
            mixtures.addAll(rowMixtures);
            for (SharedSeed s : sharedSeeds(row, members)) {
                if (!options.allowMixed()) {
                    throw new LplException("runs in row " + row + " share seed " + s.seed() + " ("
                            + directories(s.runs()) + ")" + (rowMixtures.isEmpty() ? " and every other setting" : "")
                            + ": one experiment would count twice; leave one out or pass --allow-mixed");
                }
                shared.add(s);
            }
        }

        List<Row> rows = new ArrayList<>();
        for (List<String> label : labels) {
            List<RunResults> members = groups.get(label);
            Map<Column, Statistic> statistics = new EnumMap<>(Column.class);
            for (Column column : Column.values()) {
                statistics.put(column, Statistic.of(members.stream().mapToDouble(r -> column.of(figures.get(r))).toArray()));
            }
            rows.add(new Row(label, members, statistics, Map.of()));
        }
        if (options.baseline() != null && !rows.isEmpty()) {
            Row base = baselineRow(rows, options.baseline());
            List<Row> compared = new ArrayList<>();
            for (Row row : rows) {
                Map<Column, BaselineDifference> differences = new EnumMap<>(Column.class);
                if (row != base) {
                    for (Column column : COMPARED) {
                        differences.put(column, BaselineDifference.of(row.runs(), base.runs(),
                                r -> column.of(figures.get(r))));
                    }
                }
                compared.add(new Row(row.values(), row.runs(), row.statistics(), differences));
            }
            rows = compared;
        }
        return new ComparisonTable(options, rows, incomplete, mixtures, shared, unchecked);
    }

    /** The settings in which a row's runs differ (runs without a recorded configuration aside). */
    private static List<Mixture> mixtures(String row, List<RunResults> members, Set<String> ignored,
            List<RunResults> unchecked) {
        Map<RunResults, SortedMap<String, String>> keys = new LinkedHashMap<>();
        for (RunResults run : members) {
            if (run.configTree().isObject()) {
                keys.put(run, GroupKey.resultKeys(run).without(ignored).values());
            } else {
                unchecked.add(run);
            }
        }
        SortedSet<String> all = new TreeSet<>();
        keys.values().forEach(k -> all.addAll(k.keySet()));
        List<Mixture> out = new ArrayList<>();
        for (String k : all) {
            Map<String, List<RunResults>> byValue = new LinkedHashMap<>();
            keys.forEach((run, values) -> byValue.computeIfAbsent(values.getOrDefault(k, ResultKeys.ABSENT),
                    v -> new ArrayList<>()).add(run));
            if (byValue.size() > 1) {
                out.add(new Mixture(row, k, byValue));
            }
        }
        return out;
    }

    private static List<SharedSeed> sharedSeeds(String row, List<RunResults> members) {
        Map<String, List<RunResults>> bySeed = new LinkedHashMap<>();
        for (RunResults run : members) {
            run.seed().ifPresent(seed -> bySeed.computeIfAbsent(seed, s -> new ArrayList<>()).add(run));
        }
        List<SharedSeed> out = new ArrayList<>();
        bySeed.forEach((seed, runs) -> {
            if (runs.size() > 1) {
                out.add(new SharedSeed(row, seed, runs));
            }
        });
        return out;
    }

    private static String mixedMessage(GroupKey key, List<Mixture> mixtures) {
        List<String> shown = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Mixture m : mixtures.subList(0, Math.min(LISTED_KEYS, mixtures.size()))) {
            shown.add(m.key() + " (" + m.describe() + ")");
            keys.add(m.key());
        }
        int more = mixtures.size() - shown.size();
        return "runs in row " + mixtures.get(0).row() + " differ in " + String.join("; ", shown)
                + (more > 0 ? " and " + more + " more key" + (more == 1 ? "" : "s") : "")
                + "; compare them separately, group by " + (keys.size() == 1 ? "that key" : "those keys") + " too (--group-by "
                + key.name() + "," + String.join(",", keys) + ") or pass --allow-mixed";
    }

    private static Row baselineRow(List<Row> rows, String baseline) {
        String wanted = normalise(baseline);
        for (Row row : rows) {
            if (normalise(row.group()).equals(wanted)) {
                return row;
            }
        }
        List<String> labels = rows.stream().map(Row::group).toList();
        String nearest = StrictKeys.nearestName(baseline, labels);
        throw new LplException("--baseline " + baseline + ": no such group"
                + (nearest == null ? "" : "; did you mean " + nearest + "?") + " (the groups: " + String.join("; ", labels) + ")");
    }

    private static String normalise(String label) {
        return label.strip().replaceAll("\\s*,\\s*", ",");
    }

    /**
     * Lists run directories for a message: at most two, then how many more.
     *
     * @param runs the runs
     * @return e.g. {@code runs/a, runs/b and 3 more}
     */
    static String directories(List<RunResults> runs) {
        List<String> names = runs.stream().limit(LISTED_RUNS).map(r -> r.directory().toString()).toList();
        int more = runs.size() - names.size();
        return String.join(", ", names) + (more > 0 ? " and " + more + " more" : "");
    }

    /** Per part: numeric order when every label is a number, else alphabetical; runs lacking it last. */
    private static Comparator<List<String>> groupOrder(List<List<String>> labels, int parts) {
        Comparator<List<String>> order = (a, b) -> 0;
        for (int i = 0; i < parts; i++) {
            int part = i;
            List<String> column = labels.stream().map(l -> l.get(part)).toList();
            Comparator<String> missingLast = Comparator.comparing(GroupKey.MISSING::equals);
            boolean numeric = column.stream().filter(l -> !GroupKey.MISSING.equals(l)).allMatch(ComparisonTable::isNumber);
            Comparator<String> c = numeric
                    ? missingLast.thenComparing(l -> GroupKey.MISSING.equals(l) ? BigDecimal.ZERO : new BigDecimal(l))
                    : missingLast.thenComparing(Comparator.naturalOrder());
            order = order.thenComparing(l -> l.get(part), c);
        }
        return order;
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
        return options.key();
    }

    /**
     * Returns which epoch's figures are compared.
     *
     * @return final, selected on validation or selected on test
     */
    public Selection selection() {
        return options.selection();
    }

    /**
     * Returns how the table was made.
     *
     * @return the options
     */
    public Options options() {
        return options;
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
        return options.includeIncomplete();
    }

    /**
     * Returns the settings in which runs of one row differ ({@code --allow-mixed} only).
     *
     * @return the mixtures, by row and key
     */
    public List<Mixture> mixtures() {
        return mixtures;
    }

    /**
     * Returns the seeds that more than one run of a row has ({@code --allow-mixed} only).
     *
     * @return the shared seeds
     */
    public List<SharedSeed> sharedSeeds() {
        return sharedSeeds;
    }

    /** The header of the key's columns; the first also says how the figures were selected. */
    private List<String> keyHeader() {
        List<String> header = new ArrayList<>(key().names());
        if (selection() != Selection.FINAL) {
            header.set(0, header.get(0) + " (" + selection().label() + ")");
        }
        return header;
    }

    private boolean hasBaseline() {
        return options.baseline() != null;
    }

    /**
     * Renders the table as Markdown with aligned columns, {@code mean ± std} in percent with two
     * decimals ({@code ± —} for a single value, {@code —} for none, {@code (k of n)} when only k of
     * the group's n runs have the figure); with a baseline, then the difference to it in
     * percentage points with its 95 % interval, the p-value and the test. The first header names
     * the selection unless the figures are the final epoch's.
     *
     * @return the table, one line per row, each ending with a line break
     */
    public String markdown() {
        List<List<String>> cells = new ArrayList<>();
        List<String> header = new ArrayList<>(keyHeader());
        int keyColumns = header.size();
        header.add("n");
        for (Column c : Column.values()) {
            header.add(c.header());
        }
        if (hasBaseline()) {
            for (Column c : COMPARED) {
                header.add("Δ " + c.shortHeader() + " (pp) [95% CI]");
                header.add("p");
            }
            header.add("test");
        }
        cells.add(header);
        for (Row row : rows) {
            List<String> line = new ArrayList<>(row.values());
            line.add(Integer.toString(row.n()));
            for (Column c : Column.values()) {
                line.add(meanStd(row.get(c), row.n()));
            }
            if (hasBaseline()) {
                for (Column c : COMPARED) {
                    BaselineDifference d = row.differences().get(c);
                    line.add(d == null ? "baseline" : differenceText(d));
                    line.add(d == null ? "" : pText(d));
                }
                line.add(testText(row));
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
        appendMarkdownLine(out, cells.get(0), width, keyColumns);
        out.append('|');
        for (int i = 0; i < width.length; i++) {
            out.append(' ').append(i < keyColumns ? ":" + "-".repeat(width[i] - 1) : "-".repeat(width[i] - 1) + ":")
                    .append(" |");
        }
        out.append('\n');
        for (List<String> line : cells.subList(1, cells.size())) {
            appendMarkdownLine(out, line, width, keyColumns);
        }
        return out.toString();
    }

    private static void appendMarkdownLine(StringBuilder out, List<String> line, int[] width, int leftAligned) {
        out.append('|');
        for (int i = 0; i < line.size(); i++) {
            String cell = line.get(i).replace("|", "\\|");
            String pad = " ".repeat(Math.max(0, width[i] - cell.length()));
            out.append(' ').append(i < leftAligned ? cell + pad : pad + cell).append(" |");
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

    /** {@code +9.00 [+4.10, +13.90]} in percentage points; {@code +9.00 [—]} without an interval. */
    private static String differenceText(BaselineDifference d) {
        if (Double.isNaN(d.difference())) {
            return "—";
        }
        String interval = d.tested() ? signed(100 * d.low()) + ", " + signed(100 * d.high()) : "—";
        return signed(100 * d.difference()) + " [" + interval + "]";
    }

    private static String signed(double v) {
        return String.format(Locale.ROOT, "%+.2f", v);
    }

    private static String pText(BaselineDifference d) {
        if (!d.tested()) {
            return "—";
        }
        return d.pValue() < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", d.pValue());
    }

    private static String testText(Row row) {
        if (row.differences().isEmpty()) {
            return "baseline";
        }
        return row.differences().values().stream().map(d -> d.test().label()).distinct()
                .collect(Collectors.joining(", "));
    }

    /**
     * Renders the table as CSV (RFC 4180 quoting, {@code \n} line ends): one column per part of
     * the key, {@code n}, and for each figure {@code <name>_mean} and {@code <name>_std} in percent
     * as plain decimals (at most six decimals); an empty cell where there is no value. With a
     * baseline, per compared figure {@code diff_<name>_pp} and its {@code _ci_low}, {@code _ci_high}
     * (percentage points) and {@code _p}, then {@code test}; unless the figures are the final
     * epoch's, a last column {@code selected_on} ({@code validation} or {@code test}).
     *
     * @return the CSV text with a header line
     */
    public String csv() {
        StringBuilder out = new StringBuilder();
        List<String> header = new ArrayList<>(key().names());
        header.add("n");
        for (Column c : Column.values()) {
            header.add(c.csvName() + "_mean");
            header.add(c.csvName() + "_std");
        }
        if (hasBaseline()) {
            for (Column c : COMPARED) {
                String name = "diff_" + c.csvName().replace("_pct", "_pp");
                header.addAll(List.of(name, name + "_ci_low", name + "_ci_high", name + "_p"));
            }
            header.add("test");
        }
        if (selection() != Selection.FINAL) {
            header.add("selected_on");
        }
        appendCsvLine(out, header);
        for (Row row : rows) {
            List<String> line = new ArrayList<>(row.values());
            line.add(Integer.toString(row.n()));
            for (Column c : Column.values()) {
                Statistic p = row.get(c).scaled(100);
                line.add(plain(p.mean()));
                line.add(plain(p.std()));
            }
            if (hasBaseline()) {
                for (Column c : COMPARED) {
                    BaselineDifference d = row.differences().get(c);
                    if (d == null) {
                        line.addAll(List.of("", "", "", ""));
                    } else {
                        line.addAll(List.of(plain(100 * d.difference()), plain(100 * d.low()), plain(100 * d.high()),
                                significant(d.pValue())));
                    }
                }
                line.add(testText(row));
            }
            if (selection() != Selection.FINAL) {
                line.add(selection().csvValue());
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

    /** Six significant digits, so that a small p-value is not rounded to 0. */
    private static String significant(double v) {
        if (!Double.isFinite(v)) {
            return "";
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros();
        return d.signum() == 0 ? "0" : d.toString();
    }

    /**
     * Renders the table as a LaTeX {@code tabular} with booktabs rules ({@code \toprule},
     * {@code \midrule}, {@code \bottomrule}; needs the booktabs package): {@code $mean
     * \pm std$} in percent; with a baseline the differences, p-values and tests; the notes follow
     * as {@code %} comments.
     *
     * @return the LaTeX text
     */
    public String latex() {
        List<String> header = new ArrayList<>();
        for (String h : keyHeader()) {
            header.add(latexEscape(h));
        }
        int keyColumns = header.size();
        header.add("$n$");
        for (Column c : Column.values()) {
            header.add(latexEscape(c.header()));
        }
        if (hasBaseline()) {
            for (Column c : COMPARED) {
                header.add("$\\Delta$ " + latexEscape(c.shortHeader()) + " (pp) [95\\% CI]");
                header.add("$p$");
            }
            header.add("test");
        }
        StringBuilder out = new StringBuilder();
        out.append("\\begin{tabular}{").append("l".repeat(keyColumns)).append("r".repeat(header.size() - keyColumns))
                .append("}\n\\toprule\n");
        out.append(String.join(" & ", header)).append(" \\\\\n\\midrule\n");
        for (Row row : rows) {
            List<String> line = new ArrayList<>();
            for (String v : row.values()) {
                line.add(latexEscape(v));
            }
            line.add(Integer.toString(row.n()));
            for (Column c : Column.values()) {
                line.add(latexMeanStd(row.get(c), row.n()));
            }
            if (hasBaseline()) {
                for (Column c : COMPARED) {
                    BaselineDifference d = row.differences().get(c);
                    line.add(d == null ? "baseline" : "$" + differenceText(d).replace("—", "\\text{---}") + "$");
                    line.add(d == null ? "" : pText(d).replace("<", "$<$").replace("—", "---"));
                }
                line.add(testText(row));
            }
            out.append(String.join(" & ", line)).append(" \\\\\n");
        }
        out.append("\\bottomrule\n\\end{tabular}\n");
        for (String note : notes()) {
            out.append("% ").append(note).append('\n');
        }
        return out.toString();
    }

    private static String latexMeanStd(Statistic s, int n) {
        if (s.isEmpty()) {
            return "---";
        }
        Statistic p = s.scaled(100);
        String text = String.format(Locale.ROOT, "$%.2f \\pm %s$", p.mean(),
                Double.isNaN(p.std()) ? "\\text{---}" : String.format(Locale.ROOT, "%.2f", p.std()));
        return s.count() < n ? text + " (" + s.count() + " of " + n + ")" : text;
    }

    /**
     * Escapes LaTeX's special characters in text ({@code —} becomes {@code ---}).
     *
     * @param text the text
     * @return the escaped text
     */
    static String latexEscape(String text) {
        StringBuilder out = new StringBuilder();
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '\\' -> out.append("\\textbackslash{}");
                case '&', '%', '$', '#', '_', '{', '}' -> out.append('\\').append(ch);
                case '~' -> out.append("\\textasciitilde{}");
                case '^' -> out.append("\\textasciicircum{}");
                case '—' -> out.append("---");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    /**
     * Explains the figures and lists what a reader must know, for under a table: how the figures
     * were selected, the baseline's test, the incomplete runs included, the settings pooled despite
     * differing ({@code --allow-mixed}) and the runs whose settings could not be checked.
     *
     * @return note lines
     */
    public List<String> notes() {
        List<String> notes = new ArrayList<>();
        notes.add(switch (selection()) {
            case FINAL -> "Figures of each run's final epoch";
            case VALIDATION -> "Figures of each run's epoch with the best validation balanced accuracy"
                    + " (selected on validation)";
            case TEST -> "Figures of each run's epoch with the best test balanced accuracy (selected on test: optimistic,"
                    + " not a held-out estimate)";
        } + ", in %: mean ± sample standard deviation over the runs of each group.");
        if (hasBaseline()) {
            rows.stream().filter(r -> r.differences().isEmpty()).findFirst().ifPresent(base -> notes.add(
                    "Δ: each group's mean minus the baseline " + base.group() + "'s, in percentage points, with its 95% "
                    + "confidence interval; p: two-sided t-test, paired by seed where both groups hold the same seeds "
                    + "(test: paired), else Welch's unequal-variance t-test (test: Welch)."));
            for (Row row : rows) {
                row.differences().values().stream().map(BaselineDifference::note).filter(n -> !n.isEmpty())
                        .distinct().forEach(n -> notes.add(row.group() + ": no interval or p-value (" + n + ")."));
            }
        }
        if (options.includeIncomplete() && !incomplete.isEmpty()) {
            notes.add("Included " + incomplete.size() + " incomplete run" + (incomplete.size() == 1 ? "" : "s")
                    + " (figures of the last finished epoch): " + describe(incomplete) + ".");
        }
        if (!mixtures.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (Mixture m : mixtures) {
                parts.add("row " + m.row() + ": " + m.key() + " (" + m.describe() + ")");
            }
            notes.add("Pooled despite differing settings (--allow-mixed): " + String.join("; ", parts) + ".");
        }
        for (SharedSeed s : sharedSeeds) {
            notes.add("Pooled runs with the same seed (--allow-mixed): row " + s.row() + ", seed " + s.seed() + ": "
                    + directories(s.runs()) + ".");
        }
        if (!unchecked.isEmpty()) {
            notes.add("Not checked for differing settings (manifest.json records no configuration): "
                    + directories(unchecked) + ".");
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
                    + (r.epochs() > 0 ? " of " + r.epochs() : "")
                    + (Math.max(r.epochs(), r.epochsCompleted()) == 1 ? " epoch)" : " epochs)"));
        }
        return String.join(", ", parts);
    }
}
