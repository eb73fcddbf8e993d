package io.github.audiosetdl.core.spi;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Fixed-length waveform rows to compute features from (a waveform file).
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
}
