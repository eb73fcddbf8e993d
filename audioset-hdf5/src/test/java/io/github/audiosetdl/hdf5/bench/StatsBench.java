package io.github.audiosetdl.hdf5.bench;

import io.github.audiosetdl.hdf5.CochleagramFileReader;
import io.github.audiosetdl.hdf5.FeatureStats;
import io.github.audiosetdl.hdf5.internal.RowFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Random;

/**
 * {@code stats} ({@link FeatureStats#compute}) against reading the same cochleagram file, in alternating passes, each
 * from a cold page cache: the disk (the file's bytes in 8 MB reads), the reader (every row through
 * {@link CochleagramFileReader#read}, nothing computed) and {@code stats}. Prints each pass and, per round, the
 * time of {@code stats} over the time of each read.
 *
 * <p>The file, {@code <dataDir>/stats/bench<N>_Coch.hdf5} (N rows of 171 x 2000 float32, 1.37 MB each), is written
 * on the first run and reused: 64 random rows, each written shifted by {@code 1e-5 × row}. Delete it after.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmx256m -cp CP io.github.audiosetdl.hdf5.bench.StatsBench \
 *     DATA_DIR N [threads, 2] [rounds, 3]
 * </pre>
 */
public final class StatsBench {
    private static final int CHANNELS = 171;
    private static final int FRAMES = 2000;

    private StatsBench() {
    }

    /**
     * @param args {@code dataDir N [threads] [rounds]}
     * @throws Exception if a pass fails
     */
    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        Path root = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Path file = generate(root.resolve("stats"), n);
        double mb = Files.size(file) / 1e6;
        System.out.printf("%s: %d rows, %,.0f MB; stats on %d threads%n", file, n, mb, threads);
        for (int round = 1; round <= rounds; round++) {
            PackBench.coldCache();
            double disk = disk(file);
            PackBench.coldCache();
            double read = reader(file);
            PackBench.coldCache();
            long t0 = System.nanoTime();
            FeatureStats stats;
            try (CochleagramFileReader in = CochleagramFileReader.open(file)) {
                stats = FeatureStats.compute(in, threads);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("round %d: disk %.1f s (%,.0f MB/s), reader %.1f s (%,.0f rows/s), stats %.1f s "
                    + "(%,.0f rows/s, %,.0f MB/s; top eigenvalue %.6g): stats / disk %.2fx, stats / reader %.2fx%n",
                    round, disk, mb / disk, read, n / read, s, n / s, mb / s, stats.pcaValues()[0], s / disk,
                    s / read);
        }
    }

    /** @return seconds to read the file's bytes in 8 MB reads */
    private static double disk(Path file) throws Exception {
        long t0 = System.nanoTime();
        ByteBuffer buffer = ByteBuffer.allocateDirect(8 << 20);
        long bytes = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int got;
            while ((got = ch.read(buffer.clear())) >= 0) {
                bytes += got;
            }
        }
        if (bytes != Files.size(file)) {
            throw new IllegalStateException("read " + bytes + " bytes of " + Files.size(file));
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** @return seconds to read every row through the reader */
    private static double reader(Path file) throws Exception {
        long t0 = System.nanoTime();
        double sum = 0;
        try (CochleagramFileReader in = CochleagramFileReader.open(file)) {
            float[] row = new float[CHANNELS * FRAMES];
            for (long r = 0; r < in.size(); r++) {
                in.read(r, row);
                sum += row[(int) (r % row.length)];
            }
        }
        if (Double.isNaN(sum)) {
            throw new IllegalStateException("NaN in the file");
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static Path generate(Path dir, int n) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("bench" + n + "_Coch.hdf5");
        if (Files.exists(file)) {
            return file;
        }
        long t0 = System.nanoTime();
        Path tmp = Files.createTempDirectory(dir, ".gen");
        try (RowFile rows = RowFile.create(tmp, "coch", CHANNELS * FRAMES)) {
            rows.mainAttribute("channels", CHANNELS);
            rows.mainAttribute("frames", FRAMES);
            Random random = new Random(18);
            float[][] noise = new float[64][CHANNELS * FRAMES];
            for (float[] base : noise) {
                for (int k = 0; k < base.length; k++) {
                    base[k] = (float) (k / FRAMES * 0.01 + random.nextGaussian() * 0.1);
                }
            }
            float[] row = new float[CHANNELS * FRAMES];
            for (int r = 0; r < n; r++) {
                float[] base = noise[r % noise.length];
                float shift = (float) (r * 1e-5);
                for (int k = 0; k < row.length; k++) {
                    row[k] = base[k] + shift;
                }
                rows.writeRow(row);
            }
            rows.rootAttribute("size", (long) n);
            Files.move(rows.finish(), file, StandardCopyOption.ATOMIC_MOVE);
        }
        PackBench.deleteTree(tmp);
        System.out.printf("generated %s (%,.0f MB) in %.0f s%n", file, Files.size(file) / 1e6,
                (System.nanoTime() - t0) / 1e9);
        return file;
    }
}
