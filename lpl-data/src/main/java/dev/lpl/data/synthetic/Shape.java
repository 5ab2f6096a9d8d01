package dev.lpl.data.synthetic;

import java.util.SplittableRandom;

/**
 * The ten classes of the synthetic dataset, each a procedurally drawn shape given by a signed
 * distance function in the shape's own frame (u to the right, v downwards, origin at the shape's
 * centre; negative inside). Every shape is mirror-symmetric about its vertical axis and every
 * canonical pose's jitter is symmetric, so a horizontally flipped sample is still a sample of its
 * class. Some pairs are confusable on purpose: disc and thick ring, square and thick outline, plus
 * and X-cross under rotation jitter, bars and bars when there are few of them.
 */
enum Shape {
    /** A filled disc. */
    DISC("disc", 0) {
        @Override
        Sdf prepare(SplittableRandom rng, double size) {
            return (u, v) -> Math.sqrt(u * u + v * v) - size;
        }
    },
    /** A ring of random thickness (thick rings resemble discs). */
    RING("ring", 0) {
        @Override
        Sdf prepare(SplittableRandom rng, double size) {
            double width = uniform(rng, 1.5, 0.7 * size);
            double middle = size - width / 2;
            double half = width / 2;
            return (u, v) -> Math.abs(Math.sqrt(u * u + v * v) - middle) - half;
        }
    },
    /** A filled square. */
    SQUARE("square", 0) {
        @Override
        Sdf prepare(SplittableRandom rng, double size) {
            double half = 0.85 * size;
            return (u, v) -> box(u, v, half, half);
        }
    },
    /** A square outline of random stroke width (thick outlines resemble filled squares). */
    SQUARE_OUTLINE("square-outline", 0) {
        @Override
        Sdf prepare(SplittableRandom rng, double size) {
            double half = 0.85 * size;
            double width = uniform(rng, 1.5, 0.6 * half);
            double middle = half - width / 2;
            double stroke = width / 2;
            return (u, v) -> Math.abs(box(u, v, middle, middle)) - stroke;
        }
    },
    /** An upright plus sign. */
    PLUS("plus", 0) {
        @Override
        Sdf prepare(SplittableRandom rng, double size) {
            return cross(rng, size);
        }
    },
    /** A plus sign turned by 45°. */
    X_CROSS("x-cross", 45) {
        @Override
        Sdf prepare(SplittableRandom rng, double size) {
            return cross(rng, size);
        }
    },
    /** Two to four horizontal bars. */
    HORIZONTAL_BARS("horizontal-bars", 0) {
        @Override
        Sdf prepare(SplittableRandom rng, double size) {
            return bars(rng, size);
        }
    },
    /** Two to four vertical bars. */
    VERTICAL_BARS("vertical-bars", 90) {
        @Override
        Sdf prepare(SplittableRandom rng, double size) {
            return bars(rng, size);
        }
    },
    /** A filled triangle with its apex up. */
    TRIANGLE("triangle", 0) {
        @Override
        Sdf prepare(SplittableRandom rng, double size) {
            double shift = -size * 0.4 / 3;
            double[] us = {0, 0.95 * size, -0.95 * size};
            double[] vs = {-size + shift, 0.7 * size + shift, 0.7 * size + shift};
            return convexPolygon(us, vs);
        }
    },
    /** Two dots side by side, in any orientation. */
    TWO_DOTS("two-dots", 0) {
        @Override
        double baseAngle(SplittableRandom rng) {
            return 180 * rng.nextDouble();
        }

        @Override
        Sdf prepare(SplittableRandom rng, double size) {
            double radius = uniform(rng, 2.0, 3.5);
            double separation = uniform(rng, Math.max(radius + 1, 0.45 * size), 0.9 * size);
            return (u, v) -> {
                double du = Math.abs(u) - separation;
                return Math.sqrt(du * du + v * v) - radius;
            };
        }
    };

    /** The number of classes. */
    static final int COUNT = values().length;

    private final String className;
    private final double baseAngle;

    Shape(String className, double baseAngle) {
        this.className = className;
        this.baseAngle = baseAngle;
    }

    /**
     * Returns the class name.
     *
     * @return a lower-case, kebab-case name
     */
    String className() {
        return className;
    }

    /**
     * Returns the canonical rotation of a sample, before jitter.
     *
     * @param rng the sample's random stream
     * @return degrees
     */
    double baseAngle(SplittableRandom rng) {
        return baseAngle;
    }

    /**
     * Draws the shape-specific parameters of one sample.
     *
     * @param rng the sample's random stream
     * @param size the sample's half-extent in pixels
     * @return the sample's distance function
     */
    abstract Sdf prepare(SplittableRandom rng, double size);

    /** A signed distance function in the shape's frame, in pixels (negative inside). */
    @FunctionalInterface
    interface Sdf {
        /**
         * Returns the signed distance of a point to the shape's boundary.
         *
         * @param u the horizontal coordinate in the shape's frame
         * @param v the vertical coordinate in the shape's frame
         * @return the distance, negative inside
         */
        double distance(double u, double v);
    }

    static double uniform(SplittableRandom rng, double min, double max) {
        return min + (max - min) * rng.nextDouble();
    }

    static double box(double u, double v, double halfWidth, double halfHeight) {
        double dx = Math.abs(u) - halfWidth;
        double dy = Math.abs(v) - halfHeight;
        double ox = Math.max(dx, 0);
        double oy = Math.max(dy, 0);
        return Math.sqrt(ox * ox + oy * oy) + Math.min(Math.max(dx, dy), 0);
    }

    private static Sdf cross(SplittableRandom rng, double size) {
        double half = uniform(rng, 0.75, 1.75);
        return (u, v) -> Math.min(box(u, v, size, half), box(u, v, half, size));
    }

    private static Sdf bars(SplittableRandom rng, double size) {
        int count = 2 + rng.nextInt(3);
        double spacing = 2 * size / count;
        double half = Math.min(uniform(rng, 0.75, 1.5), 0.3 * spacing);
        return (u, v) -> {
            int nearest = (int) Math.floor((v + size) / spacing);
            nearest = Math.max(0, Math.min(count - 1, nearest));
            double centre = -size + (nearest + 0.5) * spacing;
            return box(u, v - centre, size, half);
        };
    }

    /** The maximum of the edges' signed distances: exact inside, a lower bound outside. */
    private static Sdf convexPolygon(double[] us, double[] vs) {
        int n = us.length;
        double cu = 0;
        double cv = 0;
        for (int i = 0; i < n; i++) {
            cu += us[i] / n;
            cv += vs[i] / n;
        }
        double[] nu = new double[n];
        double[] nv = new double[n];
        double[] offset = new double[n];
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            double eu = us[j] - us[i];
            double ev = vs[j] - vs[i];
            double length = Math.sqrt(eu * eu + ev * ev);
            double a = ev / length;
            double b = -eu / length;
            if (a * (cu - us[i]) + b * (cv - vs[i]) > 0) {
                a = -a;
                b = -b;
            }
            nu[i] = a;
            nv[i] = b;
            offset[i] = a * us[i] + b * vs[i];
        }
        return (u, v) -> {
            double d = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                d = Math.max(d, nu[i] * u + nv[i] * v - offset[i]);
            }
            return d;
        };
    }
}
