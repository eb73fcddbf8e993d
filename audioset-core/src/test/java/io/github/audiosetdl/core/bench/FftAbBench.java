package io.github.audiosetdl.core.bench;

import io.github.audiosetdl.core.dsp.BatchFft;
import io.github.audiosetdl.core.dsp.FftWorkspace;
import io.github.audiosetdl.core.dsp.RealFft;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Two builds of the FFT engine side by side in one JVM, for a before/after comparison that a loaded machine
 * disturbs equally: each build's classes in a class loader of their own, rounds alternating between the two (the
 * order flipped every round), thread CPU time per workload. The workloads are the engine's users' shapes: the
 * cochleagram's batch of 20 transforms of 2000 points (radix 4, 4, 5, 5, 5), a batch of 20 of 1960 (radix 8, 5,
 * 7, 7), and the real forward transforms of a 10-s clip at 16 kHz and at 44.1 kHz.
 *
 * <pre>
 * mvn -B -ntp -q -pl audioset-core -am test-compile -Pquick      # in both checkouts
 * java --add-modules jdk.incubator.vector -cp audioset-core/target/test-classes \
 *     io.github.audiosetdl.core.bench.FftAbBench 200 BEFORE/audioset-core/target/classes \
 *     AFTER/audioset-core/target/classes SLF4J_API_JAR
 * </pre>
 *
 * Add {@code -Daudioset.simd=false} for the scalar passes. Prints, per workload, the best, first quartile and
 * median of each build and the ratios after / before.
 */
public final class FftAbBench {
    private static final String[] NAMES = {"BatchFft 20 x 2000, x10", "BatchFft 20 x 1960, x10", "RealFft 160000",
        "RealFft 441000"};

    private FftAbBench() {
    }

    /**
     * @param args rounds, the two builds' class folders (before, after), and the slf4j-api jar
     * @throws Exception if a build cannot be loaded or run
     */
    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        int rounds = Integer.parseInt(args[0]);
        URL tests = FftAbBench.class.getProtectionDomain().getCodeSource().getLocation();
        Method[] round = new Method[2];
        for (int v = 0; v < 2; v++) {
            URL[] urls = {Path.of(args[1 + v]).toUri().toURL(), tests, Path.of(args[3]).toUri().toURL()};
            ClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
            round[v] = loader.loadClass(FftAbBench.class.getName() + "$Workloads").getMethod("round");
        }
        long[][][] t = new long[2][NAMES.length][rounds];
        for (int i = -rounds / 2; i < rounds; i++) {
            for (int j = 0; j < 2; j++) {
                int v = (i & 1) == 0 ? j : 1 - j;
                long[] r = (long[]) round[v].invoke(null);
                if (i >= 0) {
                    for (int k = 0; k < NAMES.length; k++) {
                        t[v][k][i] = r[k];
                    }
                }
            }
        }
        for (int k = 0; k < NAMES.length; k++) {
            long[] a = t[0][k];
            long[] b = t[1][k];
            Arrays.sort(a);
            Arrays.sort(b);
            int q1 = rounds / 4;
            int mid = rounds / 2;
            System.out.printf("%-24s before best %8.1f us, p25 %8.1f, median %8.1f | after best %8.1f, p25 %8.1f,"
                    + " median %8.1f | after / before: p25 %.3f, median %.3f%n", NAMES[k], a[0] / 1e3, a[q1] / 1e3,
                    a[mid] / 1e3, b[0] / 1e3, b[q1] / 1e3, b[mid] / 1e3, (double) b[q1] / a[q1],
                    (double) b[mid] / a[mid]);
        }
    }

    /** One build's workloads; loaded once per build, by that build's class loader. */
    public static final class Workloads {
        private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
        private static final BatchFft B2000 = new BatchFft(2000, 20);
        private static final BatchFft B1960 = new BatchFft(1960, 20);
        private static final double[] S2000 = new Random(1).doubles(B2000.size(), -1, 1).toArray();
        private static final double[] S1960 = new Random(1).doubles(B1960.size(), -1, 1).toArray();
        private static final double[] DATA = new double[B2000.size()];
        private static final double[] SCRATCH = new double[B2000.size()];
        private static final FftWorkspace WS = new FftWorkspace();
        private static final RealFft F160 = new RealFft(160_000);
        private static final RealFft F441 = new RealFft(441_000);
        private static final FftWorkspace WS160 = F160.newWorkspace();
        private static final FftWorkspace WS441 = F441.newWorkspace();
        private static final double[] X160 = new Random(2).doubles(160_000, -1, 1).toArray();
        private static final double[] X441 = new Random(2).doubles(441_000, -1, 1).toArray();
        private static final double[] OUT = new double[441_002];

        private Workloads() {
        }

        /** @return the thread CPU nanoseconds of each workload, in the order of {@link FftAbBench#NAMES} */
        public static long[] round() {
            long t0 = MX.getCurrentThreadCpuTime();
            batches(B2000, S2000);
            long t1 = MX.getCurrentThreadCpuTime();
            batches(B1960, S1960);
            long t2 = MX.getCurrentThreadCpuTime();
            F160.forward(X160, OUT, 80_001, WS160);
            long t3 = MX.getCurrentThreadCpuTime();
            F441.forward(X441, OUT, 220_501, WS441);
            long t4 = MX.getCurrentThreadCpuTime();
            return new long[] {t1 - t0, t2 - t1, t3 - t2, t4 - t3};
        }

        private static void batches(BatchFft fft, double[] signals) {
            for (int k = 0; k < 10; k++) {
                System.arraycopy(signals, 0, DATA, 0, signals.length);
                fft.forward(DATA, SCRATCH, WS);
            }
        }
    }
}
