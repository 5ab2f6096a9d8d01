package dev.lpl.runner.sweep;

import dev.lpl.api.LplException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few Slurm commands a sweep needs ({@code sbatch}, {@code squeue}, {@code scontrol},
 * {@code scancel}), behind an interface so that tests can fake a cluster. Accounting
 * ({@code sacct}) is not used: many small clusters run without its database, and a job array's
 * tasks are tracked from {@code squeue} while they are queued or running and from the run
 * directories once they have left it.
 */
public interface Slurm {

    /**
     * Submits a batch script as a job array: {@code sbatch --parsable --array=ARRAY SCRIPT}.
     *
     * @param script the batch script
     * @param array the array specification, e.g. {@code 0-3%2} or {@code 1,3%2}
     * @return the array's job id
     * @throws LplException when sbatch fails (its message)
     */
    String submit(Path script, String array);

    /**
     * The array tasks of a job still in the queue: {@code squeue -h -r -j JOB -o "%i %T"}.
     *
     * @param jobId the array's job id
     * @return array index to state ({@code PENDING}, {@code RUNNING}, {@code COMPLETING}, ...); empty
     *     when the job has left the queue or is unknown
     */
    Map<Integer, String> queued(String jobId);

    /**
     * The state Slurm last recorded for one array task: {@code JobState} of
     * {@code scontrol show job JOB_INDEX} (kept for {@code MinJobAge} seconds after the task ends).
     *
     * @param jobId the array's job id
     * @param index the array index
     * @return e.g. {@code COMPLETED}, {@code CANCELLED}, {@code PREEMPTED}, {@code FAILED}, or
     *     {@code UNKNOWN} when Slurm no longer knows the task
     */
    String lastState(String jobId, int index);

    /**
     * Cancels a job or one array task: {@code scancel ID}.
     *
     * @param id a job id, or {@code JOB_INDEX}
     */
    void cancel(String id);

    /**
     * The real commands, found on the {@code PATH}.
     *
     * @return the commands
     */
    static Slurm commands() {
        return new Commands();
    }

    /** {@link Slurm} through the command-line tools. */
    final class Commands implements Slurm {

        private static final Pattern STATE = Pattern.compile("\\bJobState=(\\S+)");

        private Commands() {}

        @Override
        public String submit(Path script, String array) {
            Output r = run(List.of("sbatch", "--parsable", "--array=" + array, script.toString()));
            if (r.code != 0) {
                throw new LplException("sbatch failed (exit " + r.code + "): " + oneLine(r.text));
            }
            String id = r.text.strip();
            id = id.lines().reduce((a, b) -> b).orElse("").split(";")[0].strip(); // "ID" or "ID;cluster"
            if (!id.matches("\\d+")) {
                throw new LplException("sbatch printed no job id: " + oneLine(r.text));
            }
            return id;
        }

        @Override
        public Map<Integer, String> queued(String jobId) {
            Output r = run(List.of("squeue", "-h", "-r", "-j", jobId, "-o", "%i %T"));
            Map<Integer, String> tasks = new LinkedHashMap<>();
            if (r.code != 0) {
                // "Invalid job id specified": the whole array has left the queue
                if (r.text.contains("Invalid job id")) {
                    return tasks;
                }
                throw new LplException("squeue failed (exit " + r.code + "): " + oneLine(r.text));
            }
            for (String line : r.text.split("\n")) {
                String[] parts = line.strip().split("\\s+");
                if (parts.length == 2 && parts[0].startsWith(jobId + "_")) {
                    String index = parts[0].substring(jobId.length() + 1);
                    if (index.matches("\\d+")) {
                        tasks.put(Integer.parseInt(index), parts[1]);
                    }
                }
            }
            return tasks;
        }

        @Override
        public String lastState(String jobId, int index) {
            Output r = run(List.of("scontrol", "show", "job", jobId + "_" + index));
            Matcher m = STATE.matcher(r.text);
            return r.code == 0 && m.find() ? m.group(1) : "UNKNOWN";
        }

        @Override
        public void cancel(String id) {
            Output r = run(List.of("scancel", id));
            if (r.code != 0) {
                throw new LplException("scancel " + id + " failed (exit " + r.code + "): " + oneLine(r.text));
            }
        }

        private record Output(int code, String text) {}

        private static Output run(List<String> command) {
            try {
                Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
                p.getOutputStream().close();
                String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(2, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new LplException(command.get(0) + " did not answer within 2 minutes");
                }
                return new Output(p.exitValue(), text);
            } catch (IOException e) {
                throw new LplException("cannot run " + command.get(0) + " (is Slurm installed and on the PATH?): "
                        + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LplException("interrupted while running " + command.get(0), e);
            }
        }

        private static String oneLine(String text) {
            return text.strip().replace('\n', ' ');
        }
    }
}
