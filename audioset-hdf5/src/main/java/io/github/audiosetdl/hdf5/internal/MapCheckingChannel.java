package io.github.audiosetdl.hdf5.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * The read-only file channel jhdf reads an HDF5 file through: every call goes to the real channel, but a mapping of
 * bytes beyond the file's end is refused with an unchecked exception. jhdf maps the structures it reads (a group's
 * local heap, a chunk) at the address and size the file declares; when the mapping fails with an
 * {@code IOException}, as beyond the end of a file opened for reading, jhdf allocates a heap buffer of that size
 * instead (up to 2 GB) and reads into it: a damaged 4 kB file ran a 64 MB JVM out of memory. An unchecked exception
 * is not caught there and ends the read.
 */
final class MapCheckingChannel extends FileChannel {
    private final FileChannel channel;
    private final Path file;

    /**
     * @param channel the file's channel, open for reading (closed with this one)
     * @param file the file, for messages
     */
    MapCheckingChannel(FileChannel channel, Path file) {
        this.channel = channel;
        this.file = file;
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        long length = channel.size();
        if (position < 0 || size < 0 || position > length || size > length - position) {
            throw new IllegalArgumentException(file + ": a structure of " + size + " bytes at byte " + position
                    + " lies beyond the file's end (" + length + " bytes): a truncated or damaged file");
        }
        return channel.map(mode, position, size);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return channel.read(dsts, offset, length);
    }

    /**
     * Reads at a position, refusing a read that would run past the file's end as {@link #map} refuses a mapping:
     * jhdf reads a structure of the size the file declares into a heap buffer it has just allocated (when a damaged
     * object header declares a gigabyte, say), and the JDK reads into a heap buffer through a temporary direct buffer
     * as large, a second allocation of that size and a long read for bytes that are not there.
     */
    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        long length = channel.size();
        if (position >= 0 && dst.remaining() > length - Math.min(position, length)) {
            throw new IllegalArgumentException(file + ": a structure of " + dst.remaining() + " bytes at byte "
                    + position + " lies beyond the file's end (" + length + " bytes): a truncated or damaged file");
        }
        return channel.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return channel.write(srcs, offset, length);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return channel.write(src, position);
    }

    @Override
    public long position() throws IOException {
        return channel.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        channel.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        channel.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        channel.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return channel.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return channel.transferFrom(src, position, count);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return channel.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return channel.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        channel.close();
    }
}
