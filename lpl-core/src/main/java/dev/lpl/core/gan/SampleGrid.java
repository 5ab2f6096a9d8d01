package dev.lpl.core.gan;

import dev.lpl.core.run.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Writes generated images as one PNG grid, one row per class, with a 2-pixel grey gutter; the
 * file is written to a temporary sibling and renamed into place.
 */
public final class SampleGrid {

    private static final int GUTTER = 2;
    private static final int GUTTER_GREY = 0x80;

    private SampleGrid() {}

    /**
     * Writes the grid.
     *
     * @param pixels rows × columns images of channels × height × width bytes, row-major in grid order
     * @param channels 1 (grey) or 3 (RGB)
     * @param height image height
     * @param width image width
     * @param rows grid rows (classes)
     * @param columns grid columns
     * @param file the PNG file
     */
    public static void write(byte[] pixels, int channels, int height, int width, int rows, int columns, Path file) {
        int gridWidth = columns * (width + GUTTER) + GUTTER;
        int gridHeight = rows * (height + GUTTER) + GUTTER;
        BufferedImage image = new BufferedImage(gridWidth, gridHeight, BufferedImage.TYPE_INT_RGB);
        int grey = GUTTER_GREY << 16 | GUTTER_GREY << 8 | GUTTER_GREY;
        for (int y = 0; y < gridHeight; y++) {
            for (int x = 0; x < gridWidth; x++) {
                image.setRGB(x, y, grey);
            }
        }
        int plane = height * width;
        int imageBytes = channels * plane;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                int base = (r * columns + c) * imageBytes;
                int x0 = GUTTER + c * (width + GUTTER);
                int y0 = GUTTER + r * (height + GUTTER);
                for (int k = 0; k < plane; k++) {
                    int red = pixels[base + k] & 0xff;
                    int green = channels == 3 ? pixels[base + plane + k] & 0xff : red;
                    int blue = channels == 3 ? pixels[base + 2 * plane + k] & 0xff : red;
                    image.setRGB(x0 + k % width, y0 + k / width, red << 16 | green << 8 | blue);
                }
            }
        }
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
            ImageIO.write(image, "png", temp.toFile());
            AtomicFiles.move(temp, file, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
