package io.github.audiosetdl.core.bench;

import io.github.audiosetdl.core.internal.FftResampler;
import io.github.audiosetdl.core.internal.SincResampler;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * One 10-s clip resampled, one thread, for the rate pairs the pack meets: the PANNs layout's
 * {@link SincResampler} (ffmpeg's filter; SIMD under {@code --add-modules jdk.incubator.vector}) against the seed's
 * {@link FftResampler} (scipy's FFT resampling), in the same run, alternating. Prints per pair the best and the
 * median of 15 rounds of 10 clips after 5 rounds, in ms per clip.
 *
 * <pre>
 * mvn -B -ntp -q -pl audioset-core -am test-compile -Pquick
 * mvn -B -ntp -q -pl audioset-core exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *     -Dexec.args="--add-modules jdk.incubator.vector -cp %classpath io.github.audiosetdl.core.bench.ResampleBench"
 * </pre>
 */
public final class ResampleBench {
    private static final int[][] PAIRS = {{44_100, 32_000}, {48_000, 32_000}, {16_000, 32_000}, {44_100, 16_000},
        {48_000, 16_000}, {32_000, 16_000}};

    private ResampleBench() {
    }

    /** @param args none */
    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        Random random = new Random(18);
        System.out.println("| from, to (Hz) | sinc, best / median (ms per clip) | FFT, best / median"
                + " | FFT / sinc, medians |");
        System.out.println("|---|---|---|---|");
        for (int[] pair : PAIRS) {
            int n = pair[0] * 10;
            double[] x = random.doubles(n, -0.9, 0.9).toArray();
            double[] work = new double[n];
            float[] out = new float[pair[1] * 10];
            double[][] ms = new double[2][15];
            for (int round = -5; round < 15; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 10; i++) {
                    SincResampler.resample(x, n, pair[0], pair[1], out);
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < 10; i++) {
                    System.arraycopy(x, 0, work, 0, n); // the FFT resampler uses its input as scratch
                    FftResampler.resample(work, n, out);
                }
                long t2 = System.nanoTime();
                if (round >= 0) {
                    ms[0][round] = (t1 - t0) / 1e7;
                    ms[1][round] = (t2 - t1) / 1e7;
                }
            }
            Arrays.sort(ms[0]);
            Arrays.sort(ms[1]);
            System.out.printf("| %d, %d | %.2f / %.2f | %.2f / %.2f | %.2fx |%n", pair[0], pair[1], ms[0][0], ms[0][7],
                    ms[1][0], ms[1][7], ms[1][7] / ms[0][7]);
        }
    }
}
