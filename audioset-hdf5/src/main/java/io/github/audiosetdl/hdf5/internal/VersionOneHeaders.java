package io.github.audiosetdl.hdf5.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Checks of version-1 object headers (what h5py writes by default, {@code libver='earliest'}) as jhdf reads them
 * through {@link MapCheckingChannel}, made before jhdf allocates what they declare. A version-1 header has no
 * signature; jhdf reads its first byte (the version, 1), then its 12-byte prefix at the same address (version,
 * reserved byte, number of messages, reference count, size of the messages), then allocates a buffer of the declared
 * size and reads the messages into it; a continuation message in them makes it allocate and read a further block of
 * messages of the size that message declares, at the address it declares. This class recognises the prefix by that
 * sequence of reads on one thread (1 byte holding 1, then 12 bytes at the same position), and refuses, when it serves
 * the prefix, a size of messages beyond the file's end or over {@link #MAX_BLOCK_BYTES}; when it serves a header's
 * block of messages, it refuses a continuation message declaring a block beyond the file's end, over that maximum, one
 * already in the header's chain of blocks (a loop: jhdf would follow it until its count of messages ran out, reading
 * the block again each time), or a chain of blocks longer in all than the file.
 *
 * <p>Nothing is refused that a valid file holds: a valid header and its continuation blocks lie within the file, once
 * each. The superblock's own first byte and 12-byte read (a version-1 superblock also starts with 1) are told apart by
 * the file signature in the 8 bytes before them.
 */
final class VersionOneHeaders {
    /**
     * The largest block of a version-1 object header's messages accepted, in bytes (16 MB): each message holds at
     * most 64 kB, and the HDF5 library sizes a header's blocks for the messages it adds, a few hundred bytes to a
     * little over 64 kB each.
     */
    static final long MAX_BLOCK_BYTES = 16L << 20;
    /** The HDF5 file signature, which the superblock follows. */
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    /** Bytes of a version-1 object header's prefix: 12 read, then 4 reserved for alignment. */
    private static final int PREFIX = 12;
    private static final int PADDED_PREFIX = 16;
    /** Bytes of a version-1 message's header: type (2), size (2), flags (1), reserved (3). */
    private static final int MESSAGE_HEADER = 8;
    /** The continuation message's type. */
    private static final int CONTINUATION = 0x10;

    /** A block of messages jhdf is expected to read: its size, and the header's chain of blocks up to it. */
    private record Block(long size, Set<Long> chain, long total) {
    }

    private final FileChannel channel;
    private final Path file;
    /** Per thread: the position of the last read if it was 1 byte holding 1, else -1. */
    private final ThreadLocal<long[]> versionByte = ThreadLocal.withInitial(() -> new long[] {-1});
    /** Blocks of messages whose reads are to come, by position in the file. */
    private final Map<Long, Block> expected = new HashMap<>();
    /** Size of offsets, size of lengths and the base address, from the superblock, once looked up; null before. */
    private long[] superblock;

    /**
     * @param channel the file's channel, read for the superblock's sizes
     * @param file the file, for messages
     */
    VersionOneHeaders(FileChannel channel, Path file) {
        this.channel = channel;
        this.file = file;
    }

    /** @return the file's channel */
    FileChannel channel() {
        return channel;
    }

    /**
     * Called after each read at a position that filled its buffer.
     *
     * @param dst the buffer read into
     * @param start where the bytes read start in it
     * @param position where they were read from
     * @param n how many bytes were read
     * @param length the file's length
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the bytes are a damaged version-1 header or block of messages
     */
    void served(ByteBuffer dst, int start, long position, int n, long length) throws IOException {
        long[] last = versionByte.get();
        long previous = last[0];
        last[0] = n == 1 && dst.get(start) == 1 ? position : -1;
        if (n == PREFIX && position == previous && dst.get(start) == 1 && !afterSignature(position)) {
            prefix(dst, start, position, length);
            return;
        }
        Block block;
        synchronized (expected) {
            block = expected.get(position);
            if (block != null && block.size() == n) {
                expected.remove(position);
            } else {
                block = null;
            }
        }
        if (block != null) {
            messages(dst, start, position, block, length);
        }
    }

    /** Checks the prefix read at {@code position}: the size of its messages (bytes 8-11, unsigned). */
    private void prefix(ByteBuffer dst, int start, long position, long length) {
        long size = Integer.toUnsignedLong(Integer.reverseBytes(dst.getInt(start + 8)));
        long at = position + PADDED_PREFIX;
        if (size > MAX_BLOCK_BYTES || at > length || size > length - at) {
            throw refused(position, size + " bytes of messages", length);
        }
        Set<Long> chain = new HashSet<>();
        chain.add(at);
        synchronized (expected) {
            expected.put(at, new Block(size, chain, size));
        }
    }

