package io.github.audiosetdl.core.dsp;

import java.util.Arrays;

/**
 * A complex forward FFT of one length: Stockham autosort, decimation in frequency, one pass per
 * radix. A pass of radix {@code r} sees {@code s} interleaved sequences of length {@code r·q}
 * (element {@code t} of sequence {@code g} at {@code g + s·t}) and writes
 * {@code exp(-2πi·p·u/(r·q)) · sum_t x[g + s·(p + t·q)]·exp(-2πi·t·u/r)} to {@code g + s·(r·p + u)};
 * the next pass sees {@code r·s} sequences of length {@code q}. Immutable.
 */
final class StockhamPlan {
    /** The largest prime factor supported, by the generic odd radix pass. */
    static final int MAX_PRIME = 13;

    private final int[] radix;
    private final int[] span;
    private final int[] stride;
    /** Per pass, {@code exp(-2πi·p·u/(r·q))} at {@code [p·(r-1) + u - 1]} (complex). */
    private final double[][] twiddles;
    /** Per pass with a generic odd radix {@code r}: {@code cos, sin(2π·t/r)}, {@code t < r}. */
    private final double[][] roots;
    /** The SIMD butterflies, or null for scalar code only. */
    private final Butterflies simd;

    StockhamPlan(int size, Butterflies simd) {
        this.simd = simd;
        int[] factors = factors(size);
        int count = factors.length;
        radix = factors;
        span = new int[count];
        stride = new int[count];
        twiddles = new double[count][];
        roots = new double[count][];
        int len = size;
        int s = 1;
        for (int i = 0; i < count; i++) {
            int r = factors[i];
            int q = len / r;
            span[i] = q;
            stride[i] = s;
            double[] tw = new double[2 * q * (r - 1)];
            for (int p = 0; p < q; p++) {
                for (int u = 1; u < r; u++) {
                    RealFft.setRoot(tw, p * (r - 1) + u - 1, (long) p * u, len);
                }
            }
            twiddles[i] = tw;
            if (r > 8) {
                double[] rt = new double[2 * r];
                for (int t = 0; t < r; t++) {
                    double angle = 2 * Math.PI * t / r;
                    rt[2 * t] = Math.cos(angle);
                    rt[2 * t + 1] = Math.sin(angle);
                }
                roots[i] = rt;
            }
            len = q;
            s *= r;
        }
    }

    long tableBytes() {
        long doubles = 0;
        for (int i = 0; i < radix.length; i++) {
            doubles += twiddles[i].length + (roots[i] == null ? 0 : roots[i].length);
        }
        return 8 * doubles + 4L * 3 * radix.length;
    }

    /**
     * @return the radices for {@code size}: for {@code 2^e}, 8s then (for {@code e mod 3 = 1}) two 4s
     *     or (for {@code e mod 3 = 2}) one 4, or a 2 alone for {@code e = 1}; then odd primes ascending
     */
    static int[] factors(int size) {
        int[] factors = new int[32];
        int count = 0;
        int rest = size;
        int e = Integer.numberOfTrailingZeros(rest);
        rest >>= e;
        if (e == 1) {
            factors[count++] = 2;
        } else {
            int fours = e % 3 == 1 ? 2 : e % 3 == 2 ? 1 : 0;
            for (int i = 0; i < (e - 2 * fours) / 3; i++) {
                factors[count++] = 8;
            }
            for (int i = 0; i < fours; i++) {
                factors[count++] = 4;
            }
        }
        for (int p = 3; rest > 1; p += 2) {
            while (rest % p == 0) {
                factors[count++] = p;
                rest /= p;
            }
        }
        return Arrays.copyOf(factors, count);
    }

    /**
     * Transforms {@code batch} sequences, element {@code t} of sequence {@code g} at
     * {@code base + 2·(g + inStride·t)} in {@code in} (real part; the imaginary part follows), which is
     * only read. The passes write to {@code a} and {@code b} alternately; {@code in} may be {@code b},
     * not {@code a}.
     *
     * @return {@code a} or {@code b}, whichever holds the result, {@code X_g[k]} at {@code 2·(g + batch·k)}
     */
    double[] run(double[] in, int base, int inStride, double[] a, double[] b, int batch, FftWorkspace ws) {
        if (radix.length == 0) {
            for (int g = 0; g < 2 * batch; g++) {
                a[g] = in[base + g];
            }
            return a;
        }
        double[] src = in;
        double[] dst = a;
        int from = base;
        int sx = inStride;
        for (int i = 0; i < radix.length; i++) {
            int q = span[i];
            int s = stride[i] * batch;
            if (i > 0) {
                from = 0;
                sx = s;
            }
            // The SIMD passes do the batch elements that fill whole vectors; the scalar ones the rest.
            int first = simd == null ? 0 : simd.pass(radix[i], src, from, sx, dst, q, s, twiddles[i]);
            if (first < 2 * s) {
                scalarPass(i, src, from, sx, dst, q, s, first, ws);
            }
            src = dst;
            dst = dst == a ? b : a;
        }
        return src;
    }

