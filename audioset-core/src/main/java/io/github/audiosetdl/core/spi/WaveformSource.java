package io.github.audiosetdl.core.spi;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Fixed-length waveform rows to compute features from (a waveform file), with each row's multi-hot labels and
 * YouTube id where the source has them.
 *
 * <p>Read by one thread at a time.
 */
public interface WaveformSource extends Closeable {
    /** @return where the rows come from (used in messages and to name outputs) */
    Path path();

    /** @return the number of rows */
    long size();

    /** @return samples per row (e.g. 160000) */
    int rowLength();

    /** @return the sample rate of the rows, in Hz */
    int sampleRate();

    /**
     * Reads one row.
     *
     * @param row {@code 0 <= row < size()}
     * @param into an array of at least {@link #rowLength()} samples
     * @throws IOException if reading fails
     */
    void read(long row, float[] into) throws IOException;

    /** @return labels per row (527 for AudioSet), 0 when the rows carry no labels (the default) */
    default int labelCount() {
        return 0;
    }

    /**
     * @param row {@code 0 <= row < size()}
     * @return the row's multi-hot labels, {@link #labelCount()} values of 0 or 1, in label index order
     * @throws IOException if reading fails
     * @throws UnsupportedOperationException if the rows carry no labels ({@code labelCount() == 0})
     */
    default byte[] labels(long row) throws IOException {
        throw new UnsupportedOperationException(path() + ": the rows carry no labels");
    }

    /** @return whether {@link #ytid} knows each row's YouTube id (false by default) */
    default boolean hasIds() {
        return false;
    }

    /**
     * @param row {@code 0 <= row < size()}
     * @return the YouTube id of the row's clip
     * @throws IOException if reading fails
     * @throws UnsupportedOperationException if the rows carry no ids ({@code hasIds()} is false)
     */
    default String ytid(long row) throws IOException {
        throw new UnsupportedOperationException(path() + ": the rows carry no YouTube ids");
    }

    /**
     * A view of some of these rows: row {@code i} of the view is row {@code rows[i]} of this source, with its
     * labels and id. The view reads through this source; closing either closes both.
     *
     * @param rows row numbers of this source, each in {@code [0, size())}, in the order the view gives them
     *     (copied)
     * @return the view
     * @throws IndexOutOfBoundsException naming the first row number out of range
     */
    default WaveformSource select(long[] rows) {
        return new SelectedRows(this, rows);
    }
}
