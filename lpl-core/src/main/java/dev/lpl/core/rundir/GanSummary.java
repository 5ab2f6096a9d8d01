package dev.lpl.core.rundir;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A GAN run's {@code summary.json} ({@code lpl gan train}): where the run stands and its last
 * epoch's figures, rewritten (atomically) after every epoch, on a stop and on a failure. A GAN run
 * directory without it has no finished epoch (or has not stopped). See the package for the
 * conventions (null: absent; {@code NaN}: JSON {@code null}).
 *
 * @param run the run's name
 * @param kind {@link Manifest#GAN}, as in the manifest
 * @param status where the run stands; {@link RunStatus#UNKNOWN} when the file has none
 * @param stoppedAt where a stopped run stopped; absent unless {@link RunStatus#STOPPED}
 * @param checkpoint the checkpoint a stopped run wrote, relative to the run directory, e.g. {@code
 *     checkpoints/epoch-0001-batch-00002}; absent unless stopped
 * @param reason why a failed run failed (a non-finite loss, with its epoch and batch); absent unless
 *     {@link RunStatus#FAILED}
 * @param gan the GAN's type ({@code gan.type}), e.g. {@code acgan}
 * @param dataset the dataset's name
 * @param epochsCompleted the number of finished epochs ({@code metrics.jsonl}'s lines)
 * @param epochs the number of epochs planned ({@code gan.epochs})
 * @param last the last finished epoch's line (JSON {@code final}), whole; absent before the first
 * @param samples the last finished epoch's sample grid, relative to the run directory, e.g. {@code
 *     samples/epoch-0002.png}; absent before the first
 * @param generator the last finished epoch's generator weights, relative to the run directory, e.g.
 *     {@code checkpoints/epoch-0002/generator.npz}; absent before the first
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GanSummary(
        String run,
        String kind,
        RunStatus status,
        Summary.StoppedAt stoppedAt,
        String checkpoint,
        String reason,
        String gan,
        String dataset,
        Integer epochsCompleted,
        Integer epochs,
        @JsonProperty("final") GanMetricsLine last,
        String samples,
        String generator) {

    /**
     * Reads a missing status as {@link RunStatus#UNKNOWN}.
     */
    public GanSummary {
        status = status == null ? RunStatus.UNKNOWN : status;
    }
}
