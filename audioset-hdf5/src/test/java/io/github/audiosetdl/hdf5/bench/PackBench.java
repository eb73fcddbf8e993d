package io.github.audiosetdl.hdf5.bench;

import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.audio.PreparedAudio;
import io.github.audiosetdl.core.audio.WavEncoding;
import io.github.audiosetdl.core.audio.WavWriter;
import io.github.audiosetdl.core.pack.PackStage;
import io.github.audiosetdl.core.pack.PackSummary;
import io.github.audiosetdl.hdf5.WaveformFileWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Packs {@code count} generated 10-s WAVs with the Java pack stage and with the seed-like Python packer
 * ({@code src/test/python/seed_like_packer.py}, scipy + h5py) in the same run, and measures the disk's
 * sequential write speed with {@code dd} before, between and after the passes (the virtual disks here are
 * noisy), both through the page cache and with {@code O_DIRECT}, as the pack writes its rows. Reports
 * clips/s, output MB/s and heap (peak used, and the largest live set after a GC) for a 2,000-clip and a
 * full run, so that heap growth with N shows. Run with {@code -Xmx256m}:
 *
 * <pre>
 * mvn -B -ntp -q -Pquick -pl audioset-hdf5 -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=$PWD/audioset-hdf5/target/bench.cp -Dmdep.includeScope=test
 * java -Xmx256m \
 *     -cp audioset-hdf5/target/test-classes:audioset-hdf5/target/classes:$(cat audioset-hdf5/target/bench.cp) \
 *     io.github.audiosetdl.hdf5.bench.PackBench /work/bench-data 20000 2 all seed
 * </pre>
 *
 * (The reactor build puts this checkout's {@code audioset-core} on the class path, not a snapshot from
 * the local repository.)
 *
 * <p>Arguments: {@code [dataDir] [count] [threads] [all|java|java-2000|python] [seed|16k|32k]} (a single
 * pass for investigating, or all of them). The input formats:
 * <ul>
 * <li>{@code seed} (default): what the seed's downloader wrote ({@code youtube-dl --extract-audio
 *     --audio-format wav}), and ours with {@code --sample-rate source}: 16-bit stereo at the source's rate,
 *     alternately 44.1 kHz (YouTube's AAC) and 48 kHz (its Opus); about 1.8 MB per clip, 37 GB for 20,000.
 *     Both packers resample every clip.</li>
 * <li>{@code 16k}: 16-bit mono at 16 kHz, what {@code audioset download} writes by default; 320 KB per
 *     clip; no resampling, so both packers are bound by the disk.</li>
 * <li>{@code 32k}: 16-bit mono at 32 kHz, what {@code audioset run --format panns} downloads (FormatsBench
 *     only: the seed layout resamples it, PANNs' 32 kHz layout does not).</li>
 * </ul>
 * The WAVs are generated once per format (seed 2017) under {@code dataDir/<format>} and reused; the outputs
 * are deleted after each run; each pass starts with a cold page cache where the bench may drop it (root).
 * {@code AUDIOSET_PYTHON} overrides {@code /usr/bin/python3}.
 */
public final class PackBench {
    private static final int RATE = 16_000;

    private PackBench() {
    }

    /** An input format: the rate of clip {@code i}, and its channels. */
    enum Format {
        SEED(2) {
            @Override
            int rate(int i) {
                return i % 2 == 0 ? 44_100 : 48_000;
            }
        },
        MONO_16K(1) {
            @Override
            int rate(int i) {
                return RATE;
            }
        },
        MONO_32K(1) {
            @Override
            int rate(int i) {
                return 2 * RATE;
            }
        };

        final int channels;

        Format(int channels) {
            this.channels = channels;
        }

        abstract int rate(int i);

        static Format parse(String s) {
            return switch (s) {
                case "seed" -> SEED;
                case "16k" -> MONO_16K;
                case "32k" -> MONO_32K;
                default -> throw new IllegalArgumentException("format " + s + ": seed, 16k or 32k");
            };
        }

        long wavBytes(int count) {
            long sum = 0;
            for (int i = 0; i < count; i++) {
                sum += 44 + 10L * rate(i) * channels * 2;
            }
            return sum;
        }
    }

    /**
     * @param args {@code [dataDir] [count] [threads] [all|java|java-2000|python] [seed|16k|32k]}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "/work/bench-data");
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        String only = args.length > 3 ? args[3] : "all";
        String formatName = args.length > 4 ? args[4] : "seed";
        Format format = Format.parse(formatName);
        Path data = root.resolve(formatName);
        Path downloads = data.resolve("bench_downloads");
        Path csv = data.resolve("bench.csv");
        Path small = data.resolve("bench_small.csv");
        generate(format, downloads, csv, small, count);
        System.out.printf("machine: %d processors, max heap %d MB, %d threads, %d clips of format %s"
                + " (%.1f GB of WAV)%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, threads, count, formatName, format.wavBytes(count) / 1e9);

        if (!only.equals("all")) { // one pass alone, for investigating: "java", "java-2000" or "python"
            double[] r = switch (only) {
                case "java" -> java(downloads, csv, data.resolve("out"), threads);
                case "java-2000" -> java(downloads, small, data.resolve("out"), threads);
                case "python" -> python(downloads, csv, data.resolve("out"));
                default -> throw new IllegalArgumentException(only + ": all, java, java-2000 or python");
            };
            row(only, r, Double.NaN);
            return;
        }
        // The disk's sequential write speed, two ways, before, between and after the passes: through the page
        // cache (dd's default, then fdatasync) and around it (oflag=direct, as the pack writes its rows). The
        // "vs dd" column compares with the higher of the two medians.
        double[][] dd = new double[2][3];
        ddBoth(data, dd, 0, "before the passes");

        Path out = data.resolve("out");
        double[] smallRun = java(downloads, small, out, threads);
        double[] fullRun = java(downloads, csv, out, threads);
        ddBoth(data, dd, 1, "between the passes");
        double[] python = python(downloads, csv, out);
        double[] writer = writerAlone(out, count);
        ddBoth(data, dd, 2, "after the passes");
        double buffered = median(dd[0]);
        double direct = median(dd[1]);
        double best = Math.max(buffered, direct);

        System.out.println();
        System.out.printf("dd through the page cache (1 MiB blocks, 4 GiB, conv=fdatasync): %.0f, %.0f, %.0f MB/s"
                + " (median %.0f)%n", dd[0][0], dd[0][1], dd[0][2], buffered);
        System.out.printf("dd around it (8 MiB blocks, 4 GiB, oflag=direct conv=fdatasync): %.0f, %.0f, %.0f MB/s"
                + " (median %.0f)%n", dd[1][0], dd[1][1], dd[1][2], direct);
        System.out.println("| run | clips | seconds | clips/s | output MB/s | vs dd (higher median) | peak heap used"
                + " | max live heap after GC |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        row("Java pack, 2,000 clips", smallRun, best);
        row("Java pack, all clips", fullRun, best);
        row("seed-like Python (scipy + h5py)", python, best);
        row("Java waveform writer alone (rows from memory)", writer, best);
        System.out.printf("%nJava / Python clips/s: %.2fx%n", fullRun[2] / python[2]);
    }

    private static void row(String name, double[] r, double dd) {
        System.out.printf("| %s | %,.0f | %.1f | %.0f | %.0f | %s | %s | %s |%n", name, r[0], r[1], r[2], r[3],
                Double.isNaN(dd) ? "n/a" : String.format("%.0f%%", 100 * r[3] / dd),
                r[4] < 0 ? "n/a" : String.format("%.0f MB", r[4]), r[5] < 0 ? "n/a" : String.format("%.0f MB", r[5]));
    }

    /**
     * Writes dirty pages back and, where permitted (root on Linux), drops the page cache, so that every
     * pass reads its input from disk; says which.
     */
    static void coldCache() throws Exception {
        new ProcessBuilder("sync").inheritIO().start().waitFor(10, TimeUnit.MINUTES);
        try {
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
            System.out.println("(page cache dropped: this pass reads its input from disk)");
        } catch (IOException | SecurityException e) {
            System.out.println("(page cache not dropped: " + e + ")");
        }
    }

    /** @return {clips, seconds, clips/s, MB/s of output, peak heap MB, max live heap MB} */
    private static double[] java(Path downloads, Path csv, Path out, int threads) throws Exception {
        deleteTree(out);
        Files.createDirectories(out);
        String base = csv.getFileName().toString().replace(".csv", "");
        Path file = out.resolve(base + ".hdf5");
        coldCache();
        System.gc();
        HeapSampler heap = new HeapSampler();
        heap.start();
        long t0 = System.nanoTime();
        PackSummary s;
        try (WaveformFileWriter sink = WaveformFileWriter.create(file, LabelIndex.audioSet(), RATE, RATE * 10)) {
            s = PackStage.builder().downloads(downloads).segments(csv).threads(threads).build().run(sink);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        heap.stop();
        long bytes = Files.size(file) + Files.size(WaveformFileWriter.metadataFile(file));
        System.out.printf("java %s: %d rows, skipped %s, %.1f s%n", csv.getFileName(), s.rowsWritten(), s.skipped(),
                seconds);
        deleteTree(out);
        return new double[] {s.rowsWritten(), seconds, s.rowsWritten() / seconds, bytes / 1e6 / seconds,
            heap.peakUsed / 1e6, heap.maxLive / 1e6};
    }

    /** The waveform file writer without reading or preparing: {@code count} rows from memory, committed. */
    private static double[] writerAlone(Path out, int count) throws Exception {
        deleteTree(out);
        Files.createDirectories(out);
        Path file = out.resolve("writer.hdf5");
        float[] samples = new float[RATE * 10];
        for (int k = 0; k < samples.length; k++) {
            samples[k] = (float) Math.sin(k * 0.01);
        }
        PreparedAudio audio = new PreparedAudio(samples, 0.5, false);
        coldCache();
        System.gc();
        HeapSampler heap = new HeapSampler();
        heap.start();
        long t0 = System.nanoTime();
        try (WaveformFileWriter sink = WaveformFileWriter.create(file, LabelIndex.audioSet(), RATE, RATE * 10)) {
            for (int i = 0; i < count; i++) {
                String id = String.format("w%010d", i);
                sink.write(new SegmentRow(i, i + 1, new Segment(id, 0, 10_000, List.of("/m/09x0r"))), audio);
            }
            sink.commit();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        heap.stop();
        long bytes = Files.size(file) + Files.size(WaveformFileWriter.metadataFile(file));
        System.out.printf("writer alone: %d rows, %.1f s%n", count, seconds);
        deleteTree(out);
        return new double[] {count, seconds, count / seconds, bytes / 1e6 / seconds, heap.peakUsed / 1e6,
            heap.maxLive / 1e6};
    }

    private static double[] python(Path downloads, Path csv, Path out) throws Exception {
        deleteTree(out);
        Files.createDirectories(out);
        String python = System.getenv().getOrDefault("AUDIOSET_PYTHON", "/usr/bin/python3");
        Path script = locate("src/test/python/seed_like_packer.py");
        Path labels = downloads.getParent().resolve("class_labels_indices.csv");
        try (var in = LabelIndex.class.getResourceAsStream("/io/github/audiosetdl/core/class_labels_indices.csv")) {
            Files.copy(in, labels, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        coldCache();
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(List.of(python, script.toString(), downloads.toString(), csv.toString(),
                labels.toString(), out.toString())).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(4, TimeUnit.HOURS) || p.exitValue() != 0) {
            throw new IOException("python packer failed: " + text);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Matcher m = Pattern.compile("python_rows=(\\d+) python_seconds=([0-9.]+)").matcher(text);
        if (!m.find()) {
            throw new IOException("python packer printed no result: " + text);
        }
        long rows = Long.parseLong(m.group(1));
        double seconds = Double.parseDouble(m.group(2));
        long bytes;
        try (Stream<Path> files = Files.list(out)) {
            bytes = files.mapToLong(f -> f.toFile().length()).sum();
        }
        System.out.printf("python: %d rows, %.1f s (process wall time %.1f s)%n", rows, seconds, wall);
        deleteTree(out);
        return new double[] {rows, seconds, rows / seconds, bytes / 1e6 / seconds, -1, -1};
    }

    private static Path locate(String relative) {
        for (Path p : List.of(Path.of(relative), Path.of("audioset-hdf5").resolve(relative))) {
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath();
            }
        }
        throw new IllegalStateException("cannot find " + relative + " from " + Path.of("").toAbsolutePath());
    }

    private static void ddBoth(Path data, double[][] dd, int at, String when) throws Exception {
        dd[0][at] = dd(data, false);
        dd[1][at] = dd(data, true);
        System.out.printf("dd %s: %.0f MB/s through the page cache, %.0f MB/s with O_DIRECT%n", when, dd[0][at],
                dd[1][at]);
    }

    private static double median(double[] three) {
        double[] sorted = three.clone();
        java.util.Arrays.sort(sorted);
        return sorted[1];
    }

    /** Writes 4 GiB of zeros with dd and syncs: 1 MiB blocks through the page cache, or 8 MiB ones around it. */
    private static double dd(Path data, boolean direct) throws Exception {
        Path target = data.resolve("dd.bin");
        List<String> command = direct
                ? List.of("dd", "if=/dev/zero", "of=" + target, "bs=8M", "count=512", "oflag=direct", "conv=fdatasync")
                : List.of("dd", "if=/dev/zero", "of=" + target, "bs=1M", "count=4096", "conv=fdatasync");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.MINUTES);
        Files.deleteIfExists(target);
        Matcher m = Pattern.compile("copied, ([0-9.]+) s").matcher(text);
        if (!m.find()) {
            throw new IOException("unexpected dd output: " + text);
        }
        return 4096.0 * 1024 * 1024 / 1e6 / Double.parseDouble(m.group(1));
    }

    static void generate(Format format, Path downloads, Path csv, Path small, int count)
            throws IOException {
        Path marker = downloads.resolve("complete-" + count);
        if (Files.exists(marker)) {
            return;
        }
        deleteTree(downloads);
        for (int j = 0; j < 4; j++) {
            Files.createDirectories(downloads.resolve("bench_downloads_" + j));
        }
        LabelIndex labels = LabelIndex.audioSet();
        Random random = new Random(2017);
        StringBuilder rows = new StringBuilder("# Segments csv created by PackBench\n# num_ytids=" + count + "\n"
                + "# YTID, start_seconds, end_seconds, positive_labels\n");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        String[] ids = new String[count];
        for (int i = 0; i < count; i++) {
            StringBuilder id = new StringBuilder();
            for (int k = 0; k < 11; k++) {
                id.append(alphabet.charAt(random.nextInt(k == 0 ? 62 : 64)));
            }
            ids[i] = id.toString();
            int start = random.nextInt(300);
            List<String> mids = new ArrayList<>();
            for (int k = 0, n = 1 + random.nextInt(3); k < n; k++) {
                String mid = labels.get(random.nextInt(labels.size())).mid();
                if (!mids.contains(mid)) {
                    mids.add(mid);
                }
            }
            rows.append(id).append(", ").append(start).append(".000, ").append(start + 10).append(".000, \"")
                    .append(String.join(",", mids)).append("\"\n");
            if (i == 1999) {
                Files.writeString(small, rows);
            }
        }
        Files.writeString(csv, rows);
        if (count < 2000) {
            Files.writeString(small, rows);
        }
        long t0 = System.nanoTime();
        IntStream.range(0, count).parallel().forEach(i -> {
            try {
                writeClip(format, i, downloads.resolve("bench_downloads_" + (i % 4)).resolve("YT_" + ids[i] + ".wav"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Files.createFile(marker);
        System.out.printf("generated %d WAVs in %.0f s%n", count, (System.nanoTime() - t0) / 1e9);
    }

    /** A tone of a random frequency plus noise, per channel, 10 s at the format's rate for clip {@code i}. */
    private static void writeClip(Format format, int i, Path file) throws IOException {
        Random random = new Random(2017L * 1_000_003 + i);
        int rate = format.rate(i);
        float[][] x = new float[format.channels][rate * 10];
        for (float[] channel : x) {
            double w = 2 * Math.PI * (100 + random.nextInt(4000)) / rate;
            double amp = 0.1 + 0.8 * random.nextDouble();
            double c = Math.cos(w);
            double s = Math.sin(w);
            double re = 1;
            double im = 0;
            for (int k = 0; k < channel.length; k++) {
                channel[k] = (float) (amp * (0.7 * im + 0.3 * (random.nextFloat() - 0.5)));
                double r = re * c - im * s; // the tone by rotation: sin(w k) without a sin per sample
                im = re * s + im * c;
                re = r;
                if ((k & 1023) == 0) {
                    double norm = Math.hypot(re, im);
                    re /= norm;
                    im /= norm;
                }
            }
        }
        WavWriter.write(file, rate, x, WavEncoding.PCM_16);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Samples heap use every 20 ms: the peak used, and the largest live set right after a GC. */
    static final class HeapSampler {
        private final Thread thread;
        private volatile boolean running = true;
        long peakUsed;
        long maxLive;

        HeapSampler() {
            thread = new Thread(() -> {
                while (running) {
                    sample();
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
            sample();
        }

        private synchronized void sample() {
            long used = 0;
            long live = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    used += pool.getUsage().getUsed();
                    MemoryUsage after = pool.getCollectionUsage();
                    live += after == null ? 0 : after.getUsed();
                }
            }
            peakUsed = Math.max(peakUsed, used);
            maxLive = Math.max(maxLive, live);
        }
    }
}
