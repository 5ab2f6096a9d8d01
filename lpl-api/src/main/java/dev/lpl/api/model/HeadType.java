package dev.lpl.api.model;

import java.util.Locale;

/** The classifier head on top of the features. */
public enum HeadType {
    /** An affine layer {@code Wx + b}. */
    LINEAR,
    /**
     * A linear layer without bias, {@code Wx} (the classifier of large-margin softmax, Liu et al.
     * 2016, whose margin acts on {@code ‖W_y‖‖x‖cos θ}).
     */
    LINEAR_NO_BIAS,
    /**
     * A bias-free cosine classifier {@code (W/‖W‖)ᵀ(x/‖x‖)}, logits in [−1, 1] (LDAM, Cao et al.
     * 2019).
     */
    COSINE;

    /**
     * Returns the configuration name of this head.
     *
     * @return {@code linear}, {@code linear-no-bias} or {@code cosine}
     */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Returns the head of a configuration name.
     *
     * @param configName {@code linear}, {@code linear-no-bias} or {@code cosine}
     * @return the head
     * @throws IllegalArgumentException for another name
     */
    public static HeadType ofConfigName(String configName) {
        for (HeadType head : values()) {
            if (head.configName().equals(configName)) {
                return head;
            }
        }
        throw new IllegalArgumentException("unknown head " + configName);
    }
}
