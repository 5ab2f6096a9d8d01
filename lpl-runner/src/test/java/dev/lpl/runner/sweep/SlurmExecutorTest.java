package dev.lpl.runner.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lpl.api.LplException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Slurm executor against a fake cluster: no Slurm needed. */
class SlurmExecutorTest {

    /**
     * A cluster that runs every queued task at the next look at the queue: {@code behaviour} gets the
     * run directory and the attempt (1, 2, ...) and writes what the task would have written.
     */
    static final class FakeSlurm implements Slurm {
        final List<String> arrays = new ArrayList<>();
        final Map<String, Map<Integer, String>> queue = new LinkedHashMap<>();
        final Map<Integer, Integer> attempts = new TreeMap<>();
        final Map<Integer, Path> dirs = new TreeMap<>();
        BiConsumer<Path, Integer> behaviour = (dir, attempt) -> complete(dir);
        boolean runs = true;
        int next = 40;

        @Override
        public String submit(Path script, String array) {
            assertThat(script).isRegularFile();
            arrays.add(array);
            String job = String.valueOf(next++);
            Map<Integer, String> tasks = new LinkedHashMap<>();
            for (String part : array.replaceFirst("%.*", "").split(",")) {
                String[] range = part.split("-");
                for (int i = Integer.parseInt(range[0]); i <= Integer.parseInt(range[range.length - 1]); i++) {
                    tasks.put(i, "PENDING");
                }
            }
            queue.put(job, tasks);
            return job;
        }

        @Override
        public Map<Integer, String> queued(String jobId) {
            Map<Integer, String> tasks = queue.getOrDefault(jobId, Map.of());
            Map<Integer, String> now = Map.copyOf(tasks);
            if (runs) {
                for (int i : List.copyOf(tasks.keySet())) {
                    int attempt = attempts.merge(i, 1, Integer::sum);
                    behaviour.accept(dirs.get(i), attempt);
                    tasks.remove(i);
                }
            }
            return now;
        }

        @Override
        public String lastState(String jobId, int index) {
            return "CANCELLED";
        }

        @Override
        public void cancel(String id) {}
    }

    static void complete(Path dir) {
        write(dir, "completed");
    }

