package io.github.audiosetdl.core.dsp;

/**
 * The SIMD version of {@link RealArrays#accumulateGram}. The one implementation, {@code VectorGramKernels}, uses
 * the incubating Vector API and is loaded as {@link Butterflies}' is (see {@link SimdTwins}); without it
 * {@link #simd()} is null and the scalar loops run, with the same doubles.
 */
interface GramKernels {
    /** Frames per pass over the accumulator tiles: 128 rows of {@code x} of up to a few hundred doubles stay in L2. */
    int CHUNK = 128;

    /**
     * {@link RealArrays#accumulateGram}'s sums, with its arguments, for this part's whole blocks of 4 rows (those
     * below {@code n - n % 4}), with the same doubles as its scalar loops.
     *
     * @return {@code n - n % 4}: the rows below it were done; the scalar loops do the rest
     */
    int accumulateGram(double[] acc, double[] x, int stride, int n, int terms, int part, int parts);

    /** @return the SIMD kernels when this JVM can run them, else null */
    static GramKernels simd() {
        return Loaded.SIMD;
    }

    /** Loads the implementation once, on first use. */
    final class Loaded {
        static final GramKernels SIMD = SimdTwins.load(GramKernels.class, "VectorGramKernels", "Gram");

        private Loaded() {
        }
    }
}
