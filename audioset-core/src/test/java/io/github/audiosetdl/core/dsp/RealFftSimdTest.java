package io.github.audiosetdl.core.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SIMD passes ({@code VectorButterflies}) give the very doubles of the scalar ones. The build's tests run
 * with {@code --add-modules jdk.incubator.vector} (the parent pom's surefire {@code argLine}), so the other
 * {@link RealFft} tests, against a direct DFT, run on the SIMD passes too.
 */
class RealFftSimdTest {
    private static Butterflies simd;

    @BeforeAll
    static void simdIsThere() throws IOException {
        simd = Butterflies.simd();
        // Where the hardware has 256-bit vectors, a build that lost the module or the class must fail here.
        if (hasAvx2()) {
            assertThat(simd).as("SIMD passes under --add-modules jdk.incubator.vector on an AVX2 machine").isNotNull();
            assertThat(ArrayKernels.simd()).as("the SIMD kernels of RealArrays, likewise").isNotNull();
        }
    }

    private static boolean hasAvx2() throws IOException {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        String arch = System.getProperty("os.arch");
        return ("amd64".equals(arch) || "x86_64".equals(arch)) && Files.isReadable(cpuinfo)
                && Files.readString(cpuinfo).contains(" avx2");
    }

    /**
     * Every radix with SIMD passes (2, 3, 4, 5, 7, 8), generic ones (11, 13) beside them, batches with and
     * without a scalar tail, and the clip lengths of the pack.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 6, 16, 22, 42, 98, 128, 154, 286, 686, 1280, 2002, 9450, 2 * 3 * 7 * 11 * 13, 160_000,
        441_000, 480_000})
    void forwardAndInverseGiveTheScalarDoubles(int n) {
        assumeTrue(simd != null, "no 256-bit vectors here (simdIsThere fails where there should be)");
        RealFft scalar = new RealFft(n, 0, null);
        RealFft vector = new RealFft(n, 0, simd);
        double[] x = new Random(n).doubles(n, -1, 1).toArray();
        int bins = n / 2 + 1;
        double[] expected = new double[2 * bins];
        double[] actual = new double[2 * bins];
        scalar.forward(x, expected, bins, scalar.newWorkspace());
        vector.forward(x, actual, bins, vector.newWorkspace());
        assertSameValues(actual, expected, "forward, n = " + n);

        double[] back = new double[n];
        double[] backVector = new double[n];
        scalar.inverse(expected, bins, back, scalar.newWorkspace());
        vector.inverse(expected, bins, backVector, vector.newWorkspace());
        assertSameValues(backVector, back, "inverse, n = " + n);
    }

    @Test
    void rowLengthsWithEveryBatchTail() {
        assumeTrue(simd != null, "no 256-bit vectors here");
        // n/2 = 2520 = 8·9·5·7: every row length gives other batches and first-pass tails.
        int n = 5040;
        double[] x = new Random(3).doubles(n, -1, 1).toArray();
        int bins = n / 2 + 1;
        for (int rows : new int[] {1, 2, 3, 7, 8, 9, 35, 56, 63, 72, 315, 2520}) {
            double[] expected = new double[2 * bins];
            double[] actual = new double[2 * bins];
            new RealFft(n, rows, null).forward(x, expected, bins, new FftWorkspace());
            new RealFft(n, rows, simd).forward(x, actual, bins, new FftWorkspace());
            assertSameValues(actual, expected, "n1 = " + rows);
        }
    }

    /** The batched complex transforms (the cochleagram's phase transforms) on both kinds of passes. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 7, 8, 9, 11, 15, 16, 20})
    void batchTransformsGiveTheScalarDoubles(int batch) {
        assumeTrue(simd != null, "no 256-bit vectors here");
        for (int length : new int[] {2000, 250, 1, 2, 3, 6, 7, 13 * 11 * 8}) {
            double[] x = new Random(length * 31L + batch).doubles(2L * length * batch, -1, 1).toArray();
            StockhamPlan scalar = new StockhamPlan(length, null);
            StockhamPlan vector = new StockhamPlan(length, simd);
            double[] a = x.clone();
            double[] b = x.clone();
            double[] expected = scalar.run(a, 0, batch, new double[a.length], a, batch, new FftWorkspace());
            double[] actual = vector.run(b, 0, batch, new double[b.length], b, batch, new FftWorkspace());
            assertSameValues(actual, expected, "length " + length + ", batch " + batch);
        }
    }

    /** Equal as numbers ({@code -0.0 == 0.0}: a twiddle of 1 may turn one into the other). */
    private static void assertSameValues(double[] actual, double[] expected, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (actual[i] != expected[i]) {
                throw new AssertionError(what + ": index " + i + " is " + actual[i] + ", scalar " + expected[i]);
            }
        }
    }
}
