package dev.lpl.tracking;

import dev.lpl.api.LplException;
import dev.lpl.api.training.EpochResult;
import dev.lpl.api.training.RunInfo;
import dev.lpl.api.training.RunListener;
import dev.lpl.tracking.tensorboard.Events;
import dev.lpl.tracking.tensorboard.TfRecords;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes TensorBoard event files under {@code RUN_DIR/<directory>/}: one file per process that
 * trains the run ({@code events.out.tfevents.<unix seconds>.<host>}), first the file-version
 * event, then (new runs) the hyperparameters (HParams plugin session and a text summary of {@code
 * resolved.conf}) at step 0, then one event per epoch, step = the 1-based epoch, with a {@code
 * simple_value} scalar for every finite figure of the epoch's {@code metrics.jsonl} line, under
 * the same name ({@code train_loss}, {@code balanced_accuracy}, {@code val_balanced_accuracy},
 * {@code per_class_accuracy/<class>}, ...). Each event is flushed and synced as it is written.
 *
 * <p>On resume the events of epochs after the checkpoint are removed from the earlier files
 * (which are rewritten atomically; a record cut short by a crash goes too), so TensorBoard shows
 * each step once, and the new file's time stamp is later than every earlier file's, so
 * TensorBoard reads the files in training order.
 */
final class TensorBoardListener implements RunListener {

    private static final Pattern STAMP = Pattern.compile("events\\.out\\.tfevents\\.(\\d+)\\..*");
    private static final String TEXT_TAG = "hyperparameters";

    private final String directory;
    private final boolean perClass;
    private final boolean hparams;
    private List<String> classNames = List.of();
    private FileOutputStream out;
    private Path file;
    private int startEpoch;

    TensorBoardListener(String directory, boolean perClass, boolean hparams) {
        this.directory = directory;
        this.perClass = perClass;
        this.hparams = hparams;
    }

    /**
     * Returns the file this process writes.
     *
     * @return the event file, or null before the run started
     */
    Path file() {
        return file;
    }

    @Override
    public void runStarted(RunInfo run) {
        classNames = run.classNames();
        startEpoch = run.startEpoch();
        Path dir = run.directory().resolve(directory);
        try {
            Files.createDirectories(dir);
            long latest = 0;
            boolean hparamsKept = false;
            for (Path earlier : eventFiles(dir)) {
                Matcher m = STAMP.matcher(earlier.getFileName().toString());
                if (m.matches()) {
                    latest = Math.max(latest, Long.parseLong(m.group(1)));
                }
                hparamsKept |= truncate(earlier, run.startEpoch());
            }
            double now = now();
            long stamp = Math.max((long) now, latest + 1);
            file = dir.resolve("events.out.tfevents." + stamp + "." + host());
            out = new FileOutputStream(Files.createFile(file).toFile());
            write(Events.fileVersion(now));
            if (hparams && !hparamsKept) {
                write(Events.sessionStart(now, run.hyperparameters()));
                write(Events.text(now, 0, TEXT_TAG, hyperparameterText(run)));
            }
            sync();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write TensorBoard events under " + dir + " (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + ")", e);
        }
    }

    @Override
    public void epochFinished(EpochResult result) {
        Map<String, Float> values = new LinkedHashMap<>();
        Figures.of(result, classNames, perClass).forEach((name, value) -> {
            if (!name.equals("epoch") && !name.equals("epochs") && Double.isFinite(value)) {
                values.put(name, value.floatValue());
            }
        });
        writeAndSync(Events.scalars(now(), result.epoch() + 1, values));
    }

    @Override
    public void runFinished(EpochResult last) {
        if (hparams) {
            writeAndSync(Events.sessionEnd(now(), last == null ? startEpoch : last.epoch() + 1, Events.STATUS_SUCCESS));
        }
    }

    @Override
    public void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
            } finally {
                out = null;
            }
        }
    }

    private void writeAndSync(byte[] event) {
        if (out == null) {
            throw new LplException("the TensorBoard event file is not open (the run did not start)");
        }
        try {
            write(event);
            sync();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(byte[] event) throws IOException {
        out.write(TfRecords.frame(event));
    }

    private void sync() throws IOException {
        out.flush();
        out.getChannel().force(false);
    }

    /**
     * Keeps the records of an earlier file up to a step; returns whether the hyperparameters are
     * among them.
     */
    private static boolean truncate(Path earlier, int lastKeptStep) throws IOException {
        List<byte[]> records = TfRecords.readIntact(earlier);
        List<byte[]> kept = new ArrayList<>();
        boolean hparams = false;
        for (byte[] record : records) {
            long step;
            try {
                step = Events.step(record);
            } catch (IllegalArgumentException e) {
                break; // not ours: leave the rest out
            }
            if (step <= lastKeptStep) {
                kept.add(record);
                hparams |= contains(record, Events.SESSION_START_TAG.getBytes(StandardCharsets.UTF_8));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        kept.forEach(r -> bytes.writeBytes(TfRecords.frame(r)));
        if (bytes.size() != Files.size(earlier)) {
            Path tmp = earlier.resolveSibling(earlier.getFileName() + ".tmp");
            Files.write(tmp, bytes.toByteArray());
            Files.move(tmp, earlier, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return hparams;
    }

    private static List<Path> eventFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")
                    && !p.getFileName().toString().endsWith(".tmp") && Files.isRegularFile(p)).sorted().toList();
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String hyperparameterText(RunInfo run) {
        StringBuilder text = new StringBuilder();
        text.append("Run **").append(run.name()).append("**: method ").append(run.method())
                .append(", dataset ").append(run.dataset()).append(", ").append(run.epochs()).append(" epochs.\n\n");
        text.append("| setting | value |\n|---|---|\n");
        run.hyperparameters().forEach((k, v) -> text.append("| ").append(k).append(" | ")
                .append(String.valueOf(v).replace("|", "\\|")).append(" |\n"));
        Path resolved = run.directory().resolve("resolved.conf");
        if (Files.isRegularFile(resolved)) {
            try {
                text.append("\nThe complete configuration (`resolved.conf`):\n\n");
                Files.readAllLines(resolved).forEach(line -> text.append("    ").append(line).append('\n'));
            } catch (IOException e) {
                text.append("\n(resolved.conf could not be read: ").append(e.getMessage()).append(")\n");
            }
        }
        return text.toString();
    }

    private static String host() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        String safe = host.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() ? "localhost" : safe;
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }
}
