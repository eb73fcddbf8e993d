package io.github.audiosetdl.core.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /** The SIMD kernel (when this JVM has it) and the scalar loops alone both give the fma chains. */
    @ParameterizedTest
    @CsvSource({"1, 1, 1, 1", "4, 3, 4, 1", "8, 130, 9, 1", "13, 257, 13, 2", "16, 40, 19, 3", "171, 300, 171, 2",
        "7, 0, 7, 1", "0, 5, 0, 1", "12, 129, 12, 4"})
    void accumulateGramFusesTheTermsInOrder(int n, int terms, int stride, int parts) {
        Random random = new Random(17L * n + terms);
        double[] x = random.doubles(Math.max(0, (long) (terms - 1) * stride + n), -2, 2).toArray();
        double[] acc = random.doubles((long) n * n, -1, 1).toArray();
        double[] expected = acc.clone();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = expected[i * n + j];
                for (int k = 0; k < terms; k++) {
                    sum = Math.fma(x[k * stride + i], x[k * stride + j], sum);
                }
                expected[i * n + j] = sum;
            }
        }
        double[] scalar = acc.clone();
        for (int part = parts - 1; part >= 0; part--) {
            RealArrays.accumulateGram(acc, x, stride, n, terms, part, parts);
            RealArrays.accumulateGram(scalar, x, stride, n, terms, part, parts, null);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                assertThat(acc[i * n + j]).as("(%d, %d) of %d, %d terms, %d parts", i, j, n, terms, parts)
                        .isEqualTo(expected[i * n + j]);
                assertThat(scalar[i * n + j]).as("scalar (%d, %d) of %d, %d terms, %d parts", i, j, n, terms, parts)
                        .isEqualTo(expected[i * n + j]);
            }
        }
    }

    @Test
    void gramArgumentsAreChecked() {
        double[] nine = new double[9];
        assertThatThrownBy(() -> RealArrays.accumulateGram(new double[8], nine, 3, 3, 3, 0, 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> RealArrays.accumulateGram(nine, nine, 3, 3, 4, 0, 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> RealArrays.accumulateGram(nine, nine, 2, 3, 3, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RealArrays.accumulateGram(nine, nine, 3, 3, 3, 2, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