    /** Pass {@code i}'s butterflies for the batch elements from {@code first} (doubles per point) on. */
    private void scalarPass(int i, double[] src, int from, int sx, double[] dst, int q, int s, int first,
            FftWorkspace ws) {
        double[] tw = twiddles[i];
        switch (radix[i]) {
            case 2:
                pass2(src, from, sx, dst, q, s, tw, first);
                break;
            case 3:
                pass3(src, from, sx, dst, q, s, tw, first);
                break;
            case 4:
                pass4(src, from, sx, dst, q, s, tw, first);
                break;
            case 5:
                pass5(src, from, sx, dst, q, s, tw, first);
                break;
            case 7:
                pass7(src, from, sx, dst, q, s, tw, first);
                break;
            case 8:
                pass8(src, from, sx, dst, q, s, tw, first);
                break;
            default:
                passOdd(src, from, sx, dst, radix[i], q, s, tw, roots[i], ws);
                break;
        }
    }

    /**
     * Stores {@code v·tw[w]} at {@code y[at]}, or {@code v} itself when {@code plain} (the twiddle is 1:
     * {@code p = 0}, loop-invariant, so the JIT unswitches the loop on it).
     */
    private static void put(double[] y, int at, double vr, double vi, double[] tw, int w, boolean plain) {
        if (plain) {
            y[at] = vr;
            y[at + 1] = vi;
        } else {
            double wr = tw[w];
            double wi = tw[w + 1];
            y[at] = Math.fma(vr, wr, -(vi * wi));
            y[at + 1] = Math.fma(vi, wr, vr * wi);
        }
    }

    /** As {@link #put(double[], int, double, double, double[], int, boolean)} with the twiddle given. */
    private static void put(double[] y, int at, double vr, double vi, double wr, double wi, boolean plain) {
        if (plain) {
            y[at] = vr;
            y[at + 1] = vi;
        } else {
            y[at] = Math.fma(vr, wr, -(vi * wi));
            y[at + 1] = Math.fma(vi, wr, vr * wi);
        }
    }

    private static void pass2(double[] x, int base, int sx, double[] y, int q, int s, double[] tw,
            int first) {
        int step = 2 * sx * q;
        int os = 2 * s;
        for (int p = 0; p < q; p++) {
            boolean plain = p == 0;
            int w = 2 * p;
            double w1r = tw[w];
            double w1i = tw[w + 1];
            int in = base + 2 * sx * p;
            int o = 4 * s * p;
            for (int g = first; g < os; g += 2) {
                int i0 = in + g;
                double ar = x[i0];
                double ai = x[i0 + 1];
                double br = x[i0 + step];
                double bi = x[i0 + step + 1];
                int o0 = o + g;
                y[o0] = ar + br;
                y[o0 + 1] = ai + bi;
                put(y, o0 + os, ar - br, ai - bi, w1r, w1i, plain);
            }
        }
    }

    private static void pass3(double[] x, int base, int sx, double[] y, int q, int s, double[] tw,
            int first) {
        final double c = Math.sqrt(0.75);
        int step = 2 * sx * q;
        int os = 2 * s;
        for (int p = 0; p < q; p++) {
            boolean plain = p == 0;
            int w = 4 * p;
            double w1r = tw[w];
            double w1i = tw[w + 1];
            double w2r = tw[w + 2];
            double w2i = tw[w + 3];
            int in = base + 2 * sx * p;
            int o = 6 * s * p;
            for (int g = first; g < os; g += 2) {
                int i0 = in + g;
                double x0r = x[i0];
                double x0i = x[i0 + 1];
                double x1r = x[i0 + step];
                double x1i = x[i0 + step + 1];
                double x2r = x[i0 + 2 * step];
                double x2i = x[i0 + 2 * step + 1];
                double tr = x1r + x2r;
                double ti = x1i + x2i;
                double dr = c * (x1r - x2r);
                double di = c * (x1i - x2i);
                double mr = Math.fma(-0.5, tr, x0r);
                double mi = Math.fma(-0.5, ti, x0i);
                int o0 = o + g;
                y[o0] = x0r + tr;
                y[o0 + 1] = x0i + ti;
                put(y, o0 + os, mr + di, mi - dr, w1r, w1i, plain);
                put(y, o0 + 2 * os, mr - di, mi + dr, w2r, w2i, plain);
            }
        }
    }