    /** Checks the continuation messages of a block of messages just read, and expects the blocks they declare. */
    private void messages(ByteBuffer dst, int start, long position, Block block, long length) throws IOException {
        long[] sizes = superblock();
        if (sizes == null) {
            return;
        }
        int offsets = (int) sizes[0];
        int lengths = (int) sizes[1];
        long base = sizes[2];
        int size = (int) block.size();
        int at = 0;
        while (at + MESSAGE_HEADER <= size) {
            at = (at + 7) & ~7; // each message starts at a multiple of 8 bytes, as jhdf reads them
            if (at + MESSAGE_HEADER > size) {
                break;
            }
            int type = Short.toUnsignedInt(Short.reverseBytes(dst.getShort(start + at)));
            int data = Short.toUnsignedInt(Short.reverseBytes(dst.getShort(start + at + 2)));
            if (at + MESSAGE_HEADER + data > size) {
                break; // jhdf refuses it as it parses it
            }
            if (type == CONTINUATION && data >= offsets + lengths) {
                long offset = little(dst, start + at + MESSAGE_HEADER, offsets);
                long bytes = little(dst, start + at + MESSAGE_HEADER + offsets, lengths);
                continuation(position, block, offset, bytes, base, length);
            }
            at += MESSAGE_HEADER + data;
        }
    }

    private void continuation(long position, Block block, long offset, long bytes, long base, long length) {
        long at = offset + base;
        if (offset < 0 || bytes < 0 || at < 0 || bytes > MAX_BLOCK_BYTES || at > length || bytes > length - at) {
            throw refused(position, "a continuation of " + Long.toUnsignedString(bytes) + " bytes at byte "
                    + Long.toUnsignedString(offset), length);
        }
        if (block.chain().contains(at)) {
            throw new IllegalArgumentException(file + ": the object header at byte " + position + " declares a"
                    + " continuation at byte " + offset + " that loops back into its own messages: a damaged file");
        }
        if (block.total() + bytes > length) {
            throw refused(position, "continuations of " + (block.total() + bytes) + " bytes in all", length);
        }
        Set<Long> chain = new HashSet<>(block.chain());
        chain.add(at);
        synchronized (expected) {
            expected.put(at, new Block(bytes, chain, block.total() + bytes));
        }
    }

    private static long little(ByteBuffer b, int at, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = v << 8 | (b.get(at + i) & 0xFF);
        }
        return v;
    }

    /** @return whether the 8 bytes before {@code position} are the file signature (a superblock's version byte) */
    private boolean afterSignature(long position) throws IOException {
        if (position < SIGNATURE.length) {
            return false;
        }
        ByteBuffer b = ByteBuffer.allocate(SIGNATURE.length);
        readFully(b, position - SIGNATURE.length);
        return !b.hasRemaining() && Arrays.equals(b.array(), SIGNATURE);
    }

    /**
     * @return the size of offsets, the size of lengths (1 to 8 bytes each) and the base address (where the signature
     *     is: jhdf accepts no other), or null when no superblock is found (jhdf then refuses the file itself)
     */
    synchronized long[] superblock() throws IOException {
        if (superblock != null) {
            return superblock.length == 0 ? null : superblock;
        }
        superblock = new long[0];
        long length = channel.size();
        for (long at = 0; at + 16 <= length; at = at == 0 ? 512 : at * 2) {
            ByteBuffer b = ByteBuffer.allocate(16);
            readFully(b, at);
            if (b.hasRemaining() || !Arrays.equals(Arrays.copyOf(b.array(), 8), SIGNATURE)) {
                continue;
            }
            int version = b.get(8);
            int offsets = version <= 1 ? b.get(13) : b.get(9);
            int lengths = version <= 1 ? b.get(14) : b.get(10);
            if (version >= 0 && version <= 3 && offsets >= 1 && offsets <= 8 && lengths >= 1 && lengths <= 8) {
                superblock = new long[] {offsets, lengths, at};
            }
            break;
        }
        return superblock.length == 0 ? null : superblock;
    }

    private void readFully(ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) {
            if (channel.read(b, position + b.position()) < 0) {
                return;
            }
        }
    }

    private IllegalArgumentException refused(long header, String what, long length) {
        return new IllegalArgumentException(file + ": the object header at byte " + header + " declares " + what
                + ", beyond the file's end (" + length + " bytes) or over the " + (MAX_BLOCK_BYTES >> 20)
                + " MB a header's block may hold: a truncated or damaged file");
    }
}
