/**
 * Weights in and out of lpl for PyTorch users: the PyTorch {@code state_dict} names of a network's
 * parameters ({@link dev.lpl.core.interop.TorchNames}), the safetensors file format ({@link
 * dev.lpl.core.interop.Safetensors}), and loading a network's weights from an lpl checkpoint or a
 * safetensors file ({@link dev.lpl.core.interop.ModelWeights}, {@code model.init-from}). The
 * reference PyTorch modules these names fit are in the repository's {@code interop/} directory.
 */
package dev.lpl.core.interop;
