package io.github.audiosetdl.core.bench;

import io.github.audiosetdl.core.dsp.ComplexFft;
import io.github.audiosetdl.core.dsp.FftWorkspace;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.jtransforms.fft.DoubleFFT_1D;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

/**
 * The complex forward DFT of lengths with large prime factors (clips whose sample count is not a round number):
 * {@link ComplexFft} (Bluestein's algorithm on the SIMD passes) against JTransforms' {@code complexForward}
 * (its own Bluestein), one thread each, in the same run; JTransforms is limited to one thread here, in this
 * benchmark's JVM only. Prints, per length, the best and the median of 15 calls after 10.
 *
 * <pre>
 * mvn -B -ntp -q -pl audioset-core -am test-compile -Pquick
 * mvn -B -ntp -q -pl audioset-core exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *     -Dexec.args="--add-modules jdk.incubator.vector -cp %classpath io.github.audiosetdl.core.bench.FftLengthsBench"
 * </pre>
 */
public final class FftLengthsBench {
    private FftLengthsBench() {
    }

    /**
     * @param args lengths (default 16002, 160001, 200006, 441001, 480001)
     */
    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        ConcurrencyUtils.setNumberOfThreads(1);
        int[] lengths = args.length > 0 ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray()
                : new int[] {16_002, 160_001, 200_006, 441_001, 480_001};
        for (int n : lengths) {
            double[] x = new Random(n).doubles(2L * n, -1, 1).toArray();
            ComplexFft ours = new ComplexFft(n);
            FftWorkspace ws = new FftWorkspace();
            DoubleFFT_1D theirs = new DoubleFFT_1D(n);
            double[] a = x.clone();
            double[] b = x.clone();
            double[] oursMs = new double[15];
            double[] theirsMs = new double[15];
            for (int i = -10; i < 15; i++) {
                System.arraycopy(x, 0, a, 0, a.length);
                long t0 = System.nanoTime();
                ours.forward(a, ws);
                long t1 = System.nanoTime();
                System.arraycopy(x, 0, b, 0, b.length);
                long t2 = System.nanoTime();
                theirs.complexForward(b);
                long t3 = System.nanoTime();
                if (i >= 0) {
                    oursMs[i] = (t1 - t0) / 1e6;
                    theirsMs[i] = (t3 - t2) / 1e6;
                }
            }
            double diff = 0;
            double peak = 0;
            for (int i = 0; i < a.length; i++) {
                diff = Math.max(diff, Math.abs(a[i] - b[i]));
                peak = Math.max(peak, Math.abs(b[i]));
            }
            Arrays.sort(oursMs);
            Arrays.sort(theirsMs);
            System.out.printf("n = %7d: ComplexFft best %7.2f ms, median %7.2f"
                    + " | JTransforms best %7.2f ms, median %7.2f"
                    + " | ratio of medians %.2f | max diff / peak %.1e%n", n, oursMs[0], oursMs[7], theirsMs[0],
                    theirsMs[7], theirsMs[7] / oursMs[7], diff / peak);
        }
    }
}
