package io.github.audiosetdl.core.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RealArrays} gives the doubles its javadoc promises, element by element, on the SIMD kernel (the build's
 * tests run with {@code --add-modules jdk.incubator.vector}, see {@link RealFftSimdTest}) and on the scalar tails:
 * odd and even row counts, index ranges with and without a remainder, and the elements outside the range untouched.
 */
class RealArraysTest {

    @ParameterizedTest
    @CsvSource({"1, 1, 0, 16", "2, 20, 3, 19", "13, 20, 7, 2007", "14, 7, 0, 33", "3, 0, 2, 40", "0, 4, 0, 8",
        "5, 3, 9, 9"})
    void accumulateProductsFusesTheTermsInOrder(int rows, int terms, int from, int to) {
        Random random = new Random(31L * rows + terms);
        int coefOff = 2;
        int coefStride = terms + 3;
        double[] coef = random.doubles(coefOff + (long) rows * coefStride + 1, -1, 1).toArray();
        double[][] x = new double[terms][];
        for (int k = 0; k < terms; k++) {
            x[k] = random.doubles(to + 2, -3, 3).toArray();
        }
        double[][] acc = new double[rows][];
        double[][] expected = new double[rows][];
        for (int r = 0; r < rows; r++) {
            acc[r] = random.doubles(to + 2, -1, 1).toArray();
            expected[r] = acc[r].clone();
            for (int i = from; i < to; i++) {
                double sum = expected[r][i];
                for (int k = 0; k < terms; k++) {
                    sum = Math.fma(coef[coefOff + r * coefStride + k], x[k][i], sum);
                }
                expected[r][i] = sum;
            }
        }
        RealArrays.accumulateProducts(acc, rows, coef, coefOff, coefStride, x, terms, from, to);
        for (int r = 0; r < rows; r++) {
            assertThat(acc[r]).as("row %d of %d, %d terms, indices %d .. %d", r, rows, terms, from, to)
                    .containsExactly(expected[r]);
        }
    }

