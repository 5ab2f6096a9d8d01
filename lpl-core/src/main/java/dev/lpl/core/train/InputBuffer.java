package dev.lpl.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Uploads a batch into a native array through one reused direct buffer, in the layout an {@link
 * ImageFormat} asks for.
 *
 * <p>Given a heap array, DJL's PyTorch manager allocates a new direct buffer per call and makes
 * the tensor from it; that memory is released only when the garbage collector happens to clean the
 * buffer, so with little heap churn resident memory grows by one batch per step (1.5 MB for
 * 128×3×32×32: 1.5 GB over 1,000 steps, measured). A direct buffer that the caller owns is used as
 * is, so this class fills its own buffer and hands it over. The tensor views the buffer: it must
 * be closed before the next upload (each step and each evaluation batch closes its arrays), and
 * one instance serves one thread.
 */
public final class InputBuffer {

    private ByteBuffer images = ByteBuffer.allocateDirect(0);
    private ByteBuffer labels = ByteBuffer.allocateDirect(0);

    /**
     * Uploads a batch of images. In the channels-last format the values are written B×H×W×C and
     * the B×C×H×W view of that array is returned: the same values at the same indices, with
     * channels-last strides.
     *
     * @param manager the step's manager
     * @param pixels B×C×H×W values (channels first, as batches are assembled)
     * @param batch B
     * @param format the shape of one image and the layout to upload in
     * @return a B×C×H×W float32 array of the pixels, viewing this buffer
     */
    public NDArray images(NDManager manager, float[] pixels, int batch, ImageFormat format) {
        int c = format.channels();
        int plane = format.height() * format.width();
        if (pixels.length != Math.multiplyExact(batch, c * plane)) {
            throw new IllegalArgumentException(pixels.length + " values are not " + batch + " images of " + format.shape());
        }
        int bytes = pixels.length * Float.BYTES;
        images = ensure(images, bytes);
        ByteBuffer view = images.slice(0, bytes).order(ByteOrder.nativeOrder());
        if (!format.transposes()) {
            images.asFloatBuffer().put(pixels);
            return manager.create(view, new Shape(batch).addAll(format.shape()), DataType.FLOAT32);
        }
        FloatBuffer out = images.asFloatBuffer();
        for (int b = 0; b < batch; b++) {
            int source = b * c * plane;
            int target = b * plane * c;
            for (int p = 0; p < plane; p++) {
                for (int k = 0; k < c; k++) {
                    out.put(target + p * c + k, pixels[source + k * plane + p]);
                }
            }
        }
        NDArray hwc = manager.create(view, new Shape(batch, format.height(), format.width(), c), DataType.FLOAT32);
        return hwc.transpose(0, 3, 1, 2);
    }

    /**
     * @param manager the step's manager
     * @param values the labels
     * @return an int64 array of the labels, viewing this buffer
     */
    public NDArray labels(NDManager manager, long[] values) {
        labels = ensure(labels, values.length * Long.BYTES);
        labels.asLongBuffer().put(values);
        return manager.create(labels.slice(0, values.length * Long.BYTES).order(ByteOrder.nativeOrder()),
                new Shape(values.length), DataType.INT64);
    }

    private static ByteBuffer ensure(ByteBuffer buffer, int bytes) {
        ByteBuffer b = buffer.capacity() >= bytes ? buffer : ByteBuffer.allocateDirect(bytes);
        b.clear();
        return b.order(ByteOrder.nativeOrder());
    }
}
