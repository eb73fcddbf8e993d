package io.github.audiosetdl.hdf5.internal;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.exceptions.HdfFilterException;
import io.jhdf.filter.DeflatePipelineFilter;
import io.jhdf.filter.Filter;
import io.jhdf.filter.FilterManager;
import io.jhdf.filter.PipelineFilterWithData;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The deflate (gzip) filter jhdf decodes chunks with, bounded: jhdf's own inflates a chunk whole, with no bound, into
 * a growing array, then uses only the chunk's size of it (a 262 kB file whose 800-byte chunk held 256 MB of zlib
 * allocated 1 GB and took 10 s per read). Registered in jhdf's {@link FilterManager} in place of jhdf's (same id, 1)
 * when {@link ReadableHdfFile} opens a file. While {@link #read} runs on a thread, the filter stops inflating on that
 * thread as soon as the output exceeds the chunk's size and throws an {@link HdfFilterException} saying so; on any
 * other thread (another jhdf user in the same JVM) it decodes as jhdf's does, which it calls. For valid data the
 * bytes are jhdf's, and so are the errors of a stream that is truncated, needs a dictionary or is invalid (with the
 * reason added). Encoding is jhdf's.
 *
 * <p>Only reads on the calling thread see the bound: jhdf's read of a whole chunked dataset ({@code getData()},
 * {@code getDataBuffer()}) decodes chunks on the common fork-join pool's threads, so our readers read chunked datasets
 * through slices ({@code getData(offset, shape)}, {@code getSliceDataBuffer}), which decode on the calling thread.
 */
public final class BoundedInflate implements Filter {
    /** Bytes jhdf inflates at a time. */
    private static final int STEP = 4096;
    /** The deflate filter's id. */
    private static final int DEFLATE = 1;
    /** The byte-shuffle filter's id: its output is as long as its input. */
    private static final int SHUFFLE = 2;
    /** The Fletcher-32 filter's id: 4 bytes of checksum after the data. */
    private static final int FLETCHER32 = 3;
    /** The most bytes one chunk may inflate to on this thread, or null for no bound (jhdf's behaviour). */
    private static final ThreadLocal<Long> CAP = new ThreadLocal<>();
    /** jhdf's message for a filter it has no decoder for: the name the file gives the filter, its id. */
    private static final Pattern UNAVAILABLE = Pattern.compile(
            "A required filter is not available: name='(.*)' id=(-?\\d+)", Pattern.DOTALL);
    /** The most characters of a filter's name an error shows. */
    private static final int MAX_NAME = 64;

    private final DeflatePipelineFilter jhdf = new DeflatePipelineFilter();

    BoundedInflate() {
    }

    /**
     * Puts this filter, and {@link BoundedDecoders}' LZF, LZ4 and bitshuffle, in jhdf's {@link FilterManager} in
     * place of jhdf's, once per JVM (a thread calling this while
     * another registers it waits until it is registered: a dataset opened meanwhile would keep jhdf's).
     */
    static void register() {
        Registration.done();
    }

    /**
     * @param e what jhdf threw reading a dataset
     * @return whether it is jhdf's refusal of a filter it has no decoder for (its message
     *     {@code A required filter is not available: name='x' id=n})
     */
    public static boolean unsupportedFilter(RuntimeException e) {
        return e instanceof HdfFilterException && e.getMessage() != null && UNAVAILABLE.matcher(e.getMessage())
                .matches();
    }

    /**
     * jhdf's reason for not reading a dataset, for an error message: for a filter it has no decoder for (see
     * {@link #unsupportedFilter}), a sentence naming the filter (its id, and its name as the file gives it, control
     * characters shown as {@code ?}, at most 64 of them); otherwise jhdf's message on one line (or
     * the exception when it has none).
     *
     * @param e what jhdf threw reading a dataset
     * @return the reason, one line
     */
    public static String reason(RuntimeException e) {
        String m = e.getMessage();
        if (m == null) {
            return e.toString();
        }
        Matcher filter = UNAVAILABLE.matcher(m);
        if (!unsupportedFilter(e) || !filter.matches()) {
            return m.replace('\n', ' ');
        }
        String name = filter.group(1).replaceAll("[^\\x20-\\x7e]", "?");
        return "it is stored with HDF5 filter " + filter.group(2) + " ('"
                + name.substring(0, Math.min(name.length(), MAX_NAME)) + "'), which this reader cannot decode"
                + " (it decodes gzip, shuffle, Fletcher-32, LZF, LZ4 and bitshuffle)";
    }

    /** Registers the filter when first used: the JVM runs a class's initialisation once, and others wait for it. */
    private static final class Registration {
        static {
            FilterManager.addFilter(new BoundedInflate());
            for (Filter f : BoundedDecoders.filters()) {
                FilterManager.addFilter(f);
            }
        }

