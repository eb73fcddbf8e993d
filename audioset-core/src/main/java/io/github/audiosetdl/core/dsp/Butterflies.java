package io.github.audiosetdl.core.dsp;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIMD versions of {@link RealFft}'s batched radix passes. The one implementation, {@code VectorButterflies},
 * uses the incubating Vector API ({@code jdk.incubator.vector}, JDK 16 and later), so it is loaded only when
 * the JVM was started with {@code --add-modules jdk.incubator.vector} and the machine has 256-bit double
 * vectors (AVX2 or AVX-512 on x86). Without them {@link #simd()} is null and the scalar passes run; the
 * results are the same doubles either way. The system property {@code audioset.simd=false} turns SIMD off.
 */
interface Butterflies {
    /** The system property that turns SIMD off when {@code false}. */
    String PROPERTY = "audioset.simd";

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

    /**
     * {@link RealArrays#accumulateProducts}'s sums for all the accumulator rows at the leading indices that
     * fill whole tiles, with the same arguments and the same doubles as its scalar loop.
     *
     * @return {@code n}: the indices {@code from <= i < n} were done; the scalar loop does the rest
     */
    int accumulateProducts(double[][] acc, int rows, double[] coef, int coefOff, int coefStride, double[][] x,
            int terms, int from, int to);

    /** @return the SIMD passes when this JVM can run them, else null (see the class comment) */
    static Butterflies simd() {
        return Loaded.SIMD;
    }

    /** Loads the implementation once, on first use. */
    final class Loaded {
        private static final Logger LOG = LoggerFactory.getLogger(Butterflies.class);
        static final Butterflies SIMD = load();

        private Loaded() {
        }

        private static Butterflies load() {
            if ("false".equals(System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT))) {
                LOG.debug("FFT: SIMD turned off by -D{}=false", PROPERTY);
                return null;
            }
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                LOG.debug("FFT: scalar (start the JVM with --add-modules jdk.incubator.vector for SIMD)");
                return null;
            }
            try {
                Butterflies simd = (Butterflies) Class.forName(Butterflies.class.getPackageName()
                        + ".VectorButterflies").getDeclaredConstructor().newInstance();
                LOG.debug("FFT: SIMD on 256-bit vectors (jdk.incubator.vector)");
                return simd;
            } catch (InvocationTargetException e) {
                LOG.debug("FFT: scalar ({})", e.getCause().getMessage());
                return null;
            } catch (ReflectiveOperationException | LinkageError e) {
                LOG.warn("FFT: SIMD unavailable, using scalar code: {}", e.toString());
                return null;
            }
        }
    }
}
