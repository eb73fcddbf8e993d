package io.github.audiosetdl.hdf5;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.dsp.RealArrays;
import io.github.audiosetdl.core.spi.NameLock;
import io.github.audiosetdl.hdf5.internal.Background;
import io.github.audiosetdl.hdf5.internal.ChannelOpener;
import io.github.audiosetdl.hdf5.internal.MetadataNpy;
import io.github.audiosetdl.hdf5.internal.Staging;
import io.github.audiosetdl.hdf5.internal.WriteFailure;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Normalisation statistics of a cochleagram file, computed in one streamed pass: the mean matrix over clips,
 * per-channel mean and standard deviation over all clips and frames, the channel covariance and its
 * eigendecomposition (PCA). Each frame of each clip is one observation of a C-vector.
 *
 * <p>Sums are in double and combined with Chan et al.'s pairwise update (each clip's own mean and centred
 * scatter, merged into the running ones), which does not lose precision as N grows the way raw sums of squares
 * do. Each clip's scatter is {@link RealArrays#accumulateGram} over its centred frames (SIMD under
 * {@code --add-modules jdk.incubator.vector}), while the next row is read and centred on another thread. Memory: two
 * clips (C·F doubles each), the mean matrix and two C × C matrices, whatever N. The eigendecomposition is ejml's
 * symmetric QR algorithm.
 *
 * <p>The arrays are copied in and out.
 */
