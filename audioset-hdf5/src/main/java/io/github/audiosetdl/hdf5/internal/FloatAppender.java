package io.github.audiosetdl.hdf5.internal;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends little-endian float32 (or int16) values to a file from a block-aligned start offset, in large block-aligned
 * batches written with {@code O_DIRECT}, which bypasses the page cache.
 *
 * <p>Why: rows are written once and not read back while packing, and on these machines a buffered write spends
 * most of its time in the kernel, copying into a page cache that is being reclaimed (the 16 kHz pack's writer
 * thread spent 85% of its CPU in {@code ext4_buffered_write_iter}; {@code dd} wrote 432–540 MB/s buffered and
 * 1.3 GB/s with {@code oflag=direct} on the same disk, minutes apart).
 *
 * <p>Where the file system refuses {@code O_DIRECT} (at open or at the first write: tmpfs on older kernels,
 * some network file systems), or the start offset is not aligned, the appender writes through the ordinary
 * channel instead, with the same bytes in the same places. The last, partial block is always written through
 * the ordinary channel at {@link #finish()}.
 *
 * <p>Two staging buffers of {@value #BATCH_BYTES} bytes (off-heap): while one batch is written by a background
 * thread, the caller fills the other, so a row's append waits for the disk only when the disk falls a whole
 * batch behind. Not thread-safe: one caller appends.
 */
final class FloatAppender implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(FloatAppender.class);
    /** Bytes per batch: large enough that a direct write runs at the disk's sequential speed. */
    static final int BATCH_BYTES = 8 << 20;
    private static final int MIN_ALIGN = 4096;

    private final Path file;
    private final FileChannel buffered;
    private final long start;
    private final int align;
    private final ByteBuffer[] staging = new ByteBuffer[2];
    private final FloatBuffer[] stagingFloats = new FloatBuffer[2];
    private final ShortBuffer[] stagingShorts = new ShortBuffer[2];
    private final ExecutorService writer;
    private FileChannel direct;
    /** Set by the write thread when a direct write failed; later batches go through the page cache. */
    private volatile boolean directFailed;
    private Future<?> pending;
    private int current;
    private int filled;
    private long flushed;

    /**
     * @param file the file (for messages and for opening the direct channel)
     * @param buffered an open channel on {@code file}, used for the fallback and the tail; not closed here
     * @param start where the first value goes, in bytes
     * @param tryDirect whether to try {@code O_DIRECT} at all
     */
    FloatAppender(Path file, FileChannel buffered, long start, boolean tryDirect) {
        this.file = file;
        this.buffered = buffered;
        this.start = start;
        this.align = tryDirect ? alignment(file) : MIN_ALIGN;
        this.direct = tryDirect && start % align == 0 ? openDirect(file) : null;
        for (int i = 0; i < 2; i++) {
            staging[i] = ByteBuffer.allocateDirect(BATCH_BYTES + align).alignedSlice(align)
                    .limit(BATCH_BYTES).slice().order(ByteOrder.LITTLE_ENDIAN);
            stagingFloats[i] = staging[i].asFloatBuffer();
            stagingShorts[i] = staging[i].asShortBuffer();
        }
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "audioset-hdf5-write");
            t.setDaemon(true);
            return t;
        });
    }

    private static int alignment(Path file) {
        try {
            long block = Files.getFileStore(file).getBlockSize();
            return block > MIN_ALIGN && block <= BATCH_BYTES && BATCH_BYTES % block == 0 ? (int) block : MIN_ALIGN;
        } catch (IOException | UnsupportedOperationException e) {
            return MIN_ALIGN;
        }
    }

    private static FileChannel openDirect(Path file) {
        try {
            return FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("{}: O_DIRECT not available ({}); writing through the page cache", file, e.toString());
            return null;
        }
    }

    /** @return whether the batches currently go around the page cache */
    boolean direct() {
        return direct != null && !directFailed;
    }

    /**
     * Appends {@code values} after everything appended so far.
     *
     * @param values the values
     * @throws IOException if writing fails (here or in an earlier batch's background write)
     */
    void append(float[] values) throws IOException {
        int done = 0;
        while (done < values.length) {
            int n = Math.min(values.length - done, (BATCH_BYTES - filled) / Float.BYTES);
            stagingFloats[current].put(filled / Float.BYTES, values, done, n);
            filled += n * Float.BYTES;
            done += n;
            flushIfFull();
        }
    }

    /**
     * Appends little-endian int16 {@code values} after everything appended so far.
     *
     * @param values the values
     * @throws IOException if writing fails (here or in an earlier batch's background write)
     */
    void append(short[] values) throws IOException {
        if (filled % Short.BYTES != 0) {
            throw new IllegalStateException("int16 values after an odd number of bytes");
        }
        int done = 0;
        while (done < values.length) {
            int n = Math.min(values.length - done, (BATCH_BYTES - filled) / Short.BYTES);
            stagingShorts[current].put(filled / Short.BYTES, values, done, n);
            filled += n * Short.BYTES;
            done += n;
            flushIfFull();
        }
    }

    /** Hands the current staging buffer to the write thread when it is full. */
    private void flushIfFull() throws IOException {
        if (filled < BATCH_BYTES) {
            return;
        }
        awaitPending();
        ByteBuffer batch = staging[current].clear();
        long at = start + flushed;
        FileChannel via = direct() ? direct : null;
        pending = writer.submit(() -> {
            write(batch, at, via);
            return null;
        });
        flushed += BATCH_BYTES;
        current ^= 1;
        filled = 0;
    }

    /** Writes all of {@code batch} at {@code at}: through {@code via} ({@code O_DIRECT}) when not null. */
    private void write(ByteBuffer batch, long at, FileChannel via) throws IOException {
        if (via != null) {
            try {
                writeFully(via, batch.duplicate(), at);
                return;
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                LOG.debug("{}: O_DIRECT write failed ({}); writing through the page cache", file, e.toString());
                directFailed = true;
            }
        }
        try {
            writeFully(buffered, batch.duplicate(), at);
        } catch (IOException e) {
            throw WriteFailure.naming(file, "writing rows at byte " + at, e);
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes, long at) throws IOException {
        long to = at;
        while (bytes.hasRemaining()) {
            to += channel.write(bytes, to);
        }
    }

    private void awaitPending() throws IOException {
        Future<?> p = pending;
        pending = null;
        Background.await(p, file, "writing rows");
    }

    /**
     * Writes what is staged: whole blocks as a batch, the partial block after them through the ordinary channel.
     * The caller syncs the file.
     *
     * @return bytes appended in all
     * @throws IOException if writing fails
     */
    long finish() throws IOException {
        awaitPending();
        ByteBuffer rest = staging[current];
        int whole = direct() ? filled - filled % align : 0;
        if (whole > 0) {
            write(rest.duplicate().limit(whole), start + flushed, direct);
        }
        write(rest.duplicate().limit(filled).position(whole), start + flushed + whole, null);
        flushed += filled;
        filled = 0;
        close();
        return flushed;
    }

    /** Stops the write thread and closes the direct channel (the ordinary one is the caller's). */
    @Override
    public void close() throws IOException {
        if (pending != null) {
            pending.cancel(true);
            pending = null;
        }
        writer.shutdownNow();
        FileChannel d = direct;
        direct = null;
        if (d != null) {
            d.close();
        }
    }
}
