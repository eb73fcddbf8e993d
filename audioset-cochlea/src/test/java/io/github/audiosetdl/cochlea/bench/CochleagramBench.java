package io.github.audiosetdl.cochlea.bench;

import io.github.audiosetdl.cochlea.Cochleagram;
import io.github.audiosetdl.cochlea.CochleagramConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Cochleagram throughput: Java with 1 and 2 threads against the numpy reference
 * ({@code src/test/python/coch_numpy_bench.py}, the same seed algorithm, single-threaded), in the same run,
 * numpy before and after Java to bracket the machine's noise. Where the Java time goes is
 * measured apart, by sampling (docs/benchmarks.md: JFR).
 *
 * <p>Run (see docs/benchmarks.md): {@code mvn -B -ntp -q -pl audioset-cochlea test-compile exec:exec
 * -Dexec.executable=java -Dexec.classpathScope=test -Dexec.args="-cp %classpath
 * io.github.audiosetdl.cochlea.bench.CochleagramBench"}. Options: {@code --clips K} (per Java measurement,
 * default 16), {@code --numpy-clips K} (default 6), {@code --python PATH} (default /usr/bin/python3),
 * {@code --no-numpy}, {@code --pycochleagram CHECKOUT} (also time pycochleagram itself, from a checkout of
 * mcdermottLab/pycochleagram that is not part of this project, with {@code --pycochleagram-python PATH},
 * default the same Python, before and after Java, against the Java pycochleagram preset).
 */
public final class CochleagramBench {
    private CochleagramBench() {
    }

    public static void main(String[] args) throws Exception {
        int clips = 16;
        int numpyClips = 6;
        String python = "/usr/bin/python3";
        boolean numpy = true;
        String pycochleagram = null;
        String pycochleagramPython = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clips" -> clips = Integer.parseInt(args[++i]);
                case "--numpy-clips" -> numpyClips = Integer.parseInt(args[++i]);
                case "--python" -> python = args[++i];
                case "--no-numpy" -> numpy = false;
                case "--pycochleagram" -> pycochleagram = args[++i];
                case "--pycochleagram-python" -> pycochleagramPython = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Locale.setDefault(Locale.ROOT);
        System.out.printf("machine: %d CPUs, %s, load average %.2f%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        String pyPython = pycochleagramPython != null ? pycochleagramPython : python;
        List<Map<String, String>> numpyRuns = new ArrayList<>();
        List<Map<String, String>> pycochleagramRuns = new ArrayList<>();
        if (numpy) {
            numpyRuns.add(runNumpy(python, numpyClips));
        }
        if (pycochleagram != null) {
            pycochleagramRuns.add(runPython(pyPython, "pycochleagram_bench.py", numpyClips, "--checkout",
                    pycochleagram));
        }
        Cochleagram seed = Cochleagram.of(CochleagramConfig.seed());
        List<float[]> inputs = clips(Math.max(clips, 4));
        // warm-up: JIT and page faults
        Cochleagram.Worker worker = seed.newWorker();
        float[] out = new float[seed.outputLength()];
        for (int i = 0; i < 10; i++) {
            worker.compute(inputs.get(i % inputs.size()), out);
        }
        seed.computeAll(inputs.subList(0, 4), 2);

        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < clips; i++) {
            long s = System.nanoTime();
            worker.compute(inputs.get(i), out);
            best = Math.min(best, (System.nanoTime() - s) / 1e9);
        }
        double oneThread = (System.nanoTime() - t0) / 1e9;
        double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;

        List<float[]> twice = new ArrayList<>(inputs);
        twice.addAll(inputs);
        long t1 = System.nanoTime();
        seed.computeAll(twice, 2);
        double twoThreads = (System.nanoTime() - t1) / 1e9;

        Cochleagram py = Cochleagram.of(CochleagramConfig.pycochleagram());
        Cochleagram.Worker pyWorker = py.newWorker();
        for (int i = 0; i < 3; i++) {
            pyWorker.compute(inputs.get(i), out);
        }
        long t2 = System.nanoTime();
        for (int i = 0; i < clips; i++) {
            pyWorker.compute(inputs.get(i), out);
        }
        double pyOneThread = (System.nanoTime() - t2) / 1e9;
        long t3 = System.nanoTime();
        py.computeAll(twice, 2);
        double pyTwoThreads = (System.nanoTime() - t3) / 1e9;

        if (numpy) {
            numpyRuns.add(runNumpy(python, numpyClips));
        }
        if (pycochleagram != null) {
            pycochleagramRuns.add(runPython(pyPython, "pycochleagram_bench.py", numpyClips, "--checkout",
                    pycochleagram));
        }

        double java1 = clips / oneThread;
        double java2 = twice.size() / twoThreads;
        System.out.printf("%nseed preset (171 x 2000 from 160000 samples), %d clips per measurement%n", clips);
        System.out.printf("  Java, 1 thread : %6.2f clips/s  (%.3f s/clip, best %.3f s, thread CPU %.3f s/clip)%n",
                java1, oneThread / clips, best, cpu / clips);
        System.out.printf("  Java, 2 threads: %6.2f clips/s  (%.2fx one thread)%n", java2, java2 / java1);
        System.out.printf("  Java, pycochleagram preset, 1 thread: %6.2f clips/s, 2 threads: %6.2f clips/s%n",
                clips / pyOneThread, twice.size() / pyTwoThreads);
        if (numpy) {
            double sum = 0;
            double cpuSum = 0;
            for (Map<String, String> run : numpyRuns) {
                double rate = Double.parseDouble(run.get("clips_per_s"));
                double numpyCpu = Double.parseDouble(run.get("cpu_s_per_clip"));
                sum += rate;
                cpuSum += numpyCpu;
                System.out.printf("  numpy %s (1 thread): %6.2f clips/s (best %.3f s/clip, process CPU %.3f s/clip)%n",
                        run.get("numpy"), rate, Double.parseDouble(run.get("best_s")), numpyCpu);
            }
            double reference = sum / numpyRuns.size();
            System.out.printf("  ratio to numpy (mean of the runs before and after): 1 thread %.2fx, 2 threads %.2fx%n",
                    java1 / reference, java2 / reference);
            System.out.printf("  ratio of CPU time per clip, numpy / Java (1 thread): %.2fx%n",
                    cpuSum / numpyRuns.size() / (cpu / clips));
        }
        printPycochleagram(pycochleagramRuns, clips / pyOneThread, twice.size() / pyTwoThreads);
    }

