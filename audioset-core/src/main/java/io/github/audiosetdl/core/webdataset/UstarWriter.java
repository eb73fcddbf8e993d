package io.github.audiosetdl.core.webdataset;

import com.sun.nio.file.ExtendedOpenOption;
import io.github.audiosetdl.core.internal.Background;
import io.github.audiosetdl.core.internal.DaemonPool;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Writes a POSIX ustar archive of regular files, streamed: each member's 512-byte header, its bytes, zero
 * padding to a 512-byte block, and two zero blocks at the end. Memory: two 8 MB buffers (off-heap); each full one is
 * written by a background thread with {@code O_DIRECT} where the file system allows it (bypassing the page cache,
 * whose writeback throttles a buffered writer of gigabytes) while the caller fills the other, as the seed layout's
 * rows are; the last, partial batch goes through the page cache. Member names are at most 100 bytes (no prefix field
 * used); mode 0644, owner 0, modification time 0 (the archive is reproducible). Used by one thread at a time.
 */
final class UstarWriter implements Closeable {
    static final int BLOCK = 512;
    private static final int MAX_NAME = 100;
    /** The largest member size the 11-digit octal size field holds: 8 GB - 1. */
    private static final long MAX_SIZE = (1L << 33) - 1;
    private static final int ALIGN = 4096;
    private static final int BATCH = 8 << 20;

    private final Path file;
    private final FileChannel channel;
    /** The buffer being filled; the other one may be in a background write ({@link #pending}). */
    private ByteBuffer buffer = staging();
    private ByteBuffer spare = staging();
    /** {@code O_DIRECT} on the file, or null where refused (then every batch goes through {@link #channel}). */
    private volatile FileChannel direct;
    /** Writes full batches in the background; started with the first one. */
    private ExecutorService writer;
    private Future<?> pending;
    private long written;
    private long flushed;