    private static void pass4(double[] x, int base, int sx, double[] y, int q, int s, double[] tw,
            int first) {
        int step = 2 * sx * q;
        int os = 2 * s;
        for (int p = 0; p < q; p++) {
            boolean plain = p == 0;
            int w = 6 * p;
            double w1r = tw[w];
            double w1i = tw[w + 1];
            double w2r = tw[w + 2];
            double w2i = tw[w + 3];
            double w3r = tw[w + 4];
            double w3i = tw[w + 5];
            int in = base + 2 * sx * p;
            int o = 8 * s * p;
            for (int g = first; g < os; g += 2) {
                int i0 = in + g;
                double x0r = x[i0];
                double x0i = x[i0 + 1];
                double x1r = x[i0 + step];
                double x1i = x[i0 + step + 1];
                double x2r = x[i0 + 2 * step];
                double x2i = x[i0 + 2 * step + 1];
                double x3r = x[i0 + 3 * step];
                double x3i = x[i0 + 3 * step + 1];
                double t0r = x0r + x2r;
                double t0i = x0i + x2i;
                double t1r = x0r - x2r;
                double t1i = x0i - x2i;
                double t2r = x1r + x3r;
                double t2i = x1i + x3i;
                double t3r = x1r - x3r;
                double t3i = x1i - x3i;
                int o0 = o + g;
                y[o0] = t0r + t2r;
                y[o0 + 1] = t0i + t2i;
                put(y, o0 + os, t1r + t3i, t1i - t3r, w1r, w1i, plain);
                put(y, o0 + 2 * os, t0r - t2r, t0i - t2i, w2r, w2i, plain);
                put(y, o0 + 3 * os, t1r - t3i, t1i + t3r, w3r, w3i, plain);
            }
        }
    }

    private static void pass5(double[] x, int base, int sx, double[] y, int q, int s, double[] tw,
            int first) {
        final double c1 = Math.cos(2 * Math.PI / 5);
        final double c2 = Math.cos(4 * Math.PI / 5);
        final double s1 = Math.sin(2 * Math.PI / 5);
        final double s2 = Math.sin(4 * Math.PI / 5);
        int step = 2 * sx * q;
        int os = 2 * s;
        for (int p = 0; p < q; p++) {
            boolean plain = p == 0;
            int w = 8 * p;
            double w1r = tw[w];
            double w1i = tw[w + 1];
            double w2r = tw[w + 2];
            double w2i = tw[w + 3];
            double w3r = tw[w + 4];
            double w3i = tw[w + 5];
            double w4r = tw[w + 6];
            double w4i = tw[w + 7];
            int in = base + 2 * sx * p;
            int o = 10 * s * p;
            for (int g = first; g < os; g += 2) {
                int i0 = in + g;
                double x0r = x[i0];
                double x0i = x[i0 + 1];
                double x1r = x[i0 + step];
                double x1i = x[i0 + step + 1];
                double x2r = x[i0 + 2 * step];
                double x2i = x[i0 + 2 * step + 1];
                double x3r = x[i0 + 3 * step];
                double x3i = x[i0 + 3 * step + 1];
                double x4r = x[i0 + 4 * step];
                double x4i = x[i0 + 4 * step + 1];
                double t1r = x1r + x4r;
                double t1i = x1i + x4i;
                double t2r = x2r + x3r;
                double t2i = x2i + x3i;
                double d1r = x1r - x4r;
                double d1i = x1i - x4i;
                double d2r = x2r - x3r;
                double d2i = x2i - x3i;
                double a1r = Math.fma(c1, t1r, Math.fma(c2, t2r, x0r));
                double a1i = Math.fma(c1, t1i, Math.fma(c2, t2i, x0i));
                double a2r = Math.fma(c2, t1r, Math.fma(c1, t2r, x0r));
                double a2i = Math.fma(c2, t1i, Math.fma(c1, t2i, x0i));
                double e1r = Math.fma(s1, d1r, s2 * d2r);
                double e1i = Math.fma(s1, d1i, s2 * d2i);
                double e2r = Math.fma(s2, d1r, -(s1 * d2r));
                double e2i = Math.fma(s2, d1i, -(s1 * d2i));
                int o0 = o + g;
                y[o0] = x0r + t1r + t2r;
                y[o0 + 1] = x0i + t1i + t2i;
                put(y, o0 + os, a1r + e1i, a1i - e1r, w1r, w1i, plain);
                put(y, o0 + 2 * os, a2r + e2i, a2i - e2r, w2r, w2i, plain);
                put(y, o0 + 3 * os, a2r - e2i, a2i + e2r, w3r, w3i, plain);
                put(y, o0 + 4 * os, a1r - e1i, a1i + e1r, w4r, w4i, plain);
            }
        }
    }

