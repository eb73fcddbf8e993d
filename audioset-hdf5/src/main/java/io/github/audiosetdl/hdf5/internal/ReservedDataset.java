package io.github.audiosetdl.hdf5.internal;

import io.jhdf.AbstractWritableNode;
import io.jhdf.ObjectHeader;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.NodeType;
import io.jhdf.api.WritableDataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.dataset.CompactDataset;
import io.jhdf.dataset.DatasetBase;
import io.jhdf.dataset.chunked.Chunk;
import io.jhdf.dataset.chunked.ChunkedDatasetBase;
import io.jhdf.filter.PipelineFilterWithData;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.message.AttributeInfoMessage;
import io.jhdf.object.message.AttributeMessage;
import io.jhdf.object.message.DataLayout;
import io.jhdf.object.message.DataLayoutMessage.ContiguousDataLayoutMessage;
import io.jhdf.object.message.DataSpace;
import io.jhdf.object.message.DataSpaceMessage;
import io.jhdf.object.message.DataTypeMessage;
import io.jhdf.object.message.FillValueMessage;
import io.jhdf.object.message.Message;
import io.jhdf.storage.HdfFileChannel;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A contiguous dataset whose data the project places itself: jhdf writes only its object header
 * (type, shape, a layout pointing at {@code address}, attributes); the bytes at {@code address}
 * are written by the caller with a {@code FileChannel}, before or after jhdf's flush. Also the one
 * place that reads slices of a chunked dataset ({@link #slice}).
 *
 * <p><b>The only class that uses jhdf's internals</b> ({@code AbstractWritableNode.write},
 * {@code ObjectHeader}, the {@code object.message} classes, {@code HdfFileChannel}, {@code DatasetBase}, and
 * {@code ChunkedDatasetBase}'s chunk index in {@link #storedChunks}):
 * every other class uses {@code io.jhdf.api}, {@code HdfFile}, {@code WritableHdfFile} and the data types
 * the API returns. Those internals are not jhdf's public API and change between its releases, which is why
 * the root pom pins jhdf to one exact version: a jhdf upgrade is checked here first, then by the module's
 * write-and-read-back and h5py/h5dump tests.
 */
final class ReservedDataset extends AbstractWritableNode implements WritableDataset {
    /** jhdf's chunk index of a chunked dataset, offsets to chunks: a protected method. */
    private static final Method CHUNK_LOOKUP;

    static {
        try {
            CHUNK_LOOKUP = ChunkedDatasetBase.class.getDeclaredMethod("getChunkLookup");
            CHUNK_LOOKUP.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final DataType dataType;
    private final long[] dimensions;
    private final long address;
    private final Object template;
    private long headerEnd = -1;

    /**
     * @param parent the group the dataset is put in
     * @param name its name
     * @param dataType its element type
     * @param template a one-element array of the dataset's rank (e.g. {@code new float[1][1]}),
     *     from which jhdf derives the dataspace encoding
     * @param dimensions the shape
     * @param address where the data lives in the file, in bytes
     */
    ReservedDataset(Group parent, String name, DataType dataType, Object template, long[] dimensions, long address) {
        super(parent, name);
        this.dataType = dataType;
        this.dimensions = dimensions.clone();
        this.address = address;
        this.template = template;
    }

    /** @return the end of the object header jhdf asked this node to write, or -1 before the flush */
    long headerEnd() {
        return headerEnd;
    }

    /** @return the data size in bytes */
    long dataBytes() {
        long n = dataType.getSize();
        for (long d : dimensions) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public long write(HdfFileChannel channel, long position) {
        List<Message> messages = new ArrayList<>();
        messages.add(DataTypeMessage.create(dataType));
        messages.add(DataSpaceMessage.create(DataSpace.modifyDimensions(DataSpace.fromObject(template), dimensions)));
        messages.add(FillValueMessage.NO_FILL);
        messages.add(ContiguousDataLayoutMessage.create(address, dataBytes()));
        Map<String, Attribute> attributes = getAttributes();
        if (!attributes.isEmpty()) {
            messages.add(AttributeInfoMessage.create());
            for (Map.Entry<String, Attribute> a : attributes.entrySet()) {
                messages.add(AttributeMessage.create(a.getKey(), a.getValue()));
            }
        }
        ByteBuffer header = new ObjectHeader.ObjectHeaderV2(position, messages).toBuffer();
        int size = header.limit();
        channel.write(header, position);
        headerEnd = position + size;
        // jhdf writes its info string at the channel position after the flush: keep it in the header area
        channel.position(headerEnd);
        return headerEnd;
    }

    @Override
    public long getSize() {
        long n = 1;
        for (long d : dimensions) {
            n *= d;
        }
        return n;
    }

    @Override
    public long getSizeInBytes() {
        return dataBytes();
    }

    @Override
    public long getStorageInBytes() {
        return dataBytes();
    }

    @Override
    public int[] getDimensions() {
        int[] dims = new int[dimensions.length];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = Math.toIntExact(dimensions[i]);
        }
        return dims;
    }

    @Override
    public long[] getDimensionsAsLong() {
        return dimensions.clone();
    }

    @Override
    public boolean isScalar() {
        return false;
    }

    @Override
    public boolean isEmpty() {
        return getSize() == 0;
    }

    @Override
    public boolean isCompound() {
        return false;
    }

    @Override
    public boolean isVariableLength() {
        return false;
    }

    @Override
    public long[] getMaxSize() {
        return dimensions.clone();
    }

    @Override
    public DataLayout getDataLayout() {
        return DataLayout.CONTIGUOUS;
    }

    @Override
    public Object getData() {
        throw new UnsupportedOperationException("write-only dataset " + getPath());
    }

    @Override
    public Object getDataFlat() {
        throw new UnsupportedOperationException("write-only dataset " + getPath());
    }

    @Override
    public Object getData(long[] sliceOffset, int[] sliceDimensions) {
        throw new UnsupportedOperationException("write-only dataset " + getPath());
    }

    @Override
    public Class<?> getJavaType() {
        return dataType.getJavaType();
    }

    @Override
    public DataType getDataType() {
        return dataType;
    }

    @Override
    public Object getFillValue() {
        return null;
    }

    @Override
    public List<PipelineFilterWithData> getFilters() {
        return List.of();
    }

    @Override
    public NodeType getType() {
        return NodeType.DATASET;
    }

    @Override
    public boolean isGroup() {
        return false;
    }

    @Override
    public long getAddress() {
        throw new UnsupportedOperationException("address not known before the flush: " + getPath());
    }

    @Override
    public boolean isLink() {
        return false;
    }

    @Override
    public boolean isAttributeCreationOrderTracked() {
        return false;
    }

    /**
     * @param d a dataset that is not contiguous
     * @return whether {@link #slice} can read it (jhdf's chunked and compact datasets)
     */
    static boolean canSlice(Dataset d) {
        return d instanceof DatasetBase;
    }

    /**
     * Counts the chunks of a chunked dataset that are stored in the file among those holding its first
     * {@code rows} rows. A chunk that was never written is not stored (HDF5 and h5py read it as the fill value),
     * so a small file can declare any number of such rows: jhdf reads them as zeros, one at a time.
     *
     * @param d a chunked dataset of rank 1 or more
     * @param rows the rows that matter, {@code [0, rows)}
     * @return how many chunks whose offset is a multiple of the chunk shape, within the dataset, and below
     *     {@code rows} on the first axis, are stored: all of them when it equals {@link #chunksHolding}
     */
    static long storedChunks(ChunkedDataset d, long rows) {
        if (!(d instanceof ChunkedDatasetBase)) { // not jhdf's: its chunks cannot be listed
            return chunksHolding(d, rows);
        }
        Map<?, ?> lookup;
        try {
            lookup = (Map<?, ?>) CHUNK_LOOKUP.invoke(d);
        } catch (InvocationTargetException e) { // the index could not be read: jhdf's error
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("jhdf's chunk index is not accessible (another jhdf version?)", e);
        }
        long[] dims = d.getDimensionsAsLong();
        int[] shape = d.getChunkDimensions();
        long stored = 0;
        for (Object value : lookup.values()) {
            long[] offset = ((Chunk) value).getChunkOffset();
            boolean counts = offset.length == dims.length && offset.length > 0 && offset[0] < rows;
            for (int i = 0; counts && i < offset.length; i++) {
                counts = offset[i] >= 0 && offset[i] < dims[i] && offset[i] % shape[i] == 0;
            }
            stored += counts ? 1 : 0;
        }
        return stored;
    }

    /**
     * @param d a chunked dataset of rank 1 or more
     * @param rows the rows that matter, {@code [0, rows)}
     * @return the chunks that hold them (a product of at most 2^26 rows and dimensions of at most 2^26: no overflow
     *     for the datasets {@code RowFileReader} accepts)
     */
    static long chunksHolding(ChunkedDataset d, long rows) {
        long[] dims = d.getDimensionsAsLong();
        int[] shape = d.getChunkDimensions();
        long n = (rows + shape[0] - 1) / shape[0];
        for (int i = 1; i < dims.length; i++) {
            n = Math.multiplyExact(n, (dims[i] + shape[i] - 1) / shape[i]);
        }
        return n;
    }

    /**
     * @param d a dataset for which {@link #canSlice} holds
     * @param offset the first element, per dimension
     * @param shape the elements to read, per dimension
     * @return the raw bytes of that slice, in the file's byte order (gzip chunks decoded on this thread, each bounded
     *     to its chunk's size by {@link BoundedInflate})
     */
    static ByteBuffer slice(Dataset d, long[] offset, int[] shape) {
        if (d instanceof CompactDataset compact) { // jhdf slices no compact dataset: its data (< 64 kB) is whole
            return compactRows(compact, offset, shape);
        }
        return BoundedInflate.read(d, () -> ((DatasetBase) d).getSliceDataBuffer(offset, shape));
    }

    /**
     * @return the bytes of whole rows {@code offset[0] ..} of a compact dataset ({@code shape[i]} the dataset's own
     *     dimension {@code i} for {@code i >= 1}, as {@code RowFileReader} reads them)
     */
    private static ByteBuffer compactRows(CompactDataset d, long[] offset, int[] shape) {
        long[] dims = d.getDimensionsAsLong();
        long rowBytes = d.getDataType().getSize();
        for (int i = 1; i < dims.length; i++) {
            if (offset[i] != 0 || shape[i] != dims[i]) {
                throw new UnsupportedOperationException("only whole rows of a compact dataset are read");
            }
            rowBytes *= dims[i];
        }
        ByteBuffer all = d.getDataBuffer();
        long from = offset.length == 0 ? 0 : offset[0] * rowBytes;
        long length = offset.length == 0 ? rowBytes : shape[0] * rowBytes;
        if (from < 0 || from + length > all.remaining()) {
            throw new IllegalArgumentException("rows " + offset[0] + " + " + shape[0] + " are beyond the "
                    + all.remaining() + " bytes of the compact dataset");
        }
        return all.slice(all.position() + (int) from, (int) length).order(all.order());
    }
}
