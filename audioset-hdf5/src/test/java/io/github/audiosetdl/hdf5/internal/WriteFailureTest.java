package io.github.audiosetdl.hdf5.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk while rows are written ({@code /dev/full} answers every write with {@code ENOSPC}, as a full file
 * system does): the error names the file, not only the operating system's "No space left on device".
 */
class WriteFailureTest {
    private static final Path FULL = Path.of("/dev/full");

    @Test
    void aFullDiskUnderTheRowsNamesTheFile() throws IOException {
        assumeTrue(Files.isWritable(FULL), "/dev/full (Linux) is needed");
        Path file = Path.of("out", ".eval.hdf5.1234abcd.tmp", "data.hdf5");
        try (FileChannel full = FileChannel.open(FULL, StandardOpenOption.WRITE);
                FloatAppender rows = new FloatAppender(file, full, 0, false)) {
            float[] row = new float[160_000];
            assertThatThrownBy(() -> {
                for (int i = 0; i < 20; i++) { // more than one batch: the background write fails too
                    rows.append(row);
                }
                rows.finish();
            }).isInstanceOf(IOException.class)
                    .hasMessageStartingWith(file + ": writing rows at byte ")
                    .hasMessageContaining("No space left on device")
                    .cause().hasMessageNotContaining(file.toString());
        }
    }

    @Test
    void aMessageThatNamesTheFileOrAnInterruptionIsKept() {
        IOException named = new IOException("out/a.hdf5: short write");
        assertThat(WriteFailure.naming(Path.of("out/a.hdf5"), "writing", named)).isSameAs(named);
        IOException interrupted = new java.io.InterruptedIOException("interrupted");
        assertThat(WriteFailure.naming(Path.of("out/a.hdf5"), "writing", interrupted)).isSameAs(interrupted);
        IOException bare = new IOException((String) null);
        assertThat(WriteFailure.naming(Path.of("out/a.hdf5"), "writing", bare))
                .hasMessage("out/a.hdf5: writing failed: java.io.IOException").hasCause(bare);
    }

    @Test
    void aStagingFolderWhoseOwnerCannotBeWrittenIsRemovedAndNamed(@TempDir Path dir) throws IOException {
        assumeTrue(Files.isWritable(FULL), "/dev/full (Linux) is needed");
        Path target = dir.resolve("eval.hdf5");
        assertThatThrownBy(() -> Staging.beside(target, owner -> FileChannel.open(FULL, StandardOpenOption.WRITE)))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(dir.resolve(".eval.hdf5.").toString())
                .hasMessageEndingWith("owner.pid: writing failed: No space left on device");
        try (var left = Files.list(dir)) {
            assertThat(left).as("a folder without an owner would never be removed").isEmpty();
        }
    }
}
