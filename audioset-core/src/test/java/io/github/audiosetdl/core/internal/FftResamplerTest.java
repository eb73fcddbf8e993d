package io.github.audiosetdl.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.github.audiosetdl.core.dsp.FftWorkspace;
import io.github.audiosetdl.core.dsp.RealFft;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FftResamplerTest {
    private static double[] signal(int n, long seed) {
        Random random = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 0.5 * Math.sin(0.37 * i) + 0.3 * (random.nextDouble() - 0.5);
        }
        x[n - 1] = 0.9; // energy at the Nyquist bin too
        return x;
    }

    /**
     * Doubling the rate against scipy's definition evaluated directly: {@code X = rfft(x)}, {@code Y[k] = 2·X[k]}
     * for {@code k < n/2}, {@code Y[n/2] = X[n/2]} (scaled by 2, then halved), {@code y = irfft(Y, 2n)}, each sum
     * written out in double.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 4, 10, 26, 2000})
    void doublingTheRateIsScipysResample(int n) {
        double[] x = signal(n, n);
        double[] re = new double[n / 2 + 1];
        double[] im = new double[n / 2 + 1];
        for (int k = 0; k <= n / 2; k++) {
            for (int j = 0; j < n; j++) {
                double a = -2 * Math.PI * ((long) j * k % n) / n;
                re[k] += x[j] * Math.cos(a);
                im[k] += x[j] * Math.sin(a);
            }
        }
        int num = 2 * n;
        double[] expected = new double[num];
        double peak = 0;
        for (int t = 0; t < num; t++) {
            double sum = 2 * re[0];
            for (int k = 1; k <= n / 2; k++) {
                double s = k == n / 2 ? 1 : 2; // bin n/2 halved, then doubled as the scale num / n
                double a = 2 * Math.PI * ((long) k * t % num) / num;
                sum += 2 * s * (re[k] * Math.cos(a) - im[k] * Math.sin(a)); // with its mirror at num - k
            }
            expected[t] = sum / num;
            peak = Math.max(peak, Math.abs(expected[t]));
        }
        float[] out = new float[num];
        FftResampler.resample(x.clone(), n, out);
        for (int t = 0; t < num; t++) {
            assertThat((double) out[t]).as("sample %d of %d", t, num).isCloseTo(expected[t],
                    offset(1e-7 * peak));
        }
        for (int j = 0; j < n; j++) {
            assertThat(out[2 * j]).as("even sample %d: the input", 2 * j).isEqualTo((float) x[j]);
        }
    }

    /**
     * 16 to 32 kHz, 10 s, against the two transforms scipy's definition takes (rfft of 160,000, irfft of 320,000
     * from the scaled bins, both on {@link RealFft}): the same floats but for rounding, at most one float step.
     */
    @ParameterizedTest
    @ValueSource(ints = {160_000, 30})
    void doublingTheRateMatchesTheTwoFullTransforms(int n) {
        double[] x = signal(n, 16);
        int num = 2 * n;
        int bins = n / 2 + 1;
        FftWorkspace ws = new FftWorkspace();
        double[] spectrum = new double[2 * bins];
        RealFft.of(n).forward(x, spectrum, bins, ws);
        for (int k = 0; k < 2 * bins; k++) {
            spectrum[k] *= k / 2 == n / 2 ? 1.0 : 2.0;
        }
        double[] y = new double[num];
        RealFft.of(num).inverse(spectrum, bins, y, ws);

        float[] out = new float[num];
        FftResampler.resample(x.clone(), n, out);
        double worst = 0;
        for (int t = 0; t < num; t++) {
            worst = Math.max(worst, Math.abs(out[t] - y[t]) / Math.ulp((float) Math.max(Math.abs(y[t]), 1e-3)));
        }
        assertThat(worst).as("largest difference, in float steps").isLessThanOrEqualTo(1.0);
    }
}
