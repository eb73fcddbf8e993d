package io.github.audiosetdl.core.webdataset;

import com.sun.nio.file.ExtendedOpenOption;
import io.github.audiosetdl.core.internal.Background;
import io.github.audiosetdl.core.internal.DaemonPool;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
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
    private static final byte[] ZEROS = new byte[BLOCK];
    private static final byte[] HEADER_TEMPLATE = template();
    /** The sum of {@link #HEADER_TEMPLATE}'s bytes (a header's checksum is the sum of its bytes). */
    private static final int TEMPLATE_SUM = sum(HEADER_TEMPLATE);

    private final Path file;
    private final FileChannel channel;
    /** The header being written. */
    private final byte[] header = new byte[BLOCK];
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
     * @param file a new file, created here ({@code CREATE_NEW}), owner-only ({@code rw-------}) where the file
     *     system has POSIX permissions, until {@link #publishable()}
     * @throws IOException if it exists or cannot be created
     */
    UstarWriter(Path file) throws IOException {
        this.file = file;
        this.channel = create(file);
        FileChannel d = null;
        try {
            d = FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException e) {
            d = null; // this file system refuses O_DIRECT: the page cache it is
        }
        this.direct = d;
    }

    /** Creates {@code file} owner-only where the file system has POSIX permissions. */
    private static FileChannel create(Path file) throws IOException {
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            return FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(file, options);
        }
    }

    /**
     * Makes the finished file readable as every other output ({@code rw-r--r--}) before it is renamed into place.
     *
     * @throws IOException if its permissions cannot be set
     */
    void publishable() throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // no POSIX permissions here: the file has the folder's defaults already
        }
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
        if (length < 0 || length > data.length) {
            throw new IllegalArgumentException("member of " + length + " bytes");
        }
        header(name, length);
        write(data, 0, length);
        pad(length);
    }

    /**
     * Appends a regular file of {@code head} followed by {@code samples} as 16-bit little-endian integers (a WAV
     * file's header and PCM data), written straight into the batch buffer.
     *
     * @param name its name, ASCII, at most 100 bytes, without {@code /}
     * @param head the first bytes
     * @param samples the rest, two bytes each
     * @throws IOException if writing fails
     */
    void add(String name, byte[] head, short[] samples) throws IOException {
        long length = head.length + 2L * samples.length;
        header(name, length);
        write(head, 0, head.length);
        int done = 0;
        while (done < samples.length) {
            if (buffer.remaining() < 2) { // only after an odd-length head: split one sample across two batches
                short v = samples[done++];
                write(new byte[] {(byte) v, (byte) (v >> 8)}, 0, 2);
                continue;
            }
            int n = Math.min(samples.length - done, buffer.remaining() / 2);
            buffer.asShortBuffer().put(samples, done, n); // a view in the buffer's little-endian order
            buffer.position(buffer.position() + 2 * n);
            done += n;
            written += 2L * n;
            if (!buffer.hasRemaining()) {
                drain();
            }
        }
        pad(length);
    }

    /** Writes the 512-byte header of a regular file of {@code length} bytes. */
    private void header(String name, long length) throws IOException {
        int n = name.length();
        boolean valid = n > 0 && n <= MAX_NAME;
        for (int i = 0; valid && i < n; i++) {
            char c = name.charAt(i);
            valid = c < 128 && c != '/';
        }
        if (!valid) {
            throw new IllegalArgumentException("tar member name '" + name + "' is not 1..100 ASCII bytes without /");
        }
        if (length < 0 || length > MAX_SIZE) {
            throw new IllegalArgumentException("member of " + length + " bytes");
        }
        byte[] h = header;
        System.arraycopy(HEADER_TEMPLATE, 0, h, 0, BLOCK);
        int sum = TEMPLATE_SUM;
        for (int i = 0; i < n; i++) {
            h[i] = (byte) name.charAt(i);
            sum += h[i];
        }
        sum += octal(h, 124, 12, length) - 11 * '0'; // the template's size field is eleven zeros
        octal(h, 148, 7, sum); // six digits and a NUL; the eighth byte stays a space
        write(h, 0, BLOCK);
    }

    /**
     * @return a header block with the fields every member shares: mode 0644, owner and group 0, modification
     *     time 0, size 0, type {@code 0} (a regular file), magic {@code ustar}, version {@code 00}, the checksum
     *     field eight spaces (as it is summed)
     */
    private static byte[] template() {
        byte[] h = new byte[BLOCK];
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, 0);
        octal(h, 136, 12, 0);
        h[156] = '0';
        byte[] magic = {'u', 's', 't', 'a', 'r', 0, '0', '0'}; // the magic and a NUL at 257, the version at 263
        System.arraycopy(magic, 0, h, 257, magic.length);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        return h;
    }

    /** Pads a member of {@code length} bytes with zeros to a whole block. */
    private void pad(long length) throws IOException {
        int pad = (int) ((BLOCK - length % BLOCK) % BLOCK);
        write(ZEROS, 0, pad);
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

    private static int sum(byte[] bytes) {
        int sum = 0;
        for (byte b : bytes) {
            sum += b & 0xff;
        }
        return sum;
    }

    /**
     * Writes {@code value} as zero-padded octal digits and a NUL in {@code header[at, at + width)}.
     *
     * @return the sum of the digits' bytes
     */
    private static int octal(byte[] header, int at, int width, long value) {
        int len = width - 1;
        if (value < 0 || value >>> (3 * len) != 0) {
            throw new IllegalArgumentException(value + " does not fit " + len + " octal digits");
        }
        int sum = 0;
        long rest = value;
        for (int i = len - 1; i >= 0; i--) {
            byte digit = (byte) ('0' + (rest & 7));
            header[at + i] = digit;
            sum += digit;
            rest >>>= 3;
        }
        header[at + len] = 0;
        return sum;
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
        return ByteBuffer.allocateDirect(BATCH + ALIGN).alignedSlice(ALIGN).limit(BATCH).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
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
