import java.util.Random;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * What SIMD through the incubating Vector API would give {@code RealFft}'s butterflies: one radix-4 and one
 * radix-5 Stockham pass, laid out as {@code RealFft}'s batched passes are (31 interleaved complex sequences
 * of 500 points; the first pass of a length-500 transform), scalar as in {@code RealFft} against lane-wise
 * versions with 128-, 256- or 512-bit vectors ({@code -Dbits}). Not part of the build: it needs {@code jdk.incubator.vector},
 * whose use javac always reports as a warning (the build has {@code -Werror}). Run it from the project root
 * with the source launcher, on JDK 17 or later:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Dbits=256 audioset-core/src/test/vector/VectorPassBench.java
 * </pre>
 *
 * It prints, per pass, the best of 9 rounds of 2,000 passes (µs per pass) and the largest
 * difference from the scalar result.
 */
public final class VectorPassBench {
    private static final int BATCH = 31;
    private static final int LENGTH = 500;
    private static final double C1 = Math.cos(2 * Math.PI / 5);
    private static final double C2 = Math.cos(4 * Math.PI / 5);
    private static final double S1 = Math.sin(2 * Math.PI / 5);
    private static final double S2 = Math.sin(4 * Math.PI / 5);

    private VectorPassBench() {
    }

    /** A radix-4 or radix-5 pass, given the input, output and twiddles. */
    private interface Pass {
        void run(double[] x, double[] y, int q, int s, double[] tw);
    }

