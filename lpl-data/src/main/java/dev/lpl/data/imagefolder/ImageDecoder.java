package dev.lpl.data.imagefolder;

import dev.lpl.api.LplException;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Decodes an image file with {@code javax.imageio} (PNG, JPEG, BMP, GIF) and turns it into planar
 * bytes of a fixed square size: converted to sRGB (grey images exactly, transparent pixels over
 * black), resized with bilinear interpolation (halving step by step first when shrinking by more
 * than 2, so large photos do not alias), and for one channel reduced to the ITU-R BT.601 luma
 * {@code (299 R + 587 G + 114 B) / 1000}, as PIL's {@code convert("L")} does. An image that already
 * has the target size keeps its pixels exactly.
 */
final class ImageDecoder {

    private ImageDecoder() {}

    static {
        ImageIO.setUseCache(false); // decode in memory, no temporary files
    }

    /**
     * Decodes and resizes one image.
     *
     * @param file the file (for messages)
     * @param bytes its content
     * @param size the side of the output in pixels
     * @param channels 3 (RGB) or 1 (grey)
     * @param out where the planar bytes go
     * @param offset the first byte to write
     * @throws LplException if the file is not a readable image
     */
    static void decode(Path file, byte[] bytes, int size, int channels, byte[] out, int offset) {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new LplException(file + " cannot be read as an image (" + detail + "): it is corrupt, truncated"
                    + " or in a format Java cannot decode (e.g. CMYK JPEG); convert it to PNG or RGB JPEG, or"
                    + " remove it", e);
        }
        if (image == null || image.getWidth() < 1 || image.getHeight() < 1) {
            throw new LplException(file + " is not an image Java can read (PNG, JPEG, BMP or GIF): it is corrupt or"
                    + " in another format; convert it to PNG or JPEG, or remove it");
        }
        BufferedImage rgb = resize(toRgb(image), size);
        int plane = size * size;
        int[] argb = rgb.getRGB(0, 0, size, size, null, 0, size);
        for (int k = 0; k < plane; k++) {
            int p = argb[k];
            int r = (p >> 16) & 0xff;
            int g = (p >> 8) & 0xff;
            int b = p & 0xff;
            if (channels == 1) {
                out[offset + k] = (byte) ((299 * r + 587 * g + 114 * b + 500) / 1000);
            } else {
                out[offset + k] = (byte) r;
                out[offset + plane + k] = (byte) g;
                out[offset + 2 * plane + k] = (byte) b;
            }
        }
    }

    /** Converts to {@code TYPE_INT_RGB}; grey rasters are copied directly (no colour-space gamma). */
    static BufferedImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY || image.getType() == BufferedImage.TYPE_USHORT_GRAY) {
            Raster raster = image.getRaster();
            int shift = image.getType() == BufferedImage.TYPE_USHORT_GRAY ? 8 : 0;
            int[] row = new int[w];
            int[] out = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int v = (row[x] >> shift) & 0xff;
                    out[x] = (v << 16) | (v << 8) | v;
                }
                rgb.setRGB(0, y, w, 1, out, 0, w);
            }
            return rgb;
        }
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, w, h);
            g.setComposite(AlphaComposite.SrcOver);
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    /** Resizes to size × size (the aspect ratio is not kept). */
    static BufferedImage resize(BufferedImage rgb, int size) {
        BufferedImage current = rgb;
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        if (w == size && h == size) {
            return rgb;
        }
        while (w / 2 >= size || h / 2 >= size) {
            int nw = Math.max(size, w / 2);
            int nh = Math.max(size, h / 2);
            current = scale(current, nw, nh);
            w = nw;
            h = nh;
        }
        return w == size && h == size ? current : scale(current, size, size);
    }

    private static BufferedImage scale(BufferedImage image, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