    @Test
    void rangesOutsideTheArraysAreRefused() {
        double[][] two = new double[2][8];
        double[] coef = new double[4];
        assertThatThrownBy(() -> RealArrays.accumulateProducts(two, 2, coef, 0, 2, two, 2, 0, 9))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> RealArrays.accumulateProducts(two, 2, coef, 1, 2, two, 2, 0, 8))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> RealArrays.accumulateProducts(two, 3, new double[8], 0, 2, two, 2, 0, 8))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> RealArrays.accumulateProducts(two, 2, coef, 0, 1, two, 2, 0, 8))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RealArrays.accumulateProducts(two, 2, coef, 0, 2, two, 2, 5, 4))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The SIMD kernel as this JVM loads it, its 4 x 4 and 2 x 2 tiles whatever the machine prefers (when the
     * Vector API is there), and the scalar loops alone all give the 8 fma chains added in their fixed order.
     */
    @ParameterizedTest
    @CsvSource({"1, 1, 1, 1", "4, 3, 4, 1", "8, 130, 130, 1", "13, 257, 260, 2", "16, 40, 41, 3", "171, 2000, 2000, 2",
        "7, 0, 0, 1", "0, 5, 5, 1", "12, 129, 131, 4", "9, 7, 7, 2", "171, 1031, 1040, 2", "20, 1024, 1024, 1",
        "5, 16, 16, 1", "6, 19, 19, 3", "171, 2000, 2000, 3", "14, 600, 600, 4"})
    void accumulateGramAddsEightChainsInOrder(int n, int terms, int stride, int parts) throws Exception {
        Random random = new Random(17L * n + terms);
        double[] x = random.doubles(Math.max(0, (long) (n - 1) * stride + terms), -2, 2).toArray();
        double[] start = random.doubles((long) n * n, -1, 1).toArray();
        double[] expected = start.clone();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double[] c = new double[RealArrays.GRAM_CHAINS];
                for (int k = 0; k < terms; k++) {
                    c[k % c.length] = Math.fma(x[i * stride + k], x[j * stride + k], c[k % c.length]);
                }
                expected[i * n + j] += ((c[0] + c[1]) + (c[2] + c[3])) + ((c[4] + c[5]) + (c[6] + c[7]));
            }
        }
        Map<String, ArrayKernels> kernels = gramKernels();
        for (Map.Entry<String, ArrayKernels> kernel : kernels.entrySet()) {
            double[] acc = start.clone();
            for (int part = parts - 1; part >= 0; part--) {
                if (kernel.getKey().equals("as loaded")) {
                    RealArrays.accumulateGram(acc, x, stride, n, terms, part, parts);
                } else {
                    RealArrays.accumulateGram(acc, x, stride, n, terms, part, parts, kernel.getValue());
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    assertThat(acc[i * n + j]).as("%s (%d, %d) of %d, %d terms, %d parts", kernel.getKey(), i, j, n,
                            terms, parts).isEqualTo(expected[i * n + j]);
                }
            }
        }
    }

    /**
     * The kernels to compare: as loaded, scalar, and (with the Vector API) both Gram tiles and both int16 widths
     * whatever the machine.
     */
    private static Map<String, ArrayKernels> gramKernels() throws ReflectiveOperationException {
        Map<String, ArrayKernels> kernels = new LinkedHashMap<>();
        kernels.put("as loaded", ArrayKernels.simd());
        kernels.put("scalar", null);
        if (ArrayKernels.simd() != null) {
            Constructor<?> forced = Class.forName(ArrayKernels.class.getPackageName() + ".VectorArrayKernels")
                    .getDeclaredConstructor(boolean.class, boolean.class);
            forced.setAccessible(true);
            kernels.put("2 x 2 tiles, int16 on 512-bit", (ArrayKernels) forced.newInstance(true, false));
            kernels.put("2 x 2 tiles, int16 on 256-bit", (ArrayKernels) forced.newInstance(false, false));
            kernels.put("4 x 4 tiles by halves", (ArrayKernels) forced.newInstance(false, true));
        }
        return kernels;
    }

    /** Widening copies exactly and sums in the 8 chains, with every kernel; followAndCentre is element-wise. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 8, 9, 16, 23, 2000, 2003})
    void sumWidenedAndFollowAndCentreGiveTheirDoubles(int length) throws Exception {
        Random random = new Random(length);
        float[] src = new float[length + 5];
        for (int i = 0; i < src.length; i++) {
            src[i] = (float) (random.nextGaussian() * 1e3 + 7);
        }
        double[] c = new double[RealArrays.GRAM_CHAINS];
        for (int k = 0; k < length; k++) {
            c[k % c.length] += src[3 + k];
        }
        double sum = ((c[0] + c[1]) + (c[2] + c[3])) + ((c[4] + c[5]) + (c[6] + c[7]));
        double[] mean0 = random.doubles(length + 4, -1, 1).toArray();
        for (Map.Entry<String, ArrayKernels> kernel : gramKernels().entrySet()) {
            double[] dst = new double[length + 6];
            double got = kernel.getKey().equals("as loaded") ? RealArrays.sumWidened(src, 3, dst, 2, length)
                    : RealArrays.sumWidened(src, 3, dst, 2, length, kernel.getValue());
            assertThat(got).as("%s sum of %d", kernel.getKey(), length).isEqualTo(sum);
            for (int k = 0; k < dst.length; k++) {
                assertThat(dst[k]).as("%s copy %d", kernel.getKey(), k)
                        .isEqualTo(k >= 2 && k < 2 + length ? src[k + 1] : 0.0);
            }
        }
        double[] x = new double[length + 6];
        for (int k = 0; k < x.length; k++) {
            x[k] = src[Math.min(k, src.length - 1)];
        }
        double[] mean = mean0.clone();
        double[] centred = x.clone();
        RealArrays.followAndCentre(centred, 2, length, 0.25, mean, 1, 1.0 / 3);
        for (int k = 0; k < x.length; k++) {
            boolean in = k >= 2 && k < 2 + length;
            assertThat(centred[k]).as("centred %d", k).isEqualTo(in ? x[k] - 0.25 : x[k]);
        }
        for (int k = 0; k < mean.length; k++) {
            boolean in = k >= 1 && k < 1 + length;
            assertThat(mean[k]).as("mean %d", k)
                    .isEqualTo(in ? mean0[k] + (x[k + 1] - mean0[k]) * (1.0 / 3) : mean0[k]);
        }
    }

    /** The definition of {@link RealArrays#toInt16(float)}: {@code Math.round} (half up) of the double, clamped. */
    private static short int16Reference(float x) {
        long v = Math.round((double) x * RealArrays.INT16_SCALE);
        return (short) Math.max(-RealArrays.INT16_SCALE, Math.min(RealArrays.INT16_SCALE, v));
    }

    /**
     * Every kernel converts as the definition does: special values, every 1021st bit pattern (4.2 million floats of
     * every sign and exponent), every float near the half steps around zero and around ±0.5, each with and without
     * a gain, from and to offsets with a scalar tail; the values outside the range untouched.
     */
    @Test
    void toInt16IsMathRoundClampedOnEveryKernel() throws Exception {
        float[] special = {0f, -0f, 0.5f, -0.5f, 1f, -1f, 1.0000001f, -1.0000001f, 2f, -3e9f, Float.NaN,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE,
            -Float.MAX_VALUE, 0.5f / 32767, -0.5f / 32767, 1.5f / 32767, -1.5f / 32767};
        List<Float> values = new ArrayList<>();
        for (float f : special) {
            values.add(f);
        }
        for (long bits = 0; bits <= 0xFFFF_FFFFL; bits += 1021) {
            values.add(Float.intBitsToFloat((int) bits));
        }
        for (float centre : new float[] {-2.5f / 32767, -0.5f / 32767, 0.5f / 32767, 1.5f / 32767, 0.5f, -0.5f,
            16383.5f / 32767}) {
            int mid = Float.floatToRawIntBits(centre);
            for (int b = mid - 3000; b <= mid + 3000; b++) {
                values.add(Float.intBitsToFloat(b));
            }
        }
        float[] x = new float[values.size() + 3];
        for (int i = 0; i < values.size(); i++) {
            x[i + 3] = values.get(i);
        }
        int length = values.size();
        for (float gain : new float[] {1f, 0.75f, 3.1f}) {
            short[] expected = new short[length];
            for (int i = 0; i < length; i++) {
                expected[i] = int16Reference(x[i + 3] * gain);
            }
            for (Map.Entry<String, ArrayKernels> kernel : gramKernels().entrySet()) {
                short[] into = new short[length + 7];
                Arrays.fill(into, (short) 12_345);
                if (kernel.getKey().equals("as loaded")) {
                    RealArrays.toInt16(x, 3, gain, into, 5, length);
                } else {
                    RealArrays.toInt16(x, 3, gain, into, 5, length, kernel.getValue());
                }
                for (int i = 0; i < length; i++) {
                    if (into[i + 5] != expected[i]) {
                        assertThat(into[i + 5]).as("%s, gain %s, x = %s (bits %x)", kernel.getKey(), gain, x[i + 3],
                                Float.floatToRawIntBits(x[i + 3])).isEqualTo(expected[i]);
                    }
                }
                assertThat(Arrays.copyOfRange(into, 0, 5)).as(kernel.getKey()).containsOnly((short) 12_345);
                assertThat(Arrays.copyOfRange(into, length + 5, length + 7)).as(kernel.getKey())
                        .containsOnly((short) 12_345);
            }
        }
        assertThatThrownBy(() -> RealArrays.toInt16(new float[4], 1, 1f, new short[4], 0, 4))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> RealArrays.toInt16(new float[4], 0, 1f, new short[3], 0, 4))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void gramArgumentsAreChecked() {
        double[] nine = new double[9];
        assertThatThrownBy(() -> RealArrays.accumulateGram(new double[8], nine, 3, 3, 3, 0, 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> RealArrays.accumulateGram(nine, nine, 4, 3, 4, 0, 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> RealArrays.accumulateGram(nine, nine, 2, 3, 3, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RealArrays.accumulateGram(nine, nine, 3, 3, 3, 2, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The peak is the largest magnitude, NaN ignored, +0 for none or only zeros, on every kernel, for lengths with
     * and without a remainder of the vectors' 16 floats and extremes in the head, the middle and the tail.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, 100, 1001})
    void peakIsTheLargestMagnitudeOnEveryKernel(int length) throws Exception {
        Random random = new Random(length);
        List<float[]> cases = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            float[] x = new float[length + 5];
            for (int i = 0; i < x.length; i++) {
                x[i] = switch (c) {
                    case 0 -> (float) random.nextGaussian();
                    case 1 -> -random.nextFloat(); // only negative: the peak is -min
                    case 2 -> random.nextFloat(); // only positive
                    case 3 -> i % 2 == 0 ? -0f : 0f;
                    case 4 -> i % 7 == 0 ? Float.NaN : (float) random.nextGaussian();
                    default -> random.nextInt(3) - 1;
                };
            }
            if (length > 2 && c == 0) {
                x[2 + random.nextInt(length - 2)] = 40f; // inside the range, wherever
                x[length + 3] = 99f; // outside it
                x[1] = -99f;
            }
            cases.add(x);
        }
        for (float[] x : cases) {
            float hi = 0;
            float lo = 0;
            for (int i = 2; i < 2 + length; i++) {
                hi = x[i] > hi ? x[i] : hi;
                lo = x[i] < lo ? x[i] : lo;
            }
            float expected = Math.max(hi, -lo);
            assertThat(Float.floatToRawIntBits(expected)).isNotEqualTo(Float.floatToRawIntBits(-0f));
            for (Map.Entry<String, ArrayKernels> kernel : gramKernels().entrySet()) {
                float peak = kernel.getKey().equals("as loaded") ? RealArrays.peak(x, 2, length)
                        : RealArrays.peak(x, 2, length, kernel.getValue());
                assertThat(Float.floatToRawIntBits(peak)).as("%s, %d values: %s", kernel.getKey(), length, peak)
                        .isEqualTo(Float.floatToRawIntBits(expected));
            }
        }
        assertThatThrownBy(() -> RealArrays.peak(new float[4], 1, 4)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    /**
     * The polyphase filter gives the 4 fma chains added in their fixed order on every kernel, for output ranges
     * with and without a remainder of 4, negative and positive input offsets, and both up- and down-sampling; the
     * outputs outside the range are untouched.
     */
    @ParameterizedTest
    @CsvSource({"320, 441, 48, 0, 1000", "2, 3, 48, 5, 6", "2, 1, 36, 3, 202", "2, 1, 32, 4, 203", "1, 2, 4, 0, 9",
        "5, 7, 12, 7, 7", "999, 1000, 36, 9, 130", "1, 1, 8, 0, 17"})
    void polyphaseAddsFourChainsInOrder(int up, int down, int taps, int from, int to) throws Exception {
        Random random = new Random(7L * up + down);
        double[] table = random.doubles((long) up * taps, -1, 1).toArray();
        int xOff = (long) from * down / up >= 3 ? -3 : 2;
        int inputs = xOff + (int) ((long) Math.max(to - 1, 0) * down / up) + taps + 2;
        double[] x = random.doubles(inputs, -1, 1).toArray();
        assertPolyphaseAddsFourChainsInOrder(x, xOff, table, taps, up, down, from, to);
    }

    /**
     * Twice the rate with a row that is a single coefficient 1 (the sinc filter's phase 0 at the full band), which
     * the SIMD kernel copies: the same floats as the chains, also for samples of −0 and +0, from odd and even
     * outputs, with and without a remainder of the 24 outputs of a tile.
     */
    @ParameterizedTest
    @CsvSource({"0, 32, 0, 30, 1000", "0, 32, 15, 31, 517", "1, 32, 0, 0, 16", "1, 36, 35, 2, 77",
        "0, 8, 3, 30, 30"})
    void polyphaseAtTwiceTheRateCopiesAUnitRow(int unitRow, int taps, int unitTap, int from, int to)
            throws Exception {
        Random random = new Random(31L * taps + to);
        double[] table = random.doubles(2L * taps, -1, 1).toArray();
        Arrays.fill(table, unitRow * taps, unitRow * taps + taps, 0.0);
        table[unitRow * taps + unitTap] = 1.0;
        table[unitRow * taps + (unitTap + 1) % taps] = -0.0;
        int xOff = -3;
        double[] x = random.doubles(from / 2 + to / 2 + taps + 8, -1, 1).toArray();
        for (int i = 0; i < x.length; i += 5) {
            x[i] = i % 2 == 0 ? -0.0 : 0.0;
        }
        int lo = (3 - xOff + 1) / 2 * 2; // the first output whose taps start inside x
        assertPolyphaseAddsFourChainsInOrder(x, xOff, table, taps, 2, 1, Math.max(from, lo), Math.max(to, lo));
        // a row with another nonzero coefficient, or with two ones, is not copied
        table[unitRow * taps + (unitTap + 2) % taps] = 1.0;
        assertPolyphaseAddsFourChainsInOrder(x, xOff, table, taps, 2, 1, Math.max(from, lo), Math.max(to, lo));
    }

    private static void assertPolyphaseAddsFourChainsInOrder(double[] x, int xOff, double[] table, int taps, int up,
            int down, int from, int to) throws ReflectiveOperationException {
        float[] expected = new float[to + 3];
        Arrays.fill(expected, 9f);
        for (int j = from; j < to; j++) {
            long q = (long) j * down;
            int s = xOff + (int) (q / up);
            int h = (int) (q % up) * taps;
            double[] c = new double[4];
            for (int k = 0; k < taps; k++) {
                c[k % 4] = Math.fma(table[h + k], x[s + k], c[k % 4]);
            }
            expected[j] = (float) ((c[0] + c[1]) + (c[2] + c[3]));
        }
        for (Map.Entry<String, ArrayKernels> kernel : gramKernels().entrySet()) {
            float[] out = new float[to + 3];
            Arrays.fill(out, 9f);
            if (kernel.getKey().equals("as loaded")) {
                RealArrays.polyphase(x, xOff, table, taps, up, down, from, to, out);
            } else {
                RealArrays.polyphase(x, xOff, table, taps, up, down, from, to, out, kernel.getValue());
            }
            assertThat(out).as("%s, %d/%d, %d taps, outputs %d .. %d", kernel.getKey(), up, down, taps, from, to)
                    .containsExactly(expected);
        }
    }

    @Test
    void polyphaseRefusesBadFiltersAndRanges() {
        double[] x = new double[40];
        double[] table = new double[16];
        float[] out = new float[10];
        assertThatThrownBy(() -> RealArrays.polyphase(x, 0, table, 6, 2, 1, 0, 4, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("6 taps");
        assertThatThrownBy(() -> RealArrays.polyphase(x, 0, table, 8, 0, 1, 0, 4, out))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RealArrays.polyphase(x, 0, table, 8, 3, 1, 0, 4, out))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("table of 16");
        assertThatThrownBy(() -> RealArrays.polyphase(x, 0, table, 8, 2, 1, 0, 11, out))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> RealArrays.polyphase(x, -1, table, 8, 2, 1, 0, 4, out))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("inputs -1");
        assertThatThrownBy(() -> RealArrays.polyphase(x, 0, table, 8, 1, 5, 0, 8, out))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("array of 40");
    }
}
