package io.github.audiosetdl.core.spi;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Receives feature rows in order and publishes them atomically: nothing is visible under the final
 * name until {@link #commit()}; {@link #close()} without a commit discards what was written.
 *
 * <p>Written by one thread.
 */
public interface FeatureSink extends Closeable {
    /**
     * Appends the next row.
     *
     * @param features {@code rows * columns} values, row-major
     * @throws IOException if writing fails
     */
    void write(float[] features) throws IOException;

    /**
     * Finishes the output and moves it to its final name(s).
     *
     * @return the files written (the main file first)
     * @throws IOException if finishing fails
     */
    List<Path> commit() throws IOException;
}
