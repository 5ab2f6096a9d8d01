package dev.lpl.core.run;

import static java.util.Objects.requireNonNull;

import dev.lpl.api.training.EpochResult;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A run's Micrometer metrics in a Prometheus registry: the engine's timers ({@code
 * lpl.train.step}, {@code lpl.train.objective}, {@code lpl.train.data.wait}, {@code lpl.eval})
 * and gauges of the last finished epoch — epoch, training loss, test and balanced accuracy, ECE,
 * learning rate, and the accuracy of every class (tags {@code class}, {@code name}). Gauges read
 * values this object holds strongly (Micrometer gauges keep only weak references).
 */
public final class RunMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<double[]> values = new AtomicReference<>(new double[6]);
    private final AtomicReference<double[]> perClass;

    /**
     * Creates the metrics of a run.
     *
     * @param run the run's name (a common tag)
     * @param method the method's name (a common tag)
     * @param classNames the class names
     */
    public RunMetrics(String run, String method, List<String> classNames) {
        requireNonNull(classNames, "classNames is null");
        registry.config().commonTags("run", run, "method", method);
        perClass = new AtomicReference<>(nanArray(classNames.size()));
        String[] names = {"lpl.epoch", "lpl.train.loss", "lpl.test.accuracy", "lpl.test.balanced.accuracy",
            "lpl.test.ece", "lpl.train.learning.rate"};
        String[] help = {"epochs completed", "mean training loss of the last epoch", "top-1 test accuracy",
            "mean per-class test accuracy", "expected calibration error (15 bins)", "learning rate at the last step"};
        for (int i = 0; i < names.length; i++) {
            int index = i;
            Gauge.builder(names[i], values, v -> v.get()[index]).description(help[i]).register(registry);
        }
        for (int c = 0; c < classNames.size(); c++) {
            int index = c;
            Gauge.builder("lpl.test.class.accuracy", perClass, v -> v.get()[index])
                    .description("test accuracy of one class")
                    .tags(Tags.of("class", Integer.toString(c), "name", classNames.get(c)))
                    .register(registry);
        }
    }

    private static double[] nanArray(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, Double.NaN);
        return a;
    }

    /**
     * Returns the registry the engine's timers go to.
     *
     * @return the registry
     */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Updates the gauges after an epoch.
     *
     * @param result the epoch's figures
     * @param ece the epoch's expected calibration error
     */
    public void epochFinished(EpochResult result, double ece) {
        values.set(new double[] {result.epoch() + 1, result.trainLoss(), result.testAccuracy(),
            result.balancedAccuracy(), ece, result.learningRate()});
        perClass.set(result.perClassAccuracy());
    }

    /**
     * Returns the metrics in the Prometheus text format.
     *
     * @return the exposition text
     */
    public String scrape() {
        return registry.scrape();
    }
}
