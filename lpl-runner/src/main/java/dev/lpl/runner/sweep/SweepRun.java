package dev.lpl.runner.sweep;

import java.nio.file.Path;
import java.util.List;

/**
 * One run of a sweep.
 *
 * @param name the run's name (from its grid values, e.g. {@code method-lpl_seed-2})
 * @param overrides its grid {@code key=value} overrides
 * @param directory its run directory
 */
public record SweepRun(String name, List<String> overrides, Path directory) {}
