package io.github.audiosetdl.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFolderTest {
    @TempDir
    Path dir;

    @Test
    void namesTheFolderGivenAndTheReasonTheHiddenNameOnlyAsDetail() {
        // the reason of a folder given relative, and the message of a read-only folder
        IOException ro = OutputFolder.cannotWriteIn(Path.of("out", "x.hdf5"), ".x.hdf5.1.tmp",
                new FileSystemException("out/.x.hdf5.1.tmp", null, "Read-only file system"));
        assertThat(ro).hasMessage("cannot write in out: Read-only file system (creating .x.hdf5.1.tmp for x.hdf5);"
                + " choose another output folder");
        assertThat(OutputFolder.cannotWriteIn(Path.of("x.hdf5"), ".x.hdf5.1.tmp", new IOException("boom")))
                .hasMessageStartingWith("cannot write in " + Path.of("").toAbsolutePath() + ": boom");
        assertThat(OutputFolder.cannotWriteIn(Path.of("out", "slurm"), "slurm", new IOException("boom")))
                .hasMessage("cannot write in out: boom (creating slurm); choose another output folder");
    }

    /** A folder made in one that takes no new entries (/proc, even for root) names that folder, not the one made. */
    @Test
    void aFolderThatCannotBeMadeNamesTheFolderItWasToBeMadeIn() throws IOException {
        Path proc = Path.of("/proc");
        Assumptions.assumeTrue(Files.isDirectory(proc), "a Linux /proc");
        assertThatThrownBy(() -> OutputFolder.createDirectories(proc.resolve("x_downloads/x_downloads_0")))
                .isInstanceOf(IOException.class).hasMessageStartingWith("cannot write in /proc: ")
                .hasMessageEndingWith(" (creating x_downloads); choose another output folder");
        assertThat(proc.resolve("x_downloads")).doesNotExist();
        // made, and a file on the way: as the JDK says
        assertThat(OutputFolder.createDirectories(dir.resolve("a/b"))).isDirectory();
        Path file = Files.createFile(dir.resolve("f"));
        assertThatThrownBy(() -> OutputFolder.createDirectories(file)).isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> OutputFolder.createDirectories(file.resolve("sub")))
                .isInstanceOf(FileSystemException.class).hasMessageNotContaining("cannot write in");
    }
}
