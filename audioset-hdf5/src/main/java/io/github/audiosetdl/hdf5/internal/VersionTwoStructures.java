package io.github.audiosetdl.hdf5.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Checks of the structures h5py writes with {@code libver='latest'} (version-2 object headers and their {@code OCHK}
 * continuation blocks, fixed-array and extensible-array chunk indices), made as jhdf reads their headers through
 * {@link MapCheckingChannel} and before it allocates what they declare. Each is signed with a checksum, but jhdf
 * checks it only after it has read (and allocated) what the structure declares, and a hostile file may carry valid
 * checksums: so the sizes are checked against the file's length, as a valid file's always lie within it.
 *
 * <ul>
 * <li>A version-2 object header's chain of continuation blocks is walked when jhdf reads the header's prefix: jhdf
 * allocates each block's declared length (up to 2 GB) before it reads it, and follows a block that lists itself, or
 * an earlier one, until its stack overflows. A block beyond the file's end or over
 * {@link VersionOneHeaders#MAX_BLOCK_BYTES}, a block reached twice, or blocks longer in all than the file are refused.
 * <li>A fixed array's header ({@code FAHD}) declares its count of entries, from which jhdf sizes its data block and
 * a list (up to 2 G entries, 8 GB); the data block must lie within the file.
 * <li>An extensible array's header ({@code EAHD}) declares counts of elements, secondary blocks and data blocks, from
 * which jhdf sizes a list and its index block; each must be below the file's length, the index block within it.
 * <li>A version-2 B-tree's header ({@code BTHD}: dense attributes and links, a chunk index) declares the size of its
 * nodes, which jhdf allocates for each node, and its count of records, which it allocates a list of: each at most the
 * file's length. A node read more than {@link MapCheckingChannel#MAX_NODE_READS} times is a loop.
 * </ul>
 */
final class VersionTwoStructures {
    /** The continuation message's type. */
    private static final int CONTINUATION = 0x10;
    /**
     * A version-2 message's header: type (1), size (2), flags (1); 2 more when creation order is tracked (the
     * object header's flag {@link #CREATION_ORDER_TRACKED}).
     */
    private static final int MESSAGE_HEADER = 4;
    private static final int CREATION_ORDER_TRACKED = 0x04;
    /** Bytes of a signature ({@code OCHK}, {@code FAHD}, {@code EAHD}), and of the checksum a structure ends with. */
    private static final int SIGNATURE = 4;
    private static final int CHECKSUM = 4;

    /** The object headers whose chains of blocks were walked (a valid file's headers are read more than once). */
    private final Set<Long> walked = new HashSet<>();
    /** How many times each version-2 B-tree node was read, by position. */
    private final Map<Long, Integer> nodeReads = new HashMap<>();
    private final Path file;
    /** Where the superblock's sizes are looked up, and the file's channel read. */
    private final VersionOneHeaders sizes;

    /**
     * @param file the file, for messages
     * @param sizes the file's version-1 headers' checks
     */
    VersionTwoStructures(Path file, VersionOneHeaders sizes) {
        this.file = file;
        this.sizes = sizes;
    }

    /**
     * Walks the chain of continuation blocks of the version-2 object header at {@code header}, whose first chunk of
     * messages ({@code size} bytes at {@code messages}) is within the file.
     *
     * @param header where the header starts
     * @param flags its flags
     * @param messages where its first chunk of messages starts
     * @param size the chunk's size in bytes
     * @param length the file's length
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if a continuation is damaged
     */
    void objectHeader(long header, int flags, long messages, long size, long length) throws IOException {
        synchronized (walked) {
            if (walked.contains(header)) {
                return;
            }
        }
        long[] sb = sizes.superblock();
        if (sb == null || size > VersionOneHeaders.MAX_BLOCK_BYTES) {
            return; // jhdf refuses the file; the size was checked against the file's end
        }
        int offsets = (int) sb[0];
        long base = sb[2];
        int messageHeader = MESSAGE_HEADER + ((flags & CREATION_ORDER_TRACKED) != 0 ? 2 : 0);
        Set<Long> seen = new HashSet<>();
        Deque<long[]> blocks = new ArrayDeque<>(); // position, size, where its messages start
        blocks.push(new long[] {messages, size, 0});
        long total = size;
        while (!blocks.isEmpty()) {
            long[] block = blocks.pop();
            ByteBuffer b = read(block[0], (int) block[1]);
            if (b == null) {
                return; // jhdf finds the file's end
            }
            if (block[2] > 0 && !signature(b, 0).equals("OCHK")) {
                return; // jhdf refuses it by its signature
            }
            int at = (int) block[2];
            while (b.capacity() - at >= 8) { // as jhdf reads them
                int type = b.get(at) & 0xFF;
                int data = (int) little(b, at + 1, 2);
                at += messageHeader;
                if (data > b.capacity() - at) {
                    break; // jhdf refuses it
                }
                if (type == CONTINUATION && data >= 2 * offsets) {
                    long offset = little(b, at, offsets);
                    long bytes = little(b, at + offsets, offsets); // jhdf reads the length with the offsets' size
                    long raw = offset + base;
                    if (offset < 0 || bytes < SIGNATURE + CHECKSUM || raw < 0 || raw > length
                            || bytes > length - raw || bytes > VersionOneHeaders.MAX_BLOCK_BYTES) {
                        throw damaged(header, "a continuation block of " + Long.toUnsignedString(bytes)
                                + " bytes at byte " + Long.toUnsignedString(offset) + ", beyond the file's end ("
                                + length + " bytes) or over " + (VersionOneHeaders.MAX_BLOCK_BYTES >> 20) + " MB");
                    }
                    if (!seen.add(raw) || raw == messages) {
                        throw damaged(header, "a continuation block at byte " + offset
                                + " reached twice (a loop)");
                    }
                    total += bytes;
                    if (total > length) {
                        throw damaged(header, "continuation blocks of " + total + " bytes in all, more than the"
                                + " file's " + length);
                    }
                    blocks.push(new long[] {raw, bytes, SIGNATURE});
                }
                at += data;
            }
        }
        synchronized (walked) {
            walked.add(header);
        }
    }

    /**
     * Checks a structure jhdf has just read whole ({@code n} bytes at {@code position}, into {@code dst} from
     * {@code start}) when it is a fixed array's, an extensible array's or a version-2 B-tree's header.
     *
     * @param dst the buffer read into
     * @param start where the bytes read start in it
     * @param position where they were read from
     * @param n how many bytes were read
     * @param length the file's length
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the header declares more than the file holds
     */
    void served(ByteBuffer dst, int start, long position, int n, long length) throws IOException {
        if (n < SIGNATURE + 4) {
            return;
        }
        String signature = signature(dst, start);
        if (signature.equals("BTIN") || signature.equals("BTLF")) {
            node(position);
            return;
        }
        boolean fixed = signature.equals("FAHD");
        boolean tree = signature.equals("BTHD");
        if (!fixed && !tree && !signature.equals("EAHD")) {
            return;
        }
        long[] sb = sizes.superblock();
        if (sb == null) {
            return;
        }
        int offsets = (int) sb[0];
        int lengths = (int) sb[1];
        long base = sb[2];
        ByteBuffer b = dst.duplicate();
        b.position(start).limit(start + n);
        b = b.slice();
        if (tree && n == 22 + offsets + lengths) {
            tree(b, position, offsets, lengths, length);
        } else if (fixed && n == 12 + offsets + lengths) {
            fixedArray(b, position, offsets, lengths, base, length);
        } else if (!fixed && n == 16 + offsets + 6 * lengths) {
            extensibleArray(b, position, offsets, lengths, base, length);
        }
    }

    /**
     * Counts the reads of a version-2 B-tree's node, refusing the read after {@link MapCheckingChannel#MAX_NODE_READS}:
     * jhdf reads each node once per tree it builds, and follows a child pointing back to its node (a loop) until its
     * stack overflows.
     */
    private void node(long position) {
        int reads;
        synchronized (nodeReads) {
            reads = nodeReads.merge(position, 1, Integer::sum);
        }
        if (reads > MapCheckingChannel.MAX_NODE_READS) {
            throw new IllegalArgumentException(file + ": the B-tree node (version 2) at byte " + position
                    + " is reached " + reads + " times: a loop in a damaged file");
        }
    }

    /**
     * A version-2 B-tree's header: its node size (jhdf allocates it for each node it reads) at most the file's length
     * and {@link VersionOneHeaders#MAX_BLOCK_BYTES}, its total of records (jhdf allocates a list of that many) at most
     * the file's length.
     */
    private void tree(ByteBuffer b, long position, int offsets, int lengths, long length) {
        long nodeSize = little(b, 6, 4);
        long records = little(b, 18 + offsets, lengths);
        if (nodeSize > length || nodeSize > VersionOneHeaders.MAX_BLOCK_BYTES || records < 0 || records > length) {
            throw new IllegalArgumentException(file + ": the B-tree (version 2) at byte " + position + " declares"
                    + " nodes of " + nodeSize + " bytes and " + Long.toUnsignedString(records) + " records, more than"
                    + " the file's " + length + " bytes hold: a damaged file");
        }
    }

    /** A fixed array's header: its data block, as jhdf sizes it, must lie within the file. */
    private void fixedArray(ByteBuffer b, long position, int offsets, int lengths, long base, long length) {
        int entrySize = b.get(6) & 0xFF;
        int pageBits = b.get(7) & 0xFF;
        long entries = little(b, 8, lengths);
        long address = little(b, 8 + lengths, offsets);
        long raw = address + base;
        long pageSize = 1L << (pageBits & 31); // as Java shifts an int
        long pages = entries < 0 ? 0 : (entries + pageSize - 1) / pageSize;
        long bytes = entries < 0 || entries > length ? Long.MAX_VALUE
                : 6 + offsets + entrySize * entries + CHECKSUM + (pages > 1 ? (pages + 7) / 8 + 4 * pages : 0);
        if (entries < 0 || entries > length || address < 0 || raw < 0 || raw > length || bytes > length - raw) {
            throw new IllegalArgumentException(file + ": the fixed array (chunk index) at byte " + position
                    + " declares " + Long.toUnsignedString(entries) + " entries of " + entrySize + " bytes at byte "
                    + Long.toUnsignedString(address) + ", beyond the file's end (" + length + " bytes): a damaged"
                    + " file");
        }
    }

    /**
     * An extensible array's header: its counts (secondary blocks, their size, data blocks, their size, the most
     * elements, the elements) at most the file's length, and its index block, as jhdf sizes it, within the file.
     */
    private void extensibleArray(ByteBuffer b, long position, int offsets, int lengths, long base, long length) {
        int elementSize = b.get(6) & 0xFF;
        int inIndexBlock = b.get(8) & 0xFF;
        int at = 12;
        long[] counts = new long[6];
        for (int i = 0; i < counts.length; i++, at += lengths) {
            counts[i] = little(b, at, lengths);
            if (counts[i] < 0 || counts[i] > length) {
                throw new IllegalArgumentException(file + ": the extensible array (chunk index) at byte " + position
                        + " declares a count of " + Long.toUnsignedString(counts[i]) + ", more than the file's "
                        + length + " bytes hold: a damaged file");
            }
        }
        long address = little(b, at, lengths); // jhdf reads the index block's address with the lengths' size
        long raw = address + base;
        long bytes = 6L + offsets + (long) offsets * inIndexBlock + 6L * elementSize + counts[0] * offsets
                + CHECKSUM;
        if (address < 0 || raw < 0 || raw > length || bytes > length - raw) {
            throw new IllegalArgumentException(file + ": the extensible array (chunk index) at byte " + position
                    + " declares an index block of " + bytes + " bytes at byte " + Long.toUnsignedString(address)
                    + ", beyond the file's end (" + length + " bytes): a damaged file");
        }
    }

    private ByteBuffer read(long position, int size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(size);
        while (b.hasRemaining()) {
            if (sizes.channel().read(b, position + b.position()) < 0) {
                return null;
            }
        }
        return b;
    }

    /** @return the 4 bytes at {@code at}, as ASCII */
    private static String signature(ByteBuffer b, int at) {
        byte[] s = new byte[SIGNATURE];
        for (int i = 0; i < SIGNATURE; i++) {
            s[i] = b.get(at + i);
        }
        return new String(s, StandardCharsets.US_ASCII);
    }

    private static long little(ByteBuffer b, int at, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = v << 8 | (b.get(at + i) & 0xFF);
        }
        return v;
    }

    private IllegalArgumentException damaged(long header, String what) {
        return new IllegalArgumentException(file + ": the object header at byte " + header + " declares " + what
                + ": a damaged file");
    }
}
