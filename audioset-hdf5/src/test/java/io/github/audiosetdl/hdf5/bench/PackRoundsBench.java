package io.github.audiosetdl.hdf5.bench;

import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.pack.PackStage;
import io.github.audiosetdl.core.spi.PackFormat;
import io.github.audiosetdl.core.spi.WaveformLayout;
import io.github.audiosetdl.core.spi.WaveformSink;
import io.github.audiosetdl.core.webdataset.WebDatasetWriter;
import io.github.audiosetdl.hdf5.Hdf5DatasetStore;
import io.github.audiosetdl.hdf5.WaveformFileWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * One layout's pack in one process, in steady state: a warm-up pass of PackBench's {@code bench-warmup.csv}
 * (300 clips), then rounds of {@code bench.csv} (all N clips), each from a cold page cache; prints each round's
 * clips/s and process CPU per clip. It uses only API that the pack had before the formats (issue 18):
 * {@code PackStage.builder()}, {@code WaveformFileWriter.create(Path, LabelIndex, int, int)}, so the seed layout
 * can be run on a build of an older commit (this class from this build's test classes, the main classes from the
 * older build), in processes alternating with this build's. WebDataset and PANNs at 32 kHz ({@code panns32}) run
 * on builds that have them.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmx256m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp CLASSPATH \
 *     io.github.audiosetdl.hdf5.bench.PackRoundsBench DATA_DIR seed|webdataset|panns32 ROUNDS
 * </pre>
 * {@code DATA_DIR} is the folder PackBench and FormatsBench generate ({@code /work/bench-formats/seed} holds the
 * 44.1/48 kHz stereo clips); the output goes to {@code DATA_DIR/rounds-<layout>}, deleted before each pass.
 */
public final class PackRoundsBench {
    private PackRoundsBench() {
    }

    /**
     * @param args {@code dataDir seed|webdataset|panns32 rounds}; the system property {@code threads} sets the pack's
     *     workers (default 2)
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        Path in = Path.of(args[0]);
        String layout = args[1];
        if (!layout.equals("seed") && !layout.equals("webdataset") && !layout.equals("panns32")) {
            throw new IllegalArgumentException("layout '" + layout + "': expected seed, webdataset or panns32");
        }
        // made only for panns32: the seed layout must run on builds that have no WaveformLayout
        WaveformLayout panns = layout.equals("panns32") ? WaveformLayout.builder().format(PackFormat.PANNS).build()
                : null;
        int rounds = Integer.parseInt(args[2]);
        int threads = Integer.getInteger("threads", 2);
        Path out = in.resolve("rounds-" + layout);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        StringBuilder line = new StringBuilder(layout + ":");
        for (int r = -1; r < rounds; r++) {
            delete(out);
            Files.createDirectories(out);
            PackBench.coldCache();
            PackStage.Builder builder = PackStage.builder().downloads(in.resolve("bench_downloads"))
                    .segments(in.resolve(r < 0 ? "bench-warmup.csv" : "bench.csv")).threads(threads);
            if (panns != null) {
                builder.preparation(panns.preparation());
            }
            PackStage stage = builder.build();
            long cpu = os.getProcessCpuTime();
            long start = System.nanoTime();
            long rows;
            try (WaveformSink sink = layout.equals("webdataset")
                    ? WebDatasetWriter.create(out, "bench", LabelIndex.audioSet(), 16_000, 160_000, 1000)
                    : panns != null
                    ? Hdf5DatasetStore.INSTANCE.createWaveforms(out, "bench", LabelIndex.audioSet(), panns)
                    : WaveformFileWriter.create(out.resolve("bench.hdf5"), LabelIndex.audioSet(), 16_000, 160_000)) {
                rows = stage.run(sink).rowsWritten();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuMs = (os.getProcessCpuTime() - cpu) / 1e6 / rows;
            if (r >= 0) {
                line.append(String.format(" %.0f clips/s (%.2f CPU ms/clip)", rows / seconds, cpuMs));
            }
        }
        delete(out);
        System.out.println(line);
    }

    private static void delete(Path p) throws Exception {
        if (Files.exists(p)) {
            try (Stream<Path> all = Files.walk(p)) {
                for (Path q : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(q);
                }
            }
        }
    }
}
