package io.github.audiosetdl.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.github.audiosetdl.core.testing.ExternalTools;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link SincResampler} against the reference it copies, the ffmpeg binary's default resampler ({@code -ar}), on raw
 * doubles in and out so that no sample format rounds either side; and its properties alone.
 */
class SincResamplerTest {
    @TempDir
    Path dir;

    /** A noisy chord with energy near the new Nyquist frequency too, at most 0.9 in magnitude. */
    private static double[] signal(int n, int rate, long seed) {
        Random random = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double t = (double) i / rate;
            x[i] = 0.3 * Math.sin(2 * Math.PI * 440 * t) + 0.2 * Math.sin(2 * Math.PI * 3_100 * t + 1)
                    + 0.15 * Math.sin(2 * Math.PI * 0.47 * rate * t) + 0.2 * (random.nextDouble() - 0.5);
        }
        return x;
    }

    @ParameterizedTest(name = "{0} Hz to {1} Hz")
    @CsvSource({"44100, 32000", "48000, 32000", "16000, 32000", "22050, 32000", "8000, 32000", "96000, 32000",
        "44100, 16000", "48000, 16000", "11025, 16000", "32000, 16000"})
    void matchesFfmpegsDefaultResampler(int from, int to) throws Exception {
        int n = from * 3 / 4 + 7; // 0.75 s and an odd tail
        double[] x = signal(n, from, from + 31L * to);
        Path in = dir.resolve("in.f64");
        Path outFile = dir.resolve("out.f64");
        ByteBuffer bytes = ByteBuffer.allocate(n * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asDoubleBuffer().put(x);
        Files.write(in, bytes.array());
        ExternalTools.check(List.of(ExternalTools.requireFfmpeg().toString(), "-hide_banner", "-v", "error",
                "-f", "f64le", "-ar", Integer.toString(from), "-ac", "1", "-i", in.toString(),
                "-ar", Integer.toString(to), "-f", "f64le", "-y", outFile.toString()));
        byte[] raw = Files.readAllBytes(outFile);
        double[] expected = new double[raw.length / Double.BYTES];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(expected);
        long exact = (long) n * to / from;
        assertThat((long) expected.length).as("ffmpeg's output length").isBetween(exact - 1, exact + 1);

        float[] out = new float[expected.length];
        SincResampler.resample(x, n, from, to, out);
        for (int j = 0; j < out.length; j++) {
            // ffmpeg keeps its coefficients in float: about 1e-5 of full scale apart, ends included.
            assertThat((double) out[j]).as("sample %d of %d", j, out.length).isCloseTo(expected[j], offset(2e-5));
        }
    }

    /** Each phase sums to one, so a constant stays that constant everywhere, the mirrored ends included. */
    @ParameterizedTest(name = "{0} Hz to {1} Hz")
    @CsvSource({"44100, 32000", "16000, 32000", "48000, 16000", "7, 5", "1000, 999"})
    void keepsAConstantEverywhere(int from, int to) {
        int n = Math.max(from / 10, 300);
        double[] x = new double[n];
        java.util.Arrays.fill(x, 0.25);
        float[] out = new float[(int) ((long) n * to / from) + 40]; // past the end: mirrored samples
        SincResampler.resample(x, n, from, to, out);
        for (int j = 0; j < out.length; j++) {
            assertThat(out[j]).as("sample %d", j).isCloseTo(0.25f, offset(1e-6f));
        }
    }

    @Test
    void equalRatesCopyAndMirrorPastTheEnd() {
        double[] x = {0.1, -0.2, 0.3, 0.4};
        float[] out = new float[7];
        SincResampler.resample(x, 4, 32_000, 32_000, out);
        assertThat(out).containsExactly(0.1f, -0.2f, 0.3f, 0.4f, 0.4f, 0.3f, -0.2f);
    }

    /** A pair whose coefficient table would be too large goes to the FFT resampler, sample for sample. */
    @Test
    void oversizedTablesFallBackToTheFftResampler() {
        for (int rate : new int[] {8_000, 11_025, 16_000, 22_050, 24_000, 44_100, 48_000, 88_200, 96_000, 192_000}) {
            assertThat(SincResampler.filters(rate, 32_000)).as("%d Hz", rate).isTrue();
            assertThat(SincResampler.filters(rate, 16_000)).as("%d Hz", rate).isTrue();
        }
        assertThat(SincResampler.filters(44_099, 32_000)).isFalse(); // 32,000 phases
        int n = 44_099 / 2;
        double[] x = signal(n, 44_099, 5);
        float[] expected = new float[16_000];
        FftResampler.resample(x.clone(), n, expected);
        float[] out = new float[expected.length];
        SincResampler.resample(x.clone(), n, 44_099, 32_000, out);
        assertThat(out).containsExactly(expected);
    }

    @Test
    void badArgumentsAreRefused() {
        float[] out = new float[4];
        assertThatThrownBy(() -> SincResampler.resample(new double[4], 4, 0, 16_000, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 Hz");
        assertThatThrownBy(() -> SincResampler.resample(new double[4], 5, 8_000, 16_000, out))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SincResampler.resample(new double[4], 0, 8_000, 16_000, out))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SincResampler.resample(new double[4], 4, 8_000, 16_000, new float[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SincResampler.filters(16_000, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
