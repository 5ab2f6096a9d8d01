package dev.lpl.core.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/** Generated images as 8-bit pixels, as a PNG or a dataset would hold them. */
final class GeneratedImages {

    private static final int CHUNK = 500;

    private GeneratedImages() {}

    /**
     * Runs G (inference mode) on latents and maps its tanh output to bytes, round((g + 1)·127.5).
     *
     * @param model the GAN
     * @param latents the latents
     * @return n × channels × H × W bytes
     */
    static byte[] toBytes(GanModel model, Latents latents) {
        GanSpec spec = model.spec();
        int n = latents.labels().length;
        int width = spec.generatorInput();
        int imageBytes = spec.channels() * spec.height() * spec.width();
        byte[] out = new byte[n * imageBytes];
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            float[] input = java.util.Arrays.copyOfRange(latents.input(), from * width, to * width);
            long[] labels = java.util.Arrays.copyOfRange(latents.labels(), from, to);
            try (NDManager m = model.manager().newSubManager()) {
                NDArray images = model.sample(m, new Latents(input, labels, new float[0]));
                byte[] chunk = images.add(1f).mul(127.5f).round().clip(0, 255).toType(DataType.UINT8, false)
                        .toByteArray();
                System.arraycopy(chunk, 0, out, from * imageBytes, chunk.length);
            }
        }
        return out;
    }
}
