package io.github.audiosetdl.cochlea.bench;

import io.github.audiosetdl.cochlea.Cochleagram;
import io.github.audiosetdl.cochlea.CochleagramConfig;
import java.util.Random;

final class QuickTiming {
    private QuickTiming() {
    }

    public static void main(String[] args) {
        Cochleagram c = Cochleagram.of(args.length > 0 && args[0].equals("py") ? CochleagramConfig.pycochleagram()
                : CochleagramConfig.seed());
        Random r = new Random(1);
        float[] x = new float[c.signalLength()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        Cochleagram.Worker w = c.newWorker();
        float[] out = new float[c.outputLength()];
        for (int rep = 0; rep < 15; rep++) {
            long[] before = w.timings().clone();
            long c0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            w.compute(x, out);
            long t = System.nanoTime() - t0;
            long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - c0;
            System.out.printf("cpu %.1f ms ", cpu / 1e6);
            long[] after = w.timings();
            System.out.printf("clip %.1f ms: forward %.1f ms, envelope %.1f ms, fir %.1f ms%n", t / 1e6, (after[0] - before[0]) / 1e6,
                    (after[1] - before[1]) / 1e6, (after[2] - before[2]) / 1e6);
            System.out.printf("   build %.1f ms, transform %.1f ms%n", (after[3] - before[3]) / 1e6, (after[4] - before[4]) / 1e6);
        }
    }
}
