package io.github.audiosetdl.hdf5.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * An append-only little-endian column written to a temporary file through a small buffer, so that a
 * column of any length costs a fixed amount of memory. Variable-length strings are stored
 * length-prefixed and padded to the longest one when copied out.
 */
public final class Spool implements Closeable {
    private static final int BUFFER = 1 << 16;

    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    private long written;
    private int maxStringBytes;

    Spool(Path file) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
    }

    private void room(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            drain();
        }
    }

    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            written += channel.write(buffer);
        }
        buffer.clear();
    }

    /**
     * @param b one byte
     * @throws IOException if the spool file cannot be written
     */
    public void putByte(byte b) throws IOException {
        room(1);
        buffer.put(b);
    }

    /**
     * @param bytes bytes to append
     * @throws IOException if the spool file cannot be written
     */
    public void putBytes(byte[] bytes) throws IOException {
        if (bytes.length > BUFFER) {
            drain();
            ByteBuffer whole = ByteBuffer.wrap(bytes);
            while (whole.hasRemaining()) {
                written += channel.write(whole);
            }
            return;
        }
        room(bytes.length);
        buffer.put(bytes);
    }

    /**
     * @param v a little-endian int64
     * @throws IOException if the spool file cannot be written
     */
    public void putLong(long v) throws IOException {
        room(8);
        buffer.putLong(v);
    }

    /**
     * @param v a little-endian float64
     * @throws IOException if the spool file cannot be written
     */
    public void putDouble(double v) throws IOException {
        room(8);
        buffer.putDouble(v);
    }

    /**
     * @param s a string, stored as UTF-8 (padded to the longest at the end)
     * @throws IOException if the spool file cannot be written
     */
    public void putString(String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        maxStringBytes = Math.max(maxStringBytes, bytes.length);
        room(4);
        buffer.putInt(bytes.length);
        putBytes(bytes);
    }

    /** @return the longest string put, in UTF-8 bytes */
    int maxStringBytes() {
        return maxStringBytes;
    }

    /**
     * Copies the raw column to {@code target} at {@code address}.
     *
     * @return the bytes copied
     */
    long copyTo(FileChannel target, long address) throws IOException {
        drain();
        long done = 0;
        while (done < written) {
            done += channel.transferTo(done, written - done, target.position(address + done));
        }
        return written;
    }

    /**
     * Copies length-prefixed strings to {@code target} at {@code address} as fixed records of
     * {@code width} bytes, NUL-padded.
     *
     * @return the bytes written
     */
    long copyStringsTo(FileChannel target, long address, int width) throws IOException {
        drain();
        ByteBuffer in = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocateDirect(BUFFER);
        byte[] record = new byte[width];
        long readPos = 0;
        long outPos = address;
        in.limit(0);
        while (true) {
            if (in.remaining() < 4) {
                readPos = refill(in, readPos);
                if (in.remaining() < 4) {
                    break;
                }
            }
            int length = in.getInt();
            Arrays.fill(record, (byte) 0);
            int got = 0;
            while (got < length) {
                if (!in.hasRemaining()) {
                    readPos = refill(in, readPos);
                }
                int n = Math.min(length - got, in.remaining());
                in.get(record, got, n);
                got += n;
            }
            if (out.remaining() < width) {
                outPos += flush(out, target, outPos);
            }
            if (width > BUFFER) {
                outPos += flush(out, target, outPos);
                outPos += flush(ByteBuffer.wrap(record).position(width), target, outPos);
            } else {
                out.put(record);
            }
        }
        outPos += flush(out, target, outPos);
        return outPos - address;
    }

    private long refill(ByteBuffer in, long readPos) throws IOException {
        in.compact();
        long pos = readPos;
        while (in.hasRemaining() && pos < written) {
            int n = channel.read(in, pos);
            if (n < 0) {
                break;
            }
            pos += n;
        }
        in.flip();
        return pos;
    }

    private static long flush(ByteBuffer out, FileChannel target, long at) throws IOException {
        out.flip();
        long n = 0;
        while (out.hasRemaining()) {
            n += target.write(out, at + n);
        }
        out.clear();
        return n;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
