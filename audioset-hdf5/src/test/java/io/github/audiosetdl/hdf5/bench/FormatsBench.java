package io.github.audiosetdl.hdf5.bench;

import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.pack.PackStage;
import io.github.audiosetdl.core.pack.PackSummary;
import io.github.audiosetdl.core.spi.PackFormat;
import io.github.audiosetdl.core.spi.SampleType;
import io.github.audiosetdl.core.spi.WaveformLayout;
import io.github.audiosetdl.core.spi.WaveformSink;
import io.github.audiosetdl.hdf5.Hdf5DatasetStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import java.util.stream.Stream;

/**
 * The pack formats against the seed layout, and {@code stats} against reading the same file.
 *
 * <p>{@code pack}: packs the first N of PackBench's generated clips (16 kHz mono, or the download format:
 * 44.1/48 kHz stereo) in each layout (seed float32, seed int16, PANNs at 32 and 16 kHz, WebDataset). First a
 * warm-up pass of {@value #WARM_UP_CLIPS} clips per layout (the JIT, the workers' work arrays); then rounds in
 * which every layout packs all N clips from a cold page cache, in an order that rotates by one layout per round;
 * prints each round's clips/s with its ratio to seed float32 in the same round, then per layout the medians over
 * the rounds and the heap (peak used, largest live set after a GC).
 *
 * <p>{@code stats}: one round of {@link StatsBench} (a cochleagram file of N rows; the disk, the reader and
 * {@code stats}, cold cache each).
 */
public final class FormatsBench {
    /** Clips per layout in the warm-up pass. */
    private static final int WARM_UP_CLIPS = 300;

    private FormatsBench() {
    }

    /**
     * @param args {@code dataDir pack N [threads] [16k|32k|seed] [rounds] [all|LAYOUTS]} (the input format of
     *     PackBench; LAYOUTS a comma list of {@code int16}, {@code panns32}, {@code panns16}, {@code webdataset},
     *     seed float32 always packed too), or {@code dataDir stats N [threads]}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int n = Integer.parseInt(args[2]);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        System.out.printf("%d processors, max heap %d MB, N = %,d%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, n);
        if (args[1].equals("pack")) {
            pack(root, n, threads, args.length > 4 ? args[4] : "16k", args.length > 5 ? Integer.parseInt(args[5]) : 3,
                    args.length > 6 ? args[6] : "all");
        } else {
            StatsBench.main(new String[] {args[0], args[2], Integer.toString(threads), "1"}); // one round
        }
    }

    /** A layout packed by the bench, and its name in the tables. */
    private record Layout(String name, WaveformLayout layout) {
    }

    /**
     * One timed pass: clips/s, output MB/s, the process's CPU time per clip in ms (every thread: workers, writer,
     * GC, JIT), peak heap used and the largest live heap after a GC, in MB.
     */
    private record Pass(double clipsPerSecond, double outputMbPerSecond, double cpuMsPerClip, double peakHeapMb,
            double maxLiveMb) {
    }

