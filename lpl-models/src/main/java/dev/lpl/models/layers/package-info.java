/**
 * The building blocks of the networks in {@link dev.lpl.models}: convolution + batch-norm + ReLU
 * units, the CIFAR ResNet basic block with its option-A (zero-padding) shortcut (He et al., CVPR
 * 2016) and optional squeeze-and-excitation module (Hu et al., CVPR 2018), the pre-activation
 * Wide-ResNet block (Zagoruyko and Komodakis, BMVC 2016) and the final BN-ReLU of pre-activation
 * networks, global average pooling and the cosine classifier of LDAM (Cao et al., NeurIPS 2019).
 * Every block computes its forward pass with a handful of whole-tensor operations.
 */
package dev.lpl.models.layers;
