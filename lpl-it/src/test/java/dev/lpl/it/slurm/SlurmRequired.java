package dev.lpl.it.slurm;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs Slurm tests only where {@code sinfo} answers with a node that takes jobs. Outside CI they
 * are skipped with a message saying why; with {@code CI=true} a missing cluster fails the build
 * instead (CI starts one: {@code lpl-it/src/test/slurm/start-slurm.sh}, called by {@code .ci/run}).
 */
public final class SlurmRequired implements ExecutionCondition {

    private static Boolean available;
    private static String problem = "";
    private static boolean warned;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (slurmAvailable()) {
            return ConditionEvaluationResult.enabled("a Slurm cluster answers");
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but no Slurm cluster is available (" + problem
                    + "); the Slurm tests must run in CI: start one first (lpl-it/src/test/slurm/start-slurm.sh, see .ci/run)");
        }
        String why = "Slurm tests skipped: no Slurm cluster is available (" + problem
                + "); start one with lpl-it/src/test/slurm/start-slurm.sh (as root) to run them, or set CI=true to make"
                + " this a failure";
        warnOnce(why);
        return ConditionEvaluationResult.disabled(why);
    }

    private static synchronized void warnOnce(String why) {
        if (!warned) {
            warned = true;
            System.err.println("lpl-it: " + why);
        }
    }

    private static synchronized boolean slurmAvailable() {
        if (available == null) {
            available = false;
            try {
                Process p = new ProcessBuilder("sinfo", "-h", "-N", "-o", "%T").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    problem = "sinfo did not answer within 30 s";
                } else if (p.exitValue() != 0) {
                    problem = "sinfo failed: " + out.replace('\n', ' ');
                } else if (!out.matches("(?s).*\\b(idle|mixed|allocated)\\b.*")) {
                    problem = "no node takes jobs (sinfo: " + (out.isEmpty() ? "no nodes" : out.replace('\n', ' ')) + ")";
                } else {
                    available = true;
                }
            } catch (java.io.IOException e) {
                problem = "sinfo is not installed";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problem = "interrupted";
            }
        }
        return available;
    }
}