    /**
     * Radix 8 as a radix-2 step ({@code a_t = x_t + x_{t+4}}, {@code b_t = (x_t - x_{t+4})·exp(-2πi·t/8)})
     * followed by radix-4 butterflies on {@code a} (the even outputs) and on {@code b} (the odd ones).
     */
    private static void pass8(double[] x, int base, int sx, double[] y, int q, int s, double[] tw,
            int first) {
        final double h = Math.sqrt(0.5);
        int step = 2 * sx * q;
        int os = 2 * s;
        for (int p = 0; p < q; p++) {
            boolean plain = p == 0;
            int w = 14 * p;
            double w1r = tw[w + 0];
            double w1i = tw[w + 1];
            double w2r = tw[w + 2];
            double w2i = tw[w + 3];
            double w3r = tw[w + 4];
            double w3i = tw[w + 5];
            double w4r = tw[w + 6];
            double w4i = tw[w + 7];
            double w5r = tw[w + 8];
            double w5i = tw[w + 9];
            double w6r = tw[w + 10];
            double w6i = tw[w + 11];
            double w7r = tw[w + 12];
            double w7i = tw[w + 13];
            int in = base + 2 * sx * p;
            int o = 16 * s * p;
            for (int g = first; g < os; g += 2) {
                int i0 = in + g;
                double x0r = x[i0];
                double x0i = x[i0 + 1];
                double x1r = x[i0 + step];
                double x1i = x[i0 + step + 1];
                double x2r = x[i0 + 2 * step];
                double x2i = x[i0 + 2 * step + 1];
                double x3r = x[i0 + 3 * step];
                double x3i = x[i0 + 3 * step + 1];
                double x4r = x[i0 + 4 * step];
                double x4i = x[i0 + 4 * step + 1];
                double x5r = x[i0 + 5 * step];
                double x5i = x[i0 + 5 * step + 1];
                double x6r = x[i0 + 6 * step];
                double x6i = x[i0 + 6 * step + 1];
                double x7r = x[i0 + 7 * step];
                double x7i = x[i0 + 7 * step + 1];
                double a0r = x0r + x4r;
                double a0i = x0i + x4i;
                double a1r = x1r + x5r;
                double a1i = x1i + x5i;
                double a2r = x2r + x6r;
                double a2i = x2i + x6i;
                double a3r = x3r + x7r;
                double a3i = x3i + x7i;
                double b0r = x0r - x4r;
                double b0i = x0i - x4i;
                double d1r = x1r - x5r;
                double d1i = x1i - x5i;
                // b1 = d1·(1 - i)/√2, b2 = (x2 - x6)·(-i), b3 = d3·(-1 - i)/√2.
                double b1r = h * (d1r + d1i);
                double b1i = h * (d1i - d1r);
                double b2r = x2i - x6i;
                double b2i = x6r - x2r;
                double d3r = x3r - x7r;
                double d3i = x3i - x7i;
                double b3r = h * (d3i - d3r);
                double b3i = -h * (d3r + d3i);
                // Even outputs: the radix-4 butterfly of a.
                double t0r = a0r + a2r;
                double t0i = a0i + a2i;
                double t1r = a0r - a2r;
                double t1i = a0i - a2i;
                double t2r = a1r + a3r;
                double t2i = a1i + a3i;
                double t3r = a1r - a3r;
                double t3i = a1i - a3i;
                int o0 = o + g;
                y[o0] = t0r + t2r;
                y[o0 + 1] = t0i + t2i;
                put(y, o0 + 2 * os, t1r + t3i, t1i - t3r, w2r, w2i, plain);
                put(y, o0 + 4 * os, t0r - t2r, t0i - t2i, w4r, w4i, plain);
                put(y, o0 + 6 * os, t1r - t3i, t1i + t3r, w6r, w6i, plain);
                // Odd outputs: the radix-4 butterfly of b.
                double u0r = b0r + b2r;
                double u0i = b0i + b2i;
                double u1r = b0r - b2r;
                double u1i = b0i - b2i;
                double u2r = b1r + b3r;
                double u2i = b1i + b3i;
                double u3r = b1r - b3r;
                double u3i = b1i - b3i;
                put(y, o0 + os, u0r + u2r, u0i + u2i, w1r, w1i, plain);
                put(y, o0 + 3 * os, u1r + u3i, u1i - u3r, w3r, w3i, plain);
                put(y, o0 + 5 * os, u0r - u2r, u0i - u2i, w5r, w5i, plain);
                put(y, o0 + 7 * os, u1r - u3i, u1i + u3r, w7r, w7i, plain);
            }
        }
    }

