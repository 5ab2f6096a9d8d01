package dev.lpl.it.container;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs container tests only where a Docker engine answers. Outside CI they are skipped with a
 * message saying why; with {@code CI=true} a missing engine fails the build instead, because the
 * container tests must run there (Testcontainers' own {@code disabledWithoutDocker} would skip them
 * silently).
 */
public final class DockerRequired implements ExecutionCondition {

    private static Boolean available;
    private static String problem = "";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (dockerAvailable()) {
            return ConditionEvaluationResult.enabled("a Docker engine is available");
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but no Docker engine is available (" + problem
                    + "); the container tests must run in CI: start dockerd first (see .ci/run)");
        }
        String why = "container tests skipped: no Docker engine is available (" + problem
                + "); start Docker to run them, or set CI=true to make this a failure";
        warnOnce(why);
        return ConditionEvaluationResult.disabled(why);
    }

    private static boolean warned;

    /** The build log shows why the tests did not run (JUnit keeps skip reasons in its reports). */
    private static synchronized void warnOnce(String why) {
        if (!warned) {
            warned = true;
            System.err.println("lpl-it: " + why);
        }
    }

    private static synchronized boolean dockerAvailable() {
        if (available == null) {
            try {
                available = DockerClientFactory.instance().isDockerAvailable();
                if (!available) {
                    problem = "Testcontainers found no working Docker environment";
                }
            } catch (RuntimeException e) {
                available = false;
                problem = e.getMessage();
            }
        }
        return available;
    }
}
