package io.github.audiosetdl.core.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link BatchFft} against a direct DFT, for every radix and batch widths with and without a SIMD tail. */
class BatchFftTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 11, 13, 16, 100, 250, 2000, 2 * 7 * 11 * 13})
    void equalsTheDirectDft(int length) {
        FftWorkspace ws = new FftWorkspace();
        for (int batch : new int[] {1, 2, 5, 8}) {
            BatchFft fft = new BatchFft(length, batch);
            double[] x = new Random(length + 1000L * batch).doubles(fft.size(), -1, 1).toArray();
            double[] data = x.clone();
            double[] out = fft.forward(data, new double[fft.size()], ws);
            double[][] expected = DirectDft.forward(x, length, batch);
            double peak = 0;
            double worst = 0;
            for (int i = 0; i < fft.size(); i++) {
                peak = Math.max(peak, Math.abs(expected[0][i]));
                worst = Math.max(worst, Math.abs(out[i] - expected[0][i]));
            }
            assertThat(worst).as("length %d, batch %d", length, batch).isLessThan(1e-12 * Math.max(1, peak));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -4, 17, 2 * 19, 100_003})
    void rejectsOtherLengths(int length) {
        assertThat(BatchFft.supports(length)).isFalse();
        assertThatThrownBy(() -> new BatchFft(length, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length " + length + ":");
    }

    @Test
    void rejectsBadArrays() {
        BatchFft fft = new BatchFft(8, 2);
        double[] data = new double[fft.size()];
        FftWorkspace ws = new FftWorkspace();
        assertThatThrownBy(() -> fft.forward(data, data, ws)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fft.forward(data, new double[fft.size() - 1], ws))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BatchFft(8, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
