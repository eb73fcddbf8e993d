package io.github.audiosetdl.cochlea.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VectorFftTest {

    @ParameterizedTest(name = "n={0}, columns={1}")
    @CsvSource({"1, 3", "2, 1", "8, 5", "20, 4", "60, 3", "63, 2", "125, 2", "2000, 3", "11, 2"})
    void equalsTheDirectInverseDft(int n, int columns) {
        Random random = new Random(n * 31L + columns);
        double[][] re = new double[n][columns];
        double[][] im = new double[n][columns];
        for (int j = 0; j < n; j++) {
            for (int v = 0; v < columns; v++) {
                re[j][v] = random.nextGaussian();
                im[j][v] = random.nextGaussian();
            }
        }
        double[][] expRe = new double[n][columns];
        double[][] expIm = new double[n][columns];
        for (int u = 0; u < n; u++) {
            for (int v = 0; v < columns; v++) {
                double sr = 0;
                double si = 0;
                for (int j = 0; j < n; j++) {
                    double angle = 2 * Math.PI * ((long) j * u % n) / n;
                    sr += re[j][v] * Math.cos(angle) - im[j][v] * Math.sin(angle);
                    si += re[j][v] * Math.sin(angle) + im[j][v] * Math.cos(angle);
                }
                expRe[u][v] = sr;
                expIm[u][v] = si;
            }
        }
        double[][] re2 = new double[n][columns];
        double[][] im2 = new double[n][columns];
        boolean second = new VectorFft(n, columns).inverse(re, im, re2, im2);
        double[][] gotRe = second ? re2 : re;
        double[][] gotIm = second ? im2 : im;
        double tolerance = 1e-12 * n;
        for (int u = 0; u < n; u++) {
            for (int v = 0; v < columns; v++) {
                assertThat(Math.abs(gotRe[u][v] - expRe[u][v])).as("re[%d][%d]", u, v).isLessThan(tolerance);
                assertThat(Math.abs(gotIm[u][v] - expIm[u][v])).as("im[%d][%d]", u, v).isLessThan(tolerance);
            }
        }
    }
}
