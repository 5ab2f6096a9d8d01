package dev.lpl.runner.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lpl.api.LplException;
import dev.lpl.core.run.AtomicFiles;
import dev.lpl.core.run.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Slurm sweep has submitted, persisted in {@code OUTPUT_ROOT/slurm/state.json} so that
 * {@code lpl sweep --status} can show it and running the same command again neither submits a
 * completed run nor one that is still queued or running:
 *
 * <pre>
 * {"jobs": ["41", "47"],
 *  "tasks": {"method-ce_seed-1": {"index": 0, "attempts": 2, "job": "47", "status": "running",
 *                                  "fingerprint": "3f9c…"}, ...}}
 * </pre>
 *
 * <p>{@code job} is the array of the task's latest attempt (its Slurm id is {@code JOB_INDEX});
 * {@code attempts} counts every submission of the task, over all invocations; {@code fingerprint}
 * is the {@code result_fingerprint} the sweep expects of the task's run (its {@code manifest.json}),
 * so that {@code --status} can tell a run of another configuration apart.
 */
public final class SlurmState {

    /**
     * One array task.
     *
     * @param index its array index (its line in {@code tasks.txt}, its position in the grid)
     * @param attempts how many times it was submitted
     * @param job the job id of its latest submission, or null
     * @param status the last status seen: pending, running, completed, failed, incomplete, ...
     */
    public record Task(int index, int attempts, String job, String status) {

        /**
         * This task's Slurm id.
         *
         * @return {@code JOB_INDEX}, or empty when never submitted
         */
        public String slurmId() {
            return job == null ? "" : job + "_" + index;
        }
    }

    private final List<String> jobs;
    private final Map<String, Task> tasks;
    private final Map<String, String> fingerprints;

    private SlurmState(List<String> jobs, Map<String, Task> tasks, Map<String, String> fingerprints) {
        this.jobs = jobs;
        this.tasks = tasks;
        this.fingerprints = fingerprints;
    }

    /**
     * The file of a sweep's state.
     *
     * @param outputRoot the sweep's output root
     * @return {@code OUTPUT_ROOT/slurm/state.json}
     */
    public static Path file(Path outputRoot) {
        return outputRoot.resolve("slurm").resolve("state.json");
    }

    /**
     * Reads a sweep's state; an empty one when the file does not exist.
     *
     * @param outputRoot the sweep's output root
     * @return the state
     * @throws LplException if the file is not readable
     */
    public static SlurmState read(Path outputRoot) {
        Path file = file(outputRoot);
        List<String> jobs = new ArrayList<>();
        Map<String, Task> tasks = new LinkedHashMap<>();
        Map<String, String> fingerprints = new LinkedHashMap<>();
        if (Files.isRegularFile(file)) {
            try {
                JsonNode root = Json.mapper().readTree(file.toFile());
                root.path("jobs").forEach(j -> jobs.add(j.asText()));
                for (Iterator<Map.Entry<String, JsonNode>> it = root.path("tasks").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode t = e.getValue();
                    tasks.put(e.getKey(), new Task(t.path("index").asInt(), t.path("attempts").asInt(),
                            t.hasNonNull("job") ? t.get("job").asText() : null, t.path("status").asText("")));
                    if (t.hasNonNull("fingerprint")) {
                        fingerprints.put(e.getKey(), t.get("fingerprint").asText());
                    }
                }
            } catch (IOException e) {
                throw new LplException(file + " is not a readable sweep state: " + e.getMessage(), e);
            }
        }
        return new SlurmState(jobs, tasks, fingerprints);
    }

    /**
     * Whether nothing was ever submitted.
     *
     * @return true without tasks
     */
    public boolean isEmpty() {
        return tasks.isEmpty();
    }

    /**
     * The job ids submitted, oldest first.
     *
     * @return the ids
     */
    public List<String> jobs() {
        return List.copyOf(jobs);
    }

    /**
     * The tasks, by run name.
     *
     * @return a read-only view
     */
    public Map<String, Task> tasks() {
        return java.util.Collections.unmodifiableMap(tasks);
    }

    /**
     * One task.
     *
     * @param name the run's name
     * @return its state, or null
     */
    public Task task(String name) {
        return tasks.get(name);
    }

    /**
     * Records a submission of runs as one job array.
     *
     * @param job the array's job id
     * @param submitted run name to array index
     */
    public void submitted(String job, Map<String, Integer> submitted) {
        jobs.add(job);
        submitted.forEach((name, index) -> {
            Task old = tasks.get(name);
            tasks.put(name, new Task(index, (old == null ? 0 : old.attempts()) + 1, job, "pending"));
        });
    }

    /**
     * Records a task's latest status.
     *
     * @param name the run's name
     * @param index its array index
     * @param status its status
     */
    public void status(String name, int index, String status) {
        Task old = tasks.get(name);
        tasks.put(name, old == null ? new Task(index, 0, null, status)
                : new Task(old.index(), old.attempts(), old.job(), status));
    }

    /**
     * Records the {@code result_fingerprint} the sweep expects of a task's run.
     *
     * @param name the run's name
     * @param fingerprint the fingerprint (64 hex digits)
     */
    public void expect(String name, String fingerprint) {
        fingerprints.put(java.util.Objects.requireNonNull(name, "name is null"),
                java.util.Objects.requireNonNull(fingerprint, "fingerprint is null"));
    }

    /**
     * The {@code result_fingerprint} the sweep expects of a task's run.
     *
     * @param name the run's name
     * @return the fingerprint; empty when none was recorded (a sweep of an older lpl)
     */
    public String expected(String name) {
        return fingerprints.getOrDefault(name, "");
    }

    /**
     * Writes the state (to a temporary file, then renamed over the old one).
     *
     * @param outputRoot the sweep's output root
     */
    public void write(Path outputRoot) {
        Path file = file(outputRoot);
        ObjectNode root = Json.mapper().createObjectNode();
        ArrayNode jobArray = root.putArray("jobs");
        jobs.forEach(jobArray::add);
        ObjectNode taskObject = root.putObject("tasks");
        tasks.forEach((name, t) -> {
            ObjectNode node = taskObject.putObject(name);
            node.put("index", t.index());
            node.put("attempts", t.attempts());
            node.put("job", t.job());
            node.put("status", t.status());
            if (fingerprints.containsKey(name)) {
                node.put("fingerprint", fingerprints.get(name));
            }
        });
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("state.json.tmp");
            Json.mapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
            AtomicFiles.move(tmp, file, true);
        } catch (IOException e) {
            throw new LplException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
