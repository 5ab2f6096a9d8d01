package dev.lpl.core.rundir;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of a GAN run's {@code metrics.jsonl} ({@code lpl gan train}): the figures of one finished
 * epoch, appended when the epoch ends; a GAN run's {@code summary.json} repeats the last as its
 * {@code final} ({@link GanSummary}), and its checkpoints keep every line in their {@code state.json}
 * ({@code history}). It shares only {@link #epoch}, {@link #epochs} and {@link #epochSeconds} with a
 * classifier's line ({@link MetricsLine}). Means are over the epoch's samples (real images), and
 * accuracies are fractions in [0, 1].
 *
 * <p>See the package for the conventions, with one addition: {@link #dClassAccuracy} and the two
 * GAN-test fields are always written, as JSON {@code null} when the run has no class head or no
 * evaluator, and such a {@code null} reads back as {@code NaN} (for the lists: null). Fields this lpl
 * does not know (a newer lpl's) are kept in {@link #other} and written back after the known ones.
 *
 * @param epoch the 1-based epoch
 * @param epochs the number of epochs planned ({@code gan.epochs})
 * @param dLoss the discriminator's mean loss over the epoch (its real/fake loss, plus its class loss
 *     on real images where it has a class head)
 * @param gLoss the generator's mean loss over the epoch (adversarial, plus class and information
 *     losses where the type has them)
 * @param dRealAccuracy the fraction of real images the discriminator's real/fake head called real
 * @param dFakeAccuracy the fraction of generated images the discriminator's real/fake head called fake
 * @param dClassAccuracy the fraction of real images the discriminator's class head classified right
 *     (ACGAN, infoGAN); JSON {@code null} ({@code NaN} once read) for a type without a class head
 * @param infoLoss the mean information (latent code reconstruction) loss; absent unless the type has
 *     latent codes (infoGAN)
 * @param ganTestBalancedAccuracy GAN-test: the evaluator classifier's balanced accuracy on generated
 *     images (the mean of {@link #ganTestPerClassAccuracy}); JSON {@code null} ({@code NaN} once
 *     read) without an evaluator ({@code gan.evaluator.run})
 * @param ganTestPerClassAccuracy GAN-test: the evaluator's accuracy on generated images of every
 *     class, in class order; JSON {@code null} without an evaluator
 * @param samples the number of real images trained on in the epoch
 * @param steps the number of training steps (batches) of the epoch
 * @param stepSeconds the time spent in training steps (G and D updates), in seconds
 * @param epochSeconds the epoch's wall time, sample grid, checkpoint and GAN-test included, in seconds
 * @param other fields this lpl does not know; empty when none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GanMetricsLine(
        Integer epoch,
        Integer epochs,
        Double dLoss,
        Double gLoss,
        Double dRealAccuracy,
        Double dFakeAccuracy,
        @JsonInclude(JsonInclude.Include.ALWAYS) Double dClassAccuracy,
        Double infoLoss,
        @JsonInclude(JsonInclude.Include.ALWAYS) Double ganTestBalancedAccuracy,
        @JsonInclude(JsonInclude.Include.ALWAYS) List<Double> ganTestPerClassAccuracy,
        Long samples,
        Long steps,
        Double stepSeconds,
        Double epochSeconds,
        @JsonAnySetter Map<String, Object> other) {

    /**
     * Copies the unknown fields (null: none).
     */
    public GanMetricsLine {
        other = other == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(other));
    }

    /**
     * Returns the fields this lpl does not know, for writing them back.
     *
     * @return field name to value
     */
    @JsonAnyGetter
    @Override
    public Map<String, Object> other() {
        return other;
    }

    /**
     * Returns whether the line has a GAN-test figure.
     *
     * @return whether {@link #ganTestBalancedAccuracy} is a finite number
     */
    public boolean ganTested() {
        return ganTestBalancedAccuracy != null && Double.isFinite(ganTestBalancedAccuracy);
    }
}
