package dev.lpl.api.training;

import java.nio.file.Path;
import java.util.List;

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
 */
public record RunInfo(
        String name,
        Path directory,
        String method,
        String dataset,
        List<String> classNames,
        long[] classCounts,
        int epochs) {

    /** Creates the info; lists and arrays are copied. */
    public RunInfo {
        classNames = List.copyOf(classNames);
        classCounts = classCounts.clone();
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
}
