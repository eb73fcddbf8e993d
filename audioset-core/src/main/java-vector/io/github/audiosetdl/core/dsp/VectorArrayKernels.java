package io.github.audiosetdl.core.dsp;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RealArrays}' kernels on the incubating Vector API, loaded only under
 * {@code --add-modules jdk.incubator.vector} (see {@link ArrayKernels#simd}), with the doubles of its scalar loops.
 *
 * <p><b>One shape of double vector per process.</b> On JDK 17, 512-bit double vectors used in the same process as
 * 256-bit ones (the FFT's, {@code VectorButterflies}) make whichever of the two runs second many times slower: the
 * vector classes' shared methods then see two shapes and stop being compiled to vector instructions (measured: the
 * Gram kernel after the FFT 44 ms instead of 1.6 ms per cochleagram; the FFT after the Gram kernel 13.6 ms instead
 * of 3.6). So the double kernels here run on 256-bit vectors on every machine. Float and short vectors
 * ({@link #int16Values}) do not interfere and use the machine's width.
 *
 * <p>{@link RealArrays#accumulateGram}: each element's 8 chains are the lanes of two 256-bit vectors, chains 0-3
 * and 4-7. On machines with 512-bit vectors (32 vector registers) a tile is 4 rows by 4 rows and one half of the
 * chains at a time (16 accumulators, 8 loads per 16 fused multiply-adds; the other half is a second pass over the
 * same terms, in cache); elsewhere (16 registers) 2 by 2 rows, both halves (8 accumulators, 8 loads per 8). The
 * terms are taken in chunks of {@link ArrayKernels#CHUNK} (all the part's tiles over one chunk, then the next, so
 * the chunk's rows stay in cache), the chains kept between chunks in an array; the tail terms and the sum of the
 * chains are {@link RealArrays#finishChains}'s, so the doubles are the scalar loops'. Each tile is one method body
 * with no vector-valued helpers (on JDK 17 a vector crossing a call that is not inlined is boxed; one method
 * holding the loops around the tile as well ran 20 times slower).
 *
 * <p>{@link RealArrays#accumulateProducts} (the cochleagram's FIR) on 256-bit vectors: see its tile's comment.
 *
 * <p>{@link RealArrays#toInt16(float[], int, float, short[], int, int)} on 16 or 8 floats at a time, in float
 * arithmetic that gives the scalar code's double-precision rounding exactly: see {@link #int16Values}.
 *
 * <p>{@link RealArrays#polyphase}: four outputs at a time on 256-bit vectors; see its comment.
 */
final class VectorArrayKernels implements ArrayKernels {
    private static final VectorSpecies<Double> NARROW = DoubleVector.SPECIES_256;
    private static final int NARROW_LANES = NARROW.length();
    private static final VectorSpecies<Float> NARROW_FLOATS = FloatVector.SPECIES_128;
    private static final int CHAINS = RealArrays.GRAM_CHAINS;
    private static final VectorSpecies<Float> INT16_WIDE = FloatVector.SPECIES_512;
    private static final VectorSpecies<Short> INT16_WIDE_OUT = ShortVector.SPECIES_256;
    private static final VectorSpecies<Float> INT16_NARROW = FloatVector.SPECIES_256;
    private static final VectorSpecies<Short> INT16_NARROW_OUT = ShortVector.SPECIES_128;
    /** 1.5 × 2^23: a float below 2^22 in magnitude plus this is rounded to an integer, held in the low bits. */
    private static final float ROUNDER = 12_582_912f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    /** Lanes 0 1 2 3 to 1 0 3 2. */
    private static final VectorShuffle<Double> SWAP_NEIGHBOURS = VectorShuffle.fromValues(NARROW, 1, 0, 3, 2);
    /** Lanes 0 1 2 3 to 2 3 0 1. */
    private static final VectorShuffle<Double> SWAP_HALVES = VectorShuffle.fromValues(NARROW, 2, 3, 0, 1);
    /** Lanes 0 1 2 3 to 0 0 1 1. */
    private static final VectorShuffle<Double> LOW_PAIRS = VectorShuffle.fromValues(NARROW, 0, 0, 1, 1);
    /** Lanes 0 1 2 3 to 2 2 3 3. */
    private static final VectorShuffle<Double> HIGH_PAIRS = VectorShuffle.fromValues(NARROW, 2, 2, 3, 3);
    private static final VectorMask<Double> ODD_LANES = VectorMask.fromValues(NARROW, false, true, false, true);
    private static final VectorMask<Double> HIGH_LANES = VectorMask.fromValues(NARROW, false, false, true, true);
    /** Doubles of chains per 4 x 4 block of elements. */
    private static final int BLOCK = 16 * CHAINS;

    /** Whether the int16 conversion converts 16 floats at a time (on machines with 512-bit vectors). */
    private final boolean wideFloats;
    /**
     * Whether the Gram kernel's 256-bit tile is 4 x 4 elements, one half of the chains at a time (24 vector
     * registers: on machines with 512-bit vectors, which have 32), rather than 2 x 2 with both halves (16).
     */
    private final boolean halves;

    /**
     * Made once, by reflection, by {@link ArrayKernels#simd}.
     *
     * @throws UnsupportedOperationException if this machine's double vectors are narrower than 256 bits
     */
    VectorArrayKernels() {
        int bits = DoubleVector.SPECIES_PREFERRED.vectorBitSize();
        if (bits < NARROW.vectorBitSize()) {
            throw new UnsupportedOperationException("this machine's double vectors have " + bits + " bits, not 256");
        }
        wideFloats = bits >= INT16_WIDE.vectorBitSize();
        halves = wideFloats;
    }

    /**
     * For tests: either int16 width and either Gram tile, whatever the machine prefers (both run anywhere, a
     * width the machine lacks very slowly).
     *
     * @param wideFloats whether the int16 conversion uses 512-bit float vectors
     * @param halves whether the Gram tile is 4 x 4 elements, a half of the chains at a time
     */
    VectorArrayKernels(boolean wideFloats, boolean halves) {
        this.wideFloats = wideFloats;
        this.halves = halves;
    }

    @Override
    public int accumulateGram(double[] acc, double[] x, int stride, int n, int terms, int part, int parts) {
        if (n < 4) {
            return 0;
        }
        int[] blocks = blocks(n, part, parts);
        int count = blocks.length / 4;
        int vec = terms - terms % CHAINS;
        double[] chains = new double[count * BLOCK];
        for (int k0 = 0; k0 < vec; k0 += CHUNK) {
            int k1 = Math.min(vec, k0 + CHUNK);
            for (int blk = 0, o = 0; blk < count; blk++, o += BLOCK) {
                int ri = blocks[4 * blk] * stride;
                int rj = blocks[4 * blk + 1] * stride;
                if (halves) {
                    halfBlock(x, ri, rj, stride, k0, k1, chains, o);
                    halfBlock(x, ri + CHAINS / 2, rj + CHAINS / 2, stride, k0, k1, chains, o + CHAINS / 2);
                } else {
                    for (int a = 0; a < 4; a += 2) {
                        for (int b = 0; b < 4; b += 2) {
                            narrowTile(x, ri + a * stride, rj + b * stride, stride, k0, k1, chains,
                                    o + (4 * a + b) * CHAINS);
                        }
                    }
                }
            }
        }
        for (int blk = 0, o = 0; blk < count; blk++, o += BLOCK) {
            int i0 = blocks[4 * blk];
            int j0 = blocks[4 * blk + 1];
            for (int i = blocks[4 * blk + 2]; i < i0 + 4; i++) {
                for (int j = blocks[4 * blk + 3]; j < j0 + 4 && j <= i; j++) {
                    acc[i * n + j] += RealArrays.finishChains(chains, o + (4 * (i - i0) + j - j0) * CHAINS, x,
                            i * stride, j * stride, vec, terms);
                }
            }
        }
        return n;
    }

    @Override
    public int sumWidened(float[] src, int srcOff, double[] dst, int dstOff, int length, double[] chains) {
        int vec = length - length % CHAINS;
        int half = CHAINS / 2;
        DoubleVector s = DoubleVector.zero(NARROW);
        DoubleVector t = DoubleVector.zero(NARROW);
        for (int k = 0; k < vec; k += CHAINS) {
            DoubleVector d = (DoubleVector) FloatVector.fromArray(NARROW_FLOATS, src, srcOff + k)
                    .convertShape(VectorOperators.F2D, NARROW, 0);
            DoubleVector e = (DoubleVector) FloatVector.fromArray(NARROW_FLOATS, src, srcOff + k + half)
                    .convertShape(VectorOperators.F2D, NARROW, 0);
            d.intoArray(dst, dstOff + k);
            e.intoArray(dst, dstOff + k + half);
            s = s.add(d);
            t = t.add(e);
        }
        s.intoArray(chains, 0);
        t.intoArray(chains, half);
        return vec;
    }

    @Override
    public int followAndCentre(double[] x, int off, int length, double centre, double[] mean, int meanOff,
            double weight) {
        DoubleVector c = DoubleVector.broadcast(NARROW, centre);
        DoubleVector w = DoubleVector.broadcast(NARROW, weight);
        int vec = length - length % NARROW_LANES;
        for (int k = 0; k < vec; k += NARROW_LANES) {
            DoubleVector v = DoubleVector.fromArray(NARROW, x, off + k);
            DoubleVector m = DoubleVector.fromArray(NARROW, mean, meanOff + k);
            m.add(v.sub(m).mul(w)).intoArray(mean, meanOff + k);
            v.sub(c).intoArray(x, off + k);
        }
        return vec;
    }

    /**
     * The part's 4 x 4 blocks of elements, in the order their chains are kept: {@code i0, j0, iMin, jMin} each, the
     * block's first row and column and the first of each it adds to the accumulator. The rows below
     * {@code n - n % 4} are blocks {@code [4b, 4b + 4)}, {@code b % parts == part}, with their columns up to the
     * diagonal; the last {@code n % 4} rows (with the part of block {@code n / 4}) are the block at row
     * {@code n - 4}, which overlaps the one before, and only its own rows are added, the columns of the last
     * overlapping block likewise.
     *
     * @param n at least 4
     */
    private static int[] blocks(int n, int part, int parts) {
        int full = n - n % 4;
        int[] out = new int[4 * (full / 4 + 1) * (full / 4 + 2) / 2 + 8];
        int count = 0;
        for (int i0 = 4 * part; i0 < full; i0 += 4 * parts) {
            for (int j0 = 0; j0 <= i0; j0 += 4) {
                out[count++] = i0;
                out[count++] = j0;
                out[count++] = i0;
                out[count++] = j0;
            }
        }
        if (full < n && (full / 4) % parts == part) {
            for (int j0 = 0; j0 < n; j0 = j0 + 4 < full ? j0 + 4 : j0 == n - 4 ? n : n - 4) {
                out[count++] = n - 4;
                out[count++] = j0;
                out[count++] = full;
                out[count++] = j0 == n - 4 ? full : j0;
            }
        }
        return Arrays.copyOf(out, count);
    }

    /**
     * The terms {@code k0 .. k1 - 1} (a whole number of steps of 8) of the 4 x 4 elements of rows {@code ri ..}
     * and {@code rj ..} (4 rows each, {@code stride} apart), for one half of each element's chains: with
     * {@code ri, rj, o} as given the chains 0-3 (terms {@code k ≡ 0..3 mod 8}), with all three advanced by 4 the
     * chains 4-7. Element {@code (a, b)}'s half is one vector, loaded from and stored to
     * {@code chains[o + (4a + b)·8 ..]}.
     */
    private static void halfBlock(double[] x, int ri, int rj, int stride, int k0, int k1, double[] chains, int o) {
        int i1 = ri + stride;
        int i2 = i1 + stride;
        int i3 = i2 + stride;
        int j1 = rj + stride;
        int j2 = j1 + stride;
        int j3 = j2 + stride;
        DoubleVector s00 = DoubleVector.fromArray(NARROW, chains, o);
        DoubleVector s01 = DoubleVector.fromArray(NARROW, chains, o + CHAINS);
        DoubleVector s02 = DoubleVector.fromArray(NARROW, chains, o + 2 * CHAINS);
        DoubleVector s03 = DoubleVector.fromArray(NARROW, chains, o + 3 * CHAINS);
        DoubleVector s10 = DoubleVector.fromArray(NARROW, chains, o + 4 * CHAINS);
        DoubleVector s11 = DoubleVector.fromArray(NARROW, chains, o + 5 * CHAINS);
        DoubleVector s12 = DoubleVector.fromArray(NARROW, chains, o + 6 * CHAINS);
        DoubleVector s13 = DoubleVector.fromArray(NARROW, chains, o + 7 * CHAINS);
        DoubleVector s20 = DoubleVector.fromArray(NARROW, chains, o + 8 * CHAINS);
        DoubleVector s21 = DoubleVector.fromArray(NARROW, chains, o + 9 * CHAINS);
        DoubleVector s22 = DoubleVector.fromArray(NARROW, chains, o + 10 * CHAINS);
        DoubleVector s23 = DoubleVector.fromArray(NARROW, chains, o + 11 * CHAINS);
        DoubleVector s30 = DoubleVector.fromArray(NARROW, chains, o + 12 * CHAINS);
        DoubleVector s31 = DoubleVector.fromArray(NARROW, chains, o + 13 * CHAINS);
        DoubleVector s32 = DoubleVector.fromArray(NARROW, chains, o + 14 * CHAINS);
        DoubleVector s33 = DoubleVector.fromArray(NARROW, chains, o + 15 * CHAINS);
        for (int k = k0; k < k1; k += CHAINS) {
            DoubleVector a0 = DoubleVector.fromArray(NARROW, x, ri + k);
            DoubleVector a1 = DoubleVector.fromArray(NARROW, x, i1 + k);
            DoubleVector a2 = DoubleVector.fromArray(NARROW, x, i2 + k);
            DoubleVector a3 = DoubleVector.fromArray(NARROW, x, i3 + k);
            DoubleVector b0 = DoubleVector.fromArray(NARROW, x, rj + k);
            DoubleVector b1 = DoubleVector.fromArray(NARROW, x, j1 + k);
            DoubleVector b2 = DoubleVector.fromArray(NARROW, x, j2 + k);
            DoubleVector b3 = DoubleVector.fromArray(NARROW, x, j3 + k);
            s00 = a0.fma(b0, s00);
            s01 = a0.fma(b1, s01);
            s02 = a0.fma(b2, s02);
            s03 = a0.fma(b3, s03);
            s10 = a1.fma(b0, s10);
            s11 = a1.fma(b1, s11);
            s12 = a1.fma(b2, s12);
            s13 = a1.fma(b3, s13);
            s20 = a2.fma(b0, s20);
            s21 = a2.fma(b1, s21);
            s22 = a2.fma(b2, s22);
            s23 = a2.fma(b3, s23);
            s30 = a3.fma(b0, s30);
            s31 = a3.fma(b1, s31);
            s32 = a3.fma(b2, s32);
            s33 = a3.fma(b3, s33);
        }
        s00.intoArray(chains, o);
        s01.intoArray(chains, o + CHAINS);
        s02.intoArray(chains, o + 2 * CHAINS);
        s03.intoArray(chains, o + 3 * CHAINS);
        s10.intoArray(chains, o + 4 * CHAINS);
        s11.intoArray(chains, o + 5 * CHAINS);
        s12.intoArray(chains, o + 6 * CHAINS);
        s13.intoArray(chains, o + 7 * CHAINS);
        s20.intoArray(chains, o + 8 * CHAINS);
        s21.intoArray(chains, o + 9 * CHAINS);
        s22.intoArray(chains, o + 10 * CHAINS);
        s23.intoArray(chains, o + 11 * CHAINS);
        s30.intoArray(chains, o + 12 * CHAINS);
        s31.intoArray(chains, o + 13 * CHAINS);
        s32.intoArray(chains, o + 14 * CHAINS);
        s33.intoArray(chains, o + 15 * CHAINS);
    }

    /**
     * As {@link #halfBlock} for the 2 x 2 elements of rows {@code ri, ri + stride} and {@code rj, rj + stride} on
     * 256-bit vectors: each element's chains 0-3 and 4-7 in two vectors, element {@code (a, b)}'s from
     * {@code o + (4a + b)·8} (within the 4 x 4 block's layout).
     */
    private static void narrowTile(double[] x, int ri, int rj, int stride, int k0, int k1, double[] chains, int o) {
        int half = CHAINS / 2;
        int i1 = ri + stride;
        int j1 = rj + stride;
        int e01 = o + CHAINS;
        int e10 = o + 4 * CHAINS;
        int e11 = e10 + CHAINS;
        DoubleVector s00 = DoubleVector.fromArray(NARROW, chains, o);
        DoubleVector t00 = DoubleVector.fromArray(NARROW, chains, o + half);
        DoubleVector s01 = DoubleVector.fromArray(NARROW, chains, e01);
        DoubleVector t01 = DoubleVector.fromArray(NARROW, chains, e01 + half);
        DoubleVector s10 = DoubleVector.fromArray(NARROW, chains, e10);
        DoubleVector t10 = DoubleVector.fromArray(NARROW, chains, e10 + half);
        DoubleVector s11 = DoubleVector.fromArray(NARROW, chains, e11);
        DoubleVector t11 = DoubleVector.fromArray(NARROW, chains, e11 + half);
        for (int k = k0; k < k1; k += CHAINS) {
            DoubleVector a0 = DoubleVector.fromArray(NARROW, x, ri + k);
            DoubleVector c0 = DoubleVector.fromArray(NARROW, x, ri + k + half);
            DoubleVector a1 = DoubleVector.fromArray(NARROW, x, i1 + k);
            DoubleVector c1 = DoubleVector.fromArray(NARROW, x, i1 + k + half);
            DoubleVector b0 = DoubleVector.fromArray(NARROW, x, rj + k);
            DoubleVector d0 = DoubleVector.fromArray(NARROW, x, rj + k + half);
            s00 = a0.fma(b0, s00);
            t00 = c0.fma(d0, t00);
            s10 = a1.fma(b0, s10);
            t10 = c1.fma(d0, t10);
            DoubleVector b1 = DoubleVector.fromArray(NARROW, x, j1 + k);
            DoubleVector d1 = DoubleVector.fromArray(NARROW, x, j1 + k + half);
            s01 = a0.fma(b1, s01);
            t01 = c0.fma(d1, t01);
            s11 = a1.fma(b1, s11);
            t11 = c1.fma(d1, t11);
        }
        s00.intoArray(chains, o);
        t00.intoArray(chains, o + half);
        s01.intoArray(chains, e01);
        t01.intoArray(chains, e01 + half);
        s10.intoArray(chains, e10);
        t10.intoArray(chains, e10 + half);
        s11.intoArray(chains, e11);
        t11.intoArray(chains, e11 + half);
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
        int tile = 4 * NARROW_LANES;
        int end = to - (to - from) % tile;
        for (int i = from; i < end; i += tile) {
            for (int r = 0; r < rows; r += 2) {
                int r1 = Math.min(r + 1, rows - 1);
                double[] a0 = acc[r];
                double[] a1 = acc[r1];
                int c0 = coefOff + r * coefStride;
                int c1 = coefOff + r1 * coefStride;
                DoubleVector s00 = DoubleVector.fromArray(NARROW, a0, i);
                DoubleVector s01 = DoubleVector.fromArray(NARROW, a0, i + NARROW_LANES);
                DoubleVector s02 = DoubleVector.fromArray(NARROW, a0, i + 2 * NARROW_LANES);
                DoubleVector s03 = DoubleVector.fromArray(NARROW, a0, i + 3 * NARROW_LANES);
                DoubleVector s10 = DoubleVector.fromArray(NARROW, a1, i);
                DoubleVector s11 = DoubleVector.fromArray(NARROW, a1, i + NARROW_LANES);
                DoubleVector s12 = DoubleVector.fromArray(NARROW, a1, i + 2 * NARROW_LANES);
                DoubleVector s13 = DoubleVector.fromArray(NARROW, a1, i + 3 * NARROW_LANES);
                for (int k = 0; k < terms; k++) {
                    double[] xk = x[k];
                    DoubleVector k0 = DoubleVector.broadcast(NARROW, coef[c0 + k]);
                    DoubleVector k1 = DoubleVector.broadcast(NARROW, coef[c1 + k]);
                    DoubleVector v0 = DoubleVector.fromArray(NARROW, xk, i);
                    DoubleVector v1 = DoubleVector.fromArray(NARROW, xk, i + NARROW_LANES);
                    DoubleVector v2 = DoubleVector.fromArray(NARROW, xk, i + 2 * NARROW_LANES);
                    DoubleVector v3 = DoubleVector.fromArray(NARROW, xk, i + 3 * NARROW_LANES);
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
                s01.intoArray(a0, i + NARROW_LANES);
                s02.intoArray(a0, i + 2 * NARROW_LANES);
                s03.intoArray(a0, i + 3 * NARROW_LANES);
                s10.intoArray(a1, i);
                s11.intoArray(a1, i + NARROW_LANES);
                s12.intoArray(a1, i + 2 * NARROW_LANES);
                s13.intoArray(a1, i + 3 * NARROW_LANES);
            }
        }
        return end;
    }

    @Override
    public int toInt16(float[] x, int off, float gain, short[] into, int intoOff, int length) {
        return wideFloats ? int16Wide(x, off, gain, into, intoOff, length) : int16Narrow(x, off, gain, into, intoOff, length);
    }

    /**
     * Eight floats at a time on every machine, in two pairs of running extremes (the comparisons' latency, not
     * the loads, bounds the loop); each update is a compare and a blend, the scalar loop's {@code v > hi ? v : hi},
     * so NaN is ignored and +0 is never replaced by −0. Then the lanes, compared the same way.
     */
    @Override
    public int extremes(float[] x, int off, int length, float[] hiLo) {
        int lanes = INT16_NARROW.length();
        int end = length - length % (2 * lanes);
        FloatVector hi0 = FloatVector.zero(INT16_NARROW);
        FloatVector lo0 = hi0;
        FloatVector hi1 = hi0;
        FloatVector lo1 = hi0;
        for (int k = 0; k < end; k += 2 * lanes) {
            FloatVector a = FloatVector.fromArray(INT16_NARROW, x, off + k);
            FloatVector b = FloatVector.fromArray(INT16_NARROW, x, off + k + lanes);
            hi0 = hi0.blend(a, a.compare(VectorOperators.GT, hi0));
            lo0 = lo0.blend(a, a.compare(VectorOperators.LT, lo0));
            hi1 = hi1.blend(b, b.compare(VectorOperators.GT, hi1));
            lo1 = lo1.blend(b, b.compare(VectorOperators.LT, lo1));
        }
        hi0 = hi0.blend(hi1, hi1.compare(VectorOperators.GT, hi0));
        lo0 = lo0.blend(lo1, lo1.compare(VectorOperators.LT, lo0));
        float hi = hiLo[0];
        float lo = hiLo[1];
        for (int l = 0; l < lanes; l++) {
            float h = hi0.lane(l);
            float m = lo0.lane(l);
            hi = h > hi ? h : hi;
            lo = m < lo ? m : lo;
        }
        hiLo[0] = hi;
        hiLo[1] = lo;
        return end;
    }

    // one loop per width: on JDK 17 the species must be constants where the vectors are made
    private static int int16Wide(float[] x, int off, float gain, short[] into, int intoOff, int length) {
        int lanes = INT16_WIDE.length();
        int end = length - length % lanes;
        for (int k = 0; k < end; k += lanes) {
            IntVector v = int16Values(FloatVector.fromArray(INT16_WIDE, x, off + k).mul(gain));
            ((ShortVector) v.castShape(INT16_WIDE_OUT, 0)).intoArray(into, intoOff + k);
        }
        return end;
    }

    private static int int16Narrow(float[] x, int off, float gain, short[] into, int intoOff, int length) {
        int lanes = INT16_NARROW.length();
        int end = length - length % lanes;
        for (int k = 0; k < end; k += lanes) {
            IntVector v = int16Values(FloatVector.fromArray(INT16_NARROW, x, off + k).mul(gain));
            ((ShortVector) v.castShape(INT16_NARROW_OUT, 0)).intoArray(into, intoOff + k);
        }
        return end;
    }

    /**
     * Four outputs at a time, each output's 4 chains the lanes of one 256-bit vector, on every machine: 512-bit
     * double vectors here as well would make the FFT's 256-bit ones (in the same process) 4 times slower on JDK 17
     * (the vector classes' shared methods see two shapes and stop being compiled to instructions; measured).
     * The four accumulators are added up by a transpose: lane swaps and blends give
     * {@code [a0+a1, b0+b1, a2+a3, b2+b3]} and {@code [c0+c1, d0+d1, c2+c3, d2+d3]}, then half swaps and blends the
     * four sums {@code (x0 + x1) + (x2 + x3)}, the scalar code's order.
     */
    @Override
    public int polyphase(double[] x, int xOff, double[] table, int taps, int up, int down, int from, int to,
            float[] out) {
        if (up == 2 && down == 1 && from % 2 == 0) {
            return twice(x, xOff, table, taps, from, to, out);
        }
        int whole = down / up;
        int rest = down % up;
        long q = (long) from * down;
        int s = xOff + (int) (q / up);
        int p = (int) (q % up);
        int end = to - (to - from) % 4;
        int[] start = new int[4]; // the four outputs' first input samples and table rows
        int[] row = new int[4];
        for (int j = from; j < end; j += 4) {
            for (int l = 0; l < 4; l++) {
                start[l] = s;
                row[l] = p * taps;
                s += whole;
                p += rest;
                if (p >= up) {
                    p -= up;
                    s++;
                }
            }
            int sa = start[0];
            int sb = start[1];
            int sc = start[2];
            int sd = start[3];
            int ha = row[0];
            int hb = row[1];
            int hc = row[2];
            int hd = row[3];
            DoubleVector a = DoubleVector.zero(NARROW);
            DoubleVector b = DoubleVector.zero(NARROW);
            DoubleVector c = DoubleVector.zero(NARROW);
            DoubleVector d = DoubleVector.zero(NARROW);
            for (int k = 0; k < taps; k += NARROW_LANES) {
                a = DoubleVector.fromArray(NARROW, table, ha + k).fma(DoubleVector.fromArray(NARROW, x, sa + k), a);
                b = DoubleVector.fromArray(NARROW, table, hb + k).fma(DoubleVector.fromArray(NARROW, x, sb + k), b);
                c = DoubleVector.fromArray(NARROW, table, hc + k).fma(DoubleVector.fromArray(NARROW, x, sc + k), c);
                d = DoubleVector.fromArray(NARROW, table, hd + k).fma(DoubleVector.fromArray(NARROW, x, sd + k), d);
            }
            DoubleVector ab = a.blend(b.rearrange(SWAP_NEIGHBOURS), ODD_LANES)
                    .add(a.rearrange(SWAP_NEIGHBOURS).blend(b, ODD_LANES));
            DoubleVector cd = c.blend(d.rearrange(SWAP_NEIGHBOURS), ODD_LANES)
                    .add(c.rearrange(SWAP_NEIGHBOURS).blend(d, ODD_LANES));
            DoubleVector sums = ab.blend(cd.rearrange(SWAP_HALVES), HIGH_LANES)
                    .add(ab.rearrange(SWAP_HALVES).blend(cd, HIGH_LANES));
            ((FloatVector) sums.castShape(NARROW_FLOATS, 0)).intoArray(out, j);
        }
        return end;
    }

    /**
     * Twice the rate ({@code up} 2, {@code down} 1: 16 to 32 kHz), from an even {@code from}. Output {@code 2m + r}
     * is row {@code r} over {@code x[xOff + m ..]}, so twelve outputs of one row read twelve consecutive starts: here
     * the lanes run across outputs ({@code m .. m + 3}, {@code m + 4 .. m + 7}, {@code m + 8 .. m + 11}: three
     * vectors), each chain in its own accumulator (12 in all); every lane does the scalar code's fused
     * multiply-adds in its order, and the chains are added as {@code (c0 + c1) + (c2 + c3)}. A step of four taps
     * loads 4 vectors of samples (the other 8 are the previous step's, moved down one vector) and 4 of
     * coefficients (each stored in four lanes beforehand: a load instead of a broadcast) for 12 fused
     * multiply-adds; 28 vector registers (machines with 16 spill some). Measured against two vectors per row with
     * broadcasts: 0.32 against 0.41 ms per 10-s clip; the general kernel took 1.68. The two rows' sums are
     * interleaved by lane shuffles and blends.
     *
     * <p>A row that is a single coefficient 1, all others 0 (the sinc filter's phase 0 whenever it passes the
     * whole input band: a tap on every input sample, where the sinc is zero but at the centre) gives
     * {@code x[s + c] + 0}, which for finite samples is exactly the chains' sum: every other term adds ±0 to a
     * chain that starts at +0 and so is never −0. Such rows cost a load, not 32 fused multiply-adds.
     */
    private static int twice(double[] x, int xOff, double[] table, int taps, int from, int to, float[] out) {
        int[] unit = {unitTap(table, 0, taps), unitTap(table, taps, taps)};
        double[] wide = new double[2 * taps * NARROW_LANES]; // each coefficient in all four lanes
        for (int k = 0; k < 2 * taps; k++) {
            Arrays.fill(wide, k * NARROW_LANES, (k + 1) * NARROW_LANES, table[k]);
        }
        double[] rows = new double[6 * NARROW_LANES]; // row 0's twelve sums, then row 1's
        int end = from + (to - from) / 24 * 24;
        for (int j = from; j < end; j += 24) {
            int s = xOff + j / 2;
            for (int r = 0; r < 2; r++) {
                if (unit[r] >= 0) {
                    DoubleVector.fromArray(NARROW, x, s + unit[r]).add(0.0).intoArray(rows, 12 * r);
                    DoubleVector.fromArray(NARROW, x, s + unit[r] + 4).add(0.0).intoArray(rows, 12 * r + 4);
                    DoubleVector.fromArray(NARROW, x, s + unit[r] + 8).add(0.0).intoArray(rows, 12 * r + 8);
                    continue;
                }
                int h = r * taps * NARROW_LANES;
                DoubleVector a0 = DoubleVector.zero(NARROW);
                DoubleVector a1 = a0;
                DoubleVector a2 = a0;
                DoubleVector a3 = a0;
                DoubleVector b0 = a0;
                DoubleVector b1 = a0;
                DoubleVector b2 = a0;
                DoubleVector b3 = a0;
                DoubleVector c0 = a0;
                DoubleVector c1 = a0;
                DoubleVector c2 = a0;
                DoubleVector c3 = a0;
                DoubleVector lo0 = DoubleVector.fromArray(NARROW, x, s);
                DoubleVector lo1 = DoubleVector.fromArray(NARROW, x, s + 1);
                DoubleVector lo2 = DoubleVector.fromArray(NARROW, x, s + 2);
                DoubleVector lo3 = DoubleVector.fromArray(NARROW, x, s + 3);
                DoubleVector mid0 = DoubleVector.fromArray(NARROW, x, s + 4);
                DoubleVector mid1 = DoubleVector.fromArray(NARROW, x, s + 5);
                DoubleVector mid2 = DoubleVector.fromArray(NARROW, x, s + 6);
                DoubleVector mid3 = DoubleVector.fromArray(NARROW, x, s + 7);
                for (int k = 0; k < taps; k += 4) {
                    int i = s + k + 8;
                    int w = h + k * NARROW_LANES;
                    DoubleVector hi0 = DoubleVector.fromArray(NARROW, x, i);
                    DoubleVector hi1 = DoubleVector.fromArray(NARROW, x, i + 1);
                    DoubleVector hi2 = DoubleVector.fromArray(NARROW, x, i + 2);
                    DoubleVector hi3 = DoubleVector.fromArray(NARROW, x, i + 3);
                    DoubleVector t0 = DoubleVector.fromArray(NARROW, wide, w);
                    DoubleVector t1 = DoubleVector.fromArray(NARROW, wide, w + 4);
                    DoubleVector t2 = DoubleVector.fromArray(NARROW, wide, w + 8);
                    DoubleVector t3 = DoubleVector.fromArray(NARROW, wide, w + 12);
                    a0 = t0.fma(lo0, a0);
                    b0 = t0.fma(mid0, b0);
                    c0 = t0.fma(hi0, c0);
                    a1 = t1.fma(lo1, a1);
                    b1 = t1.fma(mid1, b1);
                    c1 = t1.fma(hi1, c1);
                    a2 = t2.fma(lo2, a2);
                    b2 = t2.fma(mid2, b2);
                    c2 = t2.fma(hi2, c2);
                    a3 = t3.fma(lo3, a3);
                    b3 = t3.fma(mid3, b3);
                    c3 = t3.fma(hi3, c3);
                    lo0 = mid0;
                    lo1 = mid1;
                    lo2 = mid2;
                    lo3 = mid3;
                    mid0 = hi0;
                    mid1 = hi1;
                    mid2 = hi2;
                    mid3 = hi3;
                }
                a0.add(a1).add(a2.add(a3)).intoArray(rows, 12 * r);
                b0.add(b1).add(b2.add(b3)).intoArray(rows, 12 * r + 4);
                c0.add(c1).add(c2.add(c3)).intoArray(rows, 12 * r + 8);
            }
            for (int v = 0; v < 3; v++) {
                DoubleVector even = DoubleVector.fromArray(NARROW, rows, 4 * v);
                DoubleVector odd = DoubleVector.fromArray(NARROW, rows, 12 + 4 * v);
                DoubleVector first = even.rearrange(LOW_PAIRS).blend(odd.rearrange(LOW_PAIRS), ODD_LANES);
                DoubleVector second = even.rearrange(HIGH_PAIRS).blend(odd.rearrange(HIGH_PAIRS), ODD_LANES);
                ((FloatVector) first.castShape(NARROW_FLOATS, 0)).intoArray(out, j + 8 * v);
                ((FloatVector) second.castShape(NARROW_FLOATS, 0)).intoArray(out, j + 8 * v + 4);
            }
        }
        return end;
    }

    /**
     * @return {@code c} if {@code table[off + c]} is 1 and the row's other {@code taps - 1} coefficients are 0,
     *     else −1
     */
    private static int unitTap(double[] table, int off, int taps) {
        int unit = -1;
        for (int k = 0; k < taps; k++) {
            double t = table[off + k];
            if (t == 1 && unit < 0) {
                unit = k;
            } else if (t != 0) {
                return -1;
            }
        }
        return unit;
    }

    /**
     * {@link RealArrays#toInt16(float)} lane by lane, in float. With {@code x} clamped to [−1, 1] (NaN to 0) the
     * result is {@code floor(v + 1/2)} for {@code v = 32767·x = a − x}, where {@code a = 32768·x} is exact. Let
     * {@code n = rint(a)} (the magic-number rounding) and {@code f = a − n}, exact, in [−1/2, 1/2]; then
     * {@code floor(v + 1/2) = n + floor(f − x + 1/2)}, and {@code f − x + 1/2} lies in [−1, 2), so the floor is
     * {@code 1 − [x > f + 1/2] − [x > f − 1/2]}. The two sums {@code f ± 1/2} are exact wherever the comparison
     * is close (checked against the scalar code for all 2^32 floats, on 512- and 256-bit vectors). Each
     * comparison is the sign bit of the difference {@code (f ± 1/2) − x}: a difference of two floats is zero only
     * when they are equal (then +0) and otherwise has the exact difference's sign. The clamp is three compares and
     * blends (NaN fails the first two). No mask changes species and there is no max or min: on JDK 17 a mask cast
     * is not compiled to instructions, and max and min pay for Java's NaN and signed-zero rules; this way is about
     * 1.3 times as fast as with them, and C2 compiles it in a fraction of the time.
     */
    private static IntVector int16Values(FloatVector v) {
        FloatVector c = v.blend(1f, v.compare(VectorOperators.GT, 1f));
        c = c.blend(-1f, c.compare(VectorOperators.LT, -1f));
        c = c.blend(0f, c.compare(VectorOperators.NE, c)); // NaN
        FloatVector a = c.mul(32_768f);
        FloatVector s = a.add(ROUNDER);
        FloatVector f = a.sub(s.sub(ROUNDER));
        IntVector aboveHigh = f.add(0.5f).sub(c).reinterpretAsInts().lanewise(VectorOperators.LSHR, 31);
        IntVector aboveLow = f.sub(0.5f).sub(c).reinterpretAsInts().lanewise(VectorOperators.LSHR, 31);
        return s.reinterpretAsInts().sub(ROUNDER_BITS - 1).sub(aboveHigh).sub(aboveLow); // rint(a) + 1 - ...
    }
}
