package io.github.audiosetdl.hdf5.internal;

import io.jhdf.exceptions.HdfFilterException;
import io.jhdf.filter.BitShuffleFilter;
import io.jhdf.filter.Filter;
import io.jhdf.filter.Lz4Filter;
import io.jhdf.filter.LzfFilter;
import java.nio.ByteBuffer;

/**
 * jhdf's LZF (id 32000, h5py's {@code compression='lzf'}), LZ4 (32004) and bitshuffle (32008) filters, bounded as
 * {@link BoundedInflate} bounds deflate: each allocates the decoded size its chunk declares before it decodes (LZF's
 * from the filter's parameters in the dataset's header, LZ4's and bitshuffle's from the chunk's first 8 bytes), up to
 * 2 GB for a chunk of a few bytes. Registered in jhdf's filter manager in place of jhdf's with
 * {@link BoundedInflate}; while {@link BoundedInflate#read} runs on a thread, a chunk declaring more than
 * {@link #limit} bytes, or (LZ4, bitshuffle) a block longer than the bytes left, is refused with an
 * {@link HdfFilterException} before jhdf allocates it; otherwise, and on other threads, jhdf's filter decodes it.
 */
final class BoundedDecoders {
    /**
     * The most bytes a chunk may decode to per byte stored: LZF codes at most 264 bytes in 3 (88 to 1), LZ4 at most
     * about 255 to 1.
     */
    static final long MAX_RATIO = 256;
    /** Bytes allowed beyond both bounds (headers, a filter before this one). */
    static final long SLACK = 64 << 10;
    /** The filters' ids. */
    private static final int LZF = 32000;
    private static final int LZ4 = 32004;
    /** Bitshuffle's parameter (the fifth) saying its blocks are LZ4-compressed. */
    private static final int BITSHUFFLE_LZ4 = 2;

    private BoundedDecoders() {
    }

    /** @return the filters, to register */
    static Filter[] filters() {
        return new Filter[] {new Bounded(new LzfFilter()), new Bounded(new Lz4Filter()),
            new Bounded(new BitShuffleFilter())};
    }

    /** jhdf's filter, its chunks checked first while a bounded read runs on this thread. */
    private static final class Bounded implements Filter {
        private final Filter jhdf;

        Bounded(Filter jhdf) {
            this.jhdf = jhdf;
        }

        @Override
        public int getId() {
            return jhdf.getId();
        }

        @Override
        public byte[] decode(byte[] encoded, int[] filterData) {
            Long cap = BoundedInflate.cap();
            if (cap != null) {
                long limit = limit(cap, encoded.length);
                switch (getId()) {
                    case LZF -> lzf(encoded, filterData, limit);
                    case LZ4 -> checkBlocks("LZ4", encoded, limit, false);
                    default -> bitshuffle(encoded, filterData, limit);
                }
            }
            return jhdf.decode(encoded, filterData);
        }

        @Override
        public String getName() {
            return jhdf.getName();
        }
    }

    /**
     * @param cap the bound of the read on this thread (the chunk's size), or null
     * @param encoded the bytes stored
     * @return the most bytes {@code encoded} may decode to: the chunk's size and an eighth, and at most
     *     {@link #MAX_RATIO} times its length; each with {@link #SLACK} more
     */
    static long limit(long cap, int encoded) {
        return Math.min(cap + cap / 8, MAX_RATIO * encoded) + SLACK;
    }

    private static HdfFilterException refused(String filter, String what, long limit) {
        return new HdfFilterException("a " + filter + " chunk declares " + what + ", more than the " + limit
                + " bytes a chunk of the dataset may decode to (a damaged or hostile file)");
    }

    /** LZF: its third parameter is the chunk's decoded size (jhdf returns a chunk as long as stored). */
    private static void lzf(byte[] encoded, int[] filterData, long limit) {
        if (filterData.length >= 3) {
            long declared = Integer.toUnsignedLong(filterData[2]);
            if (declared != encoded.length && declared > limit) {
                throw refused("LZF", declared + " bytes decoded", limit);
            }
        }
    }

    /** Bitshuffle: LZ4-compressed blocks (its fifth parameter 2) as LZ4's; uncompressed, as long as stored. */
    private static void bitshuffle(byte[] encoded, int[] filterData, long limit) {
        if (filterData.length > 4 && filterData[4] == BITSHUFFLE_LZ4) {
            checkBlocks("bitshuffle", encoded, limit, true);
        }
    }

    /**
     * Refuses, as jhdf would read them, a decoded size or block size over {@code limit}, or a block whose length
     * runs past the end of {@code encoded}; leaves to jhdf what it refuses itself (a header cut short, a size it
     * cannot convert).
     *
     * @param bitshuffle whether jhdf reads the blocks as bitshuffle's (allocating a block's decoded size, and
     *     counting whole blocks) rather than LZ4's
     */
    private static void checkBlocks(String filter, byte[] encoded, long limit, boolean bitshuffle) {
        ByteBuffer b = ByteBuffer.wrap(encoded); // big-endian, as jhdf reads them
        if (b.remaining() < Long.BYTES + Integer.BYTES) {
            return;
        }
        long total = b.getLong();
        int blockSize = b.getInt();
        if (total < 0 || blockSize <= 0) {
            return; // jhdf refuses them
        }
        if (total > limit || bitshuffle && blockSize > limit) {
            throw refused(filter, total + " bytes decoded in blocks of " + blockSize, limit);
        }
        long blocks = bitshuffle ? (blockSize > total ? 1 : total / blockSize) : (total + blockSize - 1) / blockSize;
        for (long i = 0; i < blocks; i++) {
            if (b.remaining() < Integer.BYTES) {
                return; // jhdf finds the end
            }
            int length = b.getInt();
            if (length < 0) {
                return; // jhdf refuses it
            }
            if (length > b.remaining()) {
                throw new HdfFilterException("a " + filter + " chunk of " + encoded.length + " bytes declares a block"
                        + " of " + length + " bytes at byte " + (b.position() - Integer.BYTES) + ", past its end"
                        + " (a damaged or hostile file)");
            }
            b.position(b.position() + length);
        }
    }
}
