package io.github.audiosetdl.core.bench;

import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.SegmentCsv;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.Shard;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Streams a generated segments CSV the size of AudioSet's unbalanced_train (2,041,789 rows) and
 * reports rows/s and peak heap. Run it with a small heap to show memory is bounded:
 *
 * <pre>
 * mvn -B -ntp -q -pl audioset-core test-compile exec:exec -Dexec.executable=java \
 *     -Dexec.classpathScope=test \
 *     -Dexec.args="-Xmx256m -cp %classpath io.github.audiosetdl.core.bench.SegmentCsvBench"
 * </pre>
 *
 * Arguments: {@code [rows] [file]}; the file is generated once (seed 2017) and reused.
 */
public final class SegmentCsvBench {
    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private SegmentCsvBench() {
    }

    /**
     * @param args {@code [rows] [file]}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 2_041_789L;
        Path file = Path.of(args.length > 1 ? args[1] : "target/bench/unbalanced_like_" + rows + ".csv");
        if (!Files.exists(file)) {
            generate(file, rows);
        }
        double mb = Files.size(file) / 1e6;
        System.out.printf("file %s: %,d rows, %.1f MB; max heap %d MB; %s%n", file, rows, mb,
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.vm.version"));
        // Warm up the JIT on a full pass of each, then measure three runs and report the best and median.
        measure("commons-csv raw parse (floor)", rows, mb, () -> rawParse(file));
        measure("SegmentCsv.stream (validated)", rows, mb, () -> {
            try (Stream<SegmentRow> s = SegmentCsv.stream(file)) {
                return s.count();
            }
        });
        measure("SegmentSelection label=Music", rows, mb, () -> SegmentSelection.builder(file).label("Music")
                .build().count());
        measure("SegmentSelection job 3 of 8 (2 passes)", rows, mb, () -> {
            try (Stream<SegmentRow> s = SegmentSelection.builder(file).shard(Shard.of(3, 8)).build().stream()) {
                return s.count();
            }
        });
    }

    /** SegmentCsv's format (private there): comments on {@code #}, surrounding spaces ignored. */
    private static final CSVFormat RAW_FORMAT = CSVFormat.DEFAULT.builder().setCommentMarker('#')
            .setIgnoreSurroundingSpaces(true).get();

    private static long rawParse(Path file) throws IOException {
        long n = 0;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser p = RAW_FORMAT.parse(r)) {
            for (CSVRecord rec : p) {
                n += rec.size() > 0 ? 1 : 0;
            }
        }
        return n;
    }

    private static void measure(String name, long rows, double mb, Callable<Long> task) throws Exception {
        task.call(); // warm-up
        List<Double> seconds = new ArrayList<>();
        long result = 0;
        long peak = 0;
        for (int i = 0; i < 3; i++) {
            System.gc();
            resetPeaks();
            long t0 = System.nanoTime();
            result = task.call();
            seconds.add((System.nanoTime() - t0) / 1e9);
            peak = Math.max(peak, peakHeap());
        }
        double[] s = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf("%-40s result %,10d  best %.2f s (%,.0f rows/s, %.0f MB/s)  median %.2f s  peak heap %d MB%n",
                name, result, s[0], rows / s[0], mb / s[0], s[1], peak >> 20);
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static void generate(Path file, long rows) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Random random = new Random(2017);
        LabelIndex labels = LabelIndex.audioSet();
        char[] id = new char[11];
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write("# Segments csv created by SegmentCsvBench\n");
            w.write("# num_ytids=" + rows + ", num_segs=" + rows + ", num_unique_labels=527, num_positive_labels=0\n");
            w.write("# YTID, start_seconds, end_seconds, positive_labels\n");
            int[] picks = new int[8];
            for (long r = 0; r < rows; r++) {
                for (int i = 0; i < id.length; i++) {
                    id[i] = ID_CHARS.charAt(random.nextInt(ID_CHARS.length()));
                }
                if (random.nextInt(50) == 0) {
                    id[0] = '-';
                }
                int start = 10 * random.nextInt(60);
                int count = 1 + Math.min(7, (int) Math.abs(random.nextGaussian() * 2));
                for (int i = 0; i < count; i++) {
                    picks[i] = random.nextInt(labels.size());
                }
                Arrays.sort(picks, 0, count);
                StringBuilder line = new StringBuilder(96).append(id).append(", ").append(start).append(".000, ")
                        .append(start + 10).append(".000, \"");
                int last = -1;
                for (int i = 0; i < count; i++) {
                    if (picks[i] != last) {
                        line.append(last >= 0 ? "," : "").append(labels.get(picks[i]).mid());
                        last = picks[i];
                    }
                }
                w.write(line.append("\"\n").toString());
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
}
