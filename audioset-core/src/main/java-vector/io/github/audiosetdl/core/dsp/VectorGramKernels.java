package io.github.audiosetdl.core.dsp;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RealArrays#accumulateGram} on 256-bit vectors of the incubating Vector API, loaded only under
 * {@code --add-modules jdk.incubator.vector} (see {@link GramKernels#simd}). A tile of 4 rows by 8 columns of the
 * accumulator (8 vectors) stays in registers over a chunk of {@link GramKernels#CHUNK} terms; per term it loads
 * two vectors of the term's row (the columns) and broadcasts 4 of its values (the rows): 8 fused multiply-adds for
 * 6 loads. Each element is the scalar loop's fma chain, term by term in ascending order, so the doubles are the
 * same. Each tile is one method body with no vector-valued helpers (on JDK 17 a vector crossing a call that is not
 * inlined is boxed).
 */
final class VectorGramKernels implements GramKernels {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_256;
    private static final int LANES = SPECIES.length();

    /**
     * Made once, by reflection, by {@link GramKernels#simd}.
     *
     * @throws UnsupportedOperationException if this machine's double vectors are narrower than 256 bits
     */
    VectorGramKernels() {
        int bits = DoubleVector.SPECIES_PREFERRED.vectorBitSize();
        if (bits < SPECIES.vectorBitSize()) {
            throw new UnsupportedOperationException("this machine's double vectors have " + bits + " bits, not 256");
        }
    }

    @Override
    public int accumulateGram(double[] acc, double[] x, int stride, int n, int terms, int part, int parts) {
        int full = n - n % 4;
        for (int k0 = 0; k0 < terms; k0 += CHUNK) {
            int k1 = Math.min(terms, k0 + CHUNK);
            for (int i0 = 4 * part; i0 < full; i0 += 4 * parts) {
                int r0 = i0 * n;
                int r1 = r0 + n;
                int r2 = r1 + n;
                int r3 = r2 + n;
                int j0 = 0;
                // columns j0 .. j0 + 7 of rows i0 .. i0 + 3, while they stay left of column i0 + 4
                for (; j0 + 2 * LANES <= i0 + 4; j0 += 2 * LANES) {
                    DoubleVector s00 = DoubleVector.fromArray(SPECIES, acc, r0 + j0);
                    DoubleVector s01 = DoubleVector.fromArray(SPECIES, acc, r0 + j0 + LANES);
                    DoubleVector s10 = DoubleVector.fromArray(SPECIES, acc, r1 + j0);
                    DoubleVector s11 = DoubleVector.fromArray(SPECIES, acc, r1 + j0 + LANES);
                    DoubleVector s20 = DoubleVector.fromArray(SPECIES, acc, r2 + j0);
                    DoubleVector s21 = DoubleVector.fromArray(SPECIES, acc, r2 + j0 + LANES);
                    DoubleVector s30 = DoubleVector.fromArray(SPECIES, acc, r3 + j0);
                    DoubleVector s31 = DoubleVector.fromArray(SPECIES, acc, r3 + j0 + LANES);
                    for (int k = k0; k < k1; k++) {
                        int b = k * stride;
                        DoubleVector y0 = DoubleVector.fromArray(SPECIES, x, b + j0);
                        DoubleVector y1 = DoubleVector.fromArray(SPECIES, x, b + j0 + LANES);
                        DoubleVector c0 = DoubleVector.broadcast(SPECIES, x[b + i0]);
                        DoubleVector c1 = DoubleVector.broadcast(SPECIES, x[b + i0 + 1]);
                        DoubleVector c2 = DoubleVector.broadcast(SPECIES, x[b + i0 + 2]);
                        DoubleVector c3 = DoubleVector.broadcast(SPECIES, x[b + i0 + 3]);
                        s00 = y0.fma(c0, s00);
                        s01 = y1.fma(c0, s01);
                        s10 = y0.fma(c1, s10);
                        s11 = y1.fma(c1, s11);
                        s20 = y0.fma(c2, s20);
                        s21 = y1.fma(c2, s21);
                        s30 = y0.fma(c3, s30);
                        s31 = y1.fma(c3, s31);
                    }
                    s00.intoArray(acc, r0 + j0);
                    s01.intoArray(acc, r0 + j0 + LANES);
                    s10.intoArray(acc, r1 + j0);
                    s11.intoArray(acc, r1 + j0 + LANES);
                    s20.intoArray(acc, r2 + j0);
                    s21.intoArray(acc, r2 + j0 + LANES);
                    s30.intoArray(acc, r3 + j0);
                    s31.intoArray(acc, r3 + j0 + LANES);
                }
                if (j0 < i0 + 4) { // the last 4 columns: i0 .. i0 + 3, the diagonal block
                    DoubleVector s0 = DoubleVector.fromArray(SPECIES, acc, r0 + j0);
                    DoubleVector s1 = DoubleVector.fromArray(SPECIES, acc, r1 + j0);
                    DoubleVector s2 = DoubleVector.fromArray(SPECIES, acc, r2 + j0);
                    DoubleVector s3 = DoubleVector.fromArray(SPECIES, acc, r3 + j0);
                    for (int k = k0; k < k1; k++) {
                        int b = k * stride;
                        DoubleVector y = DoubleVector.fromArray(SPECIES, x, b + j0);
                        s0 = y.fma(DoubleVector.broadcast(SPECIES, x[b + i0]), s0);
                        s1 = y.fma(DoubleVector.broadcast(SPECIES, x[b + i0 + 1]), s1);
                        s2 = y.fma(DoubleVector.broadcast(SPECIES, x[b + i0 + 2]), s2);
                        s3 = y.fma(DoubleVector.broadcast(SPECIES, x[b + i0 + 3]), s3);
                    }
                    s0.intoArray(acc, r0 + j0);
                    s1.intoArray(acc, r1 + j0);
                    s2.intoArray(acc, r2 + j0);
                    s3.intoArray(acc, r3 + j0);
                }
            }
        }
        return full;
    }
}
