package io.github.audiosetdl.hdf5;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.hdf5.internal.ChannelOpener;
import io.github.audiosetdl.hdf5.internal.MetadataNpy;
import io.github.audiosetdl.hdf5.internal.NpyHeader;
import io.github.audiosetdl.hdf5.internal.Staging;
import io.github.audiosetdl.hdf5.internal.WriteFailure;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files without pickle: float32 arrays (e.g. the average cochleagram) and the seed's
 * structured metadata array ({@code <name>_metadata.npy}). Python reads them with
 * {@code np.load(path, allow_pickle=False)}.
 */
public final class NpyFiles {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']+)'");
    /** The most values {@link #readFloat32} reads (1 GiB of floats). */
    public static final int MAX_VALUES = 1 << 28;
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final Pattern FORTRAN_ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");

    private NpyFiles() {
    }

    /**
     * Writes a little-endian float32 array atomically (a temporary name, then a rename).
     *
     * @param file the {@code .npy} file to (re)place
     * @param values the values, row-major
     * @param shape the dimensions; their product must be {@code values.length}
     * @throws IOException if writing fails
     */
    public static void writeFloat32(Path file, float[] values, int... shape) throws IOException {
        writeFloat32(file, ChannelOpener.CREATE_NEW, values, shape);
    }

    /** {@link #writeFloat32(Path, float[], int...)}, the staged file opened by {@code opener}. */
    static void writeFloat32(Path file, ChannelOpener opener, float[] values, int... shape) throws IOException {
        requireNonNull(file, "file");
        NpyFloat32 array = new NpyFloat32(shape, values);
        StringBuilder tuple = new StringBuilder("(");
        for (int d : array.shape()) {
            tuple.append(d).append(", ");
        }
        String text = shape.length == 1 ? "(" + shape[0] + ",)"
                : tuple.substring(0, Math.max(1, tuple.length() - 2)) + ")";
        Staging staging = Staging.beside(file);
        try {
            Path tmp = staging.dir().resolve("array.npy");
            try (FileChannel out = opener.open(tmp)) {
                write(out, MetadataNpy.header("'<f4'", text, 64));
                ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < values.length; ) {
                    b.clear();
                    int n = Math.min(b.capacity() / Float.BYTES, values.length - i);
                    b.asFloatBuffer().put(values, i, n);
                    b.limit(n * Float.BYTES);
                    write(out, b);
                    i += n;
                }
                out.force(true);
            } catch (IOException e) {
                throw WriteFailure.naming(file, "writing", e);
            }
            staging.publish(List.<Path[]>of(new Path[] {tmp, file}));
        } finally {
            staging.delete();
        }
    }

    private static void write(FileChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    /**
     * Reads a float32 array (little- or big-endian, C order).
     *
     * @param file an {@code .npy} file
     * @return its shape and values
     * @throws IOException if it is not a C-order float32 array (the message names the file and dtype), or its
     *     shape declares more values than the file holds or than {@link #MAX_VALUES}
     */
    public static NpyFloat32 readFloat32(Path file) throws IOException {
        requireNonNull(file, "file");
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            NpyHeader h = NpyHeader.read(in, file);
            Matcher descr = DESCR.matcher(h.dict());
            Matcher shape = SHAPE.matcher(h.dict());
            if (!descr.find() || !shape.find()) {
                throw new IOException(file + ": unreadable .npy header: " + h.dict().strip());
            }
            String type = descr.group(1);
            if (!type.equals("<f4") && !type.equals(">f4")) {
                throw new IOException(file + ": dtype " + type + ", expected float32 ('<f4')");
            }
            Matcher order = FORTRAN_ORDER.matcher(h.dict());
            if (!order.find()) {
                throw new IOException(file + ": unreadable .npy header (no fortran_order): " + h.dict().strip());
            }
            if (order.group(1).equals("True")) {
                throw new IOException(file + ": Fortran-order arrays are not supported");
            }
            List<Integer> dims = new ArrayList<>();
            long n = 1;
            for (String part : shape.group(1).split(",")) {
                if (!part.isBlank()) {
                    String dim = part.strip();
                    if (!dim.matches("[0-9]{1,10}") || Long.parseLong(dim) > Integer.MAX_VALUE) {
                        throw new IOException(file + ": shape " + shown(shape.group(1)) + " is not a tuple of"
                                + " sizes 0.." + Integer.MAX_VALUE);
                    }
                    int d = Integer.parseInt(dim);
                    dims.add(d);
                    n = d != 0 && n > Long.MAX_VALUE / 8 / d ? Long.MAX_VALUE / 8 : n * d; // capped: checked below
                }
            }
            int[] shapeArray = dims.stream().mapToInt(Integer::intValue).toArray();
            long available = (in.size() - h.dataOffset()) / Float.BYTES;
            if (n > available || n > MAX_VALUES) {
                throw new IOException(file + ": shape " + shown(shape.group(1)) + " declares " + n + " float32"
                        + " values, but " + (n > available ? "the file holds " + available
                        : "at most " + MAX_VALUES + " are read"));
            }
            float[] values = new float[Math.toIntExact(n)];
            ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(n * Float.BYTES))
                    .order(type.charAt(0) == '<' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            while (b.hasRemaining()) {
                if (in.read(b, h.dataOffset() + b.position()) < 0) {
                    throw new IOException(file + ": truncated: expected " + n + " float32 values");
                }
            }
            b.flip().asFloatBuffer().get(values);
            return new NpyFloat32(shapeArray, values);
        }
    }

    /**
     * Streams the records of a seed metadata file ({@code <name>_metadata.npy}).
     *
     * @param file the file
     * @param each receives each record in order ({@code startSeconds}/{@code endSeconds} are whole
     *     seconds, {@code csvRow} is -1)
     * @return the number of records
     * @throws IOException if it is not a seed metadata array (the message names the file)
     */
    public static long readMetadata(Path file, Consumer<ClipMetadata> each) throws IOException {
        requireNonNull(each, "each");
        return MetadataNpy.read(requireNonNull(file, "file"), (ytid, start, end, labels, norm, padded) ->
                each.accept(new ClipMetadata(ytid, start, end, labels, norm, padded, -1)));
    }

    /** @return a header value for a message: at most 100 characters, control characters as {@code ?} */
    private static String shown(String text) {
        String s = text.length() > 100 ? text.substring(0, 100) + "..." : text;
        return "(" + s.replaceAll("\\p{Cntrl}", "?") + ")";
    }
}
