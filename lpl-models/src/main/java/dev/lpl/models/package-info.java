/**
 * The network architectures of lpl, contributed through {@link dev.lpl.models.ModelsPlugin}: the
 * CIFAR ResNets of He et al. (2016) as used by LDAM-DRW (Cao et al., NeurIPS 2019), ISDA (Wang et
 * al., NeurIPS 2019) and LPL (Li et al., AAAI 2022), their squeeze-and-excitation variant (Hu et
 * al., CVPR 2018), the Wide-ResNets of Zagoruyko and Komodakis (BMVC 2016), a small CNN for small
 * images such as Fashion-MNIST, linear or cosine classifier heads, and the Kaiming-normal
 * initialiser (He et al., ICCV 2015) the framework applies to their weights.
 */
package dev.lpl.models;
