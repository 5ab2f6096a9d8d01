package dev.lpl.core.gan;

import dev.lpl.api.LplException;

/**
 * The shape of a GAN: its conditioning, the images it makes and the size of its latent input.
 *
 * @param variant CGAN, ACGAN or infoGAN
 * @param channels image channels (1 or 3)
 * @param height image height, a multiple of 4
 * @param width image width, a multiple of 4
 * @param classes C, the number of classes
 * @param noise the dimension of z (100 in the papers)
 * @param base the channel width of the networks ({@code gan.width}; 64 in DCGAN)
 */
public record GanSpec(GanVariant variant, int channels, int height, int width, int classes, int noise, int base) {

    /** Checks the shape. */
    public GanSpec {
        if (height % 4 != 0 || width % 4 != 0) {
            throw new LplException("GAN images must have a height and width divisible by 4 (two stride-2 layers);"
                    + " the dataset's are " + height + "x" + width);
        }
        if (classes < 2 || noise < 1 || base < 1 || channels < 1) {
            throw new IllegalArgumentException("bad GAN shape " + classes + " classes, noise " + noise + ", width "
                    + base);
        }
    }

    /** @return the length of G's input vector: z, the one-hot label and the continuous codes */
    public int generatorInput() {
        return noise + classes + variant.codes();
    }

    /** @return the length of D's output vector: the real/fake logit, the class logits, the codes */
    public int discriminatorOutput() {
        return 1 + (variant.classHead() ? classes : 0) + variant.codes();
    }

    /** @return D's input channels (the image, plus C label planes for CGAN) */
    public int discriminatorInputChannels() {
        return channels + (variant.labelIntoDiscriminator() ? classes : 0);
    }
}
