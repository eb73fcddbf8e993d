package io.github.audiosetdl.hdf5;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.spi.WaveformSource;
import io.github.audiosetdl.hdf5.internal.RowFileReader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a waveform file, ours or the seed's (h5py-written, bool labels, no {@code /meta}, possibly more
 * rows than its {@code size} attribute): rows, labels and metadata, one row at a time, in any order.
 * Memory does not depend on the file's size. Used by one thread at a time.
 */
public final class WaveformFileReader implements WaveformSource {
    /** The rate assumed for seed files, which have no {@code sample_rate} attribute, in Hz. */
    public static final int SEED_SAMPLE_RATE = 16_000;

    private final RowFileReader reader;
    private final int sampleRate;

    private WaveformFileReader(RowFileReader reader) {
        this.reader = reader;
        Object rate = reader.attribute("sample_rate");
        this.sampleRate = rate instanceof Number n ? n.intValue() : SEED_SAMPLE_RATE;
    }

    /**
     * @param file a waveform file
     * @return a reader
     * @throws IOException if the file is missing or has no 2-D float32 {@code /wav} (the message names it)
     */
    public static WaveformFileReader open(Path file) throws IOException {
        return new WaveformFileReader(RowFileReader.open(requireNonNull(file, "file"), "wav"));
    }

    @Override
    public Path path() {
        return reader.file();
    }

    /** @return the rows filled (the {@code size} attribute) */
    @Override
    public long size() {
        return reader.size();
    }

    @Override
    public int rowLength() {
        return reader.rowLength();
    }

    /** @return the {@code sample_rate} attribute, or 16000 for seed files */
    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public void read(long row, float[] into) throws IOException {
        reader.readRow(row, into);
    }

    /** @return labels per row (527 for AudioSet), 0 without {@code /labels} */
    public int labelCount() {
        return reader.labelCount();
    }

    /**
     * @param row {@code 0 <= row < size()}
     * @return the row's multi-hot labels (0/1), in label index order
     * @throws IOException if reading fails
     */
    public byte[] labels(long row) throws IOException {
        return reader.readLabels(row);
    }

    /** @return whether {@code /meta} exists (not in seed files) */
    public boolean hasMetadata() {
        return reader.hasMetadata();
    }

    /**
     * @param row {@code 0 <= row < size()}
     * @return the row's metadata
     * @throws IOException if reading fails or there is no {@code /meta}
     */
    public ClipMetadata metadata(long row) throws IOException {
        return reader.metadata(row);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    @Override
    public String toString() {
        return "WaveformFileReader(" + path() + ", " + size() + " rows)";
    }
}
