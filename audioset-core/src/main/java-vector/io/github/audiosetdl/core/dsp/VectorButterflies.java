package io.github.audiosetdl.core.dsp;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RealFft}'s radix-2, 3, 4, 5, 7 and 8 passes on 256-bit vectors of the incubating Vector API. Used only
 * when the JVM runs with {@code --add-modules jdk.incubator.vector} (see {@link Butterflies#simd}); this class
 * is compiled apart from the rest (javac always warns about an incubating module, and the build has
 * {@code -Werror}) and is never loaded without the module.
 *
 * <p>A batched pass applies one butterfly, with one set of twiddles, to {@code s} interleaved complex values
 * that lie next to each other, so a vector holds two complex values ({@code re, im, re, im}) that share every
 * constant. The butterflies are {@link RealFft}'s, operation for operation: each result is the same double as
 * the scalar pass gives, so a transform's output does not depend on whether SIMD was used. Two identities
 * carry the complex arithmetic: {@code -i·v = swap(v)·(1, -1)}, where swap exchanges each value's real and
 * imaginary lanes, and {@code v·w = fma(v, wr, swap(v)·(-wi, wi))}, which rounds as the scalar
 * {@code (fma(vr, wr, -(vi·wi)), fma(vi, wr, vr·wi))}.
 *
 * <p>Each pass is one method with no vector-valued helpers: on JDK 17 a vector that crosses a call that is not
 * inlined is boxed, and the first such version ran 2.4 times slower than scalar code. The species is a
 * constant for the same reason (C2 compiles Vector API calls to instructions only when it is). 256 bits: on
 * the AMD EPYC measured, 128-bit vectors ran 30 to 40 times slower than scalar code (their lane swap is not
 * compiled to an instruction on JDK 17), and 512-bit ones no faster than 256-bit ones.
 */
final class VectorButterflies implements Butterflies {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_256;
    private static final int LANES = SPECIES.length();
    private static final VectorShuffle<Double> SWAP = VectorShuffle.fromOp(SPECIES, lane -> lane ^ 1);
    /** Exchanges the two 128-bit halves. */
    private static final VectorShuffle<Double> HALVES = VectorShuffle.fromOp(SPECIES, lane -> lane ^ 2);
    private static final VectorMask<Double> ODD_LANES = VectorMask.fromValues(SPECIES, false, true, false, true);
    private static final VectorMask<Double> HIGH_LANES = VectorMask.fromValues(SPECIES, false, false, true, true);
    /** Each value's real lane in both of its lanes. */
    private static final VectorShuffle<Double> EVEN = VectorShuffle.fromOp(SPECIES, lane -> lane & ~1);
    /** Each value's imaginary lane in both of its lanes. */
    private static final VectorShuffle<Double> ODD = VectorShuffle.fromOp(SPECIES, lane -> lane | 1);
    /** {@code (-1, 1, -1, 1)}: times {@code wi}, the factor of {@code swap(v)} in a complex product. */
    private static final DoubleVector IM_SIGNS = DoubleVector.fromArray(SPECIES, new double[] {-1, 1, -1, 1}, 0);
    /** {@code (1, -1, 1, -1)}: {@code -i·v = swap(v)·NEG_I}. */
    private static final DoubleVector NEG_I = DoubleVector.fromArray(SPECIES, new double[] {1, -1, 1, -1}, 0);

    /**
     * Made once, by reflection, by {@link Butterflies#simd}.
     *
     * @throws UnsupportedOperationException if this machine's double vectors are narrower than 256 bits (where
     *     the Vector API would emulate them, far slower than scalar code)
     */
    VectorButterflies() {
        int bits = DoubleVector.SPECIES_PREFERRED.vectorBitSize();
        if (bits < SPECIES.vectorBitSize()) {
            throw new UnsupportedOperationException("this machine's double vectors have " + bits + " bits, not 256");
        }
    }

    @Override
    public int pass(int radix, double[] x, int base, int sx, double[] y, int q, int s, double[] tw) {
        switch (radix) {
            case 2:
                return pass2(x, base, sx, y, q, s, tw);
            case 3:
                return pass3(x, base, sx, y, q, s, tw);
            case 4:
                return pass4(x, base, sx, y, q, s, tw);
            case 5:
                return pass5(x, base, sx, y, q, s, tw);
            case 7:
                return pass7(x, base, sx, y, q, s, tw);
            case 8:
                return pass8(x, base, sx, y, q, s, tw);
            default:
                return 0;
        }
    }

    @Override
    public int multiply(double[] a, int aOff, double wr, double wi, double[] t, int tOff, double[] out, int outOff,
            int count) {
        int end = vectorEnd(count);
        DoubleVector vwr = DoubleVector.broadcast(SPECIES, wr);
        DoubleVector vwi = IM_SIGNS.mul(wi);
        for (int k = 0; k < end; k += LANES) {
            DoubleVector av = DoubleVector.fromArray(SPECIES, a, aOff + k);
            DoubleVector u = av.fma(vwr, av.rearrange(SWAP).mul(vwi));
            DoubleVector tv = DoubleVector.fromArray(SPECIES, t, tOff + k);
            DoubleVector tr = tv.rearrange(EVEN);
            DoubleVector ti = tv.rearrange(ODD).mul(IM_SIGNS);
            u.fma(tr, u.rearrange(SWAP).mul(ti)).intoArray(out, outOff + k);
        }
        return end / 2;
    }

    /**
     * Four indices {@code t} of two signals at a time: the squares of four rows' two values, each value's lanes
     * added, then blended and their halves exchanged into one vector per signal, and one square root per vector.
     */
    @Override
    public int modulusTransposed(double[] x, int batch, int length, double[][] out, int outOff) {
        int rows = length - length % LANES;
        int pairs = batch / 2;
        int stride = 2 * batch;
        for (int t = 0; t < rows; t += LANES) {
            int row = stride * t;
            for (int h = 0; h < pairs; h++) {
                int i = row + 4 * h;
                DoubleVector q0 = DoubleVector.fromArray(SPECIES, x, i);
                DoubleVector q1 = DoubleVector.fromArray(SPECIES, x, i + stride);
                DoubleVector q2 = DoubleVector.fromArray(SPECIES, x, i + 2 * stride);
                DoubleVector q3 = DoubleVector.fromArray(SPECIES, x, i + 3 * stride);
                q0 = q0.mul(q0);
                q1 = q1.mul(q1);
                q2 = q2.mul(q2);
                q3 = q3.mul(q3);
                // lanes (|x_g[t + k]|^2, same, |x_{g+1}[t + k]|^2, same) for row k
                DoubleVector a0 = q0.add(q0.rearrange(SWAP));
                DoubleVector a1 = q1.add(q1.rearrange(SWAP));
                DoubleVector a2 = q2.add(q2.rearrange(SWAP));
                DoubleVector a3 = q3.add(q3.rearrange(SWAP));
                DoubleVector c01 = a0.blend(a1, ODD_LANES);
                DoubleVector c23 = a2.blend(a3, ODD_LANES);
                c01.blend(c23.rearrange(HALVES), HIGH_LANES).sqrt().intoArray(out[2 * h], outOff + t);
                c01.rearrange(HALVES).blend(c23, HIGH_LANES).sqrt().intoArray(out[2 * h + 1], outOff + t);
            }
        }
        return rows;
    }

    /**
     * Two accumulator rows by four vectors of indices at a time: eight sums that stay in registers over all the
     * terms, each term one vector of each of four term rows and two broadcast coefficients. The tiles of the term
     * rows stay in the L1 cache over all the accumulator rows; an odd last row is paired with itself (both halves
     * compute and store the same doubles).
     */
    @Override
    public int accumulateProducts(double[][] acc, int rows, double[] coef, int coefOff, int coefStride,
            double[][] x, int terms, int from, int to) {
        int tile = 4 * LANES;
        int end = to - (to - from) % tile;
        for (int i = from; i < end; i += tile) {
            for (int r = 0; r < rows; r += 2) {
                int r1 = Math.min(r + 1, rows - 1);
                double[] a0 = acc[r];
                double[] a1 = acc[r1];
                int c0 = coefOff + r * coefStride;
                int c1 = coefOff + r1 * coefStride;
                DoubleVector s00 = DoubleVector.fromArray(SPECIES, a0, i);
                DoubleVector s01 = DoubleVector.fromArray(SPECIES, a0, i + LANES);
                DoubleVector s02 = DoubleVector.fromArray(SPECIES, a0, i + 2 * LANES);
                DoubleVector s03 = DoubleVector.fromArray(SPECIES, a0, i + 3 * LANES);
                DoubleVector s10 = DoubleVector.fromArray(SPECIES, a1, i);
                DoubleVector s11 = DoubleVector.fromArray(SPECIES, a1, i + LANES);
                DoubleVector s12 = DoubleVector.fromArray(SPECIES, a1, i + 2 * LANES);
                DoubleVector s13 = DoubleVector.fromArray(SPECIES, a1, i + 3 * LANES);
                for (int k = 0; k < terms; k++) {
                    double[] xk = x[k];
                    DoubleVector k0 = DoubleVector.broadcast(SPECIES, coef[c0 + k]);
                    DoubleVector k1 = DoubleVector.broadcast(SPECIES, coef[c1 + k]);
                    DoubleVector v0 = DoubleVector.fromArray(SPECIES, xk, i);
                    DoubleVector v1 = DoubleVector.fromArray(SPECIES, xk, i + LANES);
                    DoubleVector v2 = DoubleVector.fromArray(SPECIES, xk, i + 2 * LANES);
                    DoubleVector v3 = DoubleVector.fromArray(SPECIES, xk, i + 3 * LANES);
                    s00 = v0.fma(k0, s00);
                    s01 = v1.fma(k0, s01);
                    s02 = v2.fma(k0, s02);
                    s03 = v3.fma(k0, s03);
                    s10 = v0.fma(k1, s10);
                    s11 = v1.fma(k1, s11);
                    s12 = v2.fma(k1, s12);
                    s13 = v3.fma(k1, s13);
                }
                s00.intoArray(a0, i);
                s01.intoArray(a0, i + LANES);
                s02.intoArray(a0, i + 2 * LANES);
                s03.intoArray(a0, i + 3 * LANES);
                s10.intoArray(a1, i);
                s11.intoArray(a1, i + LANES);
                s12.intoArray(a1, i + 2 * LANES);
                s13.intoArray(a1, i + 3 * LANES);
            }
        }
        return end;
    }

    /** @return the doubles per point, of {@code 2·s}, that whole vectors cover */
    private static int vectorEnd(int s) {
        return 2 * s - (2 * s) % LANES;
    }

    private static int pass2(double[] x, int base, int sx, double[] y, int q, int s, double[] tw) {
        int step = 2 * sx * q;
        int os = 2 * s;
        int end = vectorEnd(s);
        for (int p = 0; p < q; p++) {
            int w = 2 * p;
            DoubleVector w1r = DoubleVector.broadcast(SPECIES, tw[w]);
            DoubleVector w1i = IM_SIGNS.mul(tw[w + 1]);
            int in = base + 2 * sx * p;
            int o = 4 * s * p;
            for (int g = 0; g < end; g += LANES) {
                DoubleVector a = DoubleVector.fromArray(SPECIES, x, in + g);
                DoubleVector b = DoubleVector.fromArray(SPECIES, x, in + g + step);
                a.add(b).intoArray(y, o + g);
                DoubleVector v1 = a.sub(b);
                v1.fma(w1r, v1.rearrange(SWAP).mul(w1i)).intoArray(y, o + g + os);
            }
        }
        return end;
    }

    private static int pass3(double[] x, int base, int sx, double[] y, int q, int s, double[] tw) {
        final DoubleVector c = DoubleVector.broadcast(SPECIES, Math.sqrt(0.75));
        final DoubleVector half = DoubleVector.broadcast(SPECIES, -0.5);
        int step = 2 * sx * q;
        int os = 2 * s;
        int end = vectorEnd(s);
        for (int p = 0; p < q; p++) {
            int w = 4 * p;
            DoubleVector w1r = DoubleVector.broadcast(SPECIES, tw[w]);
            DoubleVector w1i = IM_SIGNS.mul(tw[w + 1]);
            DoubleVector w2r = DoubleVector.broadcast(SPECIES, tw[w + 2]);
            DoubleVector w2i = IM_SIGNS.mul(tw[w + 3]);
            int in = base + 2 * sx * p;
            int o = 6 * s * p;
            for (int g = 0; g < end; g += LANES) {
                int i0 = in + g;
                DoubleVector x0 = DoubleVector.fromArray(SPECIES, x, i0);
                DoubleVector x1 = DoubleVector.fromArray(SPECIES, x, i0 + step);
                DoubleVector x2 = DoubleVector.fromArray(SPECIES, x, i0 + 2 * step);
                DoubleVector t = x1.add(x2);
                DoubleVector d = x1.sub(x2).mul(c).rearrange(SWAP).mul(NEG_I);
                DoubleVector mid = t.fma(half, x0);
                int o0 = o + g;
                x0.add(t).intoArray(y, o0);
                DoubleVector v1 = mid.add(d);
                v1.fma(w1r, v1.rearrange(SWAP).mul(w1i)).intoArray(y, o0 + os);
                DoubleVector v2 = mid.sub(d);
                v2.fma(w2r, v2.rearrange(SWAP).mul(w2i)).intoArray(y, o0 + 2 * os);
            }
        }
        return end;
    }

    private static int pass4(double[] x, int base, int sx, double[] y, int q, int s, double[] tw) {
        int step = 2 * sx * q;
        int os = 2 * s;
        int end = vectorEnd(s);
        for (int p = 0; p < q; p++) {
            int w = 6 * p;
            DoubleVector w1r = DoubleVector.broadcast(SPECIES, tw[w]);
            DoubleVector w1i = IM_SIGNS.mul(tw[w + 1]);
            DoubleVector w2r = DoubleVector.broadcast(SPECIES, tw[w + 2]);
            DoubleVector w2i = IM_SIGNS.mul(tw[w + 3]);
            DoubleVector w3r = DoubleVector.broadcast(SPECIES, tw[w + 4]);
            DoubleVector w3i = IM_SIGNS.mul(tw[w + 5]);
            int in = base + 2 * sx * p;
            int o = 8 * s * p;
            for (int g = 0; g < end; g += LANES) {
                int i0 = in + g;
                DoubleVector x0 = DoubleVector.fromArray(SPECIES, x, i0);
                DoubleVector x1 = DoubleVector.fromArray(SPECIES, x, i0 + step);
                DoubleVector x2 = DoubleVector.fromArray(SPECIES, x, i0 + 2 * step);
                DoubleVector x3 = DoubleVector.fromArray(SPECIES, x, i0 + 3 * step);
                DoubleVector t0 = x0.add(x2);
                DoubleVector t1 = x0.sub(x2);
                DoubleVector t2 = x1.add(x3);
                DoubleVector t3 = x1.sub(x3).rearrange(SWAP).mul(NEG_I);
                int o0 = o + g;
                t0.add(t2).intoArray(y, o0);
                DoubleVector v1 = t1.add(t3);
                v1.fma(w1r, v1.rearrange(SWAP).mul(w1i)).intoArray(y, o0 + os);
                DoubleVector v2 = t0.sub(t2);
                v2.fma(w2r, v2.rearrange(SWAP).mul(w2i)).intoArray(y, o0 + 2 * os);
                DoubleVector v3 = t1.sub(t3);
                v3.fma(w3r, v3.rearrange(SWAP).mul(w3i)).intoArray(y, o0 + 3 * os);
            }
        }
        return end;
    }

    private static int pass5(double[] x, int base, int sx, double[] y, int q, int s, double[] tw) {
        final DoubleVector c1 = DoubleVector.broadcast(SPECIES, Math.cos(2 * Math.PI / 5));
        final DoubleVector c2 = DoubleVector.broadcast(SPECIES, Math.cos(4 * Math.PI / 5));
        final DoubleVector s1 = DoubleVector.broadcast(SPECIES, Math.sin(2 * Math.PI / 5));
        final DoubleVector s2 = DoubleVector.broadcast(SPECIES, Math.sin(4 * Math.PI / 5));
        int step = 2 * sx * q;
        int os = 2 * s;
        int end = vectorEnd(s);
        for (int p = 0; p < q; p++) {
            int w = 8 * p;
            DoubleVector w1r = DoubleVector.broadcast(SPECIES, tw[w]);
            DoubleVector w1i = IM_SIGNS.mul(tw[w + 1]);
            DoubleVector w2r = DoubleVector.broadcast(SPECIES, tw[w + 2]);
            DoubleVector w2i = IM_SIGNS.mul(tw[w + 3]);
            DoubleVector w3r = DoubleVector.broadcast(SPECIES, tw[w + 4]);
            DoubleVector w3i = IM_SIGNS.mul(tw[w + 5]);
            DoubleVector w4r = DoubleVector.broadcast(SPECIES, tw[w + 6]);
            DoubleVector w4i = IM_SIGNS.mul(tw[w + 7]);
            int in = base + 2 * sx * p;
            int o = 10 * s * p;
            for (int g = 0; g < end; g += LANES) {
                int i0 = in + g;
                DoubleVector x0 = DoubleVector.fromArray(SPECIES, x, i0);
                DoubleVector x1 = DoubleVector.fromArray(SPECIES, x, i0 + step);
                DoubleVector x2 = DoubleVector.fromArray(SPECIES, x, i0 + 2 * step);
                DoubleVector x3 = DoubleVector.fromArray(SPECIES, x, i0 + 3 * step);
                DoubleVector x4 = DoubleVector.fromArray(SPECIES, x, i0 + 4 * step);
                DoubleVector t1 = x1.add(x4);
                DoubleVector t2 = x2.add(x3);
                DoubleVector d1 = x1.sub(x4);
                DoubleVector d2 = x2.sub(x3);
                DoubleVector a1 = t1.fma(c1, t2.fma(c2, x0));
                DoubleVector a2 = t1.fma(c2, t2.fma(c1, x0));
                DoubleVector e1 = d1.fma(s1, d2.mul(s2)).rearrange(SWAP).mul(NEG_I);
                DoubleVector e2 = d1.fma(s2, d2.mul(s1).neg()).rearrange(SWAP).mul(NEG_I);
                int o0 = o + g;
                x0.add(t1).add(t2).intoArray(y, o0);
                DoubleVector v1 = a1.add(e1);
                v1.fma(w1r, v1.rearrange(SWAP).mul(w1i)).intoArray(y, o0 + os);
                DoubleVector v2 = a2.add(e2);
                v2.fma(w2r, v2.rearrange(SWAP).mul(w2i)).intoArray(y, o0 + 2 * os);
                DoubleVector v3 = a2.sub(e2);
                v3.fma(w3r, v3.rearrange(SWAP).mul(w3i)).intoArray(y, o0 + 3 * os);
                DoubleVector v4 = a1.sub(e1);
                v4.fma(w4r, v4.rearrange(SWAP).mul(w4i)).intoArray(y, o0 + 4 * os);
            }
        }
        return end;
    }

    private static int pass7(double[] x, int base, int sx, double[] y, int q, int s, double[] tw) {
        final DoubleVector c1 = DoubleVector.broadcast(SPECIES, Math.cos(2 * Math.PI / 7));
        final DoubleVector c2 = DoubleVector.broadcast(SPECIES, Math.cos(4 * Math.PI / 7));
        final DoubleVector c3 = DoubleVector.broadcast(SPECIES, Math.cos(6 * Math.PI / 7));
        final DoubleVector s1 = DoubleVector.broadcast(SPECIES, Math.sin(2 * Math.PI / 7));
        final DoubleVector s2 = DoubleVector.broadcast(SPECIES, Math.sin(4 * Math.PI / 7));
        final DoubleVector s3 = DoubleVector.broadcast(SPECIES, Math.sin(6 * Math.PI / 7));
        final DoubleVector ns1 = DoubleVector.broadcast(SPECIES, -Math.sin(2 * Math.PI / 7));
        int step = 2 * sx * q;
        int os = 2 * s;
        int end = vectorEnd(s);
        for (int p = 0; p < q; p++) {
            int w = 12 * p;
            DoubleVector w1r = DoubleVector.broadcast(SPECIES, tw[w]);
            DoubleVector w1i = IM_SIGNS.mul(tw[w + 1]);
            DoubleVector w2r = DoubleVector.broadcast(SPECIES, tw[w + 2]);
            DoubleVector w2i = IM_SIGNS.mul(tw[w + 3]);
            DoubleVector w3r = DoubleVector.broadcast(SPECIES, tw[w + 4]);
            DoubleVector w3i = IM_SIGNS.mul(tw[w + 5]);
            DoubleVector w4r = DoubleVector.broadcast(SPECIES, tw[w + 6]);
            DoubleVector w4i = IM_SIGNS.mul(tw[w + 7]);
            DoubleVector w5r = DoubleVector.broadcast(SPECIES, tw[w + 8]);
            DoubleVector w5i = IM_SIGNS.mul(tw[w + 9]);
            DoubleVector w6r = DoubleVector.broadcast(SPECIES, tw[w + 10]);
            DoubleVector w6i = IM_SIGNS.mul(tw[w + 11]);
            int in = base + 2 * sx * p;
            int o = 14 * s * p;
            for (int g = 0; g < end; g += LANES) {
                int i0 = in + g;
                DoubleVector x0 = DoubleVector.fromArray(SPECIES, x, i0);
                DoubleVector x1 = DoubleVector.fromArray(SPECIES, x, i0 + step);
                DoubleVector x2 = DoubleVector.fromArray(SPECIES, x, i0 + 2 * step);
                DoubleVector x3 = DoubleVector.fromArray(SPECIES, x, i0 + 3 * step);
                DoubleVector x4 = DoubleVector.fromArray(SPECIES, x, i0 + 4 * step);
                DoubleVector x5 = DoubleVector.fromArray(SPECIES, x, i0 + 5 * step);
                DoubleVector x6 = DoubleVector.fromArray(SPECIES, x, i0 + 6 * step);
                DoubleVector t1 = x1.add(x6);
                DoubleVector t2 = x2.add(x5);
                DoubleVector t3 = x3.add(x4);
                DoubleVector d1 = x1.sub(x6);
                DoubleVector d2 = x2.sub(x5);
                DoubleVector d3 = x3.sub(x4);
                DoubleVector a1 = t1.fma(c1, t2.fma(c2, t3.fma(c3, x0)));
                DoubleVector a2 = t1.fma(c2, t2.fma(c3, t3.fma(c1, x0)));
                DoubleVector a3 = t1.fma(c3, t2.fma(c1, t3.fma(c2, x0)));
                DoubleVector e1 = d1.fma(s1, d2.fma(s2, d3.mul(s3))).rearrange(SWAP).mul(NEG_I);
                DoubleVector e2 = d1.fma(s2, d2.fma(s3, d3.mul(s1)).neg()).rearrange(SWAP).mul(NEG_I);
                DoubleVector e3 = d1.fma(s3, d2.fma(ns1, d3.mul(s2))).rearrange(SWAP).mul(NEG_I);
                int o0 = o + g;
                x0.add(t1).add(t2).add(t3).intoArray(y, o0);
                DoubleVector v1 = a1.add(e1);
                v1.fma(w1r, v1.rearrange(SWAP).mul(w1i)).intoArray(y, o0 + os);
                DoubleVector v2 = a2.add(e2);
                v2.fma(w2r, v2.rearrange(SWAP).mul(w2i)).intoArray(y, o0 + 2 * os);
                DoubleVector v3 = a3.add(e3);
                v3.fma(w3r, v3.rearrange(SWAP).mul(w3i)).intoArray(y, o0 + 3 * os);
                DoubleVector v4 = a3.sub(e3);
                v4.fma(w4r, v4.rearrange(SWAP).mul(w4i)).intoArray(y, o0 + 4 * os);
                DoubleVector v5 = a2.sub(e2);
                v5.fma(w5r, v5.rearrange(SWAP).mul(w5i)).intoArray(y, o0 + 5 * os);
                DoubleVector v6 = a1.sub(e1);
                v6.fma(w6r, v6.rearrange(SWAP).mul(w6i)).intoArray(y, o0 + 6 * os);
            }
        }
        return end;
    }

    private static int pass8(double[] x, int base, int sx, double[] y, int q, int s, double[] tw) {
        final DoubleVector h = DoubleVector.broadcast(SPECIES, Math.sqrt(0.5));
        int step = 2 * sx * q;
        int os = 2 * s;
        int end = vectorEnd(s);
        for (int p = 0; p < q; p++) {
            int w = 14 * p;
            DoubleVector w1r = DoubleVector.broadcast(SPECIES, tw[w]);
            DoubleVector w1i = IM_SIGNS.mul(tw[w + 1]);
            DoubleVector w2r = DoubleVector.broadcast(SPECIES, tw[w + 2]);
            DoubleVector w2i = IM_SIGNS.mul(tw[w + 3]);
            DoubleVector w3r = DoubleVector.broadcast(SPECIES, tw[w + 4]);
            DoubleVector w3i = IM_SIGNS.mul(tw[w + 5]);
            DoubleVector w4r = DoubleVector.broadcast(SPECIES, tw[w + 6]);
            DoubleVector w4i = IM_SIGNS.mul(tw[w + 7]);
            DoubleVector w5r = DoubleVector.broadcast(SPECIES, tw[w + 8]);
            DoubleVector w5i = IM_SIGNS.mul(tw[w + 9]);
            DoubleVector w6r = DoubleVector.broadcast(SPECIES, tw[w + 10]);
            DoubleVector w6i = IM_SIGNS.mul(tw[w + 11]);
            DoubleVector w7r = DoubleVector.broadcast(SPECIES, tw[w + 12]);
            DoubleVector w7i = IM_SIGNS.mul(tw[w + 13]);
            int in = base + 2 * sx * p;
            int o = 16 * s * p;
            for (int g = 0; g < end; g += LANES) {
                int i0 = in + g;
                DoubleVector x0 = DoubleVector.fromArray(SPECIES, x, i0);
                DoubleVector x1 = DoubleVector.fromArray(SPECIES, x, i0 + step);
                DoubleVector x2 = DoubleVector.fromArray(SPECIES, x, i0 + 2 * step);
                DoubleVector x3 = DoubleVector.fromArray(SPECIES, x, i0 + 3 * step);
                DoubleVector x4 = DoubleVector.fromArray(SPECIES, x, i0 + 4 * step);
                DoubleVector x5 = DoubleVector.fromArray(SPECIES, x, i0 + 5 * step);
                DoubleVector x6 = DoubleVector.fromArray(SPECIES, x, i0 + 6 * step);
                DoubleVector x7 = DoubleVector.fromArray(SPECIES, x, i0 + 7 * step);
                DoubleVector a0 = x0.add(x4);
                DoubleVector a1 = x1.add(x5);
                DoubleVector a2 = x2.add(x6);
                DoubleVector a3 = x3.add(x7);
                DoubleVector b0 = x0.sub(x4);
                DoubleVector d1 = x1.sub(x5);
                // b1 = d1·(1 - i)/√2, b2 = (x2 - x6)·(-i), b3 = d3·(-1 - i)/√2.
                DoubleVector b1 = d1.add(d1.rearrange(SWAP).mul(NEG_I)).mul(h);
                DoubleVector b2 = x2.sub(x6).rearrange(SWAP).mul(NEG_I);
                DoubleVector d3 = x3.sub(x7);
                DoubleVector b3 = d3.rearrange(SWAP).mul(NEG_I).sub(d3).mul(h);
                DoubleVector t0 = a0.add(a2);
                DoubleVector t1 = a0.sub(a2);
                DoubleVector t2 = a1.add(a3);
                DoubleVector t3 = a1.sub(a3).rearrange(SWAP).mul(NEG_I);
                int o0 = o + g;
                t0.add(t2).intoArray(y, o0);
                DoubleVector v2 = t1.add(t3);
                v2.fma(w2r, v2.rearrange(SWAP).mul(w2i)).intoArray(y, o0 + 2 * os);
                DoubleVector v4 = t0.sub(t2);
                v4.fma(w4r, v4.rearrange(SWAP).mul(w4i)).intoArray(y, o0 + 4 * os);
                DoubleVector v6 = t1.sub(t3);
                v6.fma(w6r, v6.rearrange(SWAP).mul(w6i)).intoArray(y, o0 + 6 * os);
                DoubleVector u0 = b0.add(b2);
                DoubleVector u1 = b0.sub(b2);
                DoubleVector u2 = b1.add(b3);
                DoubleVector u3 = b1.sub(b3).rearrange(SWAP).mul(NEG_I);
                DoubleVector v1 = u0.add(u2);
                v1.fma(w1r, v1.rearrange(SWAP).mul(w1i)).intoArray(y, o0 + os);
                DoubleVector v3 = u1.add(u3);
                v3.fma(w3r, v3.rearrange(SWAP).mul(w3i)).intoArray(y, o0 + 3 * os);
                DoubleVector v5 = u0.sub(u2);
                v5.fma(w5r, v5.rearrange(SWAP).mul(w5i)).intoArray(y, o0 + 5 * os);
                DoubleVector v7 = u1.sub(u3);
                v7.fma(w7r, v7.rearrange(SWAP).mul(w7i)).intoArray(y, o0 + 7 * os);
            }
        }
        return end;
    }
}
