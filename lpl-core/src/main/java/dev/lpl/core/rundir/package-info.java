/**
 * The schema of a run directory: typed records for the JSON files {@code lpl train} and {@code lpl
 * gan train} write ({@link dev.lpl.core.rundir.Manifest}, {@link dev.lpl.core.rundir.MetricsLine},
 * {@link dev.lpl.core.rundir.Summary}, {@link dev.lpl.core.rundir.RunStatus}) and the one class that
 * names the files and reads and writes them ({@link dev.lpl.core.rundir.RunFiles}). The writer in
 * {@code dev.lpl.core.run} and every reader in the runner go through these records, so a field's
 * JSON name and format are stated once.
 *
 * <p>Conventions of every record: a component that is {@code null} is absent from the file (older
 * runs lack fields newer ones write); a number that is not finite ({@code NaN}, e.g. the accuracy of
 * an empty shot group) is written as JSON {@code null}, and a JSON {@code null} is read back as
 * {@code NaN}. Fractions are in [0, 1], times in seconds unless a name says otherwise, epochs are
 * 1-based.
 */
package dev.lpl.core.rundir;
