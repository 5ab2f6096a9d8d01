package dev.lpl.runner.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Writes a chart as a PNG (for pages and a quick look) and an SVG (for papers and slides: it scales
 * and its text stays text) with the same name, through XChart's encoders.
 */
public final class ChartFiles {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private ChartFiles() {}

    /**
     * Writes {@code DIR/NAME.png} and {@code DIR/NAME.svg}.
     *
     * @param chart the chart
     * @param directory an existing directory
     * @param name the file name without extension
     * @return the two files, PNG first
     * @throws IOException when a file cannot be written
     */
    public static List<Path> write(Chart<?, ?> chart, Path directory, String name) throws IOException {
        Path png = directory.resolve(name + ".png");
        Path svg = directory.resolve(name + ".svg");
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        try (OutputStream out = Files.newOutputStream(svg)) {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        }
        return List.of(png, svg);
    }
}
