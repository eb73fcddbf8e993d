package io.github.audiosetdl.core.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ComplexArrays} gives the doubles its javadoc promises, element by element, on the SIMD kernels (the
 * build's tests run with {@code --add-modules jdk.incubator.vector}, see {@link RealFftSimdTest}) and on the scalar
 * tails: counts and batches with and without a remainder.
 */
class ComplexArraysTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 20, 21, 1001})
    void multiplyRoundsEachProductAsDocumented(int count) {
        Random random = new Random(count);
        int aOff = 3;
        int tOff = 5;
        int outOff = 1;
        double[] a = random.doubles(aOff + 2 * count, -2, 2).toArray();
        double[] t = random.doubles(tOff + 2 * count + 4, -1, 1).toArray();
        double wr = 0.6;
        double wi = -0.8;
        double[] out = new double[outOff + 2 * count + 2];
        ComplexArrays.multiply(a, aOff, wr, wi, t, tOff, out, outOff, count);
        for (int v = 0; v < count; v++) {
            double ar = a[aOff + 2 * v];
            double ai = a[aOff + 2 * v + 1];
            double ur = Math.fma(ar, wr, -(ai * wi));
            double ui = Math.fma(ai, wr, ar * wi);
            double tr = t[tOff + 2 * v];
            double ti = t[tOff + 2 * v + 1];
            assertThat(out[outOff + 2 * v]).as("Re out_%d", v).isEqualTo(Math.fma(ur, tr, -(ui * ti)));
            assertThat(out[outOff + 2 * v + 1]).as("Im out_%d", v).isEqualTo(Math.fma(ui, tr, ur * ti));
            // and that is the complex product a w t, to rounding
            double pr = (ar * wr - ai * wi) * tr - (ar * wi + ai * wr) * ti;
            double pi = (ar * wr - ai * wi) * ti + (ar * wi + ai * wr) * tr;
            assertThat(out[outOff + 2 * v]).isCloseTo(pr, within(1e-14));
            assertThat(out[outOff + 2 * v + 1]).isCloseTo(pi, within(1e-14));
        }
        assertThat(out[0]).as("before the range").isZero();
        assertThat(out[outOff + 2 * count]).as("after the range").isZero();
    }

    @Test
    void multiplyWorksInPlace() {
        double[] a = new Random(7).doubles(2 * 9, -1, 1).toArray();
        double[] t = new Random(8).doubles(2 * 9, -1, 1).toArray();
        double[] expected = new double[a.length];
        ComplexArrays.multiply(a, 0, 0.3, 0.4, t, 0, expected, 0, 9);
        ComplexArrays.multiply(a, 0, 0.3, 0.4, t, 0, a, 0, 9);
        assertThat(a).containsExactly(expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 20, 21})
    void modulusTransposedGivesEachSignalsModuli(int batch) {
        for (int length : new int[] {0, 1, 3, 4, 7, 2000}) {
            Random random = new Random(31L * batch + length);
            double[] x = random.doubles(2L * batch * length + 6, -3, 3).toArray();
            int outOff = 2;
            double[][] out = new double[batch][outOff + length + 1];
            ComplexArrays.modulusTransposed(x, batch, length, out, outOff);
            for (int g = 0; g < batch; g++) {
                for (int t = 0; t < length; t++) {
                    double re = x[2 * (g + batch * t)];
                    double im = x[2 * (g + batch * t) + 1];
                    assertThat(out[g][outOff + t]).as("batch %d, length %d: |x_%d[%d]|", batch, length, g, t)
                            .isEqualTo(Math.sqrt(re * re + im * im));
                }
                assertThat(out[g][0]).isZero();
                assertThat(out[g][outOff + length]).isZero();
            }
        }
    }

    @Test
    void rangesOutsideTheArraysAreRefused() {
        double[] four = new double[4];
        assertThatThrownBy(() -> ComplexArrays.multiply(four, 0, 1, 0, four, 0, new double[2], 0, 2))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ComplexArrays.multiply(four, 1, 1, 0, four, 0, new double[4], 0, 2))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ComplexArrays.multiply(four, 0, 1, 0, four, 0, new double[4], 0, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ComplexArrays.modulusTransposed(four, 2, 2, new double[2][2], 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ComplexArrays.modulusTransposed(four, 1, 2, new double[1][2], 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ComplexArrays.modulusTransposed(four, 2, 1, new double[1][1], 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ComplexArrays.modulusTransposed(four, 0, 1, new double[1][1], 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
