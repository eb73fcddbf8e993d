package io.github.audiosetdl.hdf5.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.spi.NameLock;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishing staged files is all or nothing when a final name is taken by a folder; publishing under the lock of the
 * main file's name waits for another writer of the file, at most the wait given.
 */
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

    /**
     * A folder that takes no new entries although it may be written (/proc, even for root) fails naming the folder
     * given and the reason, the hidden staging name only as detail: it said "no such file: /proc/.x.hdf5.<id>.tmp".
     */
    @Test
    void aFolderThatTakesNoFilesIsNamedNotTheHiddenStagingFolder() {
        Path proc = Path.of("/proc");
        Assumptions.assumeTrue(Files.isDirectory(proc), "a Linux /proc");
        assertThatThrownBy(() -> Staging.beside(proc.resolve("x_Coch.hdf5"))).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot write in /proc: ").hasMessageContaining("(creating .x_Coch.hdf5.")
                .hasMessageContaining(" for x_Coch.hdf5)");
    }

    private Optional<NameLock> tryLock(String name) throws IOException {
        return NameLock.tryAcquire(dir, name, Duration.ZERO);
    }

    @Test
    void publishingUnderTheLockHoldsItUntilUnlockedAndAnotherWriterOfTheFileWaitsForIt() throws Exception {
        Path npy = dir.resolve("x_average.npy");
        Path hdf5 = dir.resolve("x_Coch.hdf5");
        Staging first = Staging.beside(hdf5);
        Path firstFile = Files.write(first.dir().resolve("coch.hdf5"), new byte[] {1});
        first.publishLocked(List.<Path[]>of(new Path[] {firstFile, hdf5}), Duration.ZERO);
        assertThat(hdf5).hasBinaryContent(new byte[] {1});
        assertThat(tryLock("x_Coch.hdf5")).as("held after the renames").isEmpty();

        Staging second = Staging.beside(hdf5);
        Path secondNpy = Files.write(second.dir().resolve("average.npy"), new byte[] {3});
        Path secondFile = Files.write(second.dir().resolve("coch.hdf5"), new byte[] {2});
        List<Path[]> moves = List.of(new Path[] {secondNpy, npy}, new Path[] {secondFile, hdf5});
        assertThatThrownBy(() -> second.publishLocked(moves, Duration.ofMillis(200))).isInstanceOf(IOException.class)
                .hasMessageContaining(hdf5.toString()).hasMessageContaining("in " + dir.toAbsolutePath())
                .hasMessageContaining(".x_Coch.hdf5.lock").hasMessageContaining("nothing was put in place");
        assertThat(hdf5).as("not replaced").hasBinaryContent(new byte[] {1});
        assertThat(npy).as("nothing renamed, the npy first neither").doesNotExist();

        first.unlock();
        first.unlock(); // again: nothing
        second.publishLocked(moves, Duration.ZERO);
        assertThat(hdf5).hasBinaryContent(new byte[] {2});
        assertThat(npy).hasBinaryContent(new byte[] {3});
        assertThat(tryLock("x_Coch.hdf5")).isEmpty();
        second.unlock();
        tryLock("x_Coch.hdf5").orElseThrow().close();
        assertThat(dir.resolve(".x_Coch.hdf5.lock")).as("kept, empty").isEmptyFile();
        assertThat(tryLock("x_average.npy")).as("one lock, the main file's").isPresent().get()
                .satisfies(NameLock::close);
    }

    @Test
    void aLockFileThatCannotBeUsedPublishesWithoutIt(@TempDir Path elsewhere) throws Exception {
        Path hdf5 = dir.resolve("x.hdf5");
        Path target = elsewhere.resolve("created-by-the-lock");
        Files.createSymbolicLink(dir.resolve(".x.hdf5.lock"), target);
        Staging staging = Staging.beside(hdf5);
        Path staged = Files.write(staging.dir().resolve("x.hdf5"), new byte[] {1});
        staging.publishLocked(List.<Path[]>of(new Path[] {staged, hdf5}), Duration.ZERO);
        staging.unlock();
        assertThat(hdf5).hasBinaryContent(new byte[] {1});
        assertThat(target).as("the link is never followed").doesNotExist();
    }
}
