package io.github.audiosetdl.hdf5.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jhdf.exceptions.HdfFilterException;
import io.jhdf.filter.Filter;
import io.jhdf.filter.Lz4Filter;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

/**
 * {@link BoundedDecoders}: a chunk declaring more than its dataset's chunk holds is refused before jhdf allocates
 * it (jhdf allocated the declared size: 2 GB for 16 bytes); valid chunks decode to jhdf's bytes.
 */
class BoundedDecodersTest {
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)
            ManagementFactory.getThreadMXBean();

    /** An LZ4 chunk as the HDF5 LZ4 filter stores it: decoded size, block size, then each block's length and bytes. */
    private static byte[] lz4(byte[] data, int blockSize) {
        LZ4Compressor c = LZ4Factory.fastestJavaInstance().fastCompressor();
        ByteBuffer out = ByteBuffer.allocate(12 + data.length * 2 + 1024).putLong(data.length).putInt(blockSize);
        for (int at = 0; at < data.length; at += blockSize) {
            byte[] block = c.compress(Arrays.copyOfRange(data, at, Math.min(data.length, at + blockSize)));
            out.putInt(block.length).put(block);
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    /** Decodes with the bound {@code cap}; fails if that allocated more than 16 MB. */
    private static byte[] decode(Filter filter, byte[] encoded, int[] data, long cap) {
        long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
        try {
            return BoundedInflate.withCap(cap, () -> filter.decode(encoded, data));
        } finally {
            assertThat(THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - before)
                    .as("bytes allocated").isLessThan(16L << 20);
        }
    }

    private static Filter filter(int id) {
        return Arrays.stream(BoundedDecoders.filters()).filter(f -> f.getId() == id).findFirst().orElseThrow();
    }

    @Test
    void validLz4ChunksDecodeAsJhdfDecodesThem() {
        byte[] data = new byte[100_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 251 == 0 ? i : 0);
        }
        for (int blockSize : new int[] {1 << 16, 4096, 100_000, 7}) {
            byte[] encoded = lz4(data, blockSize);
            assertThat(decode(filter(32004), encoded, new int[0], data.length)).isEqualTo(data)
                    .isEqualTo(new Lz4Filter().decode(encoded, new int[0]));
        }
    }

    @Test
    void lz4AndBitshuffleChunksDeclaringHugeSizesOrBlocksPastTheirEndAreRefused() {
        byte[] valid = lz4(new byte[4000], 1000);
        byte[] huge = valid.clone();
        ByteBuffer.wrap(huge).putLong(0, 0x7fff_fff0L); // the decoded size: 2 GB
        byte[] hugeBlock = valid.clone();
        ByteBuffer.wrap(hugeBlock).putInt(12, 0x7fff_fff0); // the first block's length
        byte[] bigBlocks = valid.clone();
        ByteBuffer.wrap(bigBlocks).putInt(8, 0x7fff_fff0); // bitshuffle allocates a block's decoded size
        int[] bitshuffleLz4 = {0, 3, 4, 0, 2};
        for (Object[] c : new Object[][] {{32004, huge, new int[0], "2147483632 bytes decoded"},
            {32004, hugeBlock, new int[0], "a block of 2147483632 bytes at byte 12, past its end"},
            {32008, huge, bitshuffleLz4, "2147483632 bytes decoded"},
            {32008, hugeBlock, bitshuffleLz4, "past its end"},
            {32008, bigBlocks, bitshuffleLz4, "in blocks of 2147483632"}}) {
            Throwable t = catchThrowable(() -> decode(filter((int) c[0]), (byte[]) c[1], (int[]) c[2], 4000));
            assertThat(t).as("filter %s: %s", c[0], c[3]).isInstanceOf(HdfFilterException.class)
                    .hasMessageContaining((String) c[3]).hasMessageContaining("damaged or hostile");
        }
    }

    @Test
    void anLzfChunkDeclaringMoreThanItsDatasetsChunkIsRefused() {
        Throwable t = catchThrowable(() -> decode(filter(32000), new byte[] {1, 2, 3}, new int[] {4, 261, 0x7fff_fff0},
                4000));
        assertThat(t).isInstanceOf(HdfFilterException.class).hasMessageContaining("LZF chunk declares 2147483632");
        assertThat(BoundedDecoders.limit(4000, 3)).as("at most 256 bytes a byte stored, and 64 kB")
                .isEqualTo(256 * 3 + (64 << 10));
        assertThat(BoundedDecoders.limit(4000, 1000)).as("at most the chunk, an eighth more and 64 kB")
                .isEqualTo(4500 + (64 << 10));
    }
}
