package io.github.audiosetdl.core.dsp;

/**
 * Element-wise kernels over interleaved complex arrays (value {@code v} at {@code [2v]}, real part, and
 * {@code [2v + 1]}, imaginary part), on the FFT engine's SIMD vectors when they are available
 * ({@link io.github.audiosetdl.core.dsp the package comment}), with the same doubles as the scalar loops either
 * way. For loops that the JIT does not vectorise by itself: a complex product mixes the two lanes of a value.
 */
public final class ComplexArrays {
    private ComplexArrays() {
    }

    /**
     * {@code out_v = (a_v · w) · t_v} for {@code v < count}, each product rounded as
     * {@code (fma(xr, yr, -(xi·yi)), fma(xi, yr, xr·yi))}.
     *
     * @param a the first factors, {@code count} interleaved values from {@code a[aOff]}
     * @param aOff the index of {@code Re a_0}
     * @param wr the real part of the factor common to every value
     * @param wi its imaginary part
     * @param t the third factors (a twiddle table, say), {@code count} interleaved values from {@code t[tOff]}
     * @param tOff the index of {@code Re t_0}
     * @param out receives {@code count} interleaved values from {@code out[outOff]}; may be {@code a} at
     *     {@code aOff} (in place), must not otherwise overlap {@code a} or {@code t}
     * @param outOff the index of {@code Re out_0}
     * @param count the number of complex values
     * @throws IndexOutOfBoundsException if a range lies outside its array
     */
    public static void multiply(double[] a, int aOff, double wr, double wi, double[] t, int tOff, double[] out,
            int outOff, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, not " + count);
        }
        checkRange(a, aOff, count);
        checkRange(t, tOff, count);
        checkRange(out, outOff, count);
        Butterflies simd = Butterflies.simd();
        int v = simd == null ? 0 : simd.multiply(a, aOff, wr, wi, t, tOff, out, outOff, count);
        for (; v < count; v++) {
            int ia = aOff + 2 * v;
            int it = tOff + 2 * v;
            double ar = a[ia];
            double ai = a[ia + 1];
            double ur = Math.fma(ar, wr, -(ai * wi));
            double ui = Math.fma(ai, wr, ar * wi);
            double tr = t[it];
            double ti = t[it + 1];
            int io = outOff + 2 * v;
            out[io] = Math.fma(ur, tr, -(ui * ti));
            out[io + 1] = Math.fma(ui, tr, ur * ti);
        }
    }

    /**
     * The moduli of a {@link BatchFft}'s signals, one array per signal: {@code out[g][outOff + t] = |x_g[t]|}
     * for {@code g < batch}, {@code t < length}, with {@code x_g[t]} at {@code x[2·(g + batch·t)]} (real part) and
     * the next double, each rounded as {@code sqrt(re·re + im·im)}.
     *
     * @param x the signals, interleaved as {@link BatchFft} lays them out
     * @param batch the number of signals, {@code >= 1}
     * @param length the values per signal
     * @param out at least {@code batch} arrays, each with at least {@code outOff + length} doubles
     * @param outOff the index of each signal's first modulus
     * @throws IllegalArgumentException if {@code batch < 1} or {@code length < 0}
     * @throws IndexOutOfBoundsException if a range lies outside its array
     */
    public static void modulusTransposed(double[] x, int batch, int length, double[][] out, int outOff) {
        if (batch < 1 || length < 0) {
            throw new IllegalArgumentException("batch " + batch + " and length " + length
                    + ": need batch >= 1, length >= 0");
        }
        if (2L * batch * length > x.length || out.length < batch) {
            throw new IndexOutOfBoundsException(batch + " signals of " + length + " values, from an array of "
                    + x.length + " doubles into " + out.length + " arrays");
        }
        for (int g = 0; g < batch; g++) {
            if (outOff < 0 || outOff > out[g].length - (long) length) {
                throw new IndexOutOfBoundsException("moduli " + outOff + ".." + (outOff + (long) length - 1)
                        + " of an array of " + out[g].length);
            }
        }
        Butterflies simd = Butterflies.simd();
        int even = batch - batch % 2;
        int done = simd == null ? 0 : simd.modulusTransposed(x, batch, length, out, outOff);
        int w2 = 2 * batch;
        for (int g = 0; g < batch; g++) {
            double[] e = out[g];
            for (int t = g < even ? done : 0, k = 2 * g + w2 * t; t < length; t++, k += w2) {
                double re = x[k];
                double im = x[k + 1];
                e[outOff + t] = Math.sqrt(re * re + im * im);
            }
        }
    }

    private static void checkRange(double[] x, int off, int count) {
        if (off < 0 || off > x.length - 2L * count) {
            throw new IndexOutOfBoundsException("doubles " + off + ".." + (off + 2L * count - 1) + " of an array of "
                    + x.length);
        }
    }
}
