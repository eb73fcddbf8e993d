package io.github.audiosetdl.core.dsp;

/**
 * The SIMD twin of {@link RealArrays}' kernels. The one implementation, {@code VectorArrayKernels}, uses
 * the incubating Vector API and is loaded as {@link Butterflies}' is (see {@link SimdTwins}); without it
 * {@link #simd()} is null and the scalar loops run, with the same doubles.
 */
interface ArrayKernels {
    /**
     * Terms per pass over the accumulator tiles, a multiple of {@link RealArrays#GRAM_CHAINS}: a chunk of 512
     * terms of 171 rows (700 KB) stays in L2 while every tile of the part reads it.
     */
    int CHUNK = 512;

    /**
     * {@link RealArrays#accumulateProducts}'s sums for all the accumulator rows at the leading indices that
     * fill whole tiles, with the same arguments and the same doubles as its scalar loop.
     *
     * @return {@code n}: the indices {@code from <= i < n} were done; the scalar loop does the rest
     */
    int accumulateProducts(double[][] acc, int rows, double[] coef, int coefOff, int coefStride, double[][] x,
            int terms, int from, int to);

    /**
     * {@link RealArrays#accumulateGram}'s sums, with its arguments, for this part's whole blocks of 4 rows (those
     * below {@code n - n % 4}), with the same doubles as its scalar loops.
     *
     * @return {@code n - n % 4}: the rows below it were done; the scalar loops do the rest
     */
    int accumulateGram(double[] acc, double[] x, int stride, int n, int terms, int part, int parts);

    /**
     * {@link RealArrays#sumWidened}'s copy of the first {@code length - length % 8} values, with its arguments,
     * and their sums in 8 chains into {@code chains[0 .. 8)} (chain {@code l} the values {@code k ≡ l (mod 8)}, added
     * in ascending order from zero).
     *
     * @return {@code length - length % 8}, the values done
     */
    int sumWidened(float[] src, int srcOff, double[] dst, int dstOff, int length, double[] chains);

    /**
     * {@link RealArrays#followAndCentre} for the first values, with its arguments and its doubles.
     *
     * @return how many values were done; the scalar loop does the rest
     */
    int followAndCentre(double[] x, int off, int length, double centre, double[] mean, int meanOff, double weight);

    /**
     * {@link RealArrays#toInt16(float[], int, float, short[], int, int)} for the leading samples, with its
     * arguments and its values.
     *
     * @return how many samples were done; the scalar loop does the rest
     */
    int toInt16(float[] x, int off, float gain, short[] into, int intoOff, int length);

    /**
     * {@link RealArrays#peak} for the leading values: {@code hiLo[0]} becomes {@code max(0, x…)} and
     * {@code hiLo[1]} {@code min(0, x…)} over them (each compared as the scalar loop compares, NaN ignored).
     *
     * @return how many values were done; the scalar loop does the rest
     */
    int extremes(float[] x, int off, int length, float[] hiLo);

    /**
     * {@link RealArrays#polyphase(double[], int, double[], int, int, int, int, int, float[])}, with its arguments
     * (checked) and its doubles.
     *
     * @return how far the outputs were done: {@code from <= j <} the result; the scalar loop does the rest
     */
    int polyphase(double[] x, int xOff, double[] table, int taps, int up, int down, int from, int to, float[] out);

    /** @return the SIMD kernels when this JVM can run them, else null */
    static ArrayKernels simd() {
        return Loaded.SIMD;
    }

    /** Loads the implementation once, on first use. */
    final class Loaded {
        static final ArrayKernels SIMD = SimdTwins.load(ArrayKernels.class, "VectorArrayKernels", "RealArrays");

        private Loaded() {
        }
    }
}
