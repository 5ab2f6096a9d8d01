package dev.lpl.runner.sweep;

import static java.util.Objects.requireNonNull;

import dev.lpl.core.rundir.RunStatus;
import dev.lpl.api.LplException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs a sweep as one Slurm job array: one array task per run of the grid, each an
 * {@code lpl train} process on a compute node writing the same run directory the
 * {@link LocalExecutor} writes.
 *
 * <p>It writes {@code OUTPUT_ROOT/slurm/sweep.sbatch} (the batch script) and
 * {@code OUTPUT_ROOT/slurm/tasks.txt} (line {@code i+1}: the {@code lpl train} arguments of array
 * task {@code i}, shell-quoted). At run time, the script starts the task with
 * {@code train --resume RUN_DIR} when its run directory already holds a run (a preempted, cancelled
 * or failed attempt), else with the fresh arguments; it refuses to resume a run whose
 * {@code result_fingerprint} is not the one line {@code i+1} of {@code OUTPUT_ROOT/slurm/fingerprints.txt}
 * names (a run of another configuration: {@code lpl sweep} checks every cell before it submits, this
 * guards what happens after). It submits the runs that are to run with
 * {@code sbatch --array=INDICES%K}, polls {@code squeue} until they have left the queue, and
 * resubmits a task that left without a completed run (again as an array, of just those indices)
 * at most {@code maxRetries} times. A run whose {@code summary.json} says {@code failed} (a NaN
 * loss, a configuration error) is not resubmitted: resuming would fail again.
 *
 * <p>Its state goes to {@link SlurmState} after every change, so that a second invocation adopts
 * tasks still queued or running instead of submitting them again. The runner jar (the launcher's
 * class path), the output root and the base experiment file must be on storage that every compute
 * node sees at the same path.
 */
public final class SlurmExecutor {

    /**
     * Submission settings.
     *
     * @param jobName the array's {@code --job-name}
     * @param partition {@code --partition}, or null for the cluster's default
     * @param gpusPerRun {@code --gres=gpu:N} when &gt; 0
     * @param time {@code --time} (e.g. {@code 12:00:00}), or null for the partition's default
     * @param maxParallel array tasks running at once ({@code %K})
     * @param cpusPerTask {@code --cpus-per-task} (the runs' {@code training.threads})
     * @param maxRetries resubmissions of a task that left the queue without completing
     * @param poll the interval between two looks at the queue
     */
    public record Options(String jobName, String partition, int gpusPerRun, String time, int maxParallel,
                          int cpusPerTask, int maxRetries, Duration poll) {

        /** Checks the values. */
        public Options {
            requireNonNull(jobName, "jobName is null");
            requireNonNull(poll, "poll is null");
            if (maxParallel < 1 || cpusPerTask < 1 || gpusPerRun < 0 || maxRetries < 0) {
                throw new LplException("--max-parallel and the threads per run must be >= 1, --gpus-per-run and"
                        + " --max-retries >= 0");
            }
            if (time != null && !time.matches("(\\d+-)?\\d+(:\\d{1,2}){0,2}")) {
                throw new LplException("--time " + time + " is not a Slurm time limit; use H:M:S, M, or D-H:M:S");
            }
            if (partition != null && !partition.matches("[A-Za-z0-9_.,-]+")) {
                throw new LplException("--partition " + partition + " is not a partition name");
            }
        }
    }

