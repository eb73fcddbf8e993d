package io.github.audiosetdl.hdf5;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.spi.FeatureExtractor;
import io.github.audiosetdl.core.spi.FeatureSink;
import io.github.audiosetdl.core.spi.WaveformSource;
import io.github.audiosetdl.hdf5.internal.RowFile;
import io.github.audiosetdl.hdf5.internal.Staging;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a cochleagram (feature) file {@code <name>_Coch.hdf5}: {@code /coch} float32 (N, C·F), each
 * row a (C, F) matrix flattened row-major, with attributes {@code channels} (C), {@code frames} (F),
 * {@code feature} and every extractor parameter; {@code /labels} and {@code /meta} copied from the
 * source waveform file; root attribute {@code size}; the average matrix as {@code /average} (C, F) and
 * as {@code <name>_average.npy} (C, F) float32 beside the file.
 *
 * <p>Rows stream to disk (memory: one C·F running sum in doubles). Nothing appears under the final names
 * before {@link #commit()}; {@link #close()} without a commit discards everything. One thread writes.
 */
public final class CochleagramFileWriter implements FeatureSink {
    private static final Logger LOG = LoggerFactory.getLogger(CochleagramFileWriter.class);

    private final Path file;
    private final Path averageFile;
    private final WaveformSource source;
    private final FeatureExtractor extractor;
    private final Staging staging;
    private final RowFile rows;
    private final double[] sum;
    private boolean done;

    private CochleagramFileWriter(Path file, WaveformSource source, FeatureExtractor extractor) throws IOException {
        this.file = file;
        this.averageFile = averageFile(file);
        this.source = source;
        this.extractor = extractor;
        this.sum = new double[extractor.outputLength()];
        this.staging = Staging.beside(file);
        try {
            this.rows = RowFile.create(staging.dir(), "coch", extractor.outputLength());
        } catch (IOException | RuntimeException e) {
            staging.delete();
            throw e;
        }
    }

    /**
     * Starts a cochleagram file.
     *
     * @param file the final file, e.g. {@code out/eval_Coch.hdf5}
     * @param source the waveform rows the features come from; when it is a {@link WaveformFileReader}
     *     with labels (and metadata), they are copied at {@link #commit()}
     * @param extractor what is computed (its shape and parameters become attributes)
     * @return the writer
     * @throws IOException if the staging directory cannot be created
     */
    public static CochleagramFileWriter create(Path file, WaveformSource source, FeatureExtractor extractor)
            throws IOException {
        return new CochleagramFileWriter(requireNonNull(file, "file"), requireNonNull(source, "source"),
                requireNonNull(extractor, "extractor"));
    }

    /**
     * @param file a cochleagram file {@code <name>_Coch.hdf5} (or any {@code <base>.hdf5})
     * @return {@code <name>_average.npy} beside it
     */
    public static Path averageFile(Path file) {
        String name = file.getFileName().toString();
        String base = name.endsWith(".hdf5") ? name.substring(0, name.length() - 5) : name;
        if (base.endsWith("_Coch")) {
            base = base.substring(0, base.length() - 5);
        }
        return file.resolveSibling(base + "_average.npy");
    }

    @Override
    public void write(float[] features) throws IOException {
        requireNonNull(features, "features");
        if (done) {
            throw new IllegalStateException(file + ": already committed or closed");
        }
        if (features.length != sum.length) {
            throw new IllegalArgumentException(file + ": row of " + features.length + " values, expected "
                    + extractor.rows() + " x " + extractor.columns() + " = " + sum.length);
        }
        rows.writeRow(features);
        for (int i = 0; i < sum.length; i++) {
            sum[i] += features[i];
        }
    }

    /** @return the rows written so far */
    public long size() {
        return rows.rows();
    }

    @Override
    public List<Path> commit() throws IOException {
        if (done) {
            throw new IllegalStateException(file + ": already committed or closed");
        }
        done = true;
        try {
            long n = rows.rows();
            copyLabelsAndMetadata(n);
            float[] average = new float[sum.length];
            for (int i = 0; i < sum.length; i++) {
                average[i] = n == 0 ? 0 : (float) (sum[i] / n);
            }
            rows.rootAttribute("size", n);
            rows.rootAttribute("sample_rate", extractor.sampleRate());
            rows.mainAttribute("feature", extractor.name());
            rows.mainAttribute("channels", extractor.rows());
            rows.mainAttribute("frames", extractor.columns());
            rows.mainAttribute("input_length", extractor.inputLength());
            rows.mainAttribute("sample_rate", extractor.sampleRate());
            for (Map.Entry<String, Object> a : extractor.attributes().entrySet()) {
                rows.mainAttribute(a.getKey(), a.getValue());
            }
            rows.extra("average", average, extractor.rows(), extractor.columns());
            Path data = rows.finish();
            Path npy = staging.dir().resolve("average.npy");
            NpyFiles.writeFloat32(npy, average, extractor.rows(), extractor.columns());
            staging.publish(List.of(new Path[] {npy, averageFile}, new Path[] {data, file}));
            return List.of(file, averageFile);
        } finally {
            abandon();
        }
    }

    private void copyLabelsAndMetadata(long n) throws IOException {
        if (!(source instanceof WaveformFileReader wav) || wav.labelCount() == 0) {
            LOG.warn("{}: the source {} is not a waveform file with labels; /labels and /meta are not copied",
                    file, source.path());
            return;
        }
        if (n > wav.size()) {
            throw new IOException(file + ": " + n + " rows but the source " + source.path() + " has " + wav.size());
        }
        if (wav.hasMetadata()) {
            MetaColumns meta = new MetaColumns(rows, wav.labelCount());
            for (long i = 0; i < n; i++) {
                meta.append(wav.labels(i), wav.metadata(i));
            }
        } else {
            var labels = rows.column("labels", RowFile.ColumnType.UINT8, wav.labelCount());
            for (long i = 0; i < n; i++) {
                labels.putBytes(wav.labels(i));
            }
        }
    }

    private void abandon() throws IOException {
        try {
            rows.close();
        } finally {
            staging.delete();
        }
    }

    /** Discards everything unless committed. */
    @Override
    public void close() throws IOException {
        if (!done) {
            done = true;
            abandon();
        }
    }
}
