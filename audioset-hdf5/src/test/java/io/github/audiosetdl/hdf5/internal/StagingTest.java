package io.github.audiosetdl.hdf5.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing staged files is all or nothing when a final name is taken by a folder. */
class StagingTest {
    @TempDir
    Path dir;

    @Test
    void aFolderAtAFinalNamePublishesNothing() throws Exception {
        Path npy = dir.resolve("x_average.npy");
        Path hdf5 = dir.resolve("x_Coch.hdf5");
        Files.createDirectories(hdf5.resolve("inner"));
        Staging staging = Staging.beside(hdf5);
        Path stagedNpy = Files.write(staging.dir().resolve("average.npy"), new byte[] {1});
        Path stagedHdf5 = Files.write(staging.dir().resolve("coch.hdf5"), new byte[] {2});

        // the .npy went first, under its final name, beside no cochleagram file
        assertThatThrownBy(() -> staging.publish(List.of(new Path[] {stagedNpy, npy},
                new Path[] {stagedHdf5, hdf5}))).isInstanceOf(FileSystemException.class)
                .hasMessageContaining(hdf5.toString()).hasMessageContaining("Is a directory");
        staging.delete();
        assertThat(npy).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(hdf5);
        }
    }
}
