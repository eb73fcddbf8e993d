package io.github.audiosetdl.hdf5.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
}
