package io.github.audiosetdl.hdf5;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.hdf5.internal.MetadataNpy;
import io.github.audiosetdl.hdf5.internal.Staging;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * do. Memory: one clip (C·F doubles) and a C × C matrix, whatever N. The eigendecomposition is ejml's symmetric
 * QR algorithm.
 *
 * <p>The arrays are copied in and out.
 */
public final class FeatureStats {
    /** The most channels accepted: the covariance is C × C doubles (32 MB at 2048). */
    public static final int MAX_CHANNELS = 2048;

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
     * {@code threads - 1} daemon threads started and stopped here).
     *
     * @param in a cochleagram file with at least 2 rows·frames in all
     * @param threads 1 or more
     * @return its statistics (the same values whatever the thread count)
     * @throws IOException if reading fails, the file has no rows, or more than {@link #MAX_CHANNELS} channels
     */
    public static FeatureStats compute(CochleagramFileReader in, int threads) throws IOException {
        requireNonNull(in, "in");
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads + " < 1");
        }
        ExecutorService pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread th = new Thread(r, "audioset-stats");
            th.setDaemon(true);
            return th;
        });
        try {
            return compute(in, threads, pool);
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private static FeatureStats compute(CochleagramFileReader in, int threads, ExecutorService pool)
            throws IOException {
        int c = in.channels();
        int f = in.frames();
        long n = in.size();
        if (c < 1 || c > MAX_CHANNELS) {
            throw new IOException(in.path() + ": " + c + " channels, not in 1.." + MAX_CHANNELS);
        }
        if (n < 1 || n * f < 2) {
            throw new IOException(in.path() + ": " + n + " rows of " + f + " frames are too few for statistics");
        }
        float[] row = new float[c * f];
        double[] meanMatrix = new double[c * f];
        double[] running = new double[c];
        double[] delta = new double[c];
        int padded = (c + 3) & ~3; // rows of zeros up to a multiple of 4 for the 4 x 4 blocks of the scatter
        double[] z = new double[padded * f];
        double[] clipScatter = new double[c * c];
        double[] total = new double[c * c];
        for (long r = 0; r < n; r++) {
            in.read(r, row);
            double k = r + 1;
            for (int i = 0; i < row.length; i++) {
                meanMatrix[i] += (row[i] - meanMatrix[i]) / k; // Welford's mean, element by element
            }
            // this clip's channel means and centred scatter Z Z^T
            for (int ch = 0; ch < c; ch++) {
                double s = 0;
                int base = ch * f;
                for (int t = 0; t < f; t++) {
                    s += row[base + t];
                }
                double m = s / f;
                for (int t = 0; t < f; t++) {
                    z[base + t] = row[base + t] - m;
                }
                delta[ch] = m - running[ch];
            }
            if (pool == null) {
                scatter(z, padded, f, clipScatter, c, 0, 1);
            } else {
                List<Future<?>> parts = new ArrayList<>();
                for (int p = 1; p < threads; p++) {
                    int part = p;
                    parts.add(pool.submit(() -> scatter(z, padded, f, clipScatter, c, part, threads)));
                }
                scatter(z, padded, f, clipScatter, c, 0, threads);
                for (Future<?> part : parts) {
                    await(part);
                }
            }
            // Chan et al.: merge (nA, meanA, M2A) with (nB = f, meanB, M2B)
            double na = (double) r * f;
            double nb = f;
            double w = na * nb / (na + nb);
            for (int i = 0; i < c; i++) {
                double di = delta[i] * w;
                for (int j = 0; j < c; j++) {
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
            for (int j = 0; j < c; j++) {
                covariance[i * c + j] = total[i * c + j] / (observations - 1);
            }
        }
        double[][] eig = eigen(covariance, c);
        return new FeatureStats(c, f, n, meanMatrix, running, std, covariance, eig[0], eig[1]);
    }

    /**
     * The scatter {@code Z Z^T} of a clip's centred rows, in 4 x 4 blocks of dot products (each of the 8 rows
     * loaded once per frame serves 16 products), for the lower triangle, mirrored.
     *
     * @param z the rows, {@code padded × f} row-major, rows {@code c..padded} zero
     * @param out receives the {@code c × c} scatter, row-major
     * @param part which of {@code parts} interleaved sets of block rows to compute
     */
    private static void scatter(double[] z, int padded, int f, double[] out, int c, int part, int parts) {
        for (int i0 = 4 * part; i0 < padded; i0 += 4 * parts) {
            int a0 = i0 * f;
            int a1 = a0 + f;
            int a2 = a1 + f;
            int a3 = a2 + f;
            for (int j0 = 0; j0 <= i0; j0 += 4) {
                int b0 = j0 * f;
                int b1 = b0 + f;
                int b2 = b1 + f;
                int b3 = b2 + f;
                double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
                double s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
                for (int k = 0; k < f; k++) {
                    double x0 = z[a0 + k];
                    double x1 = z[a1 + k];
                    double x2 = z[a2 + k];
                    double x3 = z[a3 + k];
                    double y0 = z[b0 + k];
                    double y1 = z[b1 + k];
                    double y2 = z[b2 + k];
                    double y3 = z[b3 + k];
                    s00 += x0 * y0;
                    s01 += x0 * y1;
                    s02 += x0 * y2;
                    s03 += x0 * y3;
                    s10 += x1 * y0;
                    s11 += x1 * y1;
                    s12 += x1 * y2;
                    s13 += x1 * y3;
                    s20 += x2 * y0;
                    s21 += x2 * y1;
                    s22 += x2 * y2;
                    s23 += x2 * y3;
                    s30 += x3 * y0;
                    s31 += x3 * y1;
                    s32 += x3 * y2;
                    s33 += x3 * y3;
                }
                double[] block = {s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33};
                for (int di = 0; di < 4; di++) {
                    for (int dj = 0; dj < 4; dj++) {
                        int i = i0 + di;
                        int j = j0 + dj;
                        if (i < c && j < c) {
                            out[i * c + j] = block[di * 4 + dj];
                            out[j * c + i] = block[di * 4 + dj];
                        }
                    }
                }
            }
        }
    }

    private static void await(Future<?> part) throws IOException {
        try {
            part.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while computing statistics");
        } catch (ExecutionException e) {
            throw new IllegalStateException("a statistics thread failed", e.getCause());
        }
    }

    /** @return the eigenvalues, descending, and the eigenvectors as the columns of a row-major C × C matrix */
    private static double[][] eigen(double[] covariance, int c) throws IOException {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(c, true, true);
        if (!eig.decompose(new DMatrixRMaj(c, c, true, covariance))) {
            throw new IOException("the eigendecomposition of the " + c + " x " + c + " covariance did not converge");
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
     * {@code pca_vectors} (C, C).
     *
     * @param file the {@code .npz} file to (re)place
     * @throws IOException if writing fails
     */
    public void writeNpz(Path file) throws IOException {
        requireNonNull(file, "file");
        Staging staging = Staging.beside(file);
        try {
            Path tmp = staging.dir().resolve("stats.npz");
            try (OutputStream raw = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW);
                    ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
                entry(zip, "mean", mean, channels, frames);
                entry(zip, "channel_mean", channelMean, channels);
                entry(zip, "channel_std", channelStd, channels);
                entry(zip, "cov", cov, channels, channels);
                entry(zip, "pca_values", pcaValues, channels);
                entry(zip, "pca_vectors", pcaVectors, channels, channels);
            }
            try (FileChannel sync = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                sync.force(true);
            }
            staging.publish(List.<Path[]>of(new Path[] {tmp, file}));
        } finally {
            staging.delete();
        }
    }

    private static void entry(ZipOutputStream zip, String name, double[] values, int... shape) throws IOException {
        zip.putNextEntry(new ZipEntry(name + ".npy"));
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
