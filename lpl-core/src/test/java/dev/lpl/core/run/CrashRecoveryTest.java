package dev.lpl.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lpl.api.LplException;
import dev.lpl.core.Bootstrap;
import dev.lpl.core.config.RunConfig;
import dev.lpl.core.train.TrainingProgress;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A crash at every {@link CrashPoint}, at its first and at its last occurrence in a run (a tiny
 * run: 3 epochs, a checkpoint every epoch, one kept, so pruning and replacing {@code best}
 * happen), then {@code --resume} (or, when no run directory exists yet, starting again): the
 * result equals the uninterrupted run's: {@code metrics.jsonl} and {@code summary.json} (timings
 * aside), the best checkpoint's epoch and weights, the final weights, and the checkpoint directory
 * holds no leftovers.
 */
class CrashRecoveryTest {

    static final Bootstrap LPL = Bootstrap.start(List.of());
    private static final List<String> TIMING = List.of(
            "epoch_seconds", "step_seconds", "objective_seconds", "data_wait_seconds", "eval_seconds", "steps",
            "resident_mb");
    private static final Map<CrashPoint, Integer> OCCURRENCES = new EnumMap<>(CrashPoint.class);

    @TempDir
    static Path shared;

    private static Path straight;

    /**
     * The tiny run: noisy images and a small learning rate, so that the best epoch on the validation
     * set is the second (validation balanced accuracy 0.9, 0.95, 0.95), so that {@code best} is
     * replaced once and every point is reached.
     */
    static RunConfig config(String... extra) {
        List<String> sets = new ArrayList<>(List.of(
                "run.name=run", "data.type=tiny", "model.type=tiny-mlp", "method.type=identity",
                "training.backend=cpu", "training.epochs=3", "data.batch-size=32", "data.augment.crop-padding=1",
                "optimizer.sgd.learning-rate=0.001", "data.eval-batch-size=64", "schedule.type=cosine",
                "training.checkpoint.every=1", "training.checkpoint.keep-last=1",
                "data.validation.per-class=20", "data.tiny.noise=120")); // best/ exists only with a validation set
        sets.addAll(List.of(extra));
        return LPL.configLoader().load(null, sets);
    }

    @BeforeAll
    static void uninterrupted() {
        straight = shared.resolve("straight").resolve("run");
        CrashInjector.reset();
        train(straight);
        for (CrashPoint point : CrashPoint.values()) {
            OCCURRENCES.put(point, CrashInjector.count(point));
        }
        CrashInjector.reset();
    }

    @AfterEach
    void disarm() {
        CrashInjector.reset();
    }

    static PreparedRun.Outcome train(Path dir) {
        try (PreparedRun run = LPL.runFactory().prepare(config(), dir)) {
            return run.run(TrainingProgress.NONE);
        }
    }

    static PreparedRun.Outcome resume(Path dir) {
        try (PreparedRun run = LPL.runFactory().resume(LPL.configLoader(), dir)) {
            return run.run(TrainingProgress.NONE);
        }
    }

    /** Runs until the armed crash; returns the run directory. */
    static Path crashAt(Path parent, CrashPoint point, int occurrence) {
        Path dir = parent.resolve("run");
        CrashInjector.arm(point, occurrence);
        assertThatThrownBy(() -> train(dir)).isInstanceOf(CrashInjector.Crash.class);
        CrashInjector.reset();
        return dir;
    }

