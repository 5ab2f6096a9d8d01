package dev.lpl.runner.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.pdf.PDFProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Writes a chart as a PNG (for pages and a quick look), an SVG (for slides and LaTeX via Inkscape:
 * it scales and its text stays text) and a PDF (vector, for {@code \includegraphics} in a paper)
 * with the same name. PNG and SVG through XChart's encoders; PDF through VectorGraphics2D's own PDF
 * processor, as XChart drives it for SVG (XChart 3.8's PDF encoder needs PDFBox, which the runner
 * leaves out).
 */
public final class ChartFiles {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private ChartFiles() {}

    /** The extensions written, PNG first. */
    public static final List<String> EXTENSIONS = List.of("png", "svg", "pdf");

    /**
     * Writes {@code DIR/NAME.png}, {@code DIR/NAME.svg} and {@code DIR/NAME.pdf}.
     *
     * @param chart the chart
     * @param directory an existing directory
     * @param name the file name without extension
     * @return the three files, in the order of {@link #EXTENSIONS}
     * @throws IOException when a file cannot be written
     */
    public static List<Path> write(Chart<?, ?> chart, Path directory, String name) throws IOException {
        Path png = directory.resolve(name + ".png");
        Path svg = directory.resolve(name + ".svg");
        Path pdf = directory.resolve(name + ".pdf");
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        try (OutputStream out = Files.newOutputStream(svg)) {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        }
        try (OutputStream out = Files.newOutputStream(pdf)) {
            writePdf(chart, out);
        }
        return List.of(png, svg, pdf);
    }

    /** Millimetres per PostScript point: VectorGraphics2D's PDF units are millimetres. */
    private static final double MM_PER_POINT = 25.4 / 72;

    /**
     * One page the size of the chart (one pixel of the PNG is one point), compressed; VectorGraphics2D
     * draws text as outlines, so the PDF looks the same without the fonts.
     */
    private static void writePdf(Chart<?, ?> chart, OutputStream out) throws IOException {
        VectorGraphics2D graphics = new VectorGraphics2D();
        graphics.scale(MM_PER_POINT, MM_PER_POINT);
        chart.paint(graphics, chart.getWidth(), chart.getHeight());
        PageSize page = new PageSize(0, 0, chart.getWidth() * MM_PER_POINT, chart.getHeight() * MM_PER_POINT);
        new PDFProcessor(true).getDocument(graphics.getCommands(), page).writeTo(out);
    }
}
