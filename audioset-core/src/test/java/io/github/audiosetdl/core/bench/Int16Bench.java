package io.github.audiosetdl.core.bench;

import io.github.audiosetdl.core.dsp.RealArrays;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * The int16 conversion of one 10-s clip at 32 kHz (320,000 peak-normalised floats times a gain, PANNs' row), one
 * thread: {@link RealArrays#toInt16(float[], int, float, short[], int, int)} (SIMD under
 * {@code --add-modules jdk.incubator.vector}, the scalar loop without or with {@code -Daudioset.simd=false}) against
 * the scalar loop over {@link RealArrays#toInt16(float)} that the writers ran before, in the same run; checks that
 * both give the same values. Prints the best and the median of 15 rounds of 50 clips after 5 rounds, in ms per clip.
 *
 * <pre>
 * mvn -B -ntp -q -pl audioset-core -am test-compile -Pquick
 * mvn -B -ntp -q -pl audioset-core exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *     -Dexec.args="--add-modules jdk.incubator.vector -cp %classpath io.github.audiosetdl.core.bench.Int16Bench"
 * </pre>
 */
public final class Int16Bench {
    private static final int SAMPLES = 320_000;
    private static final int CLIPS = 50;

    private Int16Bench() {
    }

    /** @param args none */
    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        Random random = new Random(18);
        float[] x = new float[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            x[i] = (float) Math.max(-1, Math.min(1, random.nextGaussian() * 0.25));
        }
        float gain = 0.93f;
        short[] kernel = new short[SAMPLES];
        short[] loop = new short[SAMPLES];
        double[][] ms = new double[2][15];
        for (int round = -5; round < 15; round++) {
            long t0 = System.nanoTime();
            for (int c = 0; c < CLIPS; c++) {
                RealArrays.toInt16(x, 0, gain, kernel, 0, SAMPLES);
            }
            long t1 = System.nanoTime();
            for (int c = 0; c < CLIPS; c++) {
                for (int i = 0; i < SAMPLES; i++) {
                    loop[i] = RealArrays.toInt16(x[i] * gain);
                }
            }
            long t2 = System.nanoTime();
            if (round >= 0) {
                ms[0][round] = (t1 - t0) / 1e6 / CLIPS;
                ms[1][round] = (t2 - t1) / 1e6 / CLIPS;
            }
        }
        if (!Arrays.equals(kernel, loop)) {
            throw new AssertionError("the kernel and the loop differ");
        }
        String[] names = {"RealArrays.toInt16", "scalar loop (before)"};
        System.out.printf("| conversion of %,d samples | best ms/clip | median ms/clip |%n|---|---|---|%n", SAMPLES);
        for (int k = 0; k < 2; k++) {
            Arrays.sort(ms[k]);
            System.out.printf("| %s | %.3f | %.3f |%n", names[k], ms[k][0], ms[k][7]);
        }
    }
}
