package dev.lpl.tracking;

import dev.lpl.api.training.EpochResult;
import dev.lpl.api.training.RunInfo;
import dev.lpl.api.training.RunListener;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * Writes {@code RUN_DIR/<file>} (default {@code metrics.csv}): a header, then one row per epoch with
 * every figure of the epoch's {@code metrics.jsonl} line under the same name, per-class figures as
 * {@code per_class_accuracy/<class>} columns (RFC 4180 via Commons CSV, UTF-8). A whole number is
 * written without a fraction ({@code 3}), any other number as Java writes a double (the shortest
 * text that reads back exactly, as in {@code metrics.jsonl}), NaN as an empty cell. The file is
 * rewritten after every epoch through a temporary file and an atomic rename, so it is always
 * complete; a column that appears in a later epoch (none in the bundled runs) widens the header and
 * leaves earlier rows empty there.
 *
 * <p>On resume, the rows of epochs after the checkpoint are dropped, as the run drops those lines
 * of {@code metrics.jsonl}.
 */
final class CsvListener implements RunListener {

    private final String fileName;
    private final Set<String> header = new LinkedHashSet<>();
    private final List<Map<String, String>> rows = new ArrayList<>();
    private List<String> classNames = List.of();
    private Path file;

    CsvListener(String fileName) {
        this.fileName = fileName;
    }

    @Override
    public void runStarted(RunInfo run) {
        classNames = run.classNames();
        file = run.directory().resolve(fileName);
        if (run.startEpoch() > 0 && Files.isRegularFile(file)) {
            readKept(run.startEpoch());
            write();
        }
    }

    @Override
    public void epochFinished(EpochResult result) {
        Map<String, String> row = new LinkedHashMap<>();
        Figures.of(result, classNames, true).forEach((name, value) -> row.put(name, format(value)));
        row.putIfAbsent("epoch", Integer.toString(result.epoch() + 1));
        header.addAll(row.keySet());
        rows.add(row);
        write();
    }

    private void readKept(int startEpoch) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format).get()) {
            header.addAll(parser.getHeaderNames());
            for (CSVRecord record : parser) {
                if (!record.isConsistent() || Double.parseDouble(record.get("epoch")) > startEpoch) {
                    break; // rows are in epoch order; a short row is one a crash cut
                }
                Map<String, String> row = new LinkedHashMap<>(record.toMap());
                rows.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + " has no epoch column or an unreadable row (" + e.getMessage()
                    + "); the rows before the resume are lost from it, metrics.jsonl has them", e);
        }
    }

    private void write() {
        StringWriter text = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(text, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get())) {
            printer.printRecord(header);
            for (Map<String, String> row : rows) {
                List<String> cells = new ArrayList<>(header.size());
                header.forEach(h -> cells.add(row.getOrDefault(h, "")));
                printer.printRecord(cells);
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns a figure as a cell.
     *
     * @param value the figure
     * @return empty for NaN, a whole number without fraction, else the double's shortest text
     */
    static String format(double value) {
        if (Double.isNaN(value)) {
            return "";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