    static void write(Path dir, String status) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("resolved.conf"), "lpl {}\n");
            Files.writeString(dir.resolve("summary.json"), "{\"status\":\"" + status + "\"}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<LocalExecutor.Task> grid(Path root, FakeSlurm slurm, String... names) {
        List<LocalExecutor.Task> tasks = new ArrayList<>();
        for (String name : names) {
            Path dir = root.resolve(name);
            slurm.dirs.put(tasks.size(), dir);
            tasks.add(new LocalExecutor.Task(new SweepRun(name, List.of("method.type=ce"), dir),
                    List.of("train", "--set", "method.type=la+lpl", "--set", "data.list=[1, 2]", "--set", "x=it's",
                            "--out", dir.toString(), "--progress", "none"), root.resolve("logs")));
        }
        return tasks;
    }

    private static SlurmExecutor executor(FakeSlurm slurm, Path root, int retries) {
        return new SlurmExecutor(slurm, new SlurmExecutor.Options("lpl-test", "gpu", 1, "02:00:00", 2, 3, retries,
                Duration.ZERO), List.of("/opt/java/bin/java", "-jar", "/shared/lpl-runner.jar"), root);
    }

    private static Set<String> names(List<LocalExecutor.Task> tasks) {
        Set<String> names = new java.util.LinkedHashSet<>();
        tasks.forEach(t -> names.add(t.run().name()));
        return names;
    }

    @Test
    void writesTheBatchScriptAndOneArgumentLinePerRun(@TempDir Path root) throws Exception {
        FakeSlurm slurm = new FakeSlurm();
        List<LocalExecutor.Task> tasks = grid(root, slurm, "a", "b", "c");
        SlurmExecutor executor = executor(slurm, root, 2);
        executor.write(tasks);
        String script = Files.readString(root.resolve("slurm/sweep.sbatch"));
        assertThat(script).startsWith("#!/usr/bin/env bash\n")
                .contains("#SBATCH --job-name=lpl-test\n", "#SBATCH --array=0-2%2\n",
                        "#SBATCH --output=" + root.toAbsolutePath() + "/logs/%A_%a.log\n", "#SBATCH --cpus-per-task=3\n",
                        "#SBATCH --partition=gpu\n", "#SBATCH --gres=gpu:1\n", "#SBATCH --time=02:00:00\n",
                        "export OPT_OUT_TRACKING=true DJL_OFFLINE=true\n",
                        "exec /opt/java/bin/java -jar /shared/lpl-runner.jar \"$@\"\n");
        List<String> lines = Files.readAllLines(root.resolve("slurm/tasks.txt"));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).isEqualTo("train --set method.type=la+lpl --set 'data.list=[1, 2]' --set 'x=it'\\''s'"
                + " --out " + root.resolve("b") + " --progress none");
    }

    @Test
    void theScriptStartsAFreshRunOrResumesOneAtRunTime(@TempDir Path root) throws Exception {
        FakeSlurm slurm = new FakeSlurm();
        List<LocalExecutor.Task> tasks = grid(root, slurm, "a", "b");
        // "echo" stands in for java: the task prints the lpl arguments it would run
        new SlurmExecutor(slurm, new SlurmExecutor.Options("t", null, 0, null, 1, 1, 2, Duration.ZERO),
                List.of("echo", "lpl"), root).write(tasks);
        String script = Files.readString(root.resolve("slurm/sweep.sbatch"));
        assertThat(script).doesNotContain("--partition", "--gres", "--time");
        assertThat(task(root, 1)).contains("lpl train --set method.type=la+lpl --set data.list=[1, 2] --set x=it's --out "
                + root.resolve("b") + " --progress none");
        write(root.resolve("b"), "stopped");
        assertThat(task(root, 1)).contains("lpl train --resume " + root.resolve("b") + " --progress lines");
        assertThat(task(root, 0)).contains("lpl train --set");
    }

    private static String task(Path root, int index) throws Exception {
        return task(root, index, 0);
    }

    private static String task(Path root, int index, int exitCode) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("slurm/sweep.sbatch").toString()).redirectErrorStream(true);
        pb.environment().put("SLURM_ARRAY_TASK_ID", String.valueOf(index));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(exitCode);
        return out;
    }

    /** A run directory whose manifest records a result fingerprint, with a summary of that status. */
    static void write(Path dir, String status, String fingerprint) {
        write(dir, status);
        try {
            Files.writeString(dir.resolve("manifest.json"), "{\n  \"run\" : \"x\",\n  \"result_fingerprint\" : \""
                    + fingerprint + "\",\n  \"config\" : { }\n}\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final String OLD = "a".repeat(64);
    private static final String NEW = "b".repeat(64);

    @Test
    void theScriptDoesNotResumeARunOfAnotherConfiguration(@TempDir Path root) throws Exception {
        FakeSlurm slurm = new FakeSlurm();
        List<LocalExecutor.Task> tasks = grid(root, slurm, "a", "b");
        new SlurmExecutor(slurm, new SlurmExecutor.Options("t", null, 0, null, 1, 1, 2, Duration.ZERO),
                List.of("echo", "lpl"), root).write(tasks, Map.of("a", OLD, "b", NEW));
        assertThat(Files.readAllLines(root.resolve("slurm/fingerprints.txt"))).containsExactly(OLD, NEW);
        write(root.resolve("a"), "stopped", OLD);
        write(root.resolve("b"), "stopped", OLD);
        assertThat(task(root, 0)).contains("lpl train --resume " + root.resolve("a") + " --progress lines");
        assertThat(task(root, 1, 2)).contains("lpl sweep task 1: " + root.resolve("b")
                + " holds a run of another configuration (result_fingerprint " + OLD + ", the sweep expects " + NEW
                + "); not resuming it").doesNotContain("lpl train");
    }

    @Test
    void aTaskWhoseDirectoryHoldsAnotherConfigurationIsNotResubmitted(@TempDir Path root) {
        FakeSlurm slurm = new FakeSlurm();
        List<LocalExecutor.Task> tasks = grid(root, slurm, "a", "b");
        // b's directory ends up with a run of another configuration (e.g. the base file was edited
        // and another invocation started it): the script refused to resume it
        slurm.behaviour = (dir, attempt) -> {
            if (dir.endsWith("b")) {
                write(dir, "running", OLD);
            } else {
                write(dir, "completed", NEW);
            }
        };
        List<SlurmExecutor.Result> results = executor(slurm, root, 2).run(tasks, names(tasks),
                Map.of("a", NEW, "b", NEW), () -> false, l -> {}, r -> {});
        assertThat(slurm.arrays).containsExactly("0-1%2");
        assertThat(results.get(0).completed()).isTrue();
        assertThat(results.get(1).completed()).isFalse();
        assertThat(results.get(1).outcome()).startsWith("not resumed: " + root.resolve("b")
                + " holds a run of another configuration");
        SlurmState state = SlurmState.read(root);
        assertThat(state.expected("b")).isEqualTo(NEW);
        assertThat(state.task("b").status()).isEqualTo("other config");
        assertThat(SlurmExecutor.status(slurm, root)).containsPattern("a\\s+completed\\s+1")
                .containsPattern("b\\s+other config\\s+1");
    }

    @Test
    void stillQueuedNamesTheTasksOfAnEarlierInvocationThatHaveNotLeftTheQueue(@TempDir Path root) {
        FakeSlurm slurm = new FakeSlurm();
        List<LocalExecutor.Task> tasks = grid(root, slurm, "a", "b", "c");
        slurm.runs = false;
        executor(slurm, root, 2).run(tasks, Set.of("a", "c"), () -> true, l -> {}, r -> {});
        assertThat(SlurmExecutor.stillQueued(slurm, root, List.of("a", "b", "c")))
                .containsExactly(Map.entry("a", "40_0"), Map.entry("c", "40_2"));
        slurm.queue.get("40").remove(0);
        assertThat(SlurmExecutor.stillQueued(slurm, root, List.of("a", "b"))).isEmpty();
    }

    @Test
    void submitsOneArrayAndTracksItUntilEveryRunCompleted(@TempDir Path root) {
        FakeSlurm slurm = new FakeSlurm();
        List<LocalExecutor.Task> tasks = grid(root, slurm, "a", "b", "c");
        List<String> log = new ArrayList<>();
        List<SlurmExecutor.Result> finished = new ArrayList<>();
        List<SlurmExecutor.Result> results = executor(slurm, root, 2).run(tasks, Set.of("a", "c"), () -> false,
                log::add, finished::add);
        assertThat(slurm.arrays).containsExactly("0,2%2");
        assertThat(results).extracting(SlurmExecutor.Result::completed).containsExactly(true, true);
        assertThat(results).extracting(r -> r.task().run().name()).containsExactly("a", "c");
        assertThat(finished).hasSize(2);
        SlurmState state = SlurmState.read(root);
        assertThat(state.jobs()).containsExactly("40");
        assertThat(state.task("a")).isEqualTo(new SlurmState.Task(0, 1, "40", "completed"));
        assertThat(state.task("c").slurmId()).isEqualTo("40_2");
    }

    @Test
    void aTaskThatLeftTheQueueUnfinishedIsResubmittedAlone(@TempDir Path root) {
        FakeSlurm slurm = new FakeSlurm();
        List<LocalExecutor.Task> tasks = grid(root, slurm, "a", "b");
        // b's first attempt is cancelled after its first checkpoint: its summary says running
        slurm.behaviour = (dir, attempt) -> write(dir, dir.endsWith("b") && attempt == 1 ? "running" : "completed");
        List<String> log = new ArrayList<>();
        List<SlurmExecutor.Result> results = executor(slurm, root, 2).run(tasks, names(tasks), () -> false,
                log::add, r -> {});
        assertThat(slurm.arrays).containsExactly("0-1%2", "1%2");
        assertThat(results).allMatch(SlurmExecutor.Result::completed);
        assertThat(results.get(1).attempts()).isEqualTo(2);
        assertThat(log).anyMatch(l -> l.contains("b: 40_1 left the queue (CANCELLED) without completing;"
                + " resubmitting with --resume (retry 1 of 2)"));
        assertThat(SlurmState.read(root).task("b")).isEqualTo(new SlurmState.Task(1, 2, "41", "completed"));
    }

    @Test
    void retriesAreBoundedAndFailedRunsAreNotRetried(@TempDir Path root) {
        FakeSlurm slurm = new FakeSlurm();
        List<LocalExecutor.Task> tasks = grid(root, slurm, "crash", "nan");
        slurm.behaviour = (dir, attempt) -> write(dir, dir.endsWith("nan") ? "failed" : "running");
        List<SlurmExecutor.Result> results = executor(slurm, root, 1).run(tasks, names(tasks), () -> false,
                l -> {}, r -> {});
        assertThat(slurm.arrays).containsExactly("0-1%2", "0%2");
        assertThat(results.get(0).completed()).isFalse();
        assertThat(results.get(0).outcome()).isEqualTo("gave up after 2 attempts (last: CANCELLED)");
        assertThat(results.get(1).outcome()).startsWith("failed");
        assertThat(results.get(1).attempts()).isEqualTo(1);
    }

    @Test
    void runningTheCommandAgainTracksQueuedTasksInsteadOfSubmittingThem(@TempDir Path root) {
        FakeSlurm slurm = new FakeSlurm();
        List<LocalExecutor.Task> tasks = grid(root, slurm, "a", "b");
        slurm.runs = false;
        List<SlurmExecutor.Result> first = executor(slurm, root, 2).run(tasks, names(tasks), () -> true,
                l -> {}, r -> {});
        assertThat(first).extracting(SlurmExecutor.Result::outcome).containsExactly("still queued", "still queued");
        assertThat(SlurmExecutor.status(slurm, root)).contains("2 runs (2 pending)")
                .containsPattern("a\\s+pending\\s+1\\s+0\\s+40_0");
        slurm.runs = true;
        List<String> log = new ArrayList<>();
        List<SlurmExecutor.Result> second = executor(slurm, root, 2).run(tasks, names(tasks), () -> false,
                log::add, r -> {});
        assertThat(slurm.arrays).containsExactly("0-1%2");
        assertThat(log).contains("  a: 40_0 is still pending; tracking it");
        assertThat(second).allMatch(SlurmExecutor.Result::completed);
        assertThat(SlurmExecutor.status(slurm, root)).contains("2 runs (2 completed)")
                .containsPattern("b\\s+completed\\s+1\\s+0\\s+40_1");
    }

    @Test
    void statusOfADirectoryWithoutASlurmSweepIsAUserError(@TempDir Path root) {
        assertThatThrownBy(() -> SlurmExecutor.status(new FakeSlurm(), root)).isInstanceOf(LplException.class)
                .hasMessageContaining("holds no Slurm sweep");
    }

    @Test
    void consecutiveIndicesAreSubmittedAsRanges() {
        assertThat(SlurmExecutor.ranges(List.of(0, 1, 2, 3))).isEqualTo("0-3");
        assertThat(SlurmExecutor.ranges(List.of(0, 2, 3, 4, 7, 9, 10))).isEqualTo("0,2-4,7,9-10");
        assertThat(SlurmExecutor.ranges(List.of(5))).isEqualTo("5");
    }

    @Test
    void badOptionsAreOneLineErrors() {
        assertThatThrownBy(() -> new SlurmExecutor.Options("t", null, 0, "two hours", 1, 1, 2, Duration.ZERO))
                .isInstanceOf(LplException.class).hasMessageContaining("--time two hours");
        assertThatThrownBy(() -> new SlurmExecutor.Options("t", null, 0, null, 0, 1, 2, Duration.ZERO))
                .isInstanceOf(LplException.class).hasMessageContaining("--max-parallel");
    }
}
