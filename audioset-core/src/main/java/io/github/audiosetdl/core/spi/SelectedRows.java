package io.github.audiosetdl.core.spi;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;

/** {@link WaveformSource#select}'s view: some rows of a source, by number. */
final class SelectedRows implements WaveformSource {
    private final WaveformSource source;
    private final long[] rows;

    SelectedRows(WaveformSource source, long[] rows) {
        this.source = requireNonNull(source, "source");
        this.rows = checkRows(rows, source.size(), source.path());
    }

    /**
     * @param rows row numbers
     * @param size the number of rows of the source
     * @param path the source, for the message
     * @return a copy of {@code rows}
     * @throws IndexOutOfBoundsException naming the first row number out of range
     */
    static long[] checkRows(long[] rows, long size, Path path) {
        long[] copy = requireNonNull(rows, "rows").clone();
        for (long r : copy) {
            if (r < 0 || r >= size) {
                throw new IndexOutOfBoundsException(path + ": row " + r + " is not in 0.." + (size - 1));
            }
        }
        return copy;
    }

    private long map(long row) {
        if (row < 0 || row >= rows.length) {
            throw new IndexOutOfBoundsException(path() + ": row " + row + " of a selection of " + rows.length);
        }
        return rows[(int) row];
    }

    @Override
    public Path path() {
        return source.path();
    }

    @Override
    public long size() {
        return rows.length;
    }

    @Override
    public int rowLength() {
        return source.rowLength();
    }

    @Override
    public int sampleRate() {
        return source.sampleRate();
    }

    @Override
    public void read(long row, float[] into) throws IOException {
        source.read(map(row), into);
    }

    @Override
    public int labelCount() {
        return source.labelCount();
    }

    @Override
    public byte[] labels(long row) throws IOException {
        return source.labels(map(row));
    }

    @Override
    public boolean hasIds() {
        return source.hasIds();
    }

    @Override
    public String ytid(long row) throws IOException {
        return source.ytid(map(row));
    }

    @Override
    public void close() throws IOException {
        source.close();
    }

    @Override
    public String toString() {
        return rows.length + " selected rows of " + source;
    }
}
