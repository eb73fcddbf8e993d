package io.github.audiosetdl.hdf5;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.spi.FeatureExtractor;
import io.github.audiosetdl.core.spi.FeatureSink;
import io.github.audiosetdl.core.spi.WaveformSource;
import io.github.audiosetdl.hdf5.internal.RowFile;
import io.github.audiosetdl.hdf5.internal.RowFileReader;
import io.github.audiosetdl.hdf5.internal.Staging;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a feature file such as the cochleagram file {@code <name>_Coch.hdf5}: the dataset the extractor
 * declares ({@link FeatureExtractor#dataset()}, {@code /coch} for the cochleagram) float32 (N, R·C), each row an
 * (R, C) matrix flattened row-major, with attributes {@code feature} (the extractor's name),
 * {@code input_length}, {@code sample_rate} and every attribute the extractor declares (the cochleagram's include
 * {@code channels} R and {@code frames} C); {@code /labels} copied from the source when its rows carry labels, and
 * {@code /meta} too when it is a waveform file of ours; root attributes {@code size} and {@code sample_rate}; the
 * average matrix as {@code /average} (R, C) and as {@code <name>_average.npy} (R, C) float32 beside the file.
 *
 * <p>Rows stream to disk (memory: one C·F running sum in compensated doubles,
 * {@link CompensatedSum}). Nothing appears under the final names
 * before {@link #commit()}; {@link #close()} without a commit discards everything. One thread writes.
 *
 * <p><b>Put in place under the file's lock.</b> {@link #commit()} renames the files into place holding an
 * operating-system lock on the hidden file {@code .<file name>.lock} beside them (empty, created if absent, never
 * deleted), from just before the first rename until {@link #close()}, so that what a caller records between the
 * two (a pipeline's record of inputs) describes the files on disk: another writer of the same file waits at its
 * own renames until this one is closed (at most 10 minutes, then its commit fails naming the folder and the
 * file). Writers of one file write their rows side by side; only their renames take turns. The operating system
 * drops the lock of a killed process.
 */
public final class CochleagramFileWriter implements FeatureSink {
    private static final Logger LOG = LoggerFactory.getLogger(CochleagramFileWriter.class);
    /** A feature dataset's name rule (the reader opens only such names too). */
    static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_]{1,64}");
    /** The other datasets of the file. */
    private static final Set<String> RESERVED = Set.of("labels", "meta", "average");

    private final Path file;
    private final WaveformSource source;
    private final FeatureExtractor extractor;
    private final Staging staging;
    private final RowFile rows;
    private final CompensatedSum sum;
    private boolean done;

    private CochleagramFileWriter(Path file, WaveformSource source, FeatureExtractor extractor) throws IOException {
        this.file = file;
        this.source = source;
        this.extractor = extractor;
        this.sum = new CompensatedSum(extractor.outputLength());
        String dataset = checkDeclared(file, extractor);
        this.staging = Staging.beside(file);
        try {
            this.rows = RowFile.create(staging.dir(), dataset, extractor.outputLength());
        } catch (IOException | RuntimeException e) {
            staging.delete();
            throw e;
        }
    }

    /**
     * Checks what an extractor declares before anything is computed: its dataset name, and the shape
     * {@link CochleagramFileReader#open(Path, String)} reads back from any dataset (attributes {@code channels} and
     * {@code frames}, both or neither, whole numbers whose product is a row's length).
     *
     * @param file the feature file, for the message
     * @param extractor what is computed
     * @return its dataset name
     * @throws IllegalArgumentException if the name or the declared shape is wrong (naming the file and the value)
     */
    static String checkDeclared(Path file, FeatureExtractor extractor) {
        String dataset = extractor.dataset();
        if (!DATASET.matcher(dataset).matches() || RESERVED.contains(dataset)) {
            throw new IllegalArgumentException(file + ": the feature's dataset name '" + dataset + "' must match "
                    + DATASET.pattern() + " and not be one of " + RESERVED);
        }
        Map<String, Object> attrs = extractor.attributes();
        ownAttributes(extractor).forEach((k, v) -> {
            Object declared = attrs.get(k);
            if (declared != null && !(v instanceof Number n ? declared instanceof Number d
                    && d.doubleValue() == n.doubleValue() : v.equals(declared))) {
                throw new IllegalArgumentException(file + ": the feature declares attribute '" + k + "' "
                        + RowFileReader.shown(declared) + ", which would replace the " + k + " "
                        + RowFileReader.shown(v) + " the file records itself (declare the same value, or leave it"
                        + " out)");
            }
        });
        if (attrs.containsKey("channels") || attrs.containsKey("frames")) {
            OptionalLong channels = RowFileReader.wholeNumber(attrs.get("channels"), 1, Integer.MAX_VALUE);
            OptionalLong frames = RowFileReader.wholeNumber(attrs.get("frames"), 1, Integer.MAX_VALUE);
            if (channels.isEmpty() || frames.isEmpty()
                    || channels.getAsLong() * frames.getAsLong() != extractor.outputLength()) {
                throw new IllegalArgumentException(file + ": the feature declares channels "
                        + RowFileReader.shown(attrs.get("channels")) + " and frames "
                        + RowFileReader.shown(attrs.get("frames")) + ", which do not describe its rows of "
                        + extractor.rows() + " x " + extractor.columns() + " values (declare both, or neither)");
            }
        }
        return dataset;
    }

    /** @return the rows' attributes the file records itself, before the extractor's ({@link #checkDeclared}) */
    private static Map<String, Object> ownAttributes(FeatureExtractor extractor) {
        Map<String, Object> own = new java.util.LinkedHashMap<>();
        own.put("feature", extractor.name());
        own.put("input_length", extractor.inputLength());
        own.put("sample_rate", extractor.sampleRate());
        return own;
    }

    /**
     * Starts a cochleagram file.
     *
     * @param file the final file, e.g. {@code out/eval_Coch.hdf5}
     * @param source the waveform rows the features come from; their labels, if they carry some, are copied at
     *     {@link #commit()}, and their metadata too when it is a {@link WaveformFileReader} of a file with
     *     {@code /meta}
     * @param extractor what is computed (its dataset name and attributes are written as it declares them)
     * @return the writer
     * @throws IOException if the staging directory cannot be created
     * @throws IllegalArgumentException if the extractor's dataset name is not a plain name or is one of the
     *     file's other datasets ({@code labels}, {@code meta}, {@code average}), or the extractor declares
     *     {@code channels} and {@code frames} that do not describe its rows (a file its reader would refuse), or
     *     an attribute the file records itself ({@code feature}, {@code input_length}, {@code sample_rate}) with
     *     another value
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

    /**
     * Deletes the staging folders ({@code .<file name>.<random>.tmp}) that writers of {@code file} killed before they
     * deleted them left beside it, as the next writer of the file does when it starts: for a caller that finds the
     * file complete and writes nothing (a writer killed after its renames, before it deleted its folder, left the
     * column spools there, {@code N × 527} bytes of labels and the metadata). Folders of live processes, of another
     * host or user, and those whose owner cannot be read stay.
     *
     * @param file the cochleagram file, e.g. {@code out/eval_Coch.hdf5}
     * @throws IOException if its folder cannot be listed or a folder cannot be deleted
     */
    public static void removeLeftByKilledWriters(Path file) throws IOException {
        Staging.removeStale(requireNonNull(file, "file"));
    }

    @Override
    public void write(float[] features) throws IOException {
        requireNonNull(features, "features");
        if (done) {
            throw new IllegalStateException(file + ": already committed or closed");
        }
        if (features.length != sum.length()) {
            throw new IllegalArgumentException(file + ": row of " + features.length + " values, expected "
                    + extractor.rows() + " x " + extractor.columns() + " = " + sum.length());
        }
        rows.writeRow(features);
        sum.add(features);
    }

    /** @return the rows written so far */
    public long size() {
        return rows.rows();
    }

    /**
     * Finishes the file and renames it and the average's npy file into place (the npy first), holding the lock of the
     * file's name, {@code .<file name>.lock} beside it, from just before the first rename until {@link #close()}: a
     * caller that records what it committed (a pipeline writes its record of inputs) does so before it closes this
     * writer, and no other writer of the file puts its own in place in between. A lock held by another writer of the
     * file (in another process, or one of this JVM committed and not closed yet) is waited for, at most 10 minutes. If
     * this fails, the lock is released and nothing more is put in place.
     *
     * @return the feature file and the npy file
     * @throws IOException if writing or renaming fails, or another writer of the file still holds its lock after 10
     *     minutes (the message names the folder, the file and the lock file; nothing is put in place)
     */
    @Override
    public List<Path> commit() throws IOException {
        if (done) {
            throw new IllegalStateException(file + ": already committed or closed");
        }
        done = true;
        try {
            long n = rows.rows();
            return complete(rows, staging, source, extractor, file, sum.average(n));
        } finally {
            abandon();
        }
    }

    /**
     * Completes a feature file whose {@code rows.rows()} rows are in place: labels and metadata copied from the
     * source, attributes, the average as {@code /average} and as the npy file; publishes both from the staging
     * folder (the npy first, the feature file last), under the lock of the feature file's name
     * ({@link Staging#publishLocked}), which the caller releases ({@link Staging#unlock()}).
     *
     * @return the feature file and the npy file
     */
    static List<Path> complete(RowFile rows, Staging staging, WaveformSource source, FeatureExtractor extractor,
            Path file, float[] average) throws IOException {
        long n = rows.rows();
        copyLabelsAndMetadata(rows, source, file, n);
        rows.rootAttribute("size", n);
        rows.rootAttribute("sample_rate", extractor.sampleRate());
        ownAttributes(extractor).forEach(rows::mainAttribute);
        for (Map.Entry<String, Object> a : extractor.attributes().entrySet()) {
            rows.mainAttribute(a.getKey(), a.getValue());
        }
        rows.extra("average", average, extractor.rows(), extractor.columns());
        Path data = rows.finish();
        Path npy = staging.dir().resolve("average.npy");
        Path averageFile = averageFile(file);
        NpyFiles.writeFloat32(npy, average, extractor.rows(), extractor.columns());
        staging.publishLocked(List.of(new Path[] {npy, averageFile}, new Path[] {data, file}), Staging.PUBLISH_WAIT);
        return List.of(file, averageFile);
    }

    private static void copyLabelsAndMetadata(RowFile rows, WaveformSource source, Path file, long n)
            throws IOException {
        if (source.labelCount() == 0) {
            LOG.warn("{}: the rows of {} carry no labels; /labels and /meta are not copied", file, source.path());
            return;
        }
        if (n > source.size()) {
            throw new IOException(file + ": " + n + " rows but the source " + source.path() + " has "
                    + source.size());
        }
        if (source instanceof WaveformFileReader wav && wav.hasMetadata()) {
            MetaColumns meta = new MetaColumns(rows, wav.labelCount());
            for (long i = 0; i < n; i++) {
                meta.append(wav.labels(i), wav.metadata(i));
            }
        } else {
            var labels = rows.column("labels", RowFile.ColumnType.UINT8, source.labelCount());
            if (source instanceof WaveformFileReader wav) {
                // in blocks: a row at a time reads every chunk of a chunked /labels (h5py's) once per row it holds
                int block = wav.labelBlockRows();
                for (long start = 0; start < n; start += block) {
                    labels.putBytes(wav.labels(start, (int) Math.min(block, n - start)));
                }
                return;
            }
            for (long i = 0; i < n; i++) {
                byte[] multiHot = source.labels(i);
                if (multiHot.length != source.labelCount()) {
                    throw new IOException(file + ": row " + i + " of " + source.path() + " has " + multiHot.length
                            + " labels, not " + source.labelCount());
                }
                labels.putBytes(multiHot);
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

    /**
     * Discards everything unless committed; after a commit, releases the lock of the file's name (see
     * {@link #commit()}). Closing again does nothing.
     */
    @Override
    public void close() throws IOException {
        if (!done) {
            done = true;
            abandon();
        }
        staging.unlock(); // taken by a commit alone
    }
}
