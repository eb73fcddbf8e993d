package io.github.audiosetdl.hdf5.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The read-only file channel jhdf reads an HDF5 file through: every call goes to the real channel, but a mapping of
 * bytes beyond the file's end is refused with an unchecked exception. jhdf maps the structures it reads (a group's
 * local heap, a chunk) at the address and size the file declares; when the mapping fails with an
 * {@code IOException}, as beyond the end of a file opened for reading, jhdf allocates a heap buffer of that size
 * instead (up to 2 GB) and reads into it: a damaged 4 kB file ran a 64 MB JVM out of memory. An unchecked exception
 * is not caught there and ends the read.
 *
 * <p>Reads past the file's end are refused the same way, and so is a version-2 object header whose messages the file
 * declares beyond its end: jhdf reads such a header's 6-byte prefix ({@code OHDR}, version 2, flags), then the size
 * of its first chunk, then allocates a heap buffer of that size (up to 2 GB) before it asks for the bytes; this
 * channel checks the size when it serves the prefix, so the damaged header is refused before that allocation.
 * Version-1 object headers (h5py's default), which have no signature, are recognised by how jhdf reads them and
 * checked by {@link VersionOneHeaders} the same way, with their continuation blocks; a version-2 header's
 * continuation blocks ({@code OCHK}) and the headers of fixed- and extensible-array chunk indices
 * ({@code libver='latest'}) by {@link VersionTwoStructures}.
 */
final class MapCheckingChannel extends FileChannel {
    /** A version-2 object header's signature. */
    private static final byte[] OHDR = {'O', 'H', 'D', 'R'};
    /** Bytes of a version-2 object header's prefix as jhdf reads it: signature, version, flags. */
    private static final int OBJECT_HEADER_PREFIX = 6;
    /** Bytes of the checksum that ends an object header. */
    private static final int CHECKSUM = 4;
    /** A version-1 B-tree node's signature; jhdf reads it with the node's type and level, 6 bytes. */
    private static final byte[] TREE = {'T', 'R', 'E', 'E'};
    /**
     * How many times one version-1 B-tree node may be read: jhdf reads each node of a group's or a chunked dataset's
     * tree once per open file (and again only after a read of it failed); a node that a damaged tree reaches again
     * is a loop, which jhdf follows until its stack overflows.
     */
    static final int MAX_NODE_READS = 8;

    private final FileChannel channel;
    private final Path file;
    private final VersionOneHeaders versionOne;
    private final VersionTwoStructures versionTwo;
    /** How many times each version-1 B-tree node was read, by position. */
    private final Map<Long, Integer> nodeReads = new HashMap<>();

    /**
     * @param channel the file's channel, open for reading (closed with this one)
     * @param file the file, for messages
     */
    MapCheckingChannel(FileChannel channel, Path file) {
        this.channel = channel;
        this.file = file;
        this.versionOne = new VersionOneHeaders(channel, file);
        this.versionTwo = new VersionTwoStructures(file, versionOne);
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
        int wanted = dst.remaining();
        int start = dst.position();
        int n = channel.read(dst, position);
        if (n == OBJECT_HEADER_PREFIX && wanted == OBJECT_HEADER_PREFIX) {
            checkObjectHeader(dst, start, position, length);
            checkTreeNode(dst, start, position);
        }
        if (n > 0 && n == wanted) {
            versionOne.served(dst, start, position, n, length);
            versionTwo.served(dst, start, position, n, length);
        }
        return n;
    }

    /**
     * Refuses a version-2 object header ({@code OHDR}, version 2: the 6 bytes just read at {@code position}) whose
     * first chunk of messages, as the size field after the prefix declares it, does not end (with its 4-byte
     * checksum) within the file. Any other 6 bytes are left alone.
     */
    private void checkObjectHeader(ByteBuffer dst, int start, long position, long length) throws IOException {
        for (int i = 0; i < OHDR.length; i++) {
            if (dst.get(start + i) != OHDR[i]) {
                return;
            }
        }
        if (dst.get(start + OHDR.length) != 2) {
            return;
        }
        int flags = dst.get(start + OHDR.length + 1) & 0xFF;
        // the spec's optional fields before the size: times (flag bit 5, 16 bytes), attribute phase change (bit 4, 4)
        long field = position + OBJECT_HEADER_PREFIX + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
        int width = 1 << (flags & 3); // bits 0-1: the size field's width, 1, 2, 4 or 8 bytes
        if (field > length - width) {
            throw beyond(position, "a size field", length);
        }
        ByteBuffer b = ByteBuffer.allocate(width);
        while (b.hasRemaining()) {
            if (channel.read(b, field + b.position()) < 0) {
                throw beyond(position, "a size field", length);
            }
        }
        long size = 0;
        for (int i = width - 1; i >= 0; i--) { // little-endian, unsigned
            size = size << 8 | (b.get(i) & 0xFF);
        }
        long room = length - (field + width) - CHECKSUM;
        if (size < 0 || size > room) {
            throw beyond(position, Long.toUnsignedString(size) + " bytes of messages", length);
        }
        versionTwo.objectHeader(position, flags, field + width, size, length);
    }

    /**
     * Counts the reads of a version-1 B-tree node ({@code TREE}: the 6 bytes just read at {@code position}), refusing
     * the read after {@link #MAX_NODE_READS}: a tree that reaches a node again (a child pointing back to its parent)
     * made jhdf recurse until {@link StackOverflowError}, and a node listing one child 65,535 times read it as often.
     */
    private void checkTreeNode(ByteBuffer dst, int start, long position) {
        for (int i = 0; i < TREE.length; i++) {
            if (dst.get(start + i) != TREE[i]) {
                return;
            }
        }
        int reads;
        synchronized (nodeReads) {
            reads = nodeReads.merge(position, 1, Integer::sum);
        }
        if (reads > MAX_NODE_READS) {
            throw new IllegalArgumentException(file + ": the B-tree node at byte " + position + " is reached "
                    + reads + " times: a loop in a damaged file");
        }
    }

    private IllegalArgumentException beyond(long header, String what, long length) {
        return new IllegalArgumentException(file + ": the object header at byte " + header + " declares " + what
                + " beyond the file's end (" + length + " bytes): a truncated or damaged file");
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