    /** Prints pycochleagram's runs and the Java pycochleagram preset's ratios to their mean. */
    static void printPycochleagram(List<Map<String, String>> runs, double java1, double java2) {
        if (runs.isEmpty()) {
            return;
        }
        double sum = 0;
        for (Map<String, String> run : runs) {
            double rate = Double.parseDouble(run.get("clips_per_s"));
            sum += rate;
            System.out.printf("  pycochleagram (numpy %s): %6.2f clips/s (best %.3f s/clip, median %.3f, process CPU"
                    + " %.3f s/clip)%n", run.get("numpy"), rate, Double.parseDouble(run.get("best_s")),
                    Double.parseDouble(run.get("median_s")), Double.parseDouble(run.get("cpu_s_per_clip")));
        }
        double reference = sum / runs.size();
        System.out.printf("  Java pycochleagram preset / pycochleagram: 1 thread %.2fx, 2 threads %.2fx%n",
                java1 / reference, java2 / reference);
    }

    private static List<float[]> clips(int count) {
        Random random = new Random(2017);
        List<float[]> list = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            float[] x = new float[160_000];
            double peak = 0;
            double[] d = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                d[i] = random.nextGaussian();
                peak = Math.max(peak, Math.abs(d[i]));
            }
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (d[i] / peak);
            }
            list.add(x);
        }
        return list;
    }

    private static Map<String, String> runNumpy(String python, int clips) throws IOException, InterruptedException {
        return runPython(python, "coch_numpy_bench.py", clips);
    }

    private static Map<String, String> runPython(String python, String name, int clips, String... extra)
            throws IOException, InterruptedException {
        Path script = Path.of("src/test/python", name);
        if (!Files.exists(script)) {
            script = Path.of("audioset-cochlea/src/test/python", name);
        }
        List<String> command = new ArrayList<>(List.of(python, script.toString(), "--clips", Integer.toString(clips)));
        command.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        Map<String, String> values = new HashMap<>();
        StringBuilder all = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                all.append(line).append('\n');
                String[] kv = line.trim().split("\\s+", 2);
                if (kv.length == 2) {
                    values.put(kv[0], kv[1]);
                }
            }
        }
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || !values.containsKey("clips_per_s")) {
            p.destroyForcibly();
            throw new IOException("reference failed: " + command + "\n" + all);
        }
        return values;
    }
}
