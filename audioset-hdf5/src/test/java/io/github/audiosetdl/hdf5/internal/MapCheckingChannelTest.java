package io.github.audiosetdl.hdf5.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MapCheckingChannel}: a read past the file's end is refused before the JDK allocates a temporary direct
 * buffer as large as it (a damaged object header of a 1 MB PANNs file, found by mutation, made jhdf read a gigabyte
 * from it: a second gigabyte, off the heap, and seconds of reading).
 */
class MapCheckingChannelTest {
    @TempDir
    Path dir;

    @Test
    void aReadPastTheEndIsRefusedNamingTheFileAndOneWithinIsRead() throws IOException {
        Path file = Files.write(dir.resolve("f.hdf5"), new byte[100]);
        try (FileChannel ch = new MapCheckingChannel(FileChannel.open(file, StandardOpenOption.READ), file)) {
            assertThat(ch.read(ByteBuffer.allocate(100), 0)).isEqualTo(100);
            assertThat(ch.read(ByteBuffer.allocate(10), 90)).isEqualTo(10);
            assertThat(ch.read(ByteBuffer.allocate(0), 100)).isZero();
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(11), 90)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(file + ": a structure of 11 bytes at byte 90 lies beyond the file's end (100 bytes):"
                            + " a truncated or damaged file");
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1 << 20), 64))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1048576 bytes at byte 64");
        }
    }

    /** An object header prefix: {@code OHDR}, version 2, {@code flags}, then {@code fields} and zeros to 64 bytes. */
    private Path header(int flags, byte... fields) throws IOException {
        byte[] b = new byte[64];
        b[0] = 'O';
        b[1] = 'H';
        b[2] = 'D';
        b[3] = 'R';
        b[4] = 2;
        b[5] = (byte) flags;
        System.arraycopy(fields, 0, b, 6, fields.length);
        return Files.write(dir.resolve("h" + flags + "_" + fields.length + ".hdf5"), b);
    }

    private static int readPrefix(Path file) throws IOException {
        try (FileChannel ch = new MapCheckingChannel(FileChannel.open(file, StandardOpenOption.READ), file)) {
            return ch.read(ByteBuffer.allocate(6), 0);
        }
    }

    @Test
    void anObjectHeaderDeclaringMessagesBeyondTheFilesEndIsRefusedWhenItsPrefixIsRead() throws IOException {
        // flags 2: a 4-byte size right after the prefix; 0x7ffffff0 bytes of messages in a 64-byte file
        Path huge = header(2, (byte) 0xf0, (byte) 0xff, (byte) 0xff, (byte) 0x7f);
        assertThatThrownBy(() -> readPrefix(huge)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(huge + ": the object header at byte 0 declares 2147483632 bytes of messages beyond the"
                        + " file's end (64 bytes): a truncated or damaged file");
        // 50 fit: 6 bytes of prefix, 4 of size, 50 of messages and 4 of checksum are the file's 64
        assertThat(readPrefix(header(2, (byte) 50))).isEqualTo(6);
        assertThatThrownBy(() -> readPrefix(header(2, (byte) 51))).hasMessageContaining("51 bytes of messages");
        // flags 0x23: times (16 bytes) before an 8-byte size; an unsigned size past Long.MAX_VALUE
        byte[] times = new byte[24];
        Arrays.fill(times, 16, 24, (byte) 0xff);
        Path timed = header(0x23, times);
        assertThatThrownBy(() -> readPrefix(timed)).hasMessageContaining("18446744073709551615 bytes of messages");
        times[16] = 30; // 6 + 16 + 8 + 30 + 4 = 64
        Arrays.fill(times, 17, 24, (byte) 0);
        assertThat(readPrefix(header(0x23, times))).isEqualTo(6);
        // flags 0x10: 4 bytes of attribute phase change before a 1-byte size (6 + 4 + 1 + 49 + 4 = 64)
        assertThat(readPrefix(header(0x10, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 49)))
                .isEqualTo(6);
        assertThatThrownBy(() -> readPrefix(header(0x10, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 50)))
                .hasMessageContaining("50 bytes of messages");
    }

    @Test
    void otherSixByteReadsAndLongerReadsOfAPrefixAreLeftAlone() throws IOException {
        Path huge = header(2, (byte) 0xf0, (byte) 0xff, (byte) 0xff, (byte) 0x7f);
        try (FileChannel ch = new MapCheckingChannel(FileChannel.open(huge, StandardOpenOption.READ), huge)) {
            assertThat(ch.read(ByteBuffer.allocate(10), 0)).isEqualTo(10); // not jhdf's prefix read
            assertThat(ch.read(ByteBuffer.allocate(6), 1)).isEqualTo(6); // not a signature
        }
        Path v1 = Files.write(dir.resolve("v1.hdf5"), new byte[] {'O', 'H', 'D', 'R', 1, 2, -1, -1, -1, -1});
        assertThat(readPrefix(v1)).isEqualTo(6); // not version 2
    }
    /**
     * Reads {@code file} as jhdf reads a version-1 object header at {@code at}: its first byte, then 12 bytes at the
     * same position.
     */
    private static int readVersionOnePrefix(Path file, long at) throws IOException {
        try (FileChannel ch = new MapCheckingChannel(FileChannel.open(file, StandardOpenOption.READ), file)) {
            assertThat(ch.read(ByteBuffer.allocate(1), at)).isEqualTo(1);
            return ch.read(ByteBuffer.allocate(12), at);
        }
    }

    @Test
    void aVersionOneHeaderIsCheckedWhenReadAsJhdfReadsOneButNotTheSuperblockThatLooksLikeOne() throws IOException {
        // a version-1 superblock: the signature, then version 1, ..., leaf K 4 and internal K 16 where a version-1
        // object header has its size of messages (0x00100004 bytes, beyond this file's end)
        byte[] b = new byte[96];
        byte[] superblock = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 1, 0, 0, 0, 0, 8, 8, 0, 4, 0, 16, 0};
        System.arraycopy(superblock, 0, b, 0, superblock.length);
        Path file = Files.write(dir.resolve("v1.hdf5"), b);
        assertThat(readVersionOnePrefix(file, 8)).isEqualTo(12);
        // the same 12 bytes elsewhere are an object header declaring 1 MB of messages in a 96-byte file
        System.arraycopy(superblock, 8, b, 48, 12);
        Path header = Files.write(dir.resolve("oh.hdf5"), b);
        assertThatThrownBy(() -> readVersionOnePrefix(header, 48)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(header + ": the object header at byte 48 declares 1048580 bytes of messages, beyond the"
                        + " file's end (96 bytes) or over the 16 MB a header's block may hold: a truncated or damaged"
                        + " file");
        // 32 bytes of messages end at the file's end; 12 bytes read alone (not after its first byte) are not checked
        b[56] = 32;
        b[57] = 0;
        b[58] = 0;
        Path fits = Files.write(dir.resolve("fits.hdf5"), b);
        assertThat(readVersionOnePrefix(fits, 48)).isEqualTo(12);
        try (FileChannel ch = new MapCheckingChannel(FileChannel.open(header, StandardOpenOption.READ), header)) {
            assertThat(ch.read(ByteBuffer.allocate(12), 48)).isEqualTo(12);
        }
    }
}
