package io.github.audiosetdl.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files the HDF5 readers refuse: each refusal is an IOException naming the file, and leaves no descriptor open. */
class UnreadableHdf5Test {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    interface Opener {
        void open(Path file) throws IOException;
    }

    private static final List<Opener> OPENERS = List.of(f -> WaveformFileReader.open(f).close(),
            f -> CochleagramFileReader.open(f).close(), f -> StrongLabelsReader.open(f).ifPresent(r -> r.close()),
            f -> PannsFileReader.open(f).close(),
            Hdf5Inspector::inspect);

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private List<Path> unreadable() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.hdf5"), "not HDF5 at all, only some text",
                StandardCharsets.UTF_8);
        byte[] zeroed = Arrays.copyOf(SIGNATURE, 300); // the signature, then a superblock of zeros
        Path superblock = Files.write(dir.resolve("zeroed.hdf5"), zeroed);
        byte[] unknown = Arrays.copyOf(SIGNATURE, 300);
        unknown[8] = 9; // superblock version 9
        Path version = Files.write(dir.resolve("version9.hdf5"), unknown);
        return List.of(text, superblock, version);
    }

    @Test
    void everyReaderRefusesAnUnreadableFileWithAnIoExceptionNamingIt() throws IOException {
        for (Path file : unreadable()) {
            for (Opener opener : OPENERS) {
                assertThatThrownBy(() -> opener.open(file)).isInstanceOf(IOException.class)
                        .hasMessageStartingWith(file + ": not a readable HDF5 file");
            }
        }
    }

    @Test
    void aStructureDeclaredBeyondTheFilesEndIsRefusedWithoutAllocatingIt() throws Exception {
        // the root group's local heap of a 4 kB file declares 1 GB: jhdf's mapping failed beyond the end of the file,
        // and it allocated 1 GB on the heap instead (out of memory in a 64 MB JVM; 9 s in a large one, then read)
        Path file = dir.resolve("heap.hdf5");
        io.github.audiosetdl.core.testing.ExternalTools.check(List.of(
                io.github.audiosetdl.core.testing.ExternalTools.requirePythonWithH5py().toString(), "-c",
                String.join("\n", "import sys, struct, h5py, numpy as np",
                        "with h5py.File(sys.argv[1], 'w') as f:",
                        "    f.create_dataset('wav', data=np.zeros((1, 1600), np.float32))",
                        "b = bytearray(open(sys.argv[1], 'rb').read())",
                        "at = b.find(b'HEAP')",
                        "assert at > 0",
                        "b[at + 8:at + 16] = struct.pack('<Q', 1 << 30)",
                        "open(sys.argv[1], 'wb').write(b)"), file.toString()));
        assertThat(Files.size(file)).isLessThan(16_384);
        for (Opener opener : OPENERS) {
            assertThatThrownBy(() -> opener.open(file)).isInstanceOf(IOException.class)
                    .hasMessageStartingWith(file + ":").hasStackTraceContaining("1073741824 bytes at byte")
                    .hasStackTraceContaining("beyond the file's end");
        }
    }

    /** jhdf's reason for a file opened on a channel said "in remote file" of a local file. */
    @Test
    void theReasonDoesNotCallALocalFileRemote() throws IOException {
        Path text = unreadable().get(0);
        for (Opener opener : OPENERS) {
            assertThatThrownBy(() -> opener.open(text)).isInstanceOf(IOException.class)
                    .hasMessage(text + ": not a readable HDF5 file: No valid HDF5 signature found");
        }
    }

    @Test
    void aRefusedFileLeavesNoDescriptorOpen() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc/self/fd");
        List<Path> files = unreadable();
        for (Opener opener : OPENERS) { // load every class first
            assertThat(catchThrowable(() -> opener.open(files.get(0)))).isNotNull();
        }
        long before = openDescriptors();
        for (int i = 0; i < 10; i++) {
            for (Path file : files) {
                for (Opener opener : OPENERS) {
                    assertThat(catchThrowable(() -> opener.open(file))).isNotNull();
                }
            }
        }
        assertThat(openDescriptors() - before).as("descriptors left open by 120 refused opens").isLessThanOrEqualTo(2);
    }
}