    /** @return this process's system (kernel) CPU time so far in ms, from /proc/self/stat, or 0 elsewhere */
    private static double systemCpuMs() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[12]) * 10.0; // stime, field 15, in ticks of 10 ms (USER_HZ 100)
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** @return the CPU time of this process so far, in ns */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static List<Layout> layouts(String only) {
        List<Layout> all = List.of(new Layout("seed float32", WaveformLayout.SEED),
                new Layout("seed int16", WaveformLayout.builder().sampleType(SampleType.INT16).build()),
                new Layout("panns (32 kHz)", WaveformLayout.builder().format(PackFormat.PANNS).build()),
                new Layout("panns (16 kHz)", WaveformLayout.builder().format(PackFormat.PANNS).sampleRate(16_000)
                        .build()),
                new Layout("webdataset", WaveformLayout.builder().format(PackFormat.WEBDATASET).build()));
        if (only.equals("all")) {
            return all;
        }
        // "seed,panns32": the short names, seed float32 always first (the reference of the ratios)
        List<String> shortNames = List.of("seed", "int16", "panns32", "panns16", "webdataset");
        List<Layout> chosen = new ArrayList<>(List.of(all.get(0)));
        for (String name : only.split(",")) {
            int i = shortNames.indexOf(name);
            if (i < 0) {
                throw new IllegalArgumentException(name + ": one of " + shortNames);
            }
            if (i > 0) {
                chosen.add(all.get(i));
            }
        }
        return chosen;
    }

    /**
     * Warms every layout up on the first clips (JIT, thread-local work arrays), then packs all N clips in each
     * layout in {@code rounds} rounds, the order rotating by one layout per round, so that no layout always
     * runs first or right after another; prints each round and the median per layout.
     */
    private static void pack(Path root, int n, int threads, String input, int rounds, String only)
            throws Exception {
        Path data = root.resolve(input);
        Path downloads = data.resolve("bench_downloads");
        Path csv = data.resolve("bench.csv");
        PackBench.generate(PackBench.Format.parse(input), downloads, csv, data.resolve("bench_small.csv"), n);
        Path warm = data.resolve("bench-warmup.csv");
        firstRows(csv, Math.min(n, WARM_UP_CLIPS), warm);
        List<Layout> layouts = layouts(only);
        Path out = data.resolve("out");
        System.out.printf("input %s, %d threads; warm-up: %d clips per layout%n", input, threads,
                Math.min(n, WARM_UP_CLIPS));
        for (Layout l : layouts) {
            packOnce(l, downloads, warm, out, threads, false);
        }
        List<List<Pass>> passes = new ArrayList<>();
        layouts.forEach(l -> passes.add(new ArrayList<>()));
        for (int r = 0; r < rounds; r++) {
            StringBuilder line = new StringBuilder("round " + (r + 1) + ":");
            double[] rate = new double[layouts.size()];
            for (int k = 0; k < layouts.size(); k++) {
                int i = (r + k) % layouts.size();
                Pass p = packOnce(layouts.get(i), downloads, csv, out, threads, true);
                passes.get(i).add(p);
                rate[i] = p.clipsPerSecond();
            }
            for (int k = 0; k < layouts.size(); k++) {
                int i = (r + k) % layouts.size();
                line.append(String.format(" %s %.0f clips/s (%.2fx)%s", layouts.get(i).name(), rate[i],
                        rate[i] / rate[0], k + 1 < layouts.size() ? "," : ""));
            }
            System.out.println(line);
        }
        System.out.printf("%n%,d clips, %d rounds; medians over the rounds, x = clips/s against seed float32 in the"
                + " same round%n", n, rounds);
        System.out.println("| layout | clips/s, median | rounds (clips/s) | x seed float32, median | CPU ms per clip,"
                + " median | output MB/s, median | peak heap used | max live heap after GC |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int i = 0; i < layouts.size(); i++) {
            List<Pass> ps = passes.get(i);
            double[] ratios = new double[rounds];
            StringJoiner each = new StringJoiner(", ");
            for (int r = 0; r < rounds; r++) {
                ratios[r] = ps.get(r).clipsPerSecond() / passes.get(0).get(r).clipsPerSecond();
                each.add(String.format("%.0f", ps.get(r).clipsPerSecond()));
            }
            System.out.printf("| %s | %.0f | %s | %.2fx | %.2f | %.0f | %.0f MB | %.0f MB |%n", layouts.get(i).name(),
                    median(ps.stream().mapToDouble(Pass::clipsPerSecond).toArray()), each, median(ratios),
                    median(ps.stream().mapToDouble(Pass::cpuMsPerClip).toArray()),
                    median(ps.stream().mapToDouble(Pass::outputMbPerSecond).toArray()),
                    ps.stream().mapToDouble(Pass::peakHeapMb).max().orElse(0),
                    ps.stream().mapToDouble(Pass::maxLiveMb).max().orElse(0));
        }
    }

    /** Packs the clips of {@code csv} in one layout; with {@code timed}, from a cold page cache. */
    private static Pass packOnce(Layout layout, Path downloads, Path csv, Path out, int threads, boolean timed)
            throws Exception {
        PackBench.deleteTree(out);
        Files.createDirectories(out);
        if (timed) {
            PackBench.coldCache();
        }
        System.gc();
        PackBench.HeapSampler heap = new PackBench.HeapSampler();
        heap.start();
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        double sys0 = systemCpuMs();
        long main0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        PackSummary s;
        PackStage stage = PackStage.builder().downloads(downloads).segments(csv).threads(threads)
                .preparation(layout.layout().preparation()).build();
        try (WaveformSink sink = Hdf5DatasetStore.INSTANCE.createWaveforms(out, "bench", LabelIndex.audioSet(),
                layout.layout())) {
            s = stage.run(sink);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuMs = (processCpuNanos() - cpu0) / 1e6;
        double sysMs = systemCpuMs() - sys0;
        double mainMs = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - main0) / 1e6;
        heap.stop();
        long bytes;
        try (Stream<Path> files = Files.list(out)) {
            bytes = files.mapToLong(p -> p.toFile().length()).sum();
        }
        PackBench.deleteTree(out);
        Pass p = new Pass(s.rowsWritten() / seconds, bytes / 1e6 / seconds, cpuMs / s.rowsWritten(),
                heap.peakUsed / 1e6, heap.maxLive / 1e6);
        System.out.printf("%s%s: %,d clips, %.1f s, %.0f clips/s, %.2f CPU ms per clip (%.2f of them in the kernel,"
                + " %.2f on the writing thread), %.0f MB out, peak heap %.0f MB, max live %.0f MB%n",
                timed ? "" : "warm-up ", layout.name(), s.rowsWritten(), seconds, p.clipsPerSecond(), p.cpuMsPerClip(),
                sysMs / s.rowsWritten(), mainMs / s.rowsWritten(), bytes / 1e6, p.peakHeapMb(), p.maxLiveMb());
        return p;
    }

    /** Writes the CSV's comment lines and its first {@code count} rows to {@code to}, unless already there. */
    private static void firstRows(Path csv, int count, Path to) throws IOException {
        List<String> kept = new ArrayList<>();
        int rows = 0;
        for (String line : Files.readAllLines(csv)) {
            if (line.startsWith("#")) {
                kept.add(line);
            } else if (rows++ < count) {
                kept.add(line);
            }
        }
        Files.write(to, kept);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int h = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
    }
}
