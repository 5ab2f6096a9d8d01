package dev.lpl.api.model;

import java.util.Locale;

/** The classifier head on top of the features. */
public enum HeadType {
    /** An affine layer {@code Wx + b}. */
    LINEAR,
    /**
     * A bias-free cosine classifier {@code (W/‖W‖)ᵀ(x/‖x‖)}, logits in [−1, 1] (LDAM, Cao et al.
     * 2019).
     */
    COSINE;

    /**
     * Returns the configuration name of this head.
     *
     * @return {@code linear} or {@code cosine}
     */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
