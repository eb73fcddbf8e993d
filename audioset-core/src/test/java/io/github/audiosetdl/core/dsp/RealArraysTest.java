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
     * The polyphase filter gives the 4 fma chains added in their fixed order on every kernel, for output ranges
     * with and without a remainder of 4, negative and positive input offsets, and both up- and down-sampling; the
     * outputs outside the range are untouched.
     */
    @ParameterizedTest
    @CsvSource({"320, 441, 48, 0, 1000", "2, 3, 48, 5, 6", "2, 1, 36, 3, 202", "1, 2, 4, 0, 9", "5, 7, 12, 7, 7",
        "999, 1000, 36, 9, 130", "1, 1, 8, 0, 17"})
    void polyphaseAddsFourChainsInOrder(int up, int down, int taps, int from, int to) throws Exception {
        Random random = new Random(7L * up + down);
        double[] table = random.doubles((long) up * taps, -1, 1).toArray();
        int xOff = (long) from * down / up >= 3 ? -3 : 2;
        int inputs = xOff + (int) ((long) Math.max(to - 1, 0) * down / up) + taps + 2;
        double[] x = random.doubles(inputs, -1, 1).toArray();
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
