package io.github.audiosetdl.hdf5;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.hdf5.internal.RowFileReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reads a cochleagram file ({@code <name>_Coch.hdf5}): rows of C·F values (a (C, F) matrix row-major),
 * labels, metadata, the average and the extractor's attributes. One row at a time; used by one thread. A file of
 * another feature (a {@code FeatureExtractor} with its own dataset name) is read with {@link #open(Path, String)}.
 */
public final class CochleagramFileReader implements Closeable {
    private final RowFileReader reader;
    private final String dataset;
    private final int channels;
    private final int frames;

    private CochleagramFileReader(RowFileReader reader, String dataset) throws IOException {
        this.reader = reader;
        this.dataset = dataset;
        Map<String, Object> attrs = reader.mainAttributes();
        try {
            if (attrs.containsKey("channels") || attrs.containsKey("frames")) {
                this.channels = dimension(reader, dataset, attrs, "channels");
                this.frames = dimension(reader, dataset, attrs, "frames");
            } else { // a feature that declares no shape: each row one channel
                this.channels = 1;
                this.frames = reader.rowLength();
            }
            if ((long) channels * frames != reader.rowLength()) {
                throw new IOException(reader.file() + ": /" + dataset + " rows of " + reader.rowLength()
                        + " values do not match " + channels + " channels x " + frames + " frames");
            }
        } catch (IOException e) {
            reader.close();
            throw e;
        }
    }

    /**
     * @return the attribute {@code name} of the rows' dataset, a whole number in 1..2^31-1 (h5py may store a
     *     one-element array)
     * @throws IOException if it is missing or not such a number (the message names the file and the value)
     */
    private static int dimension(RowFileReader reader, String dataset, Map<String, Object> attrs, String name)
            throws IOException {
        Object value = attrs.get(name);
        OptionalLong n = RowFileReader.wholeNumber(value, 1, Integer.MAX_VALUE);
        if (n.isPresent()) {
            return (int) n.getAsLong();
        }
        throw new IOException(reader.file() + ": /" + dataset + " attribute " + name + " is "
                + RowFileReader.shown(value)
                + ", not a whole number of " + name + " (both channels and frames, or neither)");
    }

    /**
     * @param file a cochleagram file
     * @return a reader
     * @throws IOException if it is missing or has no 2-D float32 {@code /coch} (the message names it)
     */
    public static CochleagramFileReader open(Path file) throws IOException {
        return open(file, "coch");
    }

    /**
     * Opens a feature file whose rows are in {@code /<dataset>} (what a {@code FeatureExtractor} with that dataset
     * name wrote): its rows are C·F values when the dataset declares {@code channels} and {@code frames}, else one
     * channel of all the row's values.
     *
     * @param file a feature file
     * @param dataset the rows' dataset name: letters, digits and {@code _} ({@code coch} for cochleagrams)
     * @return a reader
     * @throws IOException if it is missing or has no 2-D float32 {@code /<dataset>} (the message names it)
     * @throws IllegalArgumentException if {@code dataset} is not such a name
     */
    public static CochleagramFileReader open(Path file, String dataset) throws IOException {
        requireNonNull(dataset, "dataset");
        if (!CochleagramFileWriter.DATASET.matcher(dataset).matches()) {
            throw new IllegalArgumentException("dataset name '" + dataset + "' must be 1 to 64 letters, digits or _");
        }
        RowFileReader r = RowFileReader.open(requireNonNull(file, "file"), dataset);
        return new CochleagramFileReader(r, dataset);
    }

    /** @return the file */
    public Path path() {
        return reader.file();
    }

    /** @return the rows filled (the {@code size} attribute) */
    public long size() {
        return reader.size();
    }

    /** @return C, the channels (rows of each matrix) */
    public int channels() {
        return channels;
    }

    /** @return F, the frames (columns of each matrix) */
    public int frames() {
        return frames;
    }

    /** @return the rows' dataset name ({@code coch} for cochleagrams) */
    public String dataset() {
        return dataset;
    }

    /** @return the attributes of the rows' dataset (C, F, the feature's name and parameters) */
    public Map<String, Object> attributes() {
        return reader.mainAttributes();
    }

    /**
     * @param row {@code 0 <= row < size()}
     * @param into receives C·F values, row-major
     * @throws IOException if reading fails
     */
    public void read(long row, float[] into) throws IOException {
        reader.readRow(row, into);
    }

    /**
     * @return the average matrix, C·F values row-major
     * @throws IOException if the file has no {@code /average}, or not one of C·F values (naming the file)
     */
    public float[] average() throws IOException {
        float[] average = reader.readSmall("average");
        if (average.length != (long) channels * frames) {
            throw new IOException(reader.file() + ": /average has " + average.length + " values, not " + channels
                    + " channels x " + frames + " frames");
        }
        return average;
    }

    /** @return labels per row, 0 when none were copied */
    public int labelCount() {
        return reader.labelCount();
    }

    /**
     * @param row {@code 0 <= row < size()}
     * @return its multi-hot labels: {@link #labelCount()} values, 1 for a label present and 0 otherwise, in the
     *     label index's order (the waveform file's {@code /labels} row)
     * @throws IOException if reading fails or there are no labels
     */
    public byte[] labels(long row) throws IOException {
        return reader.readLabels(row);
    }

    /** @return whether {@code /meta} was copied */
    public boolean hasMetadata() {
        return reader.hasMetadata();
    }

    /**
     * @param row {@code 0 <= row < size()}
     * @return its metadata
     * @throws IOException if reading fails or there is no {@code /meta}
     */
    public ClipMetadata metadata(long row) throws IOException {
        return ClipMetadata.read(reader, row);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