    @ParameterizedTest
    @EnumSource(CrashPoint.class)
    void crashAtEveryOccurrenceOfEveryPointThenResumeEqualsUninterrupted(CrashPoint point, @TempDir Path tmp)
            throws Exception {
        int count = OCCURRENCES.get(point);
        assertThat(count).as("times the uninterrupted run reaches %s", point).isPositive();
        for (int occurrence : new TreeSet<>(List.of(1, count))) {
            Path parent = tmp.resolve(point + "-" + occurrence);
            Path dir = crashAt(parent, point, occurrence);
            if (Files.isRegularFile(dir.resolve("summary.json"))
                    && summary(dir).path("status").asText().equals("completed")) {
                // crashed after the last summary: nothing is left to do, and resume says so
                assertThat(point).isEqualTo(CrashPoint.SUMMARY_WRITTEN);
                assertThatThrownBy(() -> resume(dir)).isInstanceOf(LplException.class)
                        .hasMessageContaining("has already completed");
            } else if (Files.exists(dir)) {
                assertThat(resume(dir).status()).isEqualTo(PreparedRun.Status.COMPLETED);
            } else {
                // crashed while the run directory was created: nothing under its name, so start again
                assertThat(point).isIn(CrashPoint.RUN_CONF_WRITTEN, CrashPoint.RUN_TEMP_COMPLETE);
                assertThat(train(dir).status()).isEqualTo(PreparedRun.Status.COMPLETED);
            }
            assertSameResult(dir, point + " #" + occurrence);
            assertThat(names(parent)).as("stale temporaries next to the run").containsExactly("run");
        }
    }

    /** Issue 15, window 1: a kill between resolved.conf and manifest.json. */
    @Test
    void aCrashWhileCreatingTheRunLeavesNoRunDirectoryAndDoesNotBlockARestart(@TempDir Path tmp) throws Exception {
        Path dir = crashAt(tmp, CrashPoint.RUN_CONF_WRITTEN, 1);
        assertThat(dir).doesNotExist();
        List<Path> temporaries = list(tmp);
        assertThat(temporaries).singleElement().satisfies(t -> {
            assertThat(t.getFileName().toString()).startsWith(".run.tmp-");
            assertThat(t.resolve(RunDirectory.RESOLVED_CONF)).exists();
            assertThat(t.resolve(RunDirectory.MANIFEST)).doesNotExist();
        });
        assertThatThrownBy(() -> LPL.runFactory().resume(LPL.configLoader(), dir))
                .isInstanceOf(LplException.class).hasMessageContaining("does not exist; a crash stopped its creation before the first epoch");
        assertThat(train(dir).status()).isEqualTo(PreparedRun.Status.COMPLETED);
        assertThat(names(tmp)).containsExactly("run");
        assertSameResult(dir, "restart");
    }

