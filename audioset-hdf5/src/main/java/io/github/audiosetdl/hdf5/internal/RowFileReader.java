package io.github.audiosetdl.hdf5.internal;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Link;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.EnumDataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.datatype.StringData;
import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Reads a row file (ours, or the seed's h5py-written one): jhdf parses the structure, and rows are
 * read straight from the contiguous datasets' data with a {@code FileChannel}, one row at a time.
 * Datasets stored otherwise (chunked, possibly compressed, as after {@code h5repack} or h5py's
 * {@code chunks=} / {@code compression=}; or compact) are read row by row through jhdf's slice reads,
 * which decompress every chunk a row touches (slower, but the same values). Rows may be float32 or
 * float64 (returned as float32), or int16 (returned divided by the rows' {@code scale} attribute, 32767 when
 * absent, as PANNs' {@code int16_to_float32}). Boolean (enum) labels are read as their 0/1 bytes. A contiguous
 * dataset that was never written (h5py allocates its storage at the first write), or chunks never written, read as
 * zeros, their fill value, as in h5py, up to {@link #MAX_UNSTORED_BYTES} of the rows filled; one with another fill
 * value is refused.
 */
public final class RowFileReader implements Closeable {
    /**
     * The largest row read, in bytes: 64 MB, over 200 s of 768 kHz float32 audio; a longer declared row is
     * refused before anything is allocated for it.
     */
    public static final long MAX_ROW_BYTES = 64L << 20;
    /** The most rows a dataset may declare: 2^26, 32 times AudioSet's 2 million clips. */
    public static final long MAX_ROWS = 1L << 26;
    /**
     * The most bytes of the rows filled ({@code size}) that may be missing from the file, 64 MB: rows never written
     * (a contiguous dataset without storage, chunks never stored) read as the fill value 0, as h5py reads them, but a
     * file of a few kB could otherwise declare 2^26 such rows of 10 s, and a run would compute them for months.
     */
    public static final long MAX_UNSTORED_BYTES = 64L << 20;
    /** The longest fixed-length string element read, in bytes (a YouTube id needs 11). */
    static final int MAX_STRING_BYTES = 4096;
    /**
     * The most bytes a block read ({@link #readStrings}, {@link #readLabels(long, int)}) reads at once, 4 MB; a block
     * of one row may be up to {@link #MAX_ROW_BYTES}.
     */
    public static final long MAX_BLOCK_BYTES = 4L << 20;
    /** The largest dataset {@link #readSmall} reads whole, in bytes. */
    static final long MAX_SMALL_BYTES = 64L << 20;
    private final Path file;
    private final HdfFile hdf;
    private final FileChannel channel;
    private final Column main;
    private final Column labels;
    private final Map<String, Column> meta = new LinkedHashMap<>();
    /** Other root datasets asked for at open ({@link #open(Path, String, String, List)}), by path. */
    private final Map<String, Column> extra = new LinkedHashMap<>();
    private final long size;
    private final ByteBuffer rowBuffer;
    /** The divisor of int16 rows, or 0 for floating-point rows. */
    private final double int16Scale;
    /** The root's and the main dataset's attributes, read once at open. */
    private final Map<String, Object> rootAttributes = new LinkedHashMap<>();
    private final Map<String, Object> mainAttributes = new LinkedHashMap<>();

    /**
     * Raw access to one dataset: at {@code address} in the file when contiguous ({@code sliced} null), else
     * through jhdf's slice reads of {@code sliced}, whose shape is {@code dims}.
     */
    private record Column(String path, long address, long rows, long rowBytes, int elementSize, DataType type,
            ByteOrder order, Dataset sliced, long[] dims) {
    }

    private RowFileReader(Path file, String mainPath, String labelsPath, List<String> extraPaths) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        HdfFile h;
        try {
            h = ReadableHdfFile.open(file);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        this.hdf = h;
        try {
            this.main = column(mainPath, true);
            hdf.getAttributes().forEach((k, v) -> rootAttributes.put(k, v.getData()));
            hdf.getDatasetByPath(main.path()).getAttributes().forEach((k, v) -> mainAttributes.put(k, v.getData()));
            boolean floats = main.type() instanceof FloatingPoint
                    && (main.elementSize() == Float.BYTES || main.elementSize() == Double.BYTES);
            boolean shorts = main.type() instanceof FixedPoint f && f.isSigned() && main.elementSize() == Short.BYTES;
            if (!floats && !shorts || main.dims().length != 2) {
                throw new IOException(file + ": /" + mainPath + " is not a 2-D float32, float64 or int16 dataset");
            }
            this.int16Scale = shorts ? int16Scale(mainAttributes.get("scale")) : 0;
            this.labels = column(labelsPath, false);
            for (String path : extraPaths) {
                Column c = column(path, false);
                if (c != null) {
                    extra.put(path, c);
                }
            }
            if (find("meta") instanceof Group) {
                for (String name : new String[] {"ytid", "start", "end", "labels", "norm", "padded", "csv_row"}) {
                    Column c = column("meta/" + name, false);
                    if (c != null) {
                        meta.put(name, c);
                    }
                }
            }
            this.size = sizeAttribute(rootAttributes.get("size"), main.rows());
            if (size > main.rows()) {
                throw new IOException(file + ": attribute size=" + size + " but /" + mainPath + " has " + main.rows()
                        + " rows");
            }
            for (Column c : Stream.concat(Stream.concat(Stream.ofNullable(labels), meta.values().stream()),
                    extra.values().stream()).toList()) {
                if (c.rows() < size) { // else its rows beyond would be read from whatever follows it
                    throw new IOException(file + ": /" + c.path() + " has " + c.rows() + " rows, fewer than the "
                            + size + " rows of /" + mainPath);
                }
            }
            checkStored(main, size);
            this.rowBuffer = ByteBuffer.allocateDirect(Math.toIntExact(main.rowBytes())).order(main.order());
        } catch (IOException | RuntimeException e) {
            hdf.close();
            channel.close();
            if (e instanceof RuntimeException) { // jhdf's, on a damaged structure
                throw new IOException(file + ": not a readable row file: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /**
     * @param value an attribute's value as jhdf gives it, or null
     * @return the number it holds: a number, or the one element of a one-element array (h5py stores either);
     *     null for anything else
     */
    private static Number numberOf(Object value) {
        Object v = value != null && value.getClass().isArray() && Array.getLength(value) == 1
                ? Array.get(value, 0) : value;
        return v instanceof Number n ? n : null;
    }

    /**
     * @param value an attribute's value as jhdf gives it, or null
     * @param min the least value accepted
     * @param max the greatest value accepted
     * @return the whole number in {@code min..max} it holds ({@link #numberOf}), or empty for anything else
     */
    public static OptionalLong wholeNumber(Object value, long min, long max) {
        Number n = numberOf(value);
        if (n == null) {
            return OptionalLong.empty();
        }
        double d = n.doubleValue();
        return d == Math.rint(d) && d >= min && d <= max ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
    }

    /**
     * @param value an attribute's value as jhdf gives it, or null
     * @return it as an error message shows it: {@code 'value'}, "an array of n values" or "missing"
     */
    public static String shown(Object value) {
        if (value == null) {
            return "missing";
        }
        if (value.getClass().isArray()) {
            return "an array of " + Array.getLength(value) + " values";
        }
        String text = String.valueOf(value);
        return "'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
    }

    /** @return the divisor of int16 rows: the {@code scale} attribute when it is a number in 1..2^31, else 32767 */
    private double int16Scale(Object value) throws IOException {
        if (value == null) {
            return 32767;
        }
        Number n = numberOf(value);
        if (n != null && n.doubleValue() >= 1 && n.doubleValue() <= Integer.MAX_VALUE) {
            return n.doubleValue();
        }
        throw new IOException(file + ": the int16 rows' attribute scale is " + shown(value)
                + ", not a number in 1..2^31");
    }

    /** @return whether the rows are stored as int16 (read back divided by {@link #int16Scale()}) */
    public boolean int16() {
        return int16Scale > 0;
    }

    /** @return the divisor of int16 rows, or 0 when the rows are floating point */
    public double int16Scale() {
        return int16Scale;
    }

    /**
     * The seed wrote {@code size} as a scalar; h5py also stores a one-element array when given one.
     *
     * @param value the attribute's value as jhdf gives it, or null if absent
     * @param rows the main dataset's first dimension, the size when there is no attribute
     */
    private long sizeAttribute(Object value, long rows) throws IOException {
        if (value == null) {
            return rows;
        }
        OptionalLong size = wholeNumber(value, 0, MAX_ROWS);
        if (size.isPresent()) {
            return size.getAsLong();
        }
        throw new IOException(file + ": attribute size is " + shown(value) + ", not a whole number of rows in 0.."
                + MAX_ROWS);
    }

    /**
     * @param file an HDF5 file
     * @param mainPath its rows' dataset ({@code wav} or {@code coch})
     * @return a reader
     * @throws IOException if the file is missing or not such a file (the message names it)
     */
    public static RowFileReader open(Path file, String mainPath) throws IOException {
        return open(file, mainPath, "labels", List.of());
    }

    /**
     * @param file an HDF5 file
     * @param mainPath its rows' dataset ({@code waveform} for PANNs)
     * @param labelsPath its multi-hot labels' dataset ({@code target} for PANNs), read by {@link #readLabels}
     * @param extraPaths other datasets of one element or string per row, read by {@link #readString} (absent ones
     *     are left out: {@link #dtype} tells)
     * @return a reader
     * @throws IOException if the file is missing or not such a file (the message names it)
     */
    public static RowFileReader open(Path file, String mainPath, String labelsPath, List<String> extraPaths)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return new RowFileReader(file, mainPath, labelsPath, List.copyOf(extraPaths));
    }

    /**
     * @param path the main dataset's, the labels' or an extra dataset's path given at open
     * @return its type as numpy names it ({@code int16}, {@code uint8}, {@code float32}, {@code S20},
     *     {@code bool} for h5py's FALSE/TRUE enum, {@code enum}, or the HDF5 class), or empty if there is no such
     *     dataset
     */
    public Optional<String> dtype(String path) {
        Column c = columnAt(path);
        return c == null ? Optional.empty() : Optional.of(dtype(c.type()));
    }

    /**
     * @param path the main dataset's, the labels' or an extra dataset's path given at open
     * @return its shape, or empty if there is no such dataset
     */
    public Optional<long[]> dims(String path) {
        Column c = columnAt(path);
        return c == null ? Optional.empty() : Optional.of(c.dims().clone());
    }

    private Column columnAt(String path) {
        if (path.equals(main.path())) {
            return main;
        }
        if (labels != null && path.equals(labels.path())) {
            return labels;
        }
        return extra.get(path);
    }

    private static String dtype(DataType t) {
        if (t instanceof EnumDataType e) {
            Map<Integer, String> names = e.getEnumMapping();
            return t.getSize() == 1 && names.size() == 2 && "FALSE".equals(names.get(0))
                    && "TRUE".equals(names.get(1)) ? "bool" : "enum";
        }
        if (t instanceof FixedPoint f) {
            return (f.isSigned() ? "int" : "uint") + 8 * t.getSize();
        }
        if (t instanceof FloatingPoint) {
            return "float" + 8 * t.getSize();
        }
        if (t instanceof StringData) {
            return "S" + t.getSize();
        }
        return t.getClass().getSimpleName();
    }

    /**
     * @param path a path from the root, {@code a/b}
     * @return its node, or null if no such name exists (a link's target is not followed)
     * @throws IOException if a group on the way cannot be read (a damaged file: not the same as absent)
     */
    private Node find(String path) throws IOException {
        Node node = hdf;
        try {
            for (String part : path.split("/")) {
                if (!(node instanceof Group g)) {
                    return null;
                }
                node = g.getChildren().get(part);
                if (node == null || node instanceof Link) {
                    return null;
                }
            }
            return node;
        } catch (RuntimeException e) {
            throw new IOException(file + ": /" + path + " cannot be read (a damaged file?): " + e.getMessage(), e);
        }
    }

    /**
     * @param path the dataset that is missing
     * @return a hint when the file is another of our layouts (PANNs' {@code waveform}, a cochleagram file's
     *     {@code coch}, another feature's dataset with its {@code feature} attribute, a waveform file's {@code wav}
     *     where a feature's rows were asked for), else empty
     */
    private String otherLayout(String path) {
        try {
            Map<String, Node> root = hdf.getChildren();
            boolean panns = path.equals("waveform") || path.equals("target") || path.equals("audio_name");
            if (root.get("wav") instanceof Dataset && panns) { // PANNs' rows asked of a seed-layout file
                return " (this is a seed-layout waveform file, /wav: WaveformFileReader reads it)";
            }
            if (root.get("wav") instanceof Dataset && !path.equals("wav") && !path.equals("labels")
                    && !path.contains("/")) { // a feature's rows asked of a waveform file
                return " (this is a waveform file, /wav: give the cochleagram file computed from it, which"
                        + " 'audioset cochleagram --in' makes)";
            }
            if (root.get("waveform") instanceof Dataset && root.get("audio_name") instanceof Dataset) {
                return " (this is a PANNs file, /waveform: features are computed from the seed layout,"
                        + " WaveformLayout.SEED, made by pack --format seed)";
            }
            if (root.get("coch") instanceof Dataset) {
                return " (this is a cochleagram file, /coch: give the waveform file it was computed from)";
            }
            for (Map.Entry<String, Node> e : root.entrySet()) { // another extractor's rows, under its own name
                if (e.getValue() instanceof Dataset d && d.getAttribute("feature") != null) {
                    return " (this is a feature file whose rows are in /" + e.getKey()
                            + ": CochleagramFileReader.open(file, \"" + e.getKey() + "\") reads them)";
                }
            }
        } catch (RuntimeException e) { // a damaged root: no hint
            return "";
        }
        return "";
    }

    private Column column(String path, boolean required) throws IOException {
        Node node = find(path);
        if (!(node instanceof Dataset d)) {
            if (required) {
                throw new IOException(file + ": no dataset /" + path + otherLayout(path));
            }
            return null;
        }
        try {
            return column(path, d);
        } catch (RuntimeException e) {
            throw new IOException(file + ": /" + path + " cannot be read (a damaged file?): " + e.getMessage(), e);
        }
    }

    private Column column(String path, Dataset d) throws IOException {
        Dataset sliced = null;
        if (!(d instanceof ContiguousDataset)) {
            if (!ReservedDataset.canSlice(d)) {
                throw new IOException(file + ": /" + path + " has a layout this reader cannot read ("
                        + d.getDataLayout() + ")");
            }
            sliced = d;
        }
        long[] dims = d.getDimensionsAsLong();
        long rows = dims.length == 0 ? 1 : dims[0];
        DataType type = d.getDataType();
        long elementSize = type.getSize();
        long perRow = 1;
        for (int i = 1; i < dims.length; i++) {
            if (dims[i] < 0 || dims[i] > MAX_ROW_BYTES || perRow * dims[i] * elementSize > MAX_ROW_BYTES) {
                throw new IOException(file + ": /" + path + " has rows of shape " + java.util.Arrays.toString(
                        java.util.Arrays.copyOfRange(dims, 1, dims.length)) + ", more than " + (MAX_ROW_BYTES >> 20)
                        + " MB each: not a data set of clips");
            }
            perRow *= dims[i];
        }
        long maxElement = type instanceof StringData ? MAX_STRING_BYTES : MAX_ROW_BYTES;
        if (elementSize < 1 || elementSize > maxElement || perRow * elementSize > MAX_ROW_BYTES) {
            throw new IOException(file + ": /" + path + " has elements of " + elementSize + " bytes, not in 1.."
                    + maxElement);
        }
        if (rows < 0 || rows > MAX_ROWS) {
            throw new IOException(file + ": /" + path + " declares " + rows + " rows, not in 0.." + MAX_ROWS);
        }
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        if (type instanceof FloatingPoint f) {
            order = f.getByteOrder();
        } else if (type instanceof FixedPoint f) {
            order = f.getByteOrder();
        }
        long rowBytes = perRow * elementSize;
        // A contiguous dataset never written has no storage (h5py allocates it at the first write): h5py reads
        // it as its fill value. Only a fill value of 0 (h5py's default) is read; such a column has address -1.
        boolean unwritten = sliced == null && d.isEmpty();
        if (unwritten && rows > 0 && rowBytes > 0 && !isZero(d.getFillValue())) {
            throw new IOException(file + ": /" + path + " was never written and its fill value is "
                    + shown(d.getFillValue()) + ": only a fill value of 0 is read");
        }
        long address = sliced != null ? 0 : unwritten ? -1
                : ((ContiguousDataset) d).getDataAddress() + hdf.getUserBlockSize();
        long fileSize = channel.size();
        if (sliced == null && !d.isEmpty() && rows > 0 && rowBytes > 0
                && (address < 0 || address > fileSize || rows > (fileSize - address) / rowBytes)) {
            throw new IOException(file + ": /" + path + " declares " + rows + " rows of " + rowBytes + " bytes at byte "
                    + address + ", beyond the file's end (" + fileSize + " bytes): a truncated or damaged file");
        }
        return new Column(path, address, rows, rowBytes, (int) elementSize, type, order, sliced, dims);
    }

    /**
     * Refuses a column whose first {@code rows} rows are mostly not stored in the file (see
     * {@link #MAX_UNSTORED_BYTES}): a contiguous dataset never written, or a chunked one whose chunks were never
     * written. Compact datasets hold their data in their header.
     */
    private void checkStored(Column c, long rows) throws IOException {
        if (rows == 0 || c.rowBytes() == 0) {
            return;
        }
        String missing = null;
        if (c.sliced() == null && c.address() < 0) {
            if (rows * c.rowBytes() > MAX_UNSTORED_BYTES) { // both checked at open: no overflow
                missing = "none of them is stored (the dataset was never written)";
            }
        } else if (c.sliced() instanceof ChunkedDataset chunked) {
            long needed = ReservedDataset.chunksHolding(chunked, rows);
            long stored = ReservedDataset.storedChunks(chunked, rows);
            long chunkBytes = c.elementSize();
            for (int n : chunked.getChunkDimensions()) {
                chunkBytes *= n;
            }
            if ((double) (needed - stored) * chunkBytes > MAX_UNSTORED_BYTES) {
                missing = "only " + stored + " of the " + needed + " chunks of " + Arrays.toString(
                        chunked.getChunkDimensions()) + " holding them are stored";
            }
        }
        if (missing != null) {
            throw new IOException(file + ": /" + c.path() + " declares " + rows + " rows of " + c.rowBytes()
                    + " bytes, but " + missing + ": more than " + (MAX_UNSTORED_BYTES >> 20) + " MB would be read as"
                    + " zeros (a damaged file, or one that declares rows it does not hold)");
        }
    }

    /**
     * @param fill a dataset's fill value as jhdf gives it, or null when it has none (then h5py reads 0)
     * @return whether it is 0: null, a zero number, false, an empty or all-NUL string, or an array of such values
     */
    private static boolean isZero(Object fill) {
        if (fill == null) {
            return true;
        }
        if (fill.getClass().isArray()) {
            for (int i = 0, n = Array.getLength(fill); i < n; i++) {
                if (!isZero(Array.get(fill, i))) {
                    return false;
                }
            }
            return true;
        }
        if (fill instanceof String text) {
            return text.chars().allMatch(ch -> ch == 0);
        }
        return fill instanceof Number n ? n.doubleValue() == 0 : Boolean.FALSE.equals(fill);
    }

    /** @return the file */
    public Path file() {
        return file;
    }

    /**
     * @param name a root attribute
     * @return its value (a Long, Integer, Double, String or array), or null if absent
     */
    public Object attribute(String name) {
        return rootAttributes.get(name);
    }

    /** @return the main dataset's attributes, names to values (read at open) */
    public Map<String, Object> mainAttributes() {
        return new LinkedHashMap<>(mainAttributes);
    }

    /** @return the rows filled: the {@code size} attribute, else the dataset's first dimension */
    public long size() {
        return size;
    }

    /** @return the main dataset's first dimension (the seed's files may have more rows than {@code size}) */
    public long capacity() {
        return main.rows();
    }

    /** @return values per row */
    public int rowLength() {
        return Math.toIntExact(main.rowBytes() / main.elementSize());
    }

    private void check(long row) {
        if (row < 0 || row >= size) {
            throw new IndexOutOfBoundsException(file + ": row " + row + " not in 0.." + (size - 1));
        }
    }

    /** A read after {@link #close()} would throw a ClosedChannelException without a message, or jhdf's error. */
    private void ensureOpen() throws IOException {
        if (!channel.isOpen()) {
            throw new IOException(file + ": read after the reader was closed");
        }
    }

    /**
     * Fills {@code into} (from position 0 to its limit, a whole number of rows) with rows {@code row, ...} of
     * {@code c} and flips it.
     */
    private void readRows(Column c, long row, ByteBuffer into) throws IOException {
        ensureOpen();
        if (c.sliced() == null && c.address() < 0) { // never written: its fill value, 0 (checked at open)
            into.put(new byte[into.remaining()]).flip();
            return;
        }
        if (c.sliced() == null) {
            long at = c.address() + row * c.rowBytes();
            while (into.hasRemaining()) {
                if (channel.read(into, at + into.position()) < 0) {
                    throw new IOException(file + ": truncated at byte " + (at + into.position()));
                }
            }
            into.flip();
            return;
        }
        long[] dims = c.dims();
        long[] offset = new long[dims.length];
        int[] shape = new int[dims.length];
        for (int i = 1; i < dims.length; i++) {
            shape[i] = (int) dims[i]; // checked at open: a row is at most MAX_ROW_BYTES
        }
        if (dims.length > 0) {
            offset[0] = row;
            shape[0] = Math.toIntExact(into.remaining() / c.rowBytes());
        }
        ByteBuffer data;
        try {
            data = ReservedDataset.slice(c.sliced(), offset, shape);
        } catch (RuntimeException e) { // jhdf's errors on damaged chunks are not all HdfExceptions
            throw new IOException(file + ": cannot read /" + c.path() + (BoundedInflate.unsupportedFilter(e) ? ""
                    : " (" + c.sliced().getDataLayout() + ")") + ": " + BoundedInflate.reason(e), e);
        }
        data = data.duplicate();
        data.limit(data.position() + into.remaining());
        into.put(data);
        into.flip();
    }

    /**
     * @param row {@code 0 <= row < size()}
     * @param into receives {@link #rowLength()} values
     * @throws IOException if reading fails
     */
    public void readRow(long row, float[] into) throws IOException {
        check(row);
        if (into.length < rowLength()) {
            throw new IllegalArgumentException(file + ": an array of " + into.length + " values cannot hold row " + row
                    + " of " + rowLength());
        }
        rowBuffer.clear();
        readRows(main, row, rowBuffer);
        if (int16Scale > 0) {
            ShortBuffer values = rowBuffer.asShortBuffer();
            for (int i = 0, n = rowLength(); i < n; i++) {
                into[i] = (float) (values.get(i) / int16Scale);
            }
        } else if (main.elementSize() == Float.BYTES) {
            rowBuffer.asFloatBuffer().get(into, 0, rowLength());
        } else {
            DoubleBuffer values = rowBuffer.asDoubleBuffer();
            for (int i = 0, n = rowLength(); i < n; i++) {
                into[i] = (float) values.get(i);
            }
        }
    }

    /**
     * @param row {@code 0 <= row < size()}
     * @param into receives {@link #rowLength()} values, exactly as stored
     * @throws IOException if reading fails or the rows are not int16
     */
    public void readRow(long row, short[] into) throws IOException {
        check(row);
        if (int16Scale == 0) {
            throw new IOException(file + ": /" + main.path() + " is not int16");
        }
        if (into.length < rowLength()) {
            throw new IllegalArgumentException(file + ": an array of " + into.length + " values cannot hold row " + row
                    + " of " + rowLength());
        }
        rowBuffer.clear();
        readRows(main, row, rowBuffer);
        rowBuffer.asShortBuffer().get(into, 0, rowLength());
    }

    /**
     * @param path a fixed-length string dataset given at open (e.g. {@code audio_name})
     * @param row {@code 0 <= row < size()}
     * @return the row's value, without trailing NULs and spaces
     * @throws IOException if reading fails or the dataset is missing or not a fixed-length string
     */
    public String readString(String path, long row) throws IOException {
        check(row);
        Column c = extra.get(path);
        if (c == null) {
            throw new IOException(file + ": no /" + path);
        }
        return string(c, row);
    }

    /**
     * The rows a block read of a column reads at once: as many as fit {@link #MAX_BLOCK_BYTES} (at least one), a
     * multiple of the rows of the column's chunks when it is chunked and a chunk's rows fit, so that each chunk is
     * read and decompressed once per block rather than once per row; never more than {@link #size()} (but at least
     * one).
     *
     * @param path the labels' or an extra dataset's path given at open, or the main dataset's
     * @return the rows per block read of that column
     * @throws IOException if there is no such dataset
     */
    public int blockRows(String path) throws IOException {
        Column c = columnAt(path);
        if (c == null) {
            throw new IOException(file + ": no /" + path);
        }
        long rows = Math.max(1, MAX_BLOCK_BYTES / Math.max(1, c.rowBytes()));
        if (c.sliced() instanceof ChunkedDataset chunked) {
            int[] chunk;
            try {
                chunk = chunked.getChunkDimensions();
            } catch (RuntimeException e) {
                throw new IOException(file + ": /" + path + " cannot be read (a damaged file?): " + e.getMessage(), e);
            }
            long chunkRows = chunk.length == 0 ? 1 : Math.max(1, chunk[0]);
            if (chunkRows <= rows) {
                rows = rows / chunkRows * chunkRows;
            }
        }
        return (int) Math.max(1, Math.min(rows, size));
    }

    /**
     * Reads rows {@code row .. row + count - 1} of a column at once (one positional read, or one jhdf slice that
     * reads each chunk once).
     *
     * @return their bytes, {@code count * rowBytes}, in the file's byte order
     */
    private ByteBuffer block(Column c, long row, int count) throws IOException {
        if (row < 0 || count < 0 || row > size - count) {
            throw new IndexOutOfBoundsException(file + ": rows " + row + " + " + count + " not in 0.." + (size - 1));
        }
        if (count > 1 && (long) count * c.rowBytes() > MAX_BLOCK_BYTES) { // rowBytes <= MAX_ROW_BYTES: no overflow
            throw new IllegalArgumentException(file + ": a block of " + count + " rows of /" + c.path() + " is "
                    + (long) count * c.rowBytes() + " bytes, more than " + (MAX_BLOCK_BYTES >> 20) + " MB");
        }
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(count * c.rowBytes())).order(c.order());
        if (count > 0 && c.rowBytes() > 0) {
            readRows(c, row, b);
        }
        return b;
    }

    /**
     * The same values as {@link #readString} of each row, read at once.
     *
     * @param path a fixed-length string dataset given at open (e.g. {@code audio_name})
     * @param row the first row, {@code 0 <= row <= size() - count}
     * @param count the rows: {@code count * element size} at most {@link #MAX_BLOCK_BYTES} ({@link #blockRows} gives
     *     such a count)
     * @return each row's value, without trailing NULs and spaces
     * @throws IOException if reading fails or the dataset is missing or not a fixed-length string
     */
    public String[] readStrings(String path, long row, int count) throws IOException {
        Column c = extra.get(path);
        if (c == null) {
            throw new IOException(file + ": no /" + path);
        }
        if (!(c.type() instanceof StringData)) {
            throw new IOException(file + ": /" + c.path() + " is not a fixed-length string");
        }
        ByteBuffer b = block(c, row, count);
        String[] out = new String[count];
        int width = Math.toIntExact(c.rowBytes());
        for (int i = 0; i < count; i++) {
            out[i] = decode(b.array(), i * width, width);
        }
        return out;
    }

    /** @return the string of {@code width} bytes at {@code from}, up to its first NUL, without trailing spaces */
    private static String decode(byte[] bytes, int from, int width) {
        int n = 0;
        while (n < width && bytes[from + n] != 0) {
            n++;
        }
        return new String(bytes, from, n, StandardCharsets.UTF_8).stripTrailing();
    }

    /** @return the number of labels per row, or 0 without {@code /labels} */
    public int labelCount() {
        return labels == null ? 0 : Math.toIntExact(labels.rowBytes());
    }

    /**
     * @param row {@code 0 <= row < size()}
     * @return its multi-hot labels, 0 or 1 each (h5py's bool labels included)
     * @throws IOException if reading fails or the file has no {@code /labels}
     */
    public byte[] readLabels(long row) throws IOException {
        check(row);
        if (labels == null || labels.elementSize() != 1) {
            throw new IOException(file + ": no one-byte /" + (labels == null ? "labels" : labels.path()) + " dataset");
        }
        ByteBuffer b = ByteBuffer.allocate(labelCount());
        readRows(labels, row, b);
        byte[] out = new byte[labelCount()];
        b.get(out);
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (out[i] != 0 ? 1 : 0);
        }
        return out;
    }

    /**
     * The same values as {@link #readLabels(long)} of each row, read at once.
     *
     * @param row the first row, {@code 0 <= row <= size() - count}
     * @param count the rows: {@code count * labelCount()} at most {@link #MAX_BLOCK_BYTES} ({@link #blockRows} gives
     *     such a count)
     * @return their multi-hot labels, 0 or 1 each, row after row ({@code count * labelCount()} values)
     * @throws IOException if reading fails or the file has no one-byte labels dataset
     */
    public byte[] readLabels(long row, int count) throws IOException {
        if (labels == null || labels.elementSize() != 1) {
            throw new IOException(file + ": no one-byte /" + (labels == null ? "labels" : labels.path()) + " dataset");
        }
        byte[] out = block(labels, row, count).array();
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (out[i] != 0 ? 1 : 0);
        }
        return out;
    }

    /** @return whether the file has {@code /meta} (the seed's files do not) */
    public boolean hasMetadata() {
        return meta.containsKey("ytid");
    }

    /**
     * @param name a column of {@code /meta}
     * @return whether the file has it
     */
    public boolean hasMetaColumn(String name) {
        return meta.containsKey(name);
    }

    /**
     * @param name a fixed-length string column of {@code /meta} (e.g. {@code ytid})
     * @param row {@code 0 <= row < size()}
     * @return the row's value, without trailing NULs and spaces
     * @throws IOException if reading fails or the column is missing or not a string
     */
    public String metaString(String name, long row) throws IOException {
        check(row);
        return string(name, row);
    }

    /**
     * @param name a numeric column of {@code /meta} (e.g. {@code start})
     * @param row {@code 0 <= row < size()}
     * @return the row's value
     * @throws IOException if reading fails or the column is missing
     */
    public double metaNumber(String name, long row) throws IOException {
        check(row);
        return number(name, row);
    }

    private ByteBuffer element(String name, long row) throws IOException {
        Column c = meta.get(name);
        if (c == null) {
            throw new IOException(file + ": no /meta/" + name);
        }
        return element(c, row);
    }

    private ByteBuffer element(Column c, long row) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(c.rowBytes())).order(c.order());
        readRows(c, row, b);
        return b;
    }

    private String string(String name, long row) throws IOException {
        Column c = meta.get(name);
        if (c == null) {
            throw new IOException(file + ": no /meta/" + name);
        }
        return string(c, row);
    }

    private String string(Column c, long row) throws IOException {
        if (!(c.type() instanceof StringData)) {
            throw new IOException(file + ": /" + c.path() + " is not a fixed-length string");
        }
        ByteBuffer b = element(c, row);
        return decode(b.array(), 0, b.limit());
    }

    private double number(String name, long row) throws IOException {
        ByteBuffer b = element(name, row);
        DataType t = meta.get(name).type();
        if (t instanceof FloatingPoint) {
            return t.getSize() == 8 ? b.getDouble(0) : b.getFloat(0);
        }
        return switch (t.getSize()) {
            case 1 -> b.get(0);
            case 2 -> b.getShort(0);
            case 4 -> b.getInt(0);
            default -> b.getLong(0);
        };
    }

    /**
     * Reads a whole small float32 dataset (e.g. the average cochleagram).
     *
     * @param path its path
     * @return its values, row-major
     * @throws IOException if it is missing or not float32
     */
    public float[] readSmall(String path) throws IOException {
        ensureOpen();
        Column c = column(path, true);
        if (!(c.type() instanceof FloatingPoint) || c.elementSize() != Float.BYTES) {
            throw new IOException(file + ": /" + path + " is not float32");
        }
        if (c.rows() * c.rowBytes() > MAX_SMALL_BYTES) { // both checked at open: no overflow
            throw new IOException(file + ": /" + path + " has " + c.rows() * c.rowBytes() + " bytes, more than "
                    + (MAX_SMALL_BYTES >> 20) + " MB");
        }
        ByteBuffer b = ByteBuffer.allocate((int) (c.rows() * c.rowBytes())).order(c.order());
        readRows(c, 0, b);
        float[] out = new float[b.remaining() / Float.BYTES];
        b.asFloatBuffer().get(out);
        return out;
    }

    /**
     * @param path a dataset path
     * @return its shape
     * @throws IOException if there is no such dataset
     */
    public long[] shape(String path) throws IOException {
        if (!(find(path) instanceof Dataset d)) {
            throw new IOException(file + ": no dataset /" + path);
        }
        try {
            return d.getDimensionsAsLong();
        } catch (RuntimeException e) {
            throw new IOException(file + ": /" + path + " cannot be read (a damaged file?): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            hdf.close();
        } finally {
            channel.close();
        }
    }
}
