package io.github.audiosetdl.core.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ComplexFft} against a direct DFT: smooth lengths and Bluestein's (prime factors above 13). */
class ComplexFftTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 17, 34, 127, 2 * 1009, 2 * 3 * 17 * 19, 2000, 4096})
    void forwardEqualsTheDirectDftAndInverseUndoesIt(int n) {
        ComplexFft fft = new ComplexFft(n);
        FftWorkspace ws = new FftWorkspace();
        double[] x = new Random(n).doubles(2L * n, -1, 1).toArray();
        double[] data = x.clone();
        fft.forward(data, ws);
        double[] expected = DirectDft.forward(x, n, 1)[0];
        double peak = 0;
        double worst = 0;
        for (int i = 0; i < 2 * n; i++) {
            peak = Math.max(peak, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(data[i] - expected[i]));
        }
        assertThat(worst).as("forward, n = %d", n).isLessThan(1e-12 * Math.max(1, peak));
        fft.inverse(data, ws);
        for (int i = 0; i < 2 * n; i++) {
            assertThat(data[i] / n).as("inverse, n = %d, index %d", n, i).isCloseTo(x[i],
                    Offset.offset(1e-12));
        }
    }

    @Test
    void bluesteinLengthsAreSmoothAndLongEnough() {
        for (int min : new int[] {1, 33, 253, 4035, 32_003}) {
            int m = ComplexFft.convolutionLength(min);
            assertThat(m).isGreaterThanOrEqualTo(min);
            assertThat(BatchFft.supports(m)).isTrue();
        }
    }

    @Test
    void rejectsBadLengthsAndShortArrays() {
        assertThatThrownBy(() -> new ComplexFft(0)).isInstanceOf(IllegalArgumentException.class);
        ComplexFft fft = new ComplexFft(17);
        assertThatThrownBy(() -> fft.forward(new double[33], new FftWorkspace()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need 2n = 34");
    }
}
