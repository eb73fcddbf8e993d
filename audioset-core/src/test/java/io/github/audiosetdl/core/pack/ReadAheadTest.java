package io.github.audiosetdl.core.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The pack's read-ahead hands over exactly the file's bytes, and stays within its size limits and budget. */
class ReadAheadTest {
    @TempDir
    Path dir;

    private Path file(String name, int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(dir.resolve(name), bytes);
    }

    static Stream<Arguments> sizes() {
        return IntStream.of(1, 44, 4095, 4096, 4097, 320_044, 1_764_044, 1_920_044, ReadAhead.MAX_FILE).boxed()
                .flatMap(size -> Stream.of(Arguments.of(size, true), Arguments.of(size, false)));
    }

    @ParameterizedTest(name = "{0} bytes, O_DIRECT tried: {1}")
    @MethodSource("sizes")
    void givesTheWholeFile(int size, boolean direct) throws Exception {
        Path f = file("a.wav", size);
        try (ReadAhead ahead = new ReadAhead(2, 1L << 30, direct)) {
            for (int round = 0; round < 3; round++) { // recycled buffers hand over the new file's bytes only
                ByteBuffer b = ahead.submit(f).get();
                assertThat(b).isNotNull();
                assertThat(b.position()).isZero();
                assertThat(b.remaining()).isEqualTo(size);
                byte[] got = new byte[size];
                b.get(got);
                assertThat(got).isEqualTo(Files.readAllBytes(f));
                ahead.recycle(b);
            }
        }
    }

    @Test
    void leavesEmptyMissingAndLargeFilesToTheWorker() throws Exception {
        try (ReadAhead ahead = new ReadAhead(1, 1L << 30)) {
            assertThat(ahead.submit(file("empty.wav", 0)).get()).isNull();
            assertThat(ahead.submit(dir.resolve("missing.wav")).get()).isNull();
            assertThat(ahead.submit(file("big.wav", ReadAhead.MAX_FILE + 1)).get()).isNull();
        }
    }

    @Test
    void staysWithinItsBudget() throws Exception {
        Path f = file("b.wav", 300_000); // a 512 kB buffer each
        try (ReadAhead ahead = new ReadAhead(1, 8L << 20)) { // budget: a quarter of 8 MB, four buffers
            ByteBuffer[] held = new ByteBuffer[4];
            for (int i = 0; i < held.length; i++) {
                held[i] = ahead.submit(f).get();
                assertThat(held[i]).as("buffer %d", i).isNotNull();
            }
            assertThat(ahead.submit(f).get()).as("beyond the budget").isNull();
            ahead.recycle(held[0]);
            assertThat(ahead.submit(f).get()).as("a recycled buffer").isNotNull();
        }
    }
}
