package dev.lpl.data.image;

import dev.lpl.api.LplException;
import dev.lpl.data.Sha256;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * Decodes an image file with {@code javax.imageio} (PNG, JPEG, BMP, GIF) and turns it into planar
 * planar bytes of a fixed size: converted to sRGB (grey images exactly, transparent pixels over
 * black), resized to H × W with bilinear interpolation, the aspect ratio not kept (halving step by
 * step first when shrinking by more than 2, so large photos do not alias), and for one channel
 * reduced to the ITU-R BT.601 luma {@code (299 R + 587 G + 114 B) / 1000}, as PIL's {@code
 * convert("L")} does. An image that already has the target size keeps its pixels exactly.
 *
 * <p>The image datasets ({@code image-folder}, {@code image-list}) read their files with it, and
 * {@code lpl predict} reads new images with it, so that an image is turned into exactly the bytes
 * the run's test images were made of.
 */
public final class ImageDecoder {

    /** The file name extensions (lower case) of the formats {@code javax.imageio} reads. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    /** The formats, as messages name them. */
    public static final String FORMATS = "PNG, JPEG, BMP or GIF";

    private ImageDecoder() {}

    static {
        ImageIO.setUseCache(false); // decode in memory, no temporary files
    }

    /**
     * Describes skipped files in a warning: {@code "3 files ... that are not images by name (not
     * .png, .jpg, .jpeg, .bmp or .gif; first: notes.txt)"}.
     *
     * @param count how many files were skipped
     * @param where where they were, e.g. {@code " of DIR"}, or an empty string
     * @param first the first of them, as it should be named
     * @return the phrase
     */
    public static String skipped(int count, String where, String first) {
        return count + (count == 1 ? " file" + where + " that is not an image" : " files" + where
                + " that are not images") + " by name (not .png, .jpg, .jpeg, .bmp or .gif; first: " + first + ")";
    }

    /**
     * Tells whether a file name has the extension of an image format this class reads (case
     * insensitive).
     *
     * @param file the file
     * @return true for {@code .png}, {@code .jpg}, {@code .jpeg}, {@code .bmp}, {@code .gif}
     */
    public static boolean hasImageExtension(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1));
    }

    /**
     * Reads and decodes files into one planar byte array, in parallel: image i occupies bytes
     * {@code [i·C·H·W, (i+1)·C·H·W)}.
     *
     * @param files the image files
     * @param channels 3 (RGB) or 1 (grey)
     * @param height H
     * @param width W
     * @param location where a file was named, as a prefix of messages about it (e.g. {@code
     *     "train.txt line 7: "}), or an empty string
     * @param missingFix what a message about a file that does not exist advises
     * @param pixels where the bytes go, at least N·C·H·W long
     * @return the SHA-256 (hex) of every file's content
     * @throws LplException if a file is missing, cannot be read or is not an image
     * @throws IOException if reading fails otherwise
     */
    public static String[] decodeAll(List<Path> files, int channels, int height, int width,
            Function<Path, String> location, String missingFix, byte[] pixels) throws IOException {
        int imageBytes = channels * height * width;
        String[] digests = new String[files.size()];
        try {
            IntStream.range(0, files.size()).parallel().forEach(i -> {
                Path file = files.get(i);
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(file);
                } catch (NoSuchFileException e) {
                    throw new LplException(location.apply(file) + file + " does not exist; " + missingFix, e);
                } catch (AccessDeniedException e) {
                    throw new LplException(file + " cannot be read: permission denied", e);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                digests[i] = Sha256.hex(bytes);
                try {
                    decode(file, bytes, channels, height, width, pixels, i * imageBytes);
                } catch (LplException e) {
                    String where = location.apply(file);
                    throw where.isEmpty() ? e : new LplException(where + e.getMessage(), e.getCause());
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return digests;
    }

    /**
     * Decodes and resizes one image.
     *
     * @param file the file (for messages)
     * @param bytes its content
     * @param channels 3 (RGB) or 1 (grey)
     * @param height the height H of the output in pixels
     * @param width the width W of the output in pixels
     * @param out where the planar bytes go
     * @param offset the first byte to write
     * @throws LplException if the file is not a readable image
     */
    public static void decode(Path file, byte[] bytes, int channels, int height, int width, byte[] out, int offset) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
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
            throw new LplException(file + " is not an image Java can read (" + FORMATS + "): it is corrupt or"
                    + " in another format; convert it to PNG or JPEG, or remove it");
        }
        BufferedImage rgb = resize(toRgb(image), width, height);
        int plane = height * width;
        int[] argb = rgb.getRGB(0, 0, width, height, null, 0, width);
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

    /** Resizes to width × height (the aspect ratio is not kept). */
    static BufferedImage resize(BufferedImage rgb, int width, int height) {
        BufferedImage current = rgb;
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        if (w == width && h == height) {
            return rgb;
        }
        while (w / 2 >= width || h / 2 >= height) {
            int nw = Math.max(width, w / 2);
            int nh = Math.max(height, h / 2);
            current = scale(current, nw, nh);
            w = nw;
            h = nh;
        }
        return w == width && h == height ? current : scale(current, width, height);
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