    /**
     * How a run's array task ended.
     *
     * @param task the task
     * @param completed whether its run directory holds a completed run
     * @param outcome a few words: {@code completed}, {@code failed (summary.json)}, {@code gave up
     *     after 3 attempts (last: CANCELLED)}, {@code still queued}
     * @param attempts how many times it was submitted
     */
    public record Result(LocalExecutor.Task task, boolean completed, String outcome, int attempts) {}

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./=:,+@%-]+");

    private final Slurm slurm;
    private final Options options;
    private final List<String> launcher;
    private final Path outputRoot;

    /**
     * Creates an executor.
     *
     * @param slurm the Slurm commands
     * @param options submission settings
     * @param launcher the command that starts {@code lpl} on a node (absolute paths; see
     *     {@link #selfLauncher()})
     * @param outputRoot the sweep's output root (made absolute)
     */
    public SlurmExecutor(Slurm slurm, Options options, List<String> launcher, Path outputRoot) {
        this.slurm = requireNonNull(slurm, "slurm is null");
        this.options = requireNonNull(options, "options is null");
        this.launcher = List.copyOf(requireNonNull(launcher, "launcher is null"));
        this.outputRoot = requireNonNull(outputRoot, "outputRoot is null").toAbsolutePath().normalize();
    }

    /**
     * The command that starts this very {@code lpl} on a compute node: this Java
     * ({@code java.home}), {@code -jar} the runner jar when the class path is that one jar, else
     * {@code -cp} the class path (made absolute) and the main class.
     *
     * @return the launcher command
     */
    public static List<String> selfLauncher() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
        if (entries.size() == 1 && entries.get(0).endsWith(".jar")) {
            return List.of(java, "-jar", entries.get(0));
        }
        return List.of(java, "-cp", String.join(File.pathSeparator, entries), "dev.lpl.runner.Main");
    }

    /**
     * The batch script.
     *
     * @return {@code OUTPUT_ROOT/slurm/sweep.sbatch}
     */
    public Path script() {
        return outputRoot.resolve("slurm").resolve("sweep.sbatch");
    }

    /**
     * The task list.
     *
     * @return {@code OUTPUT_ROOT/slurm/tasks.txt}
     */
    public Path taskList() {
        return outputRoot.resolve("slurm").resolve("tasks.txt");
    }

    /**
     * The fingerprints that the array tasks may resume.
     *
     * @return {@code OUTPUT_ROOT/slurm/fingerprints.txt}
     */
    public Path fingerprintList() {
        return outputRoot.resolve("slurm").resolve("fingerprints.txt");
    }

    /**
     * Writes the batch script and the task list of every run of the grid, without fingerprints
     * (the tasks resume any run they find).
     *
     * @param tasks every run of the grid, in order, with its fresh {@code lpl train} arguments
     *     (absolute {@code --out})
     */
    public void write(List<LocalExecutor.Task> tasks) {
        write(tasks, Map.of());
    }

    /**
     * Writes the batch script, the task list and the fingerprint list of every run of the grid
     * (array index = position in the grid, so the indices stay the same when the command is run
     * again).
     *
     * @param tasks every run of the grid, in order, with its fresh {@code lpl train} arguments
     *     (absolute {@code --out})
     * @param fingerprints by run name: the {@code result_fingerprint} a task may resume (the run the
     *     sweep checked, or the one the task starts); a task without one resumes any run
     */
    public void write(List<LocalExecutor.Task> tasks, Map<String, String> fingerprints) {
        requireNonNull(fingerprints, "fingerprints is null");
        StringBuilder lines = new StringBuilder();
        StringBuilder prints = new StringBuilder();
        for (LocalExecutor.Task task : tasks) {
            lines.append(quote(task.arguments())).append('\n');
            prints.append(fingerprints.getOrDefault(task.run().name(), "")).append('\n');
        }
        try {
            Files.createDirectories(script().getParent());
            Files.createDirectories(outputRoot.resolve("logs"));
            Files.writeString(taskList(), lines.toString());
            Files.writeString(fingerprintList(), prints.toString());
            Files.writeString(script(), scriptText(tasks.size()));
            script().toFile().setExecutable(true);
        } catch (IOException e) {
            throw new LplException("cannot write the Slurm batch script in " + script().getParent() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The batch script of an array of {@code n} tasks. */
    String scriptText(int n) {
        StringBuilder s = new StringBuilder();
        s.append("#!/usr/bin/env bash\n");
        s.append("# Generated by lpl sweep --executor slurm: array task i runs line i+1 of tasks.txt.\n");
        s.append("#SBATCH --job-name=").append(options.jobName()).append('\n');
        s.append("#SBATCH --array=0-").append(n - 1).append('%').append(options.maxParallel()).append('\n');
        s.append("#SBATCH --output=").append(outputRoot.resolve("logs")).append("/%A_%a.log\n");
        s.append("#SBATCH --cpus-per-task=").append(options.cpusPerTask()).append('\n');
        s.append("#SBATCH --ntasks=1\n");
        if (options.partition() != null) {
            s.append("#SBATCH --partition=").append(options.partition()).append('\n');
        }
        if (options.gpusPerRun() > 0) {
            s.append("#SBATCH --gres=gpu:").append(options.gpusPerRun()).append('\n');
        }
        if (options.time() != null) {
            s.append("#SBATCH --time=").append(options.time()).append('\n');
        }
        s.append("set -euo pipefail\n");
        s.append("# DJL must never phone home.\n");
        s.append("export OPT_OUT_TRACKING=true DJL_OFFLINE=true\n");
        s.append("i=${SLURM_ARRAY_TASK_ID:?submit this script with sbatch --array}\n");
        s.append("line=$(sed -n \"$((i + 1))p\" ").append(quote(taskList().toString())).append(")\n");
        s.append("[ -n \"$line\" ] || { echo \"no task $i in tasks.txt\" >&2; exit 2; }\n");
        s.append("eval \"set -- $line\"\n");
        s.append("dir=; prev=\n");
        s.append("for a in \"$@\"; do [ \"$prev\" = --out ] && dir=$a; prev=$a; done\n");
        s.append("# A run directory that already holds a run (a preempted, cancelled or failed attempt) is resumed,\n");
        s.append("# unless it ran another configuration than the sweep's (its manifest's result_fingerprint).\n");
        s.append("if [ -f \"$dir/resolved.conf\" ]; then\n");
        s.append("  want=$(sed -n \"$((i + 1))p\" ").append(quote(fingerprintList().toString()))
                .append(" 2>/dev/null || true)\n");
        s.append("  have=$(sed -n 's/.*\"result_fingerprint\" *: *\"\\([0-9a-f]*\\)\".*/\\1/p' \"$dir/manifest.json\""
                + " 2>/dev/null || true)\n");
        s.append("  if [ -n \"$want\" ] && [ -n \"$have\" ] && [ \"$want\" != \"$have\" ]; then\n");
        s.append("    echo \"lpl sweep task $i: $dir holds a run of another configuration (result_fingerprint $have,")
                .append(" the sweep expects $want); not resuming it: run lpl sweep -c again, it names the changed")
                .append(" keys\" >&2\n");
        s.append("    exit 2\n");
        s.append("  fi\n");
        s.append("  set -- train --resume \"$dir\" --progress lines\n");
        s.append("fi\n");
        s.append("echo \"lpl sweep task $i on $(hostname), job ${SLURM_ARRAY_JOB_ID:-?}_$i: lpl $*\"\n");
        s.append("exec ").append(quote(launcher)).append(" \"$@\"\n");
        return s.toString();
    }

    /**
     * Submits the runs to run, tracks them until they have left the queue and resubmits the ones
     * that did not complete.
     *
     * @param all every run of the grid, in order (the same list as given to {@link #write})
     * @param toRun the names of the runs to run (the others are completed or failed)
     * @param stopRequested polled while waiting; when true, the tracking ends (the jobs keep running)
     * @param log progress lines (submissions, resubmissions)
     * @param finished called as each task ends
     * @return the results of the runs to run, in grid order ({@code still queued} when stopped)
     */
    public List<Result> run(List<LocalExecutor.Task> all, Set<String> toRun, BooleanSupplier stopRequested,
                            Consumer<String> log, Consumer<Result> finished) {
        return run(all, toRun, Map.of(), stopRequested, log, finished);
    }

    /**
     * Submits the runs to run, tracks them until they have left the queue and resubmits the ones
     * that did not complete; a task is neither resumed nor resubmitted onto a run whose
     * {@code result_fingerprint} differs from the one given.
     *
     * @param all every run of the grid, in order (the same list as given to {@link #write})
     * @param toRun the names of the runs to run (the others are completed or failed)
     * @param fingerprints by run name: the {@code result_fingerprint} its task may resume (see
     *     {@link #write(List, Map)})
     * @param stopRequested polled while waiting; when true, the tracking ends (the jobs keep running)
     * @param log progress lines (submissions, resubmissions)
     * @param finished called as each task ends
     * @return the results of the runs to run, in grid order ({@code still queued} when stopped)
     */
    public List<Result> run(List<LocalExecutor.Task> all, Set<String> toRun, Map<String, String> fingerprints,
                            BooleanSupplier stopRequested, Consumer<String> log, Consumer<Result> finished) {
        write(all, fingerprints);
        SlurmState state = SlurmState.read(outputRoot);
        fingerprints.forEach(state::expect);
        Map<String, Integer> index = new LinkedHashMap<>();
        Map<String, LocalExecutor.Task> byName = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            index.put(all.get(i).run().name(), i);
            byName.put(all.get(i).run().name(), all.get(i));
        }
        // Tasks of an earlier invocation that are still queued or running are tracked, not submitted.
        Map<String, Map<Integer, String>> queues = new HashMap<>();
        List<String> tracked = new ArrayList<>();
        List<String> submit = new ArrayList<>();
        for (String name : index.keySet()) {
            if (!toRun.contains(name)) {
                state.status(name, index.get(name), RunState.of(byName.get(name).run().directory()));
                continue;
            }
            SlurmState.Task old = state.task(name);
            String queued = old == null || old.job() == null ? null
                    : queues.computeIfAbsent(old.job(), slurm::queued).get(old.index());
            if (queued != null && old.index() == index.get(name)) {
                log.accept("  " + name + ": " + old.slurmId() + " is still " + queued.toLowerCase(Locale.ROOT)
                        + "; tracking it");
                state.status(name, old.index(), queued.toLowerCase(Locale.ROOT));
                tracked.add(name);
            } else {
                submit.add(name);
            }
        }
        Map<String, Integer> retries = new HashMap<>();
        submit(submit, index, state, log, "submitted");
        tracked.addAll(submit);
        tracked.sort(java.util.Comparator.comparing(index::get));
        state.write(outputRoot);
        Map<String, Result> results = new LinkedHashMap<>();
        try {
            while (!tracked.isEmpty()) {
                if (sleep(stopRequested)) {
                    break;
                }
                queues.clear();
                List<String> again = new ArrayList<>();
                for (String name : new ArrayList<>(tracked)) {
                    SlurmState.Task task = state.task(name);
                    String queued = queues.computeIfAbsent(task.job(), slurm::queued).get(task.index());
                    if (queued != null) {
                        state.status(name, task.index(), queued.toLowerCase(Locale.ROOT));
                        continue;
                    }
                    LocalExecutor.Task t = byName.get(name);
                    String run = RunState.of(t.run().directory());
                    if (run.equals("completed") || run.equals("failed")) {
                        tracked.remove(name);
                        state.status(name, task.index(), run);
                        Result r = new Result(t, run.equals("completed"),
                                run.equals("completed") ? "completed" : "failed (see its summary.json)", task.attempts());
                        results.put(name, r);
                        finished.accept(r);
                        continue;
                    }
                    String last = slurm.lastState(task.job(), task.index());
                    int retry = retries.getOrDefault(name, 0);
                    String want = fingerprints.getOrDefault(name, "");
                    String have = CellCheck.recordedFingerprint(t.run().directory());
                    if (!want.isEmpty() && !have.isEmpty() && !want.equals(have)) {
                        // the batch script refused to resume it (or someone put another run there)
                        tracked.remove(name);
                        state.status(name, task.index(), "other config");
                        Result r = new Result(t, false, "not resumed: " + t.run().directory() + " holds a run of"
                                + " another configuration (last: " + last + ")", task.attempts());
                        results.put(name, r);
                        finished.accept(r);
                    } else if (retry < options.maxRetries()) {
                        retries.put(name, retry + 1);
                        log.accept(String.format(Locale.ROOT, "  %s: %s left the queue (%s) without completing;"
                                + " resubmitting with --resume (retry %d of %d)", name, task.slurmId(), last,
                                retry + 1, options.maxRetries()));
                        again.add(name);
                    } else {
                        tracked.remove(name);
                        state.status(name, task.index(), "incomplete");
                        Result r = new Result(t, false, "gave up after " + task.attempts() + " attempt"
                                + (task.attempts() == 1 ? "" : "s") + " (last: " + last + ")", task.attempts());
                        results.put(name, r);
                        finished.accept(r);
                    }
                }
                submit(again, index, state, log, "resubmitted");
                state.write(outputRoot);
            }
        } finally {
            state.write(outputRoot);
        }
        List<Result> ordered = new ArrayList<>();
        for (String name : index.keySet()) {
            if (toRun.contains(name)) {
                SlurmState.Task task = state.task(name);
                ordered.add(results.getOrDefault(name,
                        new Result(byName.get(name), false, "still queued", task == null ? 0 : task.attempts())));
            }
        }
        return ordered;
    }

    private void submit(List<String> names, Map<String, Integer> index, SlurmState state, Consumer<String> log,
                        String verb) {
        if (names.isEmpty()) {
            return;
        }
        String array = ranges(names.stream().map(index::get).sorted().toList()) + "%" + options.maxParallel();
        String job = slurm.submit(script(), array);
        Map<String, Integer> submitted = new LinkedHashMap<>();
        names.forEach(n -> submitted.put(n, index.get(n)));
        state.submitted(job, submitted);
        log.accept(String.format(Locale.ROOT, "  %s job array %s (--array=%s): %s", verb, job, array,
                String.join(", ", names)));
    }

    /**
     * An array specification of indices: consecutive ones as ranges ({@code 0-3,5,7-8}).
     *
     * @param indices the indices, ascending
     * @return the specification without the {@code %K} throttle
     */
    public static String ranges(List<Integer> indices) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < indices.size(); ) {
            int j = i;
            while (j + 1 < indices.size() && indices.get(j + 1) == indices.get(j) + 1) {
                j++;
            }
            s.append(s.length() == 0 ? "" : ",").append(indices.get(i));
            if (j > i) {
                s.append('-').append(indices.get(j));
            }
            i = j + 1;
        }
        return s.toString();
    }

    /** Waits one poll interval; true when a stop was requested. */
    private boolean sleep(BooleanSupplier stopRequested) {
        long end = System.nanoTime() + options.poll().toNanos();
        do {
            if (stopRequested.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(Math.max(0, Math.min(200, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        } while (System.nanoTime() < end);
        return stopRequested.getAsBoolean();
    }

    /**
     * The progress of a submitted sweep ({@code lpl sweep --status ROOT}): every run of its
     * {@code state.json} with its status (pending or running while queued, else what its run directory
     * says), its attempts and the Slurm id of its latest attempt.
     *
     * @param slurm the Slurm commands (null: the queue is not asked)
     * @param outputRoot the sweep's output root
     * @return the report, one line per run after a header
     * @throws LplException if the directory holds no Slurm sweep
     */
    public static String status(Slurm slurm, Path outputRoot) {
        SlurmState state = SlurmState.read(outputRoot);
        if (state.isEmpty()) {
            throw new LplException(outputRoot + " holds no Slurm sweep (no " + SlurmState.file(outputRoot)
                    + "); --status shows sweeps started with --executor slurm");
        }
        Map<String, Map<Integer, String>> queues = new HashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<String[]> rows = new ArrayList<>();
        String queueProblem = null;
        for (Map.Entry<String, SlurmState.Task> e : state.tasks().entrySet()) {
            SlurmState.Task t = e.getValue();
            String status = null;
            if (slurm != null && t.job() != null && queueProblem == null) {
                try {
                    status = queues.computeIfAbsent(t.job(), slurm::queued).get(t.index());
                } catch (LplException ex) {
                    queueProblem = ex.getMessage();
                }
            }
            Path dir = outputRoot.resolve(e.getKey());
            String expected = state.expected(e.getKey());
            String recorded = RunState.of(dir).equals("new") ? "" : CellCheck.recordedFingerprint(dir);
            if (status != null) {
                status = status.toLowerCase(Locale.ROOT);
            } else if (!expected.isEmpty() && !recorded.isEmpty() && !expected.equals(recorded)) {
                status = "other config"; // its directory holds a run the sweep would not reuse
            } else {
                String run = RunState.of(dir);
                boolean stopped = RunState.summaryStatus(dir).orElse(null) == RunStatus.STOPPED;
                status = switch (run) {
                    case "new" -> t.job() == null ? "not submitted" : "not started";
                    case "resumable" -> stopped ? "stopped" : "incomplete";
                    default -> run;
                };
            }
            counts.merge(status, 1, Integer::sum);
            int retriesDone = Math.max(0, t.attempts() - 1);
            rows.add(new String[] {e.getKey(), status, String.valueOf(t.attempts()), String.valueOf(retriesDone),
                t.slurmId().isEmpty() ? "—" : t.slurmId()});
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "sweep %s: %s (%s); Slurm jobs %s%n", outputRoot,
                dev.lpl.runner.Plural.of(rows.size(), "run"),
                counts.entrySet().stream().map(c -> c.getValue() + " " + c.getKey()).collect(Collectors.joining(", ")),
                String.join(", ", state.jobs())));
        int width = Math.max(3, rows.stream().mapToInt(r -> r[0].length()).max().orElse(3));
        String format = "  %-" + width + "s  %-13s  %8s  %7s  %s%n";
        s.append(String.format(Locale.ROOT, format, "run", "status", "attempts", "retries", "latest task"));
        for (String[] r : rows) {
            s.append(String.format(Locale.ROOT, format, (Object[]) r));
        }
        if (queueProblem != null) {
            s.append("(the queue could not be read: ").append(queueProblem).append(")").append(System.lineSeparator());
        }
        return s.toString();
    }

    /**
     * The runs, among some, whose latest array task (in the sweep's {@code state.json}) is still
     * queued or running.
     *
     * @param slurm the Slurm commands
     * @param outputRoot the sweep's output root
     * @param names the runs to look at
     * @return run name to Slurm id ({@code JOB_INDEX}), in the order given; empty when none is queued
     */
    public static Map<String, String> stillQueued(Slurm slurm, Path outputRoot, List<String> names) {
        SlurmState state = SlurmState.read(outputRoot.toAbsolutePath().normalize());
        Map<String, Map<Integer, String>> queues = new HashMap<>();
        Map<String, String> queued = new LinkedHashMap<>();
        for (String name : names) {
            SlurmState.Task task = state.task(name);
            if (task != null && task.job() != null
                    && queues.computeIfAbsent(task.job(), slurm::queued).containsKey(task.index())) {
                queued.put(name, task.slurmId());
            }
        }
        return queued;
    }

    /** Shell-quotes words (single quotes unless a word is plainly safe). */
    static String quote(List<String> words) {
        return words.stream().map(SlurmExecutor::quote).collect(Collectors.joining(" "));
    }

    static String quote(String word) {
        return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
