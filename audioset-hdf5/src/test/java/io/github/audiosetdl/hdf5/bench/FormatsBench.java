package io.github.audiosetdl.hdf5.bench;

import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.pack.PackStage;
import io.github.audiosetdl.core.pack.PackSummary;
import io.github.audiosetdl.core.spi.PackFormat;
import io.github.audiosetdl.core.spi.SampleType;
import io.github.audiosetdl.core.spi.WaveformLayout;
import io.github.audiosetdl.core.spi.WaveformSink;
import io.github.audiosetdl.hdf5.CochleagramFileReader;
import io.github.audiosetdl.hdf5.FeatureStats;
import io.github.audiosetdl.hdf5.Hdf5DatasetStore;
import io.github.audiosetdl.hdf5.internal.RowFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The pack formats against the seed layout, and {@code stats} against reading the same file.
 *
 * <p>{@code pack}: packs the first N of PackBench's generated 16 kHz mono clips in each layout (seed float32,
 * seed int16, PANNs at 32 kHz, WebDataset), cold page cache before each, and prints clips/s, output MB/s and the
 * heap. {@code stats}: writes a cochleagram file of N random 171 x 2000 rows, then times (cold cache each) reading
 * every row and nothing else, and {@link FeatureStats#compute}.
 */
public final class FormatsBench {
    private FormatsBench() {
    }

    /**
     * @param args {@code dataDir pack|stats N [threads] [16k|seed]} (the input format of PackBench)
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int n = Integer.parseInt(args[2]);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        System.out.printf("%d processors, max heap %d MB, N = %,d%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, n);
        if (args[1].equals("pack")) {
            pack(root, n, threads, args.length > 4 ? args[4] : "16k");
        } else {
            stats(root, n, threads);
        }
    }

    private static void pack(Path root, int n, int threads, String input) throws Exception {
        Path data = root.resolve(input);
        Path downloads = data.resolve("bench_downloads");
        Path csv = data.resolve("bench.csv");
        PackBench.generate(PackBench.Format.parse(input), downloads, csv, data.resolve("bench_small.csv"), n);
        System.out.println("| layout | clips | seconds | clips/s | output MB | output MB/s | peak heap used"
                + " | max live heap after GC |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        WaveformLayout[] layouts = {WaveformLayout.SEED,
            WaveformLayout.builder().sampleType(SampleType.INT16).build(),
            WaveformLayout.builder().format(PackFormat.PANNS).build(),
            WaveformLayout.builder().format(PackFormat.PANNS).sampleRate(16_000).build(),
            WaveformLayout.builder().format(PackFormat.WEBDATASET).build()};
        String[] names = {"seed float32", "seed int16", "panns (32 kHz)", "panns (16 kHz)", "webdataset"};
        for (int i = 0; i < layouts.length; i++) {
            Path out = data.resolve("out");
            PackBench.deleteTree(out);
            Files.createDirectories(out);
            PackBench.coldCache();
            System.gc();
            PackBench.HeapSampler heap = new PackBench.HeapSampler();
            heap.start();
            long t0 = System.nanoTime();
            PackSummary s;
            PackStage stage = PackStage.builder().downloads(downloads).segments(csv).threads(threads)
                    .preparation(layouts[i].preparation()).build();
            try (WaveformSink sink = Hdf5DatasetStore.INSTANCE.createWaveforms(out, "bench", LabelIndex.audioSet(),
                    layouts[i])) {
                s = stage.run(sink);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            heap.stop();
            long bytes;
            try (Stream<Path> files = Files.list(out)) {
                bytes = files.mapToLong(p -> p.toFile().length()).sum();
            }
            System.out.printf("| %s | %,d | %.1f | %.0f | %,.0f | %.0f | %.0f MB | %.0f MB |%n", names[i],
                    s.rowsWritten(), seconds, s.rowsWritten() / seconds, bytes / 1e6, bytes / 1e6 / seconds,
                    heap.peakUsed / 1e6, heap.maxLive / 1e6);
            PackBench.deleteTree(out);
        }
    }

    private static void stats(Path root, int n, int threads) throws Exception {
        int channels = 171;
        int frames = 2000;
        Path dir = root.resolve("stats");
        Files.createDirectories(dir);
        Path file = dir.resolve("bench" + n + "_Coch.hdf5");
        if (!Files.exists(file)) {
            long t0 = System.nanoTime();
            Path tmp = Files.createTempDirectory(dir, ".gen");
            try (RowFile rows = RowFile.create(tmp, "coch", channels * frames)) {
                rows.mainAttribute("channels", channels);
                rows.mainAttribute("frames", frames);
                Random random = new Random(18);
                float[] row = new float[channels * frames];
                for (int r = 0; r < n; r++) {
                    for (int k = 0; k < row.length; k++) {
                        row[k] = (float) (k / frames * 0.01 + random.nextGaussian() * 0.1);
                    }
                    rows.writeRow(row);
                }
                rows.rootAttribute("size", (long) n);
                Files.move(rows.finish(), file, StandardCopyOption.ATOMIC_MOVE);
            }
            PackBench.deleteTree(tmp);
            System.out.printf("generated %s (%,.0f MB) in %.0f s%n", file, Files.size(file) / 1e6,
                    (System.nanoTime() - t0) / 1e9);
        }
        double mb = Files.size(file) / 1e6;
        PackBench.coldCache();
        long t0 = System.nanoTime();
        try (CochleagramFileReader in = CochleagramFileReader.open(file)) {
            float[] row = new float[channels * frames];
            double sum = 0;
            for (long r = 0; r < in.size(); r++) {
                in.read(r, row);
                sum += row[(int) (r % row.length)];
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("read only: %.1f s, %.0f MB/s, %.0f rows/s (checksum %.3f)%n", s, mb / s, n / s, sum);
        }
        PackBench.coldCache();
        t0 = System.nanoTime();
        FeatureStats stats;
        try (CochleagramFileReader in = CochleagramFileReader.open(file)) {
            stats = FeatureStats.compute(in, threads);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("stats, %d threads: %.1f s, %.0f MB/s, %.0f rows/s (%s, top eigenvalue %.4g)%n", threads,
                s, mb / s, n / s, stats, stats.pcaValues()[0]);
    }
}
