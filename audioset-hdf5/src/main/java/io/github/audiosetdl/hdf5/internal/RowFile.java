package io.github.audiosetdl.hdf5.internal;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.jhdf.exceptions.HdfException;
import io.jhdf.object.datatype.DataType;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An HDF5 file of fixed-length float32 (or int16) rows written in bounded memory: the rows go straight to their
 * final place in the file (at {@link #DATA_START}), per-row columns go to spools, and at
 * {@link #finish()} the columns are copied after the rows and jhdf writes the superblock, groups,
 * object headers and attributes in the first {@link #DATA_START} bytes, with every dataset a
 * contiguous {@link ReservedDataset} pointing at data already in place. The rows are written once.
 */
public final class RowFile implements Closeable {
    /** Where the main dataset's rows start, in bytes: the header area before it holds jhdf's metadata. */
    public static final long DATA_START = 1L << 20;
    private static final long HEADER_MARGIN = 4096;

    /** Element types of per-row columns. */
    public enum ColumnType {
        /** unsigned bytes, {@code width} per row. */
        UINT8,
        /** one little-endian int64 per row. */
        INT64,
        /** one little-endian float64 per row. */
        FLOAT64,
        /**
         * one string per row, stored as fixed-length NUL-terminated UTF-8: as wide as the longest plus its NUL
         * when the width is 1, else exactly {@code width} bytes (a longer string is refused at {@link #finish()}).
         */
        STRING,
        /** h5py's {@code bool} (an int8 enum FALSE = 0, TRUE = 1), {@code width} per row; appended as 0/1 bytes. */
        BOOL
    }

    /**
     * A column: per row ({@code fixedRows} -1: {@code rows} values of shape {@code rowShape}) or a whole small
     * dataset of {@code fixedRows} values.
     */
    private record ColumnSpec(String path, ColumnType type, long[] rowShape, Spool spool, long fixedRows,
            Map<String, Object> attributes) {
        /** @return values per row of a rank-1 row shape, 1 for scalar rows (string columns: bytes per value) */
        int width() {
            return rowShape.length == 0 ? 1 : (int) rowShape[0];
        }

        /** @return the dataset's dimensions for {@code n} rows */
        long[] dims(long n) {
            long[] dims = new long[1 + rowShape.length];
            dims[0] = n;
            System.arraycopy(rowShape, 0, dims, 1, rowShape.length);
            return dims;
        }
    }

    private record Extra(String path, float[] data, long[] dims) {
    }

    private final Path dir;
    private final Path file;
    private final String mainPath;
    private final int rowLength;
    private final boolean int16;
    private final FileChannel channel;
    private final FloatAppender rowsOut;
    private final List<ColumnSpec> columns = new ArrayList<>();
    private final List<Extra> extras = new ArrayList<>();
    private final Map<String, Object> rootAttributes = new LinkedHashMap<>();
    private final Map<String, Object> mainAttributes = new LinkedHashMap<>();
    private long rows;
    private boolean finished;

    private RowFile(Path dir, String mainPath, int rowLength, boolean int16, boolean direct) throws IOException {
        this.dir = dir;
        this.file = dir.resolve("data.hdf5");
        this.mainPath = mainPath;
        this.rowLength = rowLength;
        this.int16 = int16;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        this.rowsOut = new FloatAppender(file, channel, DATA_START, direct);
    }

    private RowFile(Path dir, Path file, String mainPath, int rowLength, long rows) throws IOException {
        this.dir = dir;
        this.file = file;
        this.mainPath = mainPath;
        this.rowLength = rowLength;
        this.int16 = false; // in place: float32 feature rows only
        this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                java.nio.file.LinkOption.NOFOLLOW_LINKS); // never another file a link planted in a shared folder
        this.rowsOut = null;
        this.rows = rows;
    }

    /**
     * Finishes a file whose rows other writers already put in place (row {@code i} at {@link #DATA_START}
     * {@code + i * rowLength * 4}, little-endian float32): {@link #writeRow} is refused, {@link #finish()} adds the
     * columns, extras and metadata after and before them as for a file written here.
     *
     * @param dir an existing private temporary directory for the column spools
     * @param file the data file, at least {@code DATA_START + rows * rowLength * 4} bytes long
     * @param mainPath the rows' dataset
     * @param rowLength float32 values per row
     * @param rows the rows in place
     * @return the file
     * @throws IOException if the file cannot be opened or is too short for the rows
     */
    public static RowFile inPlace(Path dir, Path file, String mainPath, int rowLength, long rows)
            throws IOException {
        if (rowLength <= 0 || rows < 0) {
            throw new IllegalArgumentException("row length " + rowLength + " and rows " + rows + " must be > 0, >= 0");
        }
        long need = DATA_START + Math.multiplyExact(rows, (long) rowLength * Float.BYTES);
        if (Files.size(file) < need) {
            throw new IOException(file + ": " + Files.size(file) + " bytes, too short for " + rows
                    + " rows of " + rowLength + " float32 values");
        }
        return new RowFile(dir, file, mainPath, rowLength, rows);
    }

    /**
     * Starts {@code dir/data.hdf5}.
     *
     * @param dir an existing private temporary directory
     * @param mainPath the rows' dataset (e.g. {@code wav})
     * @param rowLength float32 values per row
     * @return the file
     * @throws IOException if the file cannot be created
     */
    public static RowFile create(Path dir, String mainPath, int rowLength) throws IOException {
        return create(dir, mainPath, rowLength, true);
    }

    /**
     * @param dir an existing private temporary directory
     * @param mainPath the rows' dataset
     * @param rowLength float32 values per row
     * @param direct whether the rows may bypass the page cache ({@code O_DIRECT} batches where the file
     *     system allows); false writes every byte through the page cache
     * @return the file
     * @throws IOException if the file cannot be created
     */
    static RowFile create(Path dir, String mainPath, int rowLength, boolean direct) throws IOException {
        if (rowLength <= 0) {
            throw new IllegalArgumentException("row length " + rowLength + " must be > 0");
        }
        return new RowFile(dir, mainPath, rowLength, false, direct);
    }

    /**
     * Starts {@code dir/data.hdf5} with int16 rows ({@link #writeRow(short[])}).
     *
     * @param dir an existing private temporary directory
     * @param mainPath the rows' dataset (e.g. {@code waveform})
     * @param rowLength int16 values per row
     * @return the file
     * @throws IOException if the file cannot be created
     */
    public static RowFile createInt16(Path dir, String mainPath, int rowLength) throws IOException {
        if (rowLength <= 0) {
            throw new IllegalArgumentException("row length " + rowLength + " must be > 0");
        }
        return new RowFile(dir, mainPath, rowLength, true, true);
    }

    /** @return whether the rows currently bypass the page cache */
    boolean directRows() {
        return rowsOut != null && rowsOut.direct();
    }

    /**
     * Declares a per-row column (one value per {@link #writeRow} row, appended by the caller).
     *
     * @param path the dataset path, e.g. {@code labels} or {@code meta/ytid} (one group level at most)
     * @param type its element type
     * @param width values per row for {@link ColumnType#UINT8} and {@link ColumnType#BOOL} (a 2-D dataset
     *     when above 1); for {@link ColumnType#STRING} the fixed size in bytes (NUL included), or 1 for as wide as
     *     the longest; else 1
     * @return the spool the caller appends the column's values to
     * @throws IOException if the spool cannot be created
     */
    public Spool column(String path, ColumnType type, int width) throws IOException {
        Spool spool = new Spool(dir.resolve("column-" + columns.size() + ".bin"));
        columns.add(new ColumnSpec(path, type, width > 1 ? new long[] {width} : new long[0], spool, -1, Map.of()));
        return spool;
    }

    /**
     * Declares a per-row uint8 column of any rank, e.g. {@code strong} with row shape (100, 456): the dataset is
     * (rows, rowShape...), each row's values appended row-major by the caller.
     *
     * @param path the dataset path
     * @param rowShape the shape of one row's values (at least one dimension, each {@code >= 1})
     * @param attributes the dataset's attributes (numbers or strings)
     * @return the spool the caller appends the values to
     * @throws IOException if the spool cannot be created
     */
    public Spool uint8Column(String path, long[] rowShape, Map<String, Object> attributes) throws IOException {
        if (rowShape.length == 0) {
            throw new IllegalArgumentException(path + ": a row shape needs a dimension");
        }
        for (long d : rowShape) {
            if (d < 1) {
                throw new IllegalArgumentException(path + ": row shape " + Arrays.toString(rowShape));
            }
        }
        Spool spool = new Spool(dir.resolve("column-" + columns.size() + ".bin"));
        columns.add(new ColumnSpec(path, ColumnType.UINT8, rowShape.clone(), spool, -1, Map.copyOf(attributes)));
        return spool;
    }

    /**
     * Adds a small 1-D string dataset written whole at {@link #finish()} (e.g. the MIDs of an axis).
     *
     * @param path its path
     * @param values its values
     * @throws IOException if the spool cannot be written
     */
    public void strings(String path, List<String> values) throws IOException {
        Spool spool = new Spool(dir.resolve("column-" + columns.size() + ".bin"));
        columns.add(new ColumnSpec(path, ColumnType.STRING, new long[0], spool, values.size(), Map.of()));
        for (String v : values) {
            spool.putString(v);
        }
    }

    /**
     * Adds a small float32 dataset written whole at {@link #finish()} (e.g. the average cochleagram).
     *
     * @param path its path
     * @param data its values, row-major
     * @param dims its shape
     */
    public void extra(String path, float[] data, long... dims) {
        extras.add(new Extra(path, data.clone(), dims.clone()));
    }

    /**
     * @param name a root attribute's name
     * @param value a number or string
     */
    public void rootAttribute(String name, Object value) {
        rootAttributes.put(name, value);
    }

    /**
     * @param name an attribute of the rows' dataset
     * @param value a number or string
     */
    public void mainAttribute(String name, Object value) {
        mainAttributes.put(name, value);
    }

    /**
     * Appends a row at its final place in the file. Rows are staged and written in batches of
     * {@value FloatAppender#BATCH_BYTES} bytes; they are all on disk once {@link #finish()} returns.
     *
     * @param row {@code rowLength} values
     * @throws IOException if writing fails
     */
    public void writeRow(float[] row) throws IOException {
        if (int16) {
            throw new IllegalStateException(file + " holds int16 rows");
        }
        if (row.length != rowLength) {
            throw new IllegalArgumentException("row of " + row.length + " values, expected " + rowLength);
        }
        rowsOut.append(row);
        rows++;
    }

    /**
     * Appends an int16 row (a file started with {@link #createInt16}), as {@link #writeRow(float[])}.
     *
     * @param row {@code rowLength} values
     * @throws IOException if writing fails
     */
    public void writeRow(short[] row) throws IOException {
        if (!int16) {
            throw new IllegalStateException(file + " holds float32 rows");
        }
        if (row.length != rowLength) {
            throw new IllegalArgumentException("row of " + row.length + " values, expected " + rowLength);
        }
        if (rowsOut == null) {
            throw new IllegalStateException(file + ": the rows are already in place");
        }
        rowsOut.append(row);
        rows++;
    }

    /** @return the rows written */
    public long rows() {
        return rows;
    }

    /** @return the data file inside the temporary directory */
    public Path file() {
        return file;
    }

    /**
     * Copies the columns into place, lets jhdf write the metadata and syncs the file to disk.
     *
     * @return the finished file (still under its temporary name)
     * @throws IOException if writing fails
     */
    public Path finish() throws IOException {
        if (finished) {
            throw new IllegalStateException(file + " already finished");
        }
        finished = true;
        long cursor = DATA_START + (rowsOut != null ? rowsOut.finish() : rows * rowLength * (long) Float.BYTES);
        List<Placed> placed = new ArrayList<>();
        placed.add(int16
                ? new Placed(mainPath, DataType.fromObject(new short[1]), new short[1][1],
                        new long[] {rows, rowLength}, DATA_START, mainAttributes)
                : new Placed(mainPath, DataType.fromObject(new float[1]), new float[1][1],
                        new long[] {rows, rowLength}, DATA_START, mainAttributes));
        for (ColumnSpec c : columns) {
            cursor = align(cursor);
            long start = cursor;
            long n = c.fixedRows() >= 0 ? c.fixedRows() : rows;
            switch (c.type()) {
                case STRING -> {
                    int longest = c.spool().maxStringBytes();
                    if (c.width() > 1 && longest > c.width() - 1) {
                        throw new IOException(file + ": a value of /" + c.path() + " has " + longest
                                + " bytes, more than its " + (c.width() - 1));
                    }
                    int width = c.width() > 1 ? c.width() - 1 : longest;
                    cursor += c.spool().copyStringsTo(channel, start, width + 1);
                    placed.add(new Placed(c.path(), DataType.fromObject(new String[] {"x".repeat(width)}),
                            new String[] {"x"}, new long[] {n}, start, c.attributes()));
                }
                case UINT8 -> {
                    cursor += c.spool().copyTo(channel, start);
                    DataType t = DataType.fromObject(new byte[1], true);
                    long[] dims = c.dims(n);
                    Object template = switch (dims.length) {
                        case 1 -> new byte[1];
                        case 2 -> new byte[1][1];
                        case 3 -> new byte[1][1][1];
                        default -> throw new IllegalStateException(c.path() + ": rank " + dims.length);
                    };
                    placed.add(new Placed(c.path(), t, template, dims, start, c.attributes()));
                }
                case BOOL -> {
                    cursor += c.spool().copyTo(channel, start);
                    long[] dims = c.dims(n);
                    placed.add(new Placed(c.path(), BoolEnumType.INSTANCE, dims.length == 1 ? new byte[1]
                            : new byte[1][1], dims, start, c.attributes()));
                }
                case INT64 -> {
                    cursor += c.spool().copyTo(channel, start);
                    placed.add(new Placed(c.path(), DataType.fromObject(new long[1]), new long[1],
                            new long[] {rows}, start, Map.of()));
                }
                case FLOAT64 -> {
                    cursor += c.spool().copyTo(channel, start);
                    placed.add(new Placed(c.path(), DataType.fromObject(new double[1]), new double[1],
                            new long[] {rows}, start, Map.of()));
                }
                default -> throw new IllegalStateException(c.type().toString());
            }
            c.spool().close();
        }
        for (Extra e : extras) {
            cursor = align(cursor);
            ByteBuffer b = ByteBuffer.allocate(e.data().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(e.data());
            long at = cursor;
            while (b.hasRemaining()) {
                at += channel.write(b, at);
            }
            Object template = e.dims().length == 1 ? new float[1] : new float[1][1];
            placed.add(new Placed(e.path(), DataType.fromObject(new float[1]), template, e.dims(), cursor, Map.of()));
            cursor = at;
        }
        channel.force(false);
        channel.close();
        writeMetadata(placed);
        try (FileChannel sync = FileChannel.open(file, StandardOpenOption.WRITE)) {
            sync.force(true);
        }
        return file;
    }

    private record Placed(String path, DataType type, Object template, long[] dims, long address,
            Map<String, Object> attributes) {
    }

    private void writeMetadata(List<Placed> placed) throws IOException {
        List<ReservedDataset> nodes = new ArrayList<>();
        try (WritableHdfFile hdf = HdfFile.write(file)) {
            rootAttributes.forEach(hdf::putAttribute);
            Map<String, WritableGroup> groups = new LinkedHashMap<>();
            for (Placed p : placed) {
                int slash = p.path().indexOf('/');
                WritableGroup parent = hdf;
                String name = p.path();
                if (slash >= 0) {
                    String group = p.path().substring(0, slash);
                    parent = groups.computeIfAbsent(group, hdf::putGroup);
                    name = p.path().substring(slash + 1);
                }
                ReservedDataset node = new ReservedDataset(parent, name, p.type(), p.template(), p.dims(), p.address());
                p.attributes().forEach(node::putAttribute);
                parent.putDataset(name, node);
                nodes.add(node);
            }
        } catch (HdfException e) {
            throw new IOException(file + ": writing the HDF5 metadata failed: " + e.getMessage(), e);
        }
        long end = nodes.stream().mapToLong(ReservedDataset::headerEnd).max().orElse(0);
        if (end + HEADER_MARGIN > DATA_START) {
            throw new IOException(file + ": HDF5 metadata of " + end + " bytes does not fit the " + DATA_START
                    + "-byte header area (too many or too long attributes)");
        }
    }

    private static long align(long at) {
        return (at + 7) & ~7L;
    }

    /** Closes the channel and spools without finishing (the caller deletes the directory). */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        try {
            if (rowsOut != null) {
                rowsOut.close();
            }
        } catch (IOException e) {
            failure = e;
        }
        for (ColumnSpec c : columns) {
            try {
                c.spool().close();
            } catch (IOException e) {
                failure = e;
            }
        }
        try {
            channel.close();
        } catch (IOException e) {
            failure = e;
        }
        if (failure != null) {
            throw failure;
        }
    }
}