    private static void pass7(double[] x, int base, int sx, double[] y, int q, int s, double[] tw,
            int first) {
        final double c1 = Math.cos(2 * Math.PI / 7);
        final double c2 = Math.cos(4 * Math.PI / 7);
        final double c3 = Math.cos(6 * Math.PI / 7);
        final double s1 = Math.sin(2 * Math.PI / 7);
        final double s2 = Math.sin(4 * Math.PI / 7);
        final double s3 = Math.sin(6 * Math.PI / 7);
        int step = 2 * sx * q;
        int os = 2 * s;
        for (int p = 0; p < q; p++) {
            boolean plain = p == 0;
            int w = 12 * p;
            double w1r = tw[w + 0];
            double w1i = tw[w + 1];
            double w2r = tw[w + 2];
            double w2i = tw[w + 3];
            double w3r = tw[w + 4];
            double w3i = tw[w + 5];
            double w4r = tw[w + 6];
            double w4i = tw[w + 7];
            double w5r = tw[w + 8];
            double w5i = tw[w + 9];
            double w6r = tw[w + 10];
            double w6i = tw[w + 11];
            int in = base + 2 * sx * p;
            int o = 14 * s * p;
            for (int g = first; g < os; g += 2) {
                int i0 = in + g;
                double x0r = x[i0];
                double x0i = x[i0 + 1];
                double x1r = x[i0 + step];
                double x1i = x[i0 + step + 1];
                double x2r = x[i0 + 2 * step];
                double x2i = x[i0 + 2 * step + 1];
                double x3r = x[i0 + 3 * step];
                double x3i = x[i0 + 3 * step + 1];
                double x4r = x[i0 + 4 * step];
                double x4i = x[i0 + 4 * step + 1];
                double x5r = x[i0 + 5 * step];
                double x5i = x[i0 + 5 * step + 1];
                double x6r = x[i0 + 6 * step];
                double x6i = x[i0 + 6 * step + 1];
                double t1r = x1r + x6r;
                double t1i = x1i + x6i;
                double t2r = x2r + x5r;
                double t2i = x2i + x5i;
                double t3r = x3r + x4r;
                double t3i = x3i + x4i;
                double d1r = x1r - x6r;
                double d1i = x1i - x6i;
                double d2r = x2r - x5r;
                double d2i = x2i - x5i;
                double d3r = x3r - x4r;
                double d3i = x3i - x4i;
                // cos/sin(2π·t·u/7) for u = 1, 2, 3 over t = 1, 2, 3: c4 = c3, c6 = c1, s4 = -s3, s6 = -s1.
                double a1r = Math.fma(c1, t1r, Math.fma(c2, t2r, Math.fma(c3, t3r, x0r)));
                double a1i = Math.fma(c1, t1i, Math.fma(c2, t2i, Math.fma(c3, t3i, x0i)));
                double a2r = Math.fma(c2, t1r, Math.fma(c3, t2r, Math.fma(c1, t3r, x0r)));
                double a2i = Math.fma(c2, t1i, Math.fma(c3, t2i, Math.fma(c1, t3i, x0i)));
                double a3r = Math.fma(c3, t1r, Math.fma(c1, t2r, Math.fma(c2, t3r, x0r)));
                double a3i = Math.fma(c3, t1i, Math.fma(c1, t2i, Math.fma(c2, t3i, x0i)));
                double e1r = Math.fma(s1, d1r, Math.fma(s2, d2r, s3 * d3r));
                double e1i = Math.fma(s1, d1i, Math.fma(s2, d2i, s3 * d3i));
                double e2r = Math.fma(s2, d1r, -Math.fma(s3, d2r, s1 * d3r));
                double e2i = Math.fma(s2, d1i, -Math.fma(s3, d2i, s1 * d3i));
                double e3r = Math.fma(s3, d1r, Math.fma(-s1, d2r, s2 * d3r));
                double e3i = Math.fma(s3, d1i, Math.fma(-s1, d2i, s2 * d3i));
                int o0 = o + g;
                y[o0] = x0r + t1r + t2r + t3r;
                y[o0 + 1] = x0i + t1i + t2i + t3i;
                put(y, o0 + os, a1r + e1i, a1i - e1r, w1r, w1i, plain);
                put(y, o0 + 2 * os, a2r + e2i, a2i - e2r, w2r, w2i, plain);
                put(y, o0 + 3 * os, a3r + e3i, a3i - e3r, w3r, w3i, plain);
                put(y, o0 + 4 * os, a3r - e3i, a3i + e3r, w4r, w4i, plain);
                put(y, o0 + 5 * os, a2r - e2i, a2i + e2r, w5r, w5i, plain);
                put(y, o0 + 6 * os, a1r - e1i, a1i + e1r, w6r, w6i, plain);
            }
        }
    }