        static void done() {
            // the class is initialised: the filter is registered
        }
    }

    /**
     * Runs a read of {@code dataset} on this thread with each of its gzip chunks bounded to the size it declares (see
     * {@link #cap}); restores the previous bound after.
     *
     * @param dataset a dataset of a file opened by {@link ReadableHdfFile}
     * @param read the read, on this thread (a slice: jhdf decodes a whole dataset on other threads)
     * @param <T> what it returns
     * @return its result
     */
    public static <T> T read(Dataset dataset, Supplier<T> read) {
        return withCap(dataset instanceof ChunkedDataset chunked ? cap(chunked) : null, read);
    }

    /** @return the bound of the read running on this thread (see {@link #cap(ChunkedDataset)}), or null */
    static Long cap() {
        return CAP.get();
    }

    /**
     * @param cap the most bytes a chunk may inflate to on this thread during {@code read}, or null for no bound
     * @param read the read
     * @param <T> what it returns
     * @return its result
     */
    static <T> T withCap(Long cap, Supplier<T> read) {
        Long previous = CAP.get();
        CAP.set(cap);
        try {
            return read.get();
        } finally {
            if (previous == null) {
                CAP.remove();
            } else {
                CAP.set(previous);
            }
        }
    }

    /**
     * The most bytes a deflate filter of this dataset may inflate one chunk to: the chunk's size (the product of its
     * dimensions and the element size); 4 more for each Fletcher-32 checksum the file's filters add before the
     * deflate; when another filter (LZF, LZ4, another deflate...) comes before it, whose output may be somewhat
     * larger than its input, an eighth more and 64 kB.
     *
     * @param dataset a chunked dataset
     * @return the bound, in bytes
     */
    static long cap(ChunkedDataset dataset) {
        long size = dataset.getDataType().getSize();
        try {
            for (int n : dataset.getChunkDimensions()) { // HDF5 stores them unsigned
                size = Math.multiplyExact(size, Integer.toUnsignedLong(n));
            }
        } catch (ArithmeticException e) {
            size = Integer.MAX_VALUE; // no array is larger
        }
        size = Math.min(size, Integer.MAX_VALUE);
        List<PipelineFilterWithData> filters = dataset.getFilters();
        int last = -1;
        for (int i = 0; i < filters.size(); i++) {
            last = filters.get(i).getId() == DEFLATE ? i : last;
        }
        long extra = 0;
        boolean other = false;
        for (int i = 0; i < last; i++) { // applied before the (last) deflate when the file was written
            int id = filters.get(i).getId();
            if (id == FLETCHER32) {
                extra += 4;
            } else if (id != SHUFFLE) {
                other = true;
            }
        }
        return size + extra + (other ? size / 8 + (64 << 10) : 0);
    }

    @Override
    public int getId() {
        return DEFLATE;
    }

    @Override
    public byte[] decode(byte[] encoded, int[] filterData) {
        Long cap = CAP.get();
        if (cap == null) {
            return jhdf.decode(encoded, filterData);
        }
        return inflate(encoded, cap);
    }

    /**
     * @param encoded a zlib stream
     * @param cap the most bytes it may inflate to
     * @return what it inflates to, as jhdf's filter gives it
     * @throws HdfFilterException if it inflates to more than {@code cap} bytes, is truncated, needs a dictionary or
     *     is invalid
     */
    static byte[] inflate(byte[] encoded, long cap) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(encoded);
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(3L * encoded.length, cap));
            byte[] buffer = new byte[STEP];
            long written = 0;
            while (!inflater.finished()) {
                // one byte more than the room left: getting it means the output exceeds the cap
                int n = inflater.inflate(buffer, 0, (int) Math.min(STEP, cap - written + 1));
                if (n == 0) {
                    throw new HdfFilterException("Zero bytes inflated: " + (inflater.needsDictionary()
                            ? "the chunk's zlib stream needs a preset dictionary"
                            : "the chunk's zlib stream ends after " + encoded.length + " bytes, before its end"
                                    + " (a truncated chunk)"));
                }
                if (n > cap - written) {
                    throw new HdfFilterException("a gzip chunk of " + encoded.length + " bytes inflates to more than"
                            + " " + cap + " bytes, the most a chunk of the dataset holds (a damaged or hostile file)");
                }
                out.write(buffer, 0, n);
                written += n;
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new HdfFilterException("Inflating failed: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    @Override
    public byte[] encode(byte[] data, int[] filterData) {
        return jhdf.encode(data, filterData);
    }

    @Override
    public String getName() {
        return jhdf.getName();
    }
}
