package io.github.audiosetdl.core.dsp;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RealFft}'s radix-2, 3, 4, 5, 7 and 8 passes (generated at build time into {@code VectorPasses}, see
 * docs/architecture.md) and {@link ComplexArrays}' kernels on 256-bit vectors of the incubating Vector API. Used only
 * when the JVM runs with {@code --add-modules jdk.incubator.vector} (see {@link Butterflies#simd}); this class
 * is compiled apart from the rest (javac always warns about an incubating module, and the build has
 * {@code -Werror}) and is never loaded without the module.
 *
 * <p>A batched pass applies one butterfly, with one set of twiddles, to {@code s} interleaved complex values
 * that lie next to each other, so a vector holds two complex values ({@code re, im, re, im}) that share every
 * constant. The butterflies are generated from the same description as the scalar ones, operation for operation
 * (the same roundings in the same order): each result is the same double as the scalar pass gives, so a
 * transform's output does not depend on whether SIMD was used. Two identities
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

    /** The generated passes ({@code VectorPasses}, the SIMD twins of the scalar ones; docs/architecture.md). */
    @Override
    public int pass(int radix, double[] x, int base, int sx, double[] y, int q, int s, double[] tw) {
        return VectorPasses.run(radix, x, base, sx, y, q, s, tw);
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

    /** @return the doubles per point, of {@code 2·s}, that whole vectors cover */
    private static int vectorEnd(int s) {
        return 2 * s - (2 * s) % LANES;
    }
}
