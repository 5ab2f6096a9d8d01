package dev.lpl.data.synthetic;

import static java.util.Objects.requireNonNull;

import java.util.SplittableRandom;

/**
 * Draws one 28×28 grey sample of a {@link Shape}: the shape at a jittered position, size, stroke
 * and rotation, anti-aliased over one pixel, with a contrast drawn per sample, on a background of
 * random level and linear gradient, optionally crossed by a distractor stroke, plus Gaussian pixel
 * noise. Everything is drawn from a {@link SplittableRandom} seeded per sample, and only IEEE
 * arithmetic, {@link Math#sqrt} and {@link StrictMath} are used, so the bytes are the same on every
 * platform.
 */
final class ShapeRenderer {

    /** Image side in pixels. */
    static final int SIDE = 28;

    private static final double CENTRE = SIDE / 2.0;
    private static final double MIN_SIZE = 5.5;
    private static final double MAX_SIZE = 9.5;
    private static final double MAX_BACKGROUND = 0.25;
    private static final double MAX_GRADIENT = 0.15;

    private final SyntheticSettings settings;

    ShapeRenderer(SyntheticSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    /**
     * Draws one sample into {@code out[offset, offset + 784)}.
     *
     * @param shape the class
     * @param seed the sample's seed
     * @param out the destination
     * @param offset the first byte to write
     */
    void render(Shape shape, long seed, byte[] out, int offset) {
        SplittableRandom rng = new SplittableRandom(seed);
        double jitter = settings.jitter();
        double cx = CENTRE + Shape.uniform(rng, -jitter, jitter);
        double cy = CENTRE + Shape.uniform(rng, -jitter, jitter);
        double rotation = settings.rotation();
        double angle = Math.toRadians(shape.baseAngle(rng) + Shape.uniform(rng, -rotation, rotation));
        double size = Shape.uniform(rng, MIN_SIZE, MAX_SIZE);
        Shape.Sdf sdf = shape.prepare(rng, size);

        double background = MAX_BACKGROUND * rng.nextDouble();
        double gradientAngle = 2 * Math.PI * rng.nextDouble();
        double gradient = MAX_GRADIENT * rng.nextDouble() / CENTRE;
        double gx = gradient * StrictMath.cos(gradientAngle);
        double gy = gradient * StrictMath.sin(gradientAngle);
        double contrast = Shape.uniform(rng, settings.minContrast(), SyntheticSettings.MAX_CONTRAST);

        boolean distractor = rng.nextDouble() < settings.distractor();
        double ax = Shape.uniform(rng, 2, SIDE - 2);
        double ay = Shape.uniform(rng, 2, SIDE - 2);
        double bx = Shape.uniform(rng, 2, SIDE - 2);
        double by = Shape.uniform(rng, 2, SIDE - 2);
        double strokeHalf = Shape.uniform(rng, 0.5, 1.0);
        double strokeLevel = contrast * Shape.uniform(rng, 0.3, 0.8);
        double abx = bx - ax;
        double aby = by - ay;
        double abSquared = Math.max(abx * abx + aby * aby, 1e-9);

        double cos = StrictMath.cos(angle);
        double sin = StrictMath.sin(angle);
        double noise = settings.noise();
        double spare = Double.NaN;
        int index = offset;
        for (int y = 0; y < SIDE; y++) {
            double py = y + 0.5;
            for (int x = 0; x < SIDE; x++) {
                double px = x + 0.5;
                double dx = px - cx;
                double dy = py - cy;
                double u = cos * dx + sin * dy;
                double v = -sin * dx + cos * dy;
                double foreground = contrast * coverage(sdf.distance(u, v));
                if (distractor) {
                    double t = ((px - ax) * abx + (py - ay) * aby) / abSquared;
                    t = Math.max(0, Math.min(1, t));
                    double ex = px - ax - t * abx;
                    double ey = py - ay - t * aby;
                    double stroke = strokeLevel * coverage(Math.sqrt(ex * ex + ey * ey) - strokeHalf);
                    foreground = Math.max(foreground, stroke);
                }
                double value = background + gx * (px - CENTRE) + gy * (py - CENTRE) + foreground;
                if (noise > 0) {
                    double z;
                    if (Double.isNaN(spare)) {
                        double s;
                        double g1;
                        double g2;
                        do {
                            g1 = 2 * rng.nextDouble() - 1;
                            g2 = 2 * rng.nextDouble() - 1;
                            s = g1 * g1 + g2 * g2;
                        } while (s >= 1 || s == 0);
                        double scale = Math.sqrt(-2 * StrictMath.log(s) / s);
                        z = g1 * scale;
                        spare = g2 * scale;
                    } else {
                        z = spare;
                        spare = Double.NaN;
                    }
                    value += noise * z;
                }
                int level = (int) (Math.max(0, Math.min(1, value)) * 255 + 0.5);
                out[index++] = (byte) level;
            }
        }
    }

    /** The fraction of a pixel covered, for a signed distance from its centre (one-pixel ramp). */
    private static double coverage(double distance) {
        return Math.max(0, Math.min(1, 0.5 - distance));
    }
}
