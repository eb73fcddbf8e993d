package io.github.audiosetdl.hdf5;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.spi.WaveformSource;
import io.github.audiosetdl.hdf5.internal.RowFileReader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a waveform file, ours or the seed's (h5py-written, bool labels, no {@code /meta}, possibly more
 * rows than its {@code size} attribute): rows, labels and metadata, one row at a time, in any order.
 * Memory does not depend on the file's size: a row longer than 10.1 s ({@link Segment#MAX_DURATION_MS}) at the
 * file's rate, or a rate above {@link #MAX_SAMPLE_RATE}, is refused when the file is opened. Used by one thread
 * at a time.
 */
public final class WaveformFileReader implements WaveformSource {
    /** The rate assumed for seed files, which have no {@code sample_rate} attribute, in Hz. */
    public static final int SEED_SAMPLE_RATE = 16_000;

    /** The highest {@code sample_rate} accepted, in Hz (as the pack stage's). */
    public static final int MAX_SAMPLE_RATE = 768_000;

    private final RowFileReader reader;
    private final int sampleRate;

    private WaveformFileReader(RowFileReader reader) throws IOException {
        this.reader = reader;
        Object rate = reader.attribute("sample_rate");
        long hz = rate instanceof Number n ? n.longValue() : SEED_SAMPLE_RATE;
        if (hz < 1 || hz > MAX_SAMPLE_RATE) {
            throw new IOException(reader.file() + ": sample_rate " + hz + " Hz is not in 1.." + MAX_SAMPLE_RATE);
        }
        this.sampleRate = (int) hz;
        long longest = (long) sampleRate * Segment.MAX_DURATION_MS / 1000;
        if (reader.rowLength() > longest) {
            throw new IOException(reader.file() + ": rows of " + reader.rowLength() + " samples are longer than "
                    + Segment.MAX_DURATION_MS / 1000.0 + " s at " + sampleRate + " Hz (AudioSet clips are 10 s)");
        }
    }

    /**
     * @param file a waveform file
     * @return a reader
     * @throws IOException if the file is missing or has no 2-D float32 {@code /wav} (the message names it)
     */
    public static WaveformFileReader open(Path file) throws IOException {
        RowFileReader rows = RowFileReader.open(requireNonNull(file, "file"), "wav");
        try {
            return new WaveformFileReader(rows);
        } catch (IOException | RuntimeException e) {
            rows.close();
            throw e;
        }
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
