package dev.lpl.runner.sweep;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs sweep tasks as {@code lpl} processes on this machine, {@code parallel} at a time, each
 * with its output in a log file. A stop request sends SIGTERM to the running processes (they write
 * a checkpoint and exit with status 3) and starts no new ones.
 */
public final class LocalExecutor {

    /**
     * One process to run.
     *
     * @param run the sweep run
     * @param arguments the {@code lpl} arguments (e.g. {@code train --out DIR ...})
     * @param log where its output goes (appended)
     */
    public record Task(SweepRun run, List<String> arguments, Path log) {}

    /**
     * How a task ended.
     *
     * @param task the task
     * @param exitCode the process's exit status (-1 if it was never started)
     * @param seconds its wall time
     */
    public record Result(Task task, int exitCode, double seconds) {}

    private final int parallel;
    private final List<String> launcher;
    private final Map<String, String> environment;

    /**
     * Creates an executor.
     *
     * @param parallel processes at a time
     * @param launcher the command that starts {@code lpl} (e.g. {@code java -cp CP dev.lpl.runner.Main})
     * @param environment extra environment variables of every process
     */
    public LocalExecutor(int parallel, List<String> launcher, Map<String, String> environment) {
        this.parallel = Math.max(1, parallel);
        this.launcher = List.copyOf(requireNonNull(launcher, "launcher is null"));
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    }

    /**
     * The command that starts this very {@code lpl} (same Java, same class path).
     *
     * @return the launcher command
     */
    public static List<String> selfLauncher() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.lpl.runner.Main");
    }

    /**
     * Runs the tasks.
     *
     * @param tasks the tasks, started in order
     * @param stopRequested polled while waiting; when true, running processes are sent SIGTERM
     * @param finished called (from worker threads) as each task ends
     * @return the results, in task order
     */
    public List<Result> run(List<Task> tasks, BooleanSupplier stopRequested, Consumer<Result> finished) {
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "lpl-sweep-worker");
            t.setDaemon(true);
            return t;
        });
        Map<Task, Process> running = new ConcurrentHashMap<>();
        List<Future<Result>> futures = new ArrayList<>();
        for (Task task : tasks) {
            futures.add(pool.submit(() -> {
                if (stopRequested.getAsBoolean()) {
                    return new Result(task, -1, 0);
                }
                long start = System.nanoTime();
                List<String> command = new ArrayList<>(launcher);
                command.addAll(task.arguments());
                Files.createDirectories(task.log().getParent());
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(task.log().toFile()));
                pb.environment().putAll(environment);
                Process process = pb.start();
                running.put(task, process);
                try {
                    int code = process.waitFor();
                    Result result = new Result(task, code, (System.nanoTime() - start) / 1e9);
                    finished.accept(result);
                    return result;
                } finally {
                    running.remove(task);
                }
            }));
        }
        pool.shutdown();
        boolean signalled = false;
        try {
            while (!pool.awaitTermination(200, TimeUnit.MILLISECONDS)) {
                if (!signalled && stopRequested.getAsBoolean()) {
                    signalled = true;
                    running.values().forEach(Process::destroy); // SIGTERM: checkpoint, exit 3
                }
            }
            List<Result> results = new ArrayList<>();
            for (Future<Result> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.values().forEach(Process::destroy);
            throw new IllegalStateException("interrupted while waiting for the sweep", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw new dev.lpl.api.LplException("cannot start an lpl process: " + io.getMessage(), io);
            }
            throw new IllegalStateException(cause);
        }
    }
}
