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

    /**
     * Pass {@code i}'s butterflies for the batch elements from {@code first} (doubles per point) on: the unrolled
     * pass generated for its radix ({@code StockhamPasses}, see docs/architecture.md), else the generic odd one.
     */
    private void scalarPass(int i, double[] src, int from, int sx, double[] dst, int q, int s, int first,
            FftWorkspace ws) {
        if (!StockhamPasses.run(radix[i], src, from, sx, dst, q, s, twiddles[i], first)) {
            passOdd(src, from, sx, dst, radix[i], q, s, twiddles[i], roots[i], ws);
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
