package dev.lpl.core.gan;

import dev.lpl.api.LplException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The conditioning of a class-conditional GAN: how the label enters the generator G and the
 * discriminator D, and what D predicts.
 *
 * <ul>
 *   <li>{@link #CGAN}: Mirza and Osindero, "Conditional Generative Adversarial Nets", 2014 — the
 *       one-hot label is concatenated to z and, as C constant planes, to D's input image; D gives
 *       one real/fake logit.</li>
 *   <li>{@link #ACGAN}: Odena, Olah and Shlens, "Conditional Image Synthesis with Auxiliary
 *       Classifier GANs", ICML 2017 — the label enters G only; D gives a real/fake logit and C
 *       class logits, and both players add the class cross-entropy on real and generated images.</li>
 *   <li>{@link #INFOGAN}: Chen et al., "InfoGAN: Interpretable Representation Learning by
 *       Information Maximizing Generative Adversarial Nets", NeurIPS 2016 — ACGAN plus two
 *       continuous codes c ~ U(−1, 1) given to G and regressed by a head of D (Gaussian
 *       mutual-information term, i.e. mean squared error, weight {@code gan.info-weight}).</li>
 * </ul>
 */
public enum GanVariant {
    /** Label into G and into D's input. */
    CGAN("cgan", false, 0),
    /** Label into G; D with real/fake and class heads. */
    ACGAN("acgan", true, 0),
    /** ACGAN plus two continuous codes regressed by D. */
    INFOGAN("infogan", true, 2);

    private final String configName;
    private final boolean classHead;
    private final int codes;

    GanVariant(String configName, boolean classHead, int codes) {
        this.configName = configName;
        this.classHead = classHead;
        this.codes = codes;
    }

    /** @return the name in {@code gan.type} */
    public String configName() {
        return configName;
    }

    /** @return whether D has a C-way class head (ACGAN, infoGAN) */
    public boolean classHead() {
        return classHead;
    }

    /** @return the number of continuous latent codes given to G and regressed by D */
    public int codes() {
        return codes;
    }

    /** @return whether D sees the label as input planes (CGAN) */
    public boolean labelIntoDiscriminator() {
        return this == CGAN;
    }

    /** @return the names of every variant, as in {@code gan.type} */
    public static List<String> names() {
        return Arrays.stream(values()).map(GanVariant::configName).toList();
    }

    /**
     * Returns the variant of a configuration name.
     *
     * @param name {@code cgan}, {@code acgan} or {@code infogan}
     * @return the variant
     * @throws LplException for another name
     */
    public static GanVariant ofConfigName(String name) {
        for (GanVariant v : values()) {
            if (v.configName.equals(name.toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new LplException("unknown GAN type " + name + "; use one of " + String.join(", ", names()));
    }
}
