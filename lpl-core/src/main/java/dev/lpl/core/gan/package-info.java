/**
 * Generative augmentation: class-conditional GANs (CGAN, ACGAN, infoGAN) trained by {@code lpl gan
 * train} in their own run directory, and the frozen generator that supplies a share of every
 * classifier batch ({@code data.augment.generated}). The networks live in the core, not in {@code
 * lpl-models}, because the classifier's input pipeline (a core component) must rebuild the
 * generator of a GAN run, and the core may not depend on a plugin module.
 */
package dev.lpl.core.gan;
