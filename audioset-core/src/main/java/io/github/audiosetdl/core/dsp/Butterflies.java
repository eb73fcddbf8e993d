package io.github.audiosetdl.core.dsp;

/**
 * SIMD versions of {@link RealFft}'s batched radix passes. The one implementation, {@code VectorButterflies},
 * uses the incubating Vector API ({@code jdk.incubator.vector}, JDK 16 and later), so it is loaded only when
 * the JVM was started with {@code --add-modules jdk.incubator.vector} and the machine has 256-bit double
 * vectors (AVX2 or AVX-512 on x86). Without them {@link #simd()} is null and the scalar passes run; the
 * results are the same doubles either way. The system property {@code audioset.simd=false} turns SIMD off.
 */
interface Butterflies {
    /** The system property that turns SIMD off when {@code false}. */
    String PROPERTY = SimdTwins.PROPERTY;

    /**
     * Runs radix-{@code radix} pass's butterflies for the leading batch elements that fill whole vectors, with
     * {@link RealFft}'s pass arguments (input at {@code x[base + 2·(g + sx·t)]}, output to {@code y},
     * {@code q} butterflies of span {@code s}, twiddles {@code tw}).
     *
     * @return how many of the {@code 2·s} doubles per point were done; the scalar pass does the rest
     *     ({@code 0} for a radix this class does not have)
     */
    int pass(int radix, double[] x, int base, int sx, double[] y, int q, int s, double[] tw);

    /**
     * {@link ComplexArrays#multiply}'s products for the leading values that fill whole vectors, with the same
     * arguments and the same doubles as its scalar loop.
     *
     * @return how many of the {@code count} complex values were done; the scalar loop does the rest
     */
    int multiply(double[] a, int aOff, double wr, double wi, double[] t, int tOff, double[] out, int outOff,
            int count);

    /**
     * {@link ComplexArrays#modulusTransposed}'s moduli of signals {@code g < batch - batch % 2} at the leading
     * indices that fill whole vectors, with the same arguments and the same doubles as its scalar loop.
     *
     * @return {@code n}: the moduli at {@code t < n} of those signals were done; the scalar loop does the rest
     */
    int modulusTransposed(double[] x, int batch, int length, double[][] out, int outOff);

    /** @return the SIMD passes when this JVM can run them, else null (see the class comment) */
    static Butterflies simd() {
        return Loaded.SIMD;
    }

    /** Loads the implementation once, on first use. */
    final class Loaded {
        static final Butterflies SIMD = SimdTwins.load(Butterflies.class, "VectorButterflies", "FFT");

        private Loaded() {
        }
    }
}