    public static void main(String[] args) {
        double[] x = new double[2 * BATCH * LENGTH];
        Random random = new Random(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        System.out.println("java " + System.getProperty("java.version") + ", preferred species "
                + DoubleVector.SPECIES_PREFERRED);
        System.out.println("| pass | code | µs per pass (best of 9) | max |difference| |");
        System.out.println("|---|---|---|---|");
        for (int radix : new int[] {4, 5}) {
            int q = LENGTH / radix;
            double[] tw = twiddles(radix, q);
            double[] reference = new double[x.length];
            Pass scalar = radix == 4 ? VectorPassBench::scalar4 : VectorPassBench::scalar5;
            scalar.run(x, reference, q, BATCH, tw);
            report(radix, "scalar (as RealFft)", scalar, x, reference, q, tw);
            Pass pass = radix == 4 ? Lanes::pass4 : Lanes::pass5;
            report(radix, "Vector API, " + Lanes.SPECIES.vectorBitSize() + " bits", pass, x, reference, q, tw);
        }
    }

    private static void report(int radix, String code, Pass pass, double[] x, double[] reference, int q,
            double[] tw) {
        double[] y = new double[x.length];
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 9; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 2000; i++) {
                pass.run(x, y, q, BATCH, tw);
            }
            best = Math.min(best, (System.nanoTime() - t0) / 2000e3);
        }
        double diff = 0;
        for (int i = 0; i < y.length; i++) {
            diff = Math.max(diff, Math.abs(y[i] - reference[i]));
        }
        System.out.printf("| radix %d | %s | %.1f | %.1e |%n", radix, code, best, diff);
    }

    /** {@code exp(-2πi·p·u/(r·q))} at {@code [p·(r-1) + u - 1]}, interleaved, as {@code RealFft}'s plans. */
    private static double[] twiddles(int r, int q) {
        double[] tw = new double[2 * q * (r - 1)];
        for (int p = 0; p < q; p++) {
            for (int u = 1; u < r; u++) {
                double angle = -2 * Math.PI * p * u / (r * q);
                tw[2 * (p * (r - 1) + u - 1)] = Math.cos(angle);
                tw[2 * (p * (r - 1) + u - 1) + 1] = Math.sin(angle);
            }
        }
        return tw;
    }

    /** {@code y[at..] = (vr + i·vi)·(tw[w] + i·tw[w+1])}. */
    private static void rotate(double[] y, int at, double vr, double vi, double[] tw, int w) {
        y[at] = Math.fma(vr, tw[w], -(vi * tw[w + 1]));
        y[at + 1] = Math.fma(vr, tw[w + 1], vi * tw[w]);
    }

    private static void scalar4(double[] x, double[] y, int q, int s, double[] tw) {
        scalar4(x, y, q, s, tw, 0);
    }

    /** The radix-4 pass for the batch elements from {@code first} on (2·s doubles per point). */
    private static void scalar4(double[] x, double[] y, int q, int s, double[] tw, int first) {
        int step = 2 * s * q;
        int os = 2 * s;
        for (int p = 0; p < q; p++) {
            int w = 6 * p;
            for (int g = first; g < os; g += 2) {
                int i = 2 * s * p + g;
                double t0r = x[i] + x[i + 2 * step];
                double t0i = x[i + 1] + x[i + 2 * step + 1];
                double t1r = x[i] - x[i + 2 * step];
                double t1i = x[i + 1] - x[i + 2 * step + 1];
                double t2r = x[i + step] + x[i + 3 * step];
                double t2i = x[i + step + 1] + x[i + 3 * step + 1];
                double t3r = x[i + step] - x[i + 3 * step];
                double t3i = x[i + step + 1] - x[i + 3 * step + 1];
                int o = 8 * s * p + g;
                y[o] = t0r + t2r;
                y[o + 1] = t0i + t2i;
                rotate(y, o + os, t1r + t3i, t1i - t3r, tw, w);
                rotate(y, o + 2 * os, t0r - t2r, t0i - t2i, tw, w + 2);
                rotate(y, o + 3 * os, t1r - t3i, t1i + t3r, tw, w + 4);
            }
        }
    }

    private static void scalar5(double[] x, double[] y, int q, int s, double[] tw) {
        scalar5(x, y, q, s, tw, 0);
    }

    /** The radix-5 pass for the batch elements from {@code first} on. */
    private static void scalar5(double[] x, double[] y, int q, int s, double[] tw, int first) {
        int step = 2 * s * q;
        int os = 2 * s;
        for (int p = 0; p < q; p++) {
            int w = 8 * p;
            for (int g = first; g < os; g += 2) {
                int i = 2 * s * p + g;
                double t1r = x[i + step] + x[i + 4 * step];
                double t1i = x[i + step + 1] + x[i + 4 * step + 1];
                double t2r = x[i + 2 * step] + x[i + 3 * step];
                double t2i = x[i + 2 * step + 1] + x[i + 3 * step + 1];
                double d1r = x[i + step] - x[i + 4 * step];
                double d1i = x[i + step + 1] - x[i + 4 * step + 1];
                double d2r = x[i + 2 * step] - x[i + 3 * step];
                double d2i = x[i + 2 * step + 1] - x[i + 3 * step + 1];
                double a1r = Math.fma(C1, t1r, Math.fma(C2, t2r, x[i]));
                double a1i = Math.fma(C1, t1i, Math.fma(C2, t2i, x[i + 1]));
                double a2r = Math.fma(C2, t1r, Math.fma(C1, t2r, x[i]));
                double a2i = Math.fma(C2, t1i, Math.fma(C1, t2i, x[i + 1]));
                double e1r = Math.fma(S1, d1r, S2 * d2r);
                double e1i = Math.fma(S1, d1i, S2 * d2i);
                double e2r = Math.fma(S2, d1r, -(S1 * d2r));
                double e2i = Math.fma(S2, d1i, -(S1 * d2i));
                int o = 10 * s * p + g;
                y[o] = x[i] + t1r + t2r;
                y[o + 1] = x[i + 1] + t1i + t2i;
                rotate(y, o + os, a1r + e1i, a1i - e1r, tw, w);
                rotate(y, o + 2 * os, a2r + e2i, a2i - e2r, tw, w + 2);
                rotate(y, o + 3 * os, a2r - e2i, a2i + e2r, tw, w + 4);
                rotate(y, o + 4 * os, a1r - e1i, a1i + e1r, tw, w + 6);
            }
        }
    }

    /**
     * The same passes, lane-wise over the batch: a vector holds {@code lanes/2} interleaved complex values
     * that share every twiddle. A complex product is {@code v·wr + swap(v)·(-wi, +wi, ...)}, where swap
     * exchanges each value's real and imaginary lanes; the remaining batch elements go through the scalar
     * code. The width comes from {@code -Dbits} (128, 256 or 512; default 256) into static final fields: C2
     * turns Vector API calls into instructions only when the species is a constant (in an instance field the
     * passes ran 10 to 100 times slower than scalar), and only when every vector stays inside one compiled
     * method (a vector handed to a helper that is not inlined is boxed; a first version was 2.4 times slower).
     */
    private static final class Lanes {
        private static final VectorSpecies<Double> SPECIES = VectorSpecies.of(double.class,
                jdk.incubator.vector.VectorShape.forBitSize(Integer.getInteger("bits", 256)));
        private static final VectorShuffle<Double> SWAP = VectorShuffle.fromOp(SPECIES, l -> l ^ 1);
        private static final DoubleVector SIGNS = DoubleVector.fromArray(SPECIES, signs(), 0);

        private static double[] signs() {
            double[] sign = new double[SPECIES.length()];
            for (int l = 0; l < sign.length; l++) {
                sign[l] = l % 2 == 0 ? -1 : 1;
            }
            return sign;
        }

        static void pass4(double[] x, double[] y, int q, int s, double[] tw) {
            int step = 2 * s * q;
            int os = 2 * s;
            int end = os - os % SPECIES.length();
            for (int p = 0; p < q; p++) {
                int w = 6 * p;
                DoubleVector w1r = DoubleVector.broadcast(SPECIES, tw[w]);
                DoubleVector w1i = SIGNS.mul(tw[w + 1]);
                DoubleVector w2r = DoubleVector.broadcast(SPECIES, tw[w + 2]);
                DoubleVector w2i = SIGNS.mul(tw[w + 3]);
                DoubleVector w3r = DoubleVector.broadcast(SPECIES, tw[w + 4]);
                DoubleVector w3i = SIGNS.mul(tw[w + 5]);
                for (int g = 0; g < end; g += SPECIES.length()) {
                    int i = 2 * s * p + g;
                    DoubleVector x0 = DoubleVector.fromArray(SPECIES, x, i);
                    DoubleVector x1 = DoubleVector.fromArray(SPECIES, x, i + step);
                    DoubleVector x2 = DoubleVector.fromArray(SPECIES, x, i + 2 * step);
                    DoubleVector x3 = DoubleVector.fromArray(SPECIES, x, i + 3 * step);
                    DoubleVector t0 = x0.add(x2);
                    DoubleVector t1 = x0.sub(x2);
                    DoubleVector t2 = x1.add(x3);
                    // -i·(x1 - x3): (r, i) -> (i, -r)
                    DoubleVector t3 = x1.sub(x3).rearrange(SWAP).mul(SIGNS).neg();
                    int o = 8 * s * p + g;
                    t0.add(t2).intoArray(y, o);
                    DoubleVector v1 = t1.add(t3);
                    v1.rearrange(SWAP).fma(w1i, v1.mul(w1r)).intoArray(y, o + os);
                    DoubleVector v2 = t0.sub(t2);
                    v2.rearrange(SWAP).fma(w2i, v2.mul(w2r)).intoArray(y, o + 2 * os);
                    DoubleVector v3 = t1.sub(t3);
                    v3.rearrange(SWAP).fma(w3i, v3.mul(w3r)).intoArray(y, o + 3 * os);
                }
            }
            scalar4(x, y, q, s, tw, end);
        }

        static void pass5(double[] x, double[] y, int q, int s, double[] tw) {
            int step = 2 * s * q;
            int os = 2 * s;
            int end = os - os % SPECIES.length();
            DoubleVector c1 = DoubleVector.broadcast(SPECIES, C1);
            DoubleVector c2 = DoubleVector.broadcast(SPECIES, C2);
            DoubleVector s1 = DoubleVector.broadcast(SPECIES, S1);
            DoubleVector s2 = DoubleVector.broadcast(SPECIES, S2);
            for (int p = 0; p < q; p++) {
                int w = 8 * p;
                DoubleVector w1r = DoubleVector.broadcast(SPECIES, tw[w]);
                DoubleVector w1i = SIGNS.mul(tw[w + 1]);
                DoubleVector w2r = DoubleVector.broadcast(SPECIES, tw[w + 2]);
                DoubleVector w2i = SIGNS.mul(tw[w + 3]);
                DoubleVector w3r = DoubleVector.broadcast(SPECIES, tw[w + 4]);
                DoubleVector w3i = SIGNS.mul(tw[w + 5]);
                DoubleVector w4r = DoubleVector.broadcast(SPECIES, tw[w + 6]);
                DoubleVector w4i = SIGNS.mul(tw[w + 7]);
                for (int g = 0; g < end; g += SPECIES.length()) {
                    int i = 2 * s * p + g;
                    DoubleVector x0 = DoubleVector.fromArray(SPECIES, x, i);
                    DoubleVector x1 = DoubleVector.fromArray(SPECIES, x, i + step);
                    DoubleVector x2 = DoubleVector.fromArray(SPECIES, x, i + 2 * step);
                    DoubleVector x3 = DoubleVector.fromArray(SPECIES, x, i + 3 * step);
                    DoubleVector x4 = DoubleVector.fromArray(SPECIES, x, i + 4 * step);
                    DoubleVector t1 = x1.add(x4);
                    DoubleVector t2 = x2.add(x3);
                    DoubleVector d1 = x1.sub(x4);
                    DoubleVector d2 = x2.sub(x3);
                    DoubleVector a1 = t1.fma(c1, t2.fma(c2, x0));
                    DoubleVector a2 = t1.fma(c2, t2.fma(c1, x0));
                    // -i·e: (r, i) -> (i, -r)
                    DoubleVector e1 = d1.fma(s1, d2.mul(s2)).rearrange(SWAP).mul(SIGNS).neg();
                    DoubleVector e2 = d1.fma(s2, d2.mul(s1).neg()).rearrange(SWAP).mul(SIGNS).neg();
                    int o = 10 * s * p + g;
                    x0.add(t1).add(t2).intoArray(y, o);
                    DoubleVector v1 = a1.add(e1);
                    v1.rearrange(SWAP).fma(w1i, v1.mul(w1r)).intoArray(y, o + os);
                    DoubleVector v2 = a2.add(e2);
                    v2.rearrange(SWAP).fma(w2i, v2.mul(w2r)).intoArray(y, o + 2 * os);
                    DoubleVector v3 = a2.sub(e2);
                    v3.rearrange(SWAP).fma(w3i, v3.mul(w3r)).intoArray(y, o + 3 * os);
                    DoubleVector v4 = a1.sub(e1);
                    v4.rearrange(SWAP).fma(w4i, v4.mul(w4r)).intoArray(y, o + 4 * os);
                }
            }
            scalar5(x, y, q, s, tw, end);
        }
    }
}