    /**
     * @param file a new file, created here ({@code CREATE_NEW})
     * @throws IOException if it exists or cannot be created
     */
    UstarWriter(Path file) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        FileChannel d = null;
        try {
            d = FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException e) {
            d = null; // this file system refuses O_DIRECT: the page cache it is
        }
        this.direct = d;
    }

    /**
     * Appends a regular file.
     *
     * @param name its name, ASCII, at most 100 bytes, without {@code /}
     * @param data its contents, {@code data[0..length)}
     * @param length bytes of {@code data}
     * @throws IOException if writing fails
     */
    void add(String name, byte[] data, int length) throws IOException {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length == 0 || n.length > MAX_NAME || name.indexOf('/') >= 0 || !name.chars().allMatch(c -> c < 128)) {
            throw new IllegalArgumentException("tar member name '" + name + "' is not 1..100 ASCII bytes without /");
        }
        if (length < 0 || length > data.length || length > MAX_SIZE) {
            throw new IllegalArgumentException("member of " + length + " bytes");
        }
        byte[] header = new byte[BLOCK];
        System.arraycopy(n, 0, header, 0, n.length);
        octal(header, 100, 8, 0644);
        octal(header, 108, 8, 0);
        octal(header, 116, 8, 0);
        octal(header, 124, 12, length);
        octal(header, 136, 12, 0);
        header[156] = '0';
        put(header, 257, "ustar\0");
        put(header, 263, "00");
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        octal(header, 148, 7, sum); // six digits and a NUL; the eighth byte stays a space
        write(header, 0, BLOCK);
        write(data, 0, length);
        int pad = (BLOCK - length % BLOCK) % BLOCK;
        write(new byte[pad], 0, pad);
    }

    /**
     * Appends bytes copied from another archive: whole members, headers and padding included.
     *
     * @param source the archive
     * @param length bytes from its start, a multiple of {@value #BLOCK}
     * @throws IOException if reading or writing fails
     */
    void copyMembers(Path source, long length) throws IOException {
        if (length % BLOCK != 0) {
            throw new IllegalArgumentException(length + " bytes are not whole tar blocks");
        }
        drain();
        awaitPending();
        channel.position(flushed);
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            long done = 0;
            while (done < length) {
                long n = in.transferTo(done, length - done, channel);
                if (n <= 0) {
                    throw new IOException(source + ": ended at byte " + done + " of " + length);
                }
                done += n;
            }
        }
        flushed += length;
        written += length;
    }

    /** Writes {@code value} as zero-padded octal digits and a NUL in {@code header[at, at + width)}. */
    private static void octal(byte[] header, int at, int width, long value) {
        String digits = Long.toOctalString(value);
        int len = width - 1;
        if (digits.length() > len) {
            throw new IllegalArgumentException(value + " does not fit " + len + " octal digits");
        }
        String padded = "0".repeat(len - digits.length()) + digits;
        put(header, at, padded);
        header[at + len] = 0;
    }

    private static void put(byte[] header, int at, String ascii) {
        byte[] b = ascii.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, at, b.length);
    }

    private void write(byte[] data, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = Math.min(length - done, buffer.remaining());
            buffer.put(data, offset + done, n);
            done += n;
            if (!buffer.hasRemaining()) {
                drain();
            }
        }
        written += length;
    }

    private static ByteBuffer staging() {
        return ByteBuffer.allocateDirect(BATCH + ALIGN).alignedSlice(ALIGN).limit(BATCH).slice();
    }

    /**
     * Writes what is buffered at {@link #flushed}: a full, aligned batch in the background (with {@code O_DIRECT}
     * when possible) while the caller fills the spare buffer, anything else here through the page cache.
     */
    private void drain() throws IOException {
        buffer.flip();
        awaitPending(); // the spare buffer's write, and the order of the writes
        if (buffer.remaining() == BATCH && flushed % ALIGN == 0) {
            ByteBuffer batch = buffer;
            long at = flushed;
            if (writer == null) {
                writer = DaemonPool.fixed("audioset-tar-write", 1);
            }
            pending = writer.submit(() -> {
                writeBatch(batch, at);
                return null;
            });
            flushed += BATCH;
            buffer = spare;
            spare = batch;
        } else {
            flushed = writeFully(channel, buffer, flushed);
        }
        buffer.clear();
    }

    /** On the write thread: {@code batch} at {@code at}, with {@code O_DIRECT} unless it was refused. */
    private void writeBatch(ByteBuffer batch, long at) throws IOException {
        FileChannel d = direct;
        if (d != null) {
            try {
                writeFully(d, batch.duplicate(), at);
                return;
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                closeDirect(); // some file systems refuse O_DIRECT only at the first write
            }
        }
        writeFully(channel, batch.duplicate(), at);
    }

    private void awaitPending() throws IOException {
        Future<?> p = pending;
        pending = null;
        Background.await(p, file, "writing");
    }

    private static long writeFully(FileChannel to, ByteBuffer bytes, long at) throws IOException {
        long pos = at;
        while (bytes.hasRemaining()) {
            pos += to.write(bytes, pos);
        }
        return pos;
    }

    private synchronized void closeDirect() throws IOException {
        FileChannel d = direct;
        direct = null;
        if (d != null) {
            d.close();
        }
    }

    /**
     * Syncs what has reached the file so far (not the buffer); may run on another thread than the writes.
     *
     * @throws IOException if syncing fails
     */
    void sync() throws IOException {
        channel.force(false);
    }

    /** @return the bytes written so far */
    long size() {
        return written;
    }

    /**
     * Writes the two zero blocks that end the archive and syncs the file to disk.
     *
     * @throws IOException if writing fails
     */
    void finish() throws IOException {
        write(new byte[2 * BLOCK], 0, 2 * BLOCK);
        drain();
        awaitPending();
        channel.force(true);
    }

    /** @return the file */
    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        try {
            awaitPending();
        } finally {
            try {
                if (writer != null) {
                    writer.shutdown();
                }
                closeDirect();
            } finally {
                channel.close();
            }
        }
    }
}
