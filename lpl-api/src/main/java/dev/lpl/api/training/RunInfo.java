package dev.lpl.api.training;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run is, given to listeners when it starts.
 *
 * @param name the run's name
 * @param directory the run directory
 * @param method the method's name ({@code method.type})
 * @param dataset the dataset's name
 * @param classNames the class names
 * @param classCounts the training count of every class
 * @param epochs the number of epochs
 * @param startEpoch the number of epochs already done: 0 for a new run; for a resumed run the
 *     epochs its checkpoint covers (the next {@link EpochResult#epoch()} is this value). Whatever a
 *     listener recorded for later epochs before the resume was lost with the run's own records
 *     and should be dropped, as {@code metrics.jsonl} drops those lines
 * @param hyperparameters the run's resolved configuration, see {@link #hyperparameters()}
 */
public record RunInfo(
        String name,
        Path directory,
        String method,
        String dataset,
        List<String> classNames,
        long[] classCounts,
        int epochs,
        int startEpoch,
        Map<String, Object> hyperparameters) {

    /** Creates the info; lists, arrays and maps are copied (the map's order is kept). */
    public RunInfo {
        classNames = List.copyOf(classNames);
        classCounts = classCounts.clone();
        hyperparameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
    }

    /**
     * Creates the info of a new run without hyperparameters.
     *
     * @param name the run's name
     * @param directory the run directory
     * @param method the method's name
     * @param dataset the dataset's name
     * @param classNames the class names
     * @param classCounts the training count of every class
     * @param epochs the number of epochs
     */
    public RunInfo(String name, Path directory, String method, String dataset, List<String> classNames,
            long[] classCounts, int epochs) {
        this(name, directory, method, dataset, classNames, classCounts, epochs, 0, Map.of());
    }

    /**
     * Returns the training counts.
     *
     * @return a copy of the training count of every class
     */
    @Override
    public long[] classCounts() {
        return classCounts.clone();
    }

    /**
     * Returns the run's hyperparameters: the settings of its resolved configuration that can change
     * its result (those {@code lpl compare} and a sweep compare; bookkeeping, paths, execution
     * settings and the blocks of components not selected are left out), plus {@code method.preset}
     * when a preset was used. Keys are dotted, relative to {@code lpl} (e.g. {@code method.type},
     * {@code optimizer.sgd.learning-rate}), sorted; each value is a {@link String}, a {@link
     * Number} or a {@link Boolean}, a list given as its text (e.g. {@code [1, 2]}). The complete
     * configuration is {@code resolved.conf} in the run directory, written before {@link
     * RunListener#runStarted}.
     *
     * @return an unmodifiable, ordered map
     */
    @Override
    public Map<String, Object> hyperparameters() {
        return hyperparameters;
    }
}