    /** Issue 15, window 2: the best epoch's checkpoint renamed into place, not yet copied to best/. */
    @Test
    void aCrashBeforeTheBestCopyIsRepairedOnResume(@TempDir Path tmp) throws Exception {
        int bestEpoch = epoch(straight.resolve("checkpoints/best"));
        // CHECKPOINT_RENAMED's n-th occurrence is epoch n's checkpoint (one per epoch)
        Path dir = crashAt(tmp, CrashPoint.CHECKPOINT_RENAMED, bestEpoch);
        if (bestEpoch > 1) {
            assertThat(epoch(dir.resolve("checkpoints/best"))).isLessThan(bestEpoch);
        } else {
            assertThat(dir.resolve("checkpoints/best")).doesNotExist();
        }
        try (PreparedRun run = LPL.runFactory().resume(LPL.configLoader(), dir)) {
            assertThat(epoch(dir.resolve("checkpoints/best"))).isEqualTo(bestEpoch);
            assertThat(run.resumeNotes()).anyMatch(n -> n.startsWith("checkpoints/best "));
            run.run(TrainingProgress.NONE);
        }
        JsonNode summary = Json.mapper().readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.path("best").path("epoch").asInt()).isEqualTo(epoch(dir.resolve("checkpoints/best")));
        assertSameResult(dir, "best");
    }

    /** Issue 15, window 3: the last epoch checkpointed, summary.json not yet updated. */
    @Test
    void aRunWhoseLastEpochIsCheckpointedIsFinishedByResume(@TempDir Path tmp) throws Exception {
        Path dir = crashAt(tmp, CrashPoint.CHECKPOINT_RENAMED, 3);
        JsonNode before = Json.mapper().readTree(dir.resolve("summary.json").toFile());
        assertThat(before.get("status").asText()).isEqualTo("running");
        assertThat(before.get("epochs_completed").asInt()).isEqualTo(2);
        try (PreparedRun run = LPL.runFactory().resume(LPL.configLoader(), dir)) {
            assertThat(run.allEpochsDone()).isTrue();
            PreparedRun.Outcome outcome = run.run(TrainingProgress.NONE);
            assertThat(outcome.status()).isEqualTo(PreparedRun.Status.COMPLETED);
            assertThat(outcome.last()).isNull();
        }
        assertSameResult(dir, "bookkeeping");
        assertThatThrownBy(() -> resume(dir)).isInstanceOf(LplException.class)
                .hasMessageContaining("has already completed");
    }

    @Test
    void staleTemporariesAndHalfDeletedCheckpointsAreRemovedOnResume(@TempDir Path tmp) throws Exception {
        Path dir = crashAt(tmp, CrashPoint.PRUNE_HALF_DELETED, 1);
        Files.createDirectories(tmp.resolve(".run.tmp-0123"));
        Files.createDirectories(dir.resolve("checkpoints/.tmp-epoch-0009"));
        assertThat(names(dir.resolve("checkpoints"))).anyMatch(n -> n.startsWith(".trash-epoch-0001-"));
        try (PreparedRun run = LPL.runFactory().resume(LPL.configLoader(), dir)) {
            assertThat(names(dir.resolve("checkpoints"))).containsExactly("best", "epoch-0002");
            assertThat(names(tmp)).containsExactly("run");
            assertThat(run.resumeNotes()).anyMatch(n -> n.contains(".tmp-epoch-0009"))
                    .anyMatch(n -> n.contains(".run.tmp-0123"));
            run.run(TrainingProgress.NONE);
        }
        assertSameResult(dir, "prune");
    }

    static void assertSameResult(Path dir, String what) throws IOException {
        assertThat(metrics(dir)).as("metrics.jsonl after %s", what).isEqualTo(metrics(straight));
        assertThat(summary(dir)).as("summary.json after %s", what).isEqualTo(summary(straight));
        assertThat(epoch(dir.resolve("checkpoints/best"))).as("best epoch after %s", what)
                .isEqualTo(epoch(straight.resolve("checkpoints/best")));
        assertThat(arrays(dir.resolve("checkpoints/best/model.npz"))).as("best weights after %s", what)
                .isEqualTo(arrays(straight.resolve("checkpoints/best/model.npz")));
        assertThat(arrays(dir.resolve("checkpoints/epoch-0003/model.npz"))).as("final weights after %s", what)
                .isEqualTo(arrays(straight.resolve("checkpoints/epoch-0003/model.npz")));
        assertThat(arrays(dir.resolve("checkpoints/epoch-0003/optimizer.npz"))).as("final optimizer after %s", what)
                .isEqualTo(arrays(straight.resolve("checkpoints/epoch-0003/optimizer.npz")));
        assertThat(names(dir.resolve("checkpoints"))).as("checkpoints after %s", what)
                .isEqualTo(names(straight.resolve("checkpoints")));
        assertThat(names(dir)).as("run directory after %s", what).isEqualTo(names(straight));
    }

    static List<JsonNode> metrics(Path dir) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"))) {
            ObjectNode node = (ObjectNode) Json.mapper().readTree(line);
            TIMING.forEach(node::remove);
            out.add(node);
        }
        return out;
    }

    static JsonNode summary(Path dir) throws IOException {
        ObjectNode node = (ObjectNode) Json.mapper().readTree(dir.resolve("summary.json").toFile());
        node.remove("time");
        return node;
    }

    static int epoch(Path checkpoint) throws IOException {
        return Json.mapper().readTree(checkpoint.resolve("state.json").toFile()).get("epoch").asInt();
    }

    /** The arrays of an .npz file, by name, as float lists (so equal arrays compare equal). */
    static Map<String, List<Float>> arrays(Path npz) {
        Map<String, List<Float>> out = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager(); InputStream in = Files.newInputStream(npz)) {
            if (Files.size(npz) <= 22) {
                return out;
            }
            for (NDArray array : NDList.decode(manager, in)) {
                List<Float> values = new ArrayList<>();
                for (float v : array.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray()) {
                    values.add(v);
                }
                out.put(array.getName() + array.getShape(), values);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static List<String> names(Path dir) throws IOException {
        return list(dir).stream().map(p -> p.getFileName().toString()).toList();
    }

    static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        }
    }
}