public final class FeatureStats {
    /** Every entry's time in the {@code .npz}: the zip format's first day, so that a file's bytes are its values'. */
    static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);
    /** The most channels accepted: the covariance is C × C doubles (32 MB at 2048). */
    public static final int MAX_CHANNELS = 2048;
    /**
     * Parts of each clip's scatter per thread, taken in turn: a thread slowed by the reading thread sharing its core
     * takes fewer, instead of the others waiting for it.
     */
    private static final int PARTS_PER_THREAD = 2;
    private final int channels;
    private final int frames;
    private final long clips;
    private final double[] mean;
    private final double[] channelMean;
    private final double[] channelStd;
    private final double[] cov;
    private final double[] pcaValues;
    private final double[] pcaVectors;

    private FeatureStats(int channels, int frames, long clips, double[] mean, double[] channelMean,
            double[] channelStd, double[] cov, double[] pcaValues, double[] pcaVectors) {
        this.channels = channels;
        this.frames = frames;
        this.clips = clips;
        this.mean = mean;
        this.channelMean = channelMean;
        this.channelStd = channelStd;
        this.cov = cov;
        this.pcaValues = pcaValues;
        this.pcaVectors = pcaVectors;
    }

    /**
     * Reads every row once.
     *
     * @param in a cochleagram file with at least 2 rows·frames in all
     * @return its statistics
     * @throws IOException if reading fails, the file has no rows, or more than {@link #MAX_CHANNELS} channels
     */
    public static FeatureStats compute(CochleagramFileReader in) throws IOException {
        return compute(in, 1);
    }

    /**
     * Reads every row once, computing each clip's scatter on {@code threads} threads (the caller's and
     * {@code threads - 1} daemon threads) while one more daemon thread reads the next row; the threads are started
     * and stopped here.
     *
     * @param in a cochleagram file with at least 2 rows·frames in all
     * @param threads 1 or more; at most the processors are used
     * @return its statistics (the same values whatever the thread count)
     * @throws IOException if reading fails, the file has no rows, more than {@link #MAX_CHANNELS} channels, or a
     *     value that is not finite (the message names the row and channel)
     */
    public static FeatureStats compute(CochleagramFileReader in, int threads) throws IOException {
        requireNonNull(in, "in");
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads + " < 1");
        }
        int workers = Math.min(threads, Runtime.getRuntime().availableProcessors()); // more only wait on each other
        ExecutorService reader = Executors.newSingleThreadExecutor(daemons("audioset-stats-read"));
        ExecutorService pool = workers == 1 ? null : Executors.newFixedThreadPool(workers - 1,
                daemons("audioset-stats"));
        try {
            return compute(in, workers, reader, pool);
        } finally {
            reader.shutdownNow();
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private static ThreadFactory daemons(String name) {
        return r -> {
            Thread th = new Thread(r, name);
            th.setDaemon(true);
            return th;
        };
    }

    /** One clip made ready for the scatter: its channel means and its centred frames. */
    private static final class Clip {
        /** (C) the channel means over the clip's frames. */
        final double[] means;
        /** (C, F) row-major: channel c's centred frames from {@code c·F}, the observations of the scatter. */
        final double[] centred;

        Clip(int c, int f) {
            means = new double[c];
            centred = new double[f * c];
        }
    }

    private static FeatureStats compute(CochleagramFileReader in, int threads, ExecutorService reader,
            ExecutorService pool) throws IOException {
        int c = in.channels();
        int f = in.frames();
        long n = in.size();
        if (c < 1 || c > MAX_CHANNELS) {
            throw new IOException(in.path() + ": " + c + " channels, not in 1.." + MAX_CHANNELS);
        }
        if (n < 1 || n * f < 2) {
            throw new IOException(in.path() + ": " + n + " rows of " + f + " frames are too few for statistics");
        }
        float[] row = new float[c * f]; // the reading thread's
        double[] meanMatrix = new double[c * f]; // the reading thread's until the last read is awaited
        Clip[] clips = {new Clip(c, f), new Clip(c, f)};
        double[] running = new double[c];
        double[] delta = new double[c];
        double[] clipScatter = new double[c * c];
        double[] total = new double[c * c];
        Future<?> next = reader.submit(() -> prepare(in, 0, row, meanMatrix, clips[0]));
        for (long r = 0; r < n; r++) {
            Background.await(next, in.path(), "reading row " + r);
            Clip clip = clips[(int) (r % 2)];
            if (r + 1 < n) {
                long following = r + 1;
                next = reader.submit(() -> prepare(in, following, row, meanMatrix, clips[(int) (following % 2)]));
            }
            // this clip's centred scatter Z Z^T (lower triangle): its parts taken in turn by the pool and this thread
            Arrays.fill(clipScatter, 0);
            int parts = threads == 1 ? 1 : PARTS_PER_THREAD * threads;
            AtomicInteger nextPart = new AtomicInteger();
            Runnable scatter = () -> {
                for (int p = nextPart.getAndIncrement(); p < parts; p = nextPart.getAndIncrement()) {
                    RealArrays.accumulateGram(clipScatter, clip.centred, f, c, f, p, parts);
                }
            };
            List<Future<?>> helpers = new ArrayList<>();
            for (int t = 1; t < threads; t++) {
                helpers.add(pool.submit(scatter));
            }
            scatter.run();
            for (Future<?> helper : helpers) {
                Background.await(helper, in.path(), "computing the scatter of row " + r);
            }
            for (int ch = 0; ch < c; ch++) {
                delta[ch] = clip.means[ch] - running[ch];
            }
            // Chan et al.: merge (nA, meanA, M2A) with (nB = f, meanB, M2B)
            double na = (double) r * f;
            double nb = f;
            double w = na * nb / (na + nb);
            for (int i = 0; i < c; i++) {
                double di = delta[i] * w;
                for (int j = 0; j <= i; j++) {
                    total[i * c + j] += clipScatter[i * c + j] + di * delta[j];
                }
            }
            for (int ch = 0; ch < c; ch++) {
                running[ch] += delta[ch] * nb / (na + nb);
            }
        }
        double observations = (double) n * f;
        double[] std = new double[c];
        double[] covariance = new double[c * c];
        for (int i = 0; i < c; i++) {
            std[i] = Math.sqrt(total[i * c + i] / observations);
            for (int j = 0; j <= i; j++) {
                covariance[i * c + j] = total[i * c + j] / (observations - 1);
                covariance[j * c + i] = covariance[i * c + j];
            }
        }
        double[][] eig = eigen(covariance, c, in.path());
        return new FeatureStats(c, f, n, meanMatrix, running, std, covariance, eig[0], eig[1]);
    }

    /**
     * Reads row {@code r} into {@code row}, adds it to the mean matrix and makes it ready for the scatter.
     *
     * @param meanMatrix (C, F) Welford's running mean over rows {@code < r}, updated to rows {@code <= r}
     * @param clip receives the row's channel means and its centred frames
     */
    private static Void prepare(CochleagramFileReader in, long r, float[] row, double[] meanMatrix, Clip clip)
            throws IOException {
        in.read(r, row);
        double inv = 1.0 / (r + 1);
        int c = clip.means.length;
        int f = row.length / c;
        double[] z = clip.centred;
        for (int ch = 0; ch < c; ch++) {
            int base = ch * f;
            double m = RealArrays.sumWidened(row, base, z, base, f) / f;
            if (!Double.isFinite(m)) { // a sum of finite floats in double is finite: a NaN or an infinity is there
                throw new IOException(in.path() + ": row " + r + ", channel " + ch + " holds a value that is not"
                        + " finite (NaN or infinity); statistics need finite values");
            }
            clip.means[ch] = m;
            RealArrays.followAndCentre(z, base, f, m, meanMatrix, base, inv); // Welford's mean, element by element
        }
        return null;
    }

    /** @return the eigenvalues, descending, and the eigenvectors as the columns of a row-major C × C matrix */
    private static double[][] eigen(double[] covariance, int c, Path file) throws IOException {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(c, true, true);
        if (!eig.decompose(new DMatrixRMaj(c, c, true, covariance))) {
            throw new IOException(file + ": the eigendecomposition of the " + c + " x " + c
                    + " covariance did not converge");
        }
        Integer[] order = IntStream.range(0, c).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> eig.getEigenvalue(i).getReal()).reversed());
        double[] values = new double[c];
        double[] vectors = new double[c * c];
        for (int col = 0; col < c; col++) {
            values[col] = eig.getEigenvalue(order[col]).getReal();
            DMatrixRMaj v = eig.getEigenVector(order[col]);
            double norm = 0;
            for (int i = 0; i < c; i++) {
                norm += v.data[i] * v.data[i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < c; i++) {
                vectors[i * c + col] = v.data[i] / norm;
            }
        }
        return new double[][] {values, vectors};
    }

    /** @return C, the channels */
    public int channels() {
        return channels;
    }

    /** @return F, the frames per clip */
    public int frames() {
        return frames;
    }

    /** @return N, the clips read */
    public long clips() {
        return clips;
    }

    /** @return the mean over clips, (C, F) row-major */
    public double[] mean() {
        return mean.clone();
    }

    /** @return each channel's mean over all clips and frames, (C) */
    public double[] channelMean() {
        return channelMean.clone();
    }

    /** @return each channel's standard deviation over all clips and frames, (C), population ({@code ddof=0}) */
    public double[] channelStd() {
        return channelStd.clone();
    }

    /** @return the channel covariance, (C, C) row-major, with {@code N·F - 1} in the denominator as np.cov */
    public double[] cov() {
        return cov.clone();
    }

    /** @return the covariance's eigenvalues, descending, (C) */
    public double[] pcaValues() {
        return pcaValues.clone();
    }

    /** @return the covariance's unit eigenvectors as the columns of a (C, C) row-major matrix */
    public double[] pcaVectors() {
        return pcaVectors.clone();
    }

    /**
     * Reads a cochleagram file once and writes its statistics to {@link #statsFile(Path, Path)}, as the
     * {@code stats} command does ({@link #compute(CochleagramFileReader, int)}, then {@link #writeNpz(Path)}).
     *
     * @param cochleagramFile {@code <dir>/X_Coch.hdf5}
     * @param outDir the output folder, existing
     * @param threads threads for each clip's covariance, {@code >= 1}
     * @return the file written, {@code <outDir>/X_stats.npz}
     * @throws IOException if reading or writing fails, or the file has no rows
     */
    public static Path write(Path cochleagramFile, Path outDir, int threads) throws IOException {
        requireNonNull(cochleagramFile, "cochleagramFile");
        requireNonNull(outDir, "outDir");
        FeatureStats stats;
        try (CochleagramFileReader reader = CochleagramFileReader.open(cochleagramFile)) {
            stats = compute(reader, threads);
        }
        Path file = statsFile(cochleagramFile, outDir);
        stats.writeNpz(file);
        return file;
    }

    /**
     * @param cochleagramFile {@code <dir>/X_Coch.hdf5}
     * @param outDir the output folder
     * @return {@code <outDir>/X_stats.npz} (the {@code _Coch} suffix dropped when present)
     */
    public static Path statsFile(Path cochleagramFile, Path outDir) {
        String name = cochleagramFile.getFileName().toString();
        String base = name.endsWith(".hdf5") ? name.substring(0, name.length() - 5) : name;
        base = base.endsWith("_Coch") ? base.substring(0, base.length() - 5) : base;
        return outDir.resolve(base + "_stats.npz");
    }

    /**
     * Writes numpy's {@code .npz} (a zip of {@code .npy} float64 arrays, no pickle) atomically: {@code mean}
     * (C, F), {@code channel_mean} (C), {@code channel_std} (C), {@code cov} (C, C), {@code pca_values} (C),
     * {@code pca_vectors} (C, C). Each entry carries the zip format's first day (1980-01-01) as its time, not the
     * clock's, so the same statistics give the same bytes.
     *
     * <p>The file is renamed into place under the lock of its name, {@code .<file name>.lock} in its folder
     * ({@link NameLock}), released once it is in place: a writer that holds it until it has recorded the file
     * ({@link #writeNpzLocked}, as the command line's {@code DerivedFile} record of {@code X_stats.npz} does) is
     * waited for, at most 10 minutes. Where the lock file cannot be used (a file system without locks, a symbolic
     * link at its name) the file is put in place without it, and that is logged.
     *
     * @param file the {@code .npz} file to (re)place
     * @throws IOException if writing fails, or another writer still holds the lock after 10 minutes (nothing is put
     *     in place; the message names the folder and the file)
     */
    public void writeNpz(Path file) throws IOException {
        writeNpz(file, ChannelOpener.CREATE_NEW).ifPresent(NameLock::close);
    }

    /**
     * {@link #writeNpz(Path)}, the lock of the file's name left held for the caller, who releases it once it has
     * recorded the file: no other writer of the file that takes the lock ({@link #writeNpz(Path)}, another call of
     * this) can replace it in between. {@code DerivedFile.writeLocked} in {@code core.pipeline} takes the lock
     * returned by a computation that calls this, records, then releases it.
     *
     * @param file the {@code .npz} file to (re)place
     * @return the lock of its name ({@code .<file name>.lock} in its folder), held until its {@link NameLock#close()};
     *     empty where the lock file cannot be used (the file was put in place without it, logged)
     * @throws IOException if writing fails, or another writer still holds the lock after 10 minutes (nothing is put
     *     in place, no lock is held)
     */
    public Optional<NameLock> writeNpzLocked(Path file) throws IOException {
        return writeNpz(file, ChannelOpener.CREATE_NEW);
    }

    /**
     * {@link #writeNpzLocked(Path)}, the staged file opened by {@code opener} (a test gives one that fails).
     *
     * @return the lock of the file's name, held, or empty where it cannot be used
     */
    Optional<NameLock> writeNpz(Path file, ChannelOpener opener) throws IOException {
        requireNonNull(file, "file");
        Staging staging = Staging.beside(file);
        boolean published = false;
        try {
            Path tmp = staging.dir().resolve("stats.npz");
            try (FileChannel ch = opener.open(tmp);
                    ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch),
                            1 << 16))) {
                entry(zip, "mean", mean, channels, frames);
                entry(zip, "channel_mean", channelMean, channels);
                entry(zip, "channel_std", channelStd, channels);
                entry(zip, "cov", cov, channels, channels);
                entry(zip, "pca_values", pcaValues, channels);
                entry(zip, "pca_vectors", pcaVectors, channels, channels);
                zip.finish();
                zip.flush();
                ch.force(true);
            } catch (IOException e) {
                throw WriteFailure.naming(file, "writing", e);
            }
            // the folder is deleted by the publication; on a failure the lock is released
            staging.publishLocked(List.<Path[]>of(new Path[] {tmp, file}), Staging.PUBLISH_WAIT);
            published = true;
        } finally {
            if (!published) {
                staging.delete();
            }
        }
        return staging.handOverLock();
    }

    private static void entry(ZipOutputStream zip, String name, double[] values, int... shape) throws IOException {
        ZipEntry e = new ZipEntry(name + ".npy");
        e.setTimeLocal(ENTRY_TIME); // not the clock's: the same statistics are the same bytes
        zip.putNextEntry(e);
        String text = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + shape[0] + ", " + shape[1] + ")";
        ByteBuffer header = MetadataNpy.header("'<f8'", text, 64);
        zip.write(header.array(), 0, header.limit());
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; ) {
            b.clear();
            int n = Math.min(b.capacity() / Double.BYTES, values.length - i);
            b.asDoubleBuffer().put(values, i, n);
            zip.write(b.array(), 0, n * Double.BYTES);
            i += n;
        }
        zip.closeEntry();
    }

    @Override
    public String toString() {
        return "FeatureStats(" + clips + " clips of " + channels + " x " + frames + ")";
    }
}
