package io.github.audiosetdl.hdf5;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.audio.SeedPreparation;
import io.github.audiosetdl.core.spi.WaveformSource;
import io.github.audiosetdl.hdf5.internal.RowFileReader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a waveform file, ours or the seed's (h5py-written, bool labels, no {@code /meta}, possibly more
 * rows than its {@code size} attribute): rows, labels and metadata, one row at a time, in any order.
 * Memory does not depend on the file's size (a {@link #select selection} holds its row numbers): a row longer
 * than 10.1 s ({@link Segment#MAX_DURATION_MS}) at the file's rate, or a rate above {@link #MAX_SAMPLE_RATE}, is
 * refused when the file is opened. Used by one thread at a time.
 */
public final class WaveformFileReader implements WaveformSource {
    /** The highest {@code sample_rate} accepted, in Hz (as the pack stage's). */
    public static final int MAX_SAMPLE_RATE = 768_000;
    /** The labels' dataset, as {@link RowFileReader#open(Path, String)} names it. */
    private static final String LABELS = "labels";

    private final RowFileReader reader;
    private final int sampleRate;
    /** The file's row of each of this reader's rows, or null for all of them in order. */
    private final long[] rows;

    private WaveformFileReader(RowFileReader reader, int sampleRate, long[] rows) {
        this.reader = reader;
        this.rows = rows;
        this.sampleRate = sampleRate;
    }

    /**
     * @param file a waveform file
     * @return a reader
     * @throws IOException if the file is missing or has no 2-D float32 {@code /wav} (the message names it)
     */
    public static WaveformFileReader open(Path file) throws IOException {
        RowFileReader rows = RowFileReader.open(requireNonNull(file, "file"), "wav");
        try {
            return new WaveformFileReader(rows, checkedRate(rows, false), null);
        } catch (IOException | RuntimeException e) {
            rows.close();
            throw e;
        }
    }

    /**
     * @param reader a waveform file's rows
     * @param required whether the root attribute {@code sample_rate} must be there; if not, a file without it is at
     *     16 kHz, as the seed's files are
     * @return the file's {@code sample_rate}, in Hz, checked with its row length: at most 10.1 s
     * @throws IOException if it is not a whole number of Hz in 1..{@link #MAX_SAMPLE_RATE}, or the rows are longer
     */
    static int checkedRate(RowFileReader reader, boolean required) throws IOException {
        Object rate = reader.attribute("sample_rate");
        long hz = SeedPreparation.DEFAULT.sampleRate(); // the seed's files have no such attribute
        if (rate != null || required) {
            hz = RowFileReader.wholeNumber(rate, 1, MAX_SAMPLE_RATE).orElseThrow(() -> new IOException(reader.file()
                    + ": attribute sample_rate is " + RowFileReader.shown(rate) + ", not a whole number of Hz in 1.."
                    + MAX_SAMPLE_RATE));
        }
        long longest = hz * Segment.MAX_DURATION_MS / 1000;
        if (reader.rowLength() > longest) {
            throw new IOException(reader.file() + ": rows of " + reader.rowLength() + " samples are longer than "
                    + Segment.MAX_DURATION_MS / 1000.0 + " s at " + hz + " Hz (AudioSet clips are 10 s)");
        }
        return (int) hz;
    }

    /** @return the file's row of this reader's {@code row} (an index out of a selection throws) */
    private long map(long row) {
        return rows == null ? row : rows[Math.toIntExact(row)];
    }

    @Override
    public Path path() {
        return reader.file();
    }

    /** @return the rows filled (the {@code size} attribute), or the rows selected */
    @Override
    public long size() {
        return rows == null ? reader.size() : rows.length;
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
        reader.readRow(map(row), into);
    }

    /** @return labels per row (527 for AudioSet), 0 without {@code /labels} */
    @Override
    public int labelCount() {
        return reader.labelCount();
    }

    /**
     * @param row {@code 0 <= row < size()}
     * @return the row's multi-hot labels (0/1), in label index order
     * @throws IOException if reading fails
     */
    @Override
    public byte[] labels(long row) throws IOException {
        return reader.readLabels(map(row));
    }

    /**
     * The rows {@link #labels(long, int)} reads best at once: as many as fit 4 MB of {@code /labels} (at least one),
     * a multiple of its chunks' rows when it is chunked (h5py's {@code chunks=}, or a resizable dataset), so that a
     * pass over the file reads each chunk about once, where a row at a time reads every chunk a row touches for each
     * of its rows.
     *
     * @return rows per block, at least 1
     * @throws IOException if the file has no {@code /labels} or its storage cannot be read
     */
    public int labelBlockRows() throws IOException {
        return reader.blockRows(LABELS);
    }

    /**
     * The {@link #labels(long)} of rows {@code row .. row + count - 1}, read at once (of a {@link #select selection},
     * one row at a time).
     *
     * @param row the first row, {@code 0 <= row <= size() - count}
     * @param count the rows, at most {@link #labelBlockRows()} (a block of more than 4 MB is refused)
     * @return their labels one row after the other, {@code count * labelCount()} values of 0 or 1: row
     *     {@code row + i}'s label {@code j} at {@code i * labelCount() + j}
     * @throws IOException if reading fails or the file has no {@code /labels}
     * @throws IndexOutOfBoundsException if the rows are not all in this reader (the message names the file)
     */
    public byte[] labels(long row, int count) throws IOException {
        if (row < 0 || count < 0 || row > size() - count) {
            throw new IndexOutOfBoundsException(path() + ": rows " + row + " + " + count + " not in 0.."
                    + (size() - 1));
        }
        if (rows == null) {
            return reader.readLabels(row, count);
        }
        int width = labelCount();
        if (count > 1 && (long) count * width > RowFileReader.MAX_BLOCK_BYTES) {
            throw new IllegalArgumentException(path() + ": a block of " + count + " rows of /labels is more than "
                    + (RowFileReader.MAX_BLOCK_BYTES >> 20) + " MB");
        }
        byte[] out = new byte[count * width];
        for (int i = 0; i < count; i++) {
            System.arraycopy(labels(row + i), 0, out, i * width, width);
        }
        return out;
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
        return ClipMetadata.read(reader, map(row));
    }

    /** @return whether the rows' YouTube ids are known: {@code /meta/ytid} exists (not in seed files) */
    @Override
    public boolean hasIds() {
        return reader.hasMetaColumn("ytid");
    }

    @Override
    public String ytid(long row) throws IOException {
        if (!hasIds()) {
            throw new UnsupportedOperationException(path() + ": no /meta/ytid (a seed file? its ids are in"
                    + " _metadata.npy)");
        }
        return reader.metaString("ytid", map(row));
    }

    /**
     * A reader of some of these rows, with their labels and metadata; it shares this reader's file, so closing
     * either closes both.
     *
     * @param selected row numbers of this reader, each in {@code [0, size())} (copied)
     * @return the reader of those rows, in that order
     */
    @Override
    public WaveformFileReader select(long[] selected) {
        long[] mapped = requireNonNull(selected, "rows").clone();
        for (int i = 0; i < mapped.length; i++) {
            if (mapped[i] < 0 || mapped[i] >= size()) {
                throw new IndexOutOfBoundsException(path() + ": row " + mapped[i] + " is not in 0.." + (size() - 1));
            }
            mapped[i] = map(mapped[i]);
        }
        return new WaveformFileReader(reader, sampleRate, mapped);
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
