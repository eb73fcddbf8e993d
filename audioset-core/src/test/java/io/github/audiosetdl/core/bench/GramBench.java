package io.github.audiosetdl.core.bench;

import io.github.audiosetdl.core.dsp.RealArrays;
import io.github.audiosetdl.core.internal.FftResampler;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * The scatter of one cochleagram clip (171 channels × 2000 frames, centred, in double), one thread:
 * {@link RealArrays#accumulateGram} (SIMD under {@code --add-modules jdk.incubator.vector}, its scalar loops without
 * or with {@code -Daudioset.simd=false}) against the scalar 4 × 4 blocked dot-product kernel of {@code stats}' first
 * version, in the same run, and between them the pack's FFT resampling of a 10-s clip from 44.1 to 16 kHz (the
 * FFT's 256-bit vectors in the same process: on JDK 17 a kernel on 512-bit double vectors made whichever of the two
 * was compiled second many times slower). Prints the best and the median of 15 rounds of 10 clips after 5 rounds,
 * in ms per clip and G multiply-adds/s.
 *
 * <pre>
 * mvn -B -ntp -q -pl audioset-core -am test-compile -Pquick
 * mvn -B -ntp -q -pl audioset-core exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *     -Dexec.args="--add-modules jdk.incubator.vector -cp %classpath io.github.audiosetdl.core.bench.GramBench"
 * </pre>
 */
public final class GramBench {
    private static final int C = 171;
    private static final int F = 2000;

    private GramBench() {
    }

    /** @param args none */
    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        Random random = new Random(18);
        double[] rows = random.doubles((long) C * F, -1, 1).toArray(); // (C, F): accumulateGram's layout
        int padded = (C + 3) & ~3;
        rows = Arrays.copyOf(rows, padded * F); // plus zero rows: the blocked kernel's layout
        double[] acc = new double[C * C];
        double[] blocked = new double[C * C];
        double[] wave = random.doubles(441_000, -1, 1).toArray();
        double[] work = new double[wave.length];
        float[] resampled = new float[160_000];
        double[][] ms = new double[3][15];
        for (int round = -5; round < 15; round++) {
            long tf = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                System.arraycopy(wave, 0, work, 0, wave.length);
                FftResampler.resample(work, wave.length, resampled);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                Arrays.fill(acc, 0);
                RealArrays.accumulateGram(acc, rows, F, C, F, 0, 1);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                blockedScatter(rows, padded, F, blocked, C, 0, 1);
            }
            long t2 = System.nanoTime();
            if (round >= 0) {
                ms[0][round] = (t1 - t0) / 1e7;
                ms[1][round] = (t2 - t1) / 1e7;
                ms[2][round] = (t0 - tf) / 1e7;
            }
        }
        double worst = 0;
        for (int i = 0; i < C; i++) {
            for (int j = 0; j <= i; j++) {
                worst = Math.max(worst, Math.abs(acc[i * C + j] - blocked[i * C + j]) / Math.abs(blocked[i * C + i]));
            }
        }
        double fmas = C * (C + 1) / 2.0 * F;
        String[] names = {"accumulateGram", "4 x 4 blocked (first)"};
        for (int k = 0; k < 2; k++) {
            Arrays.sort(ms[k]);
            System.out.printf("%-24s best %.2f ms, median %.2f ms per clip (%.2f G multiply-adds/s at best)%n",
                    names[k], ms[k][0], ms[k][7], fmas / ms[k][0] / 1e6);
        }
        Arrays.sort(ms[2]);
        System.out.printf("%-24s best %.2f ms, median %.2f ms per clip%n", "FFT resampling 44.1k-16k", ms[2][0],
                ms[2][7]);
        System.out.printf("largest difference %.2g of the diagonal (sums in another order)%n", worst);
    }

    /** The kernel of {@code stats}' first version (4 x 4 blocks of scalar dot products over rows of frames). */
    private static void blockedScatter(double[] z, int padded, int f, double[] out, int c, int part, int parts) {
        for (int i0 = 4 * part; i0 < padded; i0 += 4 * parts) {
            int a0 = i0 * f;
            int a1 = a0 + f;
            int a2 = a1 + f;
            int a3 = a2 + f;
            for (int j0 = 0; j0 <= i0; j0 += 4) {
                int b0 = j0 * f;
                int b1 = b0 + f;
                int b2 = b1 + f;
                int b3 = b2 + f;
                double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
                double s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
                for (int k = 0; k < f; k++) {
                    double x0 = z[a0 + k];
                    double x1 = z[a1 + k];
                    double x2 = z[a2 + k];
                    double x3 = z[a3 + k];
                    double y0 = z[b0 + k];
                    double y1 = z[b1 + k];
                    double y2 = z[b2 + k];
                    double y3 = z[b3 + k];
                    s00 += x0 * y0;
                    s01 += x0 * y1;
                    s02 += x0 * y2;
                    s03 += x0 * y3;
                    s10 += x1 * y0;
                    s11 += x1 * y1;
                    s12 += x1 * y2;
                    s13 += x1 * y3;
                    s20 += x2 * y0;
                    s21 += x2 * y1;
                    s22 += x2 * y2;
                    s23 += x2 * y3;
                    s30 += x3 * y0;
                    s31 += x3 * y1;
                    s32 += x3 * y2;
                    s33 += x3 * y3;
                }
                double[] block = {s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33};
                for (int di = 0; di < 4; di++) {
                    for (int dj = 0; dj < 4; dj++) {
                        int i = i0 + di;
                        int j = j0 + dj;
                        if (i < c && j < c) {
                            out[i * c + j] = block[di * 4 + dj];
                            out[j * c + i] = block[di * 4 + dj];
                        }
                    }
                }
            }
        }
    }
}
