package io.github.audiosetdl.hdf5.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seed's {@code _metadata.npy}: a NumPy structured array (no pickle) with the seed's fields and
 * dtypes {@code YTID |S20, start <i4, end <i4, labels |S1000, norm <f8, padded |i1}, streamed to disk
 * with a fixed-size header rewritten at the end with the row count.
 */
public final class MetadataNpy implements Closeable {
    /** The seed's dtype, as NumPy writes it in the header. */
    public static final String DESCR = "[('YTID', '|S20'), ('start', '<i4'), ('end', '<i4'), "
            + "('labels', '|S1000'), ('norm', '<f8'), ('padded', '|i1')]";
    /** Bytes per record. */
    public static final int RECORD = 20 + 4 + 4 + 1000 + 8 + 1;
    private static final int HEADER = 256;
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\((\\d+),?\\)");

    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(RECORD * 64).order(ByteOrder.LITTLE_ENDIAN);
    private long rows;

    private MetadataNpy(Path file) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        channel.position(HEADER);
    }

    /**
     * @param file a new file
     * @return a writer
     * @throws IOException if it cannot be created
     */
    public static MetadataNpy create(Path file) throws IOException {
        return new MetadataNpy(file);
    }

    /** One record of the seed's metadata array, as {@link #read} hands it over. */
    @FunctionalInterface
    public interface Record {
        /**
         * @param ytid the YouTube id
         * @param start the start, in whole seconds
         * @param end the end, in whole seconds
         * @param labels the label MIDs, comma-joined
         * @param norm the peak divided out
         * @param padded whether the clip was zero-padded
         */
        void accept(String ytid, int start, int end, String labels, double norm, boolean padded);
    }

    /**
     * Appends one record.
     *
     * @param ytid the YouTube id
     * @param startSeconds the start, in seconds (truncated to whole seconds, as the seed's {@code int(float(x))})
     * @param endSeconds the end, in seconds (truncated likewise)
     * @param labels the label MIDs, comma-joined
     * @param norm the peak divided out
     * @param padded whether the clip was zero-padded
     * @throws IOException if writing fails or a string does not fit its field (the message names it)
     */
    public void append(String ytid, double startSeconds, double endSeconds, String labels, double norm,
            boolean padded) throws IOException {
        if (buffer.remaining() < RECORD) {
            drain();
        }
        putString(ytid, 20, ytid);
        buffer.putInt((int) startSeconds);
        buffer.putInt((int) endSeconds);
        putString(labels, 1000, ytid);
        buffer.putDouble(norm);
        buffer.put((byte) (padded ? 1 : 0));
        rows++;
    }

    private void putString(String s, int width, String ytid) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        if (b.length > width) {
            throw new IOException(file + ": " + ytid + ": '" + s + "' is longer than the seed's " + width
                    + "-byte field");
        }
        buffer.put(b);
        for (int i = b.length; i < width; i++) {
            buffer.put((byte) 0);
        }
    }

    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    /**
     * Writes the header with the final row count and syncs the file.
     *
     * @throws IOException if writing fails
     */
    public void finish() throws IOException {
        drain();
        ByteBuffer header = header(DESCR, "(" + rows + ",)", HEADER);
        while (header.hasRemaining()) {
            channel.write(header, header.position());
        }
        channel.force(true);
        channel.close();
    }

    /**
     * An NPY version 1.0 header of exactly {@code total} bytes (or the next multiple of 64).
     *
     * @param descr the dtype
     * @param shape the shape tuple, e.g. {@code (3, 4)}
     * @param total the header length wanted, a multiple of 64
     * @return the header bytes
     */
    public static ByteBuffer header(String descr, String shape, int total) {
        String dict = "{'descr': " + descr + ", 'fortran_order': False, 'shape': " + shape + ", }";
        int length = Math.max(total, ((10 + dict.length() + 1 + 63) / 64) * 64);
        StringBuilder sb = new StringBuilder(dict);
        while (10 + sb.length() + 1 < length) {
            sb.append(' ');
        }
        sb.append('\n');
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) (length - 10));
        b.put(sb.toString().getBytes(StandardCharsets.US_ASCII));
        return b.flip();
    }

    /**
     * Reads every record of a metadata file in order, streaming.
     *
     * @param file a {@code _metadata.npy} with the seed's dtype
     * @param each receives each record
     * @return the number of records
     * @throws IOException if the file is not such an array (the message names it)
     */
    public static long read(Path file, Record each) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            NpyHeader h = NpyHeader.read(in, file);
            String dict = h.dict().replaceAll("\\s+", "");
            // the seed's dtype as the value of the one 'descr' key: not merely somewhere in the header (an object
            // array, '|O', with the seed's dtype under another key was read as records)
            int key = dict.indexOf("'descr':");
            String descr = key < 0 || dict.indexOf("'descr':", key + 1) >= 0 ? ""
                    : dict.substring(key + "'descr':".length());
            ByteOrder order;
            if (descr.startsWith(DESCR.replace(" ", ""))) {
                order = ByteOrder.LITTLE_ENDIAN;
            } else if (descr.startsWith(DESCR.replace(" ", "").replace('<', '>'))) {
                order = ByteOrder.BIG_ENDIAN;
            } else {
                throw new IOException(file + ": not a seed metadata array (expected the dtype " + DESCR
                        + ", little- or big-endian): " + h.dict().strip());
            }
            Matcher shape = SHAPE.matcher(h.dict());
            if (!shape.find()) {
                throw new IOException(file + ": expected a 1-D array: " + h.dict().strip());
            }
            String declared = shape.group(1);
            long available = (in.size() - h.dataOffset()) / RECORD;
            if (declared.length() > 18 || Long.parseLong(declared) > available) {
                throw new IOException(file + ": declares " + declared + " records, but the file holds "
                        + available);
            }
            long n = Long.parseLong(declared);
            ByteBuffer b = ByteBuffer.allocate(RECORD).order(order);
            long pos = h.dataOffset();
            for (long i = 0; i < n; i++) {
                b.clear();
                while (b.hasRemaining()) {
                    if (in.read(b, pos + b.position()) < 0) {
                        throw new IOException(file + ": truncated at record " + i + " of " + n);
                    }
                }
                b.flip();
                String ytid = string(b, 20);
                int start = b.getInt();
                int end = b.getInt();
                String labels = string(b, 1000);
                double norm = b.getDouble();
                boolean padded = b.get() != 0;
                each.accept(ytid, start, end, labels, norm, padded);
                pos += RECORD;
            }
            return n;
        }
    }

    private static String string(ByteBuffer b, int width) {
        byte[] bytes = new byte[width];
        b.get(bytes);
        int n = 0;
        while (n < width && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.US_ASCII);
    }

    /** Closes without finishing. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