    /**
     * A generic odd radix {@code r}: {@code b_u = a_u - i·e_u}, {@code b_{r-u} = a_u + i·e_u} with
     * {@code a_u = x_0 + sum_t cos(2πtu/r)·(x_t + x_{r-t})}, {@code e_u = sum_t sin(2πtu/r)·(x_t - x_{r-t})},
     * {@code 1 <= t, u <= r/2}.
     */
    private static void passOdd(double[] x, int base, int sx, double[] y, int r, int q, int s, double[] tw,
            double[] rt, FftWorkspace ws) {
        int h = r / 2;
        int step = 2 * sx * q;
        int os = 2 * s;
        double[] pr = ws.sumRe;
        double[] pi = ws.sumIm;
        double[] mr = ws.difRe;
        double[] mi = ws.difIm;
        for (int p = 0; p < q; p++) {
            boolean plain = p == 0;
            int w = 2 * (r - 1) * p;
            int in = base + 2 * sx * p;
            int o = 2 * r * s * p;
            for (int g = 0; g < os; g += 2) {
                int i0 = in + g;
                double x0r = x[i0];
                double x0i = x[i0 + 1];
                double b0r = x0r;
                double b0i = x0i;
                for (int t = 1; t <= h; t++) {
                    double ar = x[i0 + t * step];
                    double ai = x[i0 + t * step + 1];
                    double br = x[i0 + (r - t) * step];
                    double bi = x[i0 + (r - t) * step + 1];
                    pr[t] = ar + br;
                    pi[t] = ai + bi;
                    mr[t] = ar - br;
                    mi[t] = ai - bi;
                    b0r += pr[t];
                    b0i += pi[t];
                }
                int o0 = o + g;
                y[o0] = b0r;
                y[o0 + 1] = b0i;
                for (int u = 1; u <= h; u++) {
                    double ar = x0r;
                    double ai = x0i;
                    double er = 0;
                    double ei = 0;
                    for (int t = 1, idx = u; t <= h; t++, idx = idx + u >= r ? idx + u - r : idx + u) {
                        double c = rt[2 * idx];
                        double sn = rt[2 * idx + 1];
                        ar = Math.fma(c, pr[t], ar);
                        ai = Math.fma(c, pi[t], ai);
                        er = Math.fma(sn, mr[t], er);
                        ei = Math.fma(sn, mi[t], ei);
                    }
                    put(y, o0 + u * os, ar + ei, ai - er, tw, w + 2 * (u - 1), plain);
                    put(y, o0 + (r - u) * os, ar - ei, ai + er, tw, w + 2 * (r - u - 1), plain);
                }
            }
        }
    }
}
