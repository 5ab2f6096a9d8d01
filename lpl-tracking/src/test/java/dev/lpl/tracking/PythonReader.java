package dev.lpl.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs {@code src/test/python/check_tfevents.py}, the independent reader of TensorBoard event
 * files, with a Python 3 that has the protobuf runtime (Debian's {@code python3-protobuf}). Without
 * one the test is skipped with a message, except under CI ({@code CI=true}), where it fails.
 */
final class PythonReader {

    private static final Path SCRIPT = Path.of("src/test/python/check_tfevents.py").toAbsolutePath();
    private static String python;

    private PythonReader() {}

    /**
     * Checks event files and returns the reader's summary line.
     *
     * @param args the script's arguments
     * @return its output, which starts with {@code OK}
     */
    static String check(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python(), SCRIPT.toString()));
        command.addAll(List.of(args));
        Result r = run(command);
        assertThat(r.exit).as("check_tfevents.py said:%n%s", r.output).isZero();
        assertThat(r.output).startsWith("OK ");
        return r.output.strip();
    }

    private static synchronized String python() throws IOException, InterruptedException {
        if (python == null) {
            // the first python3 on PATH (a pyenv, a venv) may lack the Debian package's module
            for (String candidate : List.of("python3", "/usr/bin/python3")) {
                try {
                    if (run(List.of(candidate, "-c", "import google.protobuf")).exit == 0) {
                        python = candidate;
                        break;
                    }
                } catch (IOException e) {
                    // not installed
                }
            }
            if (python == null) {
                String message = "no python3 with the protobuf module (apt-get install python3-protobuf);"
                        + " the independent TensorBoard reader cannot run";
                if ("true".equals(System.getenv("CI"))) {
                    fail(message);
                }
                Assumptions.abort(message);
            }
        }
        return python;
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("python did not finish: " + command);
        }
        return new Result(p.exitValue(), output);
    }
}
