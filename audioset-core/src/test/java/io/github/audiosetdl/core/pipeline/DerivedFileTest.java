package io.github.audiosetdl.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.spi.NameLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DerivedFile}: a file kept while the files it was computed from are as they were. */
class DerivedFileTest {
    @TempDir
    Path dir;

    @Test
    void aDerivedFileIsUpToDateWhileItsInputIsAsItWasRead() throws IOException {
        Path input = Files.writeString(dir.resolve("x_Coch.hdf5"), "cochleagrams");
        Path stats = dir.resolve("x_stats.npz");
        assertThat(DerivedFile.whyStale(stats, List.of(input))).contains("there is no output yet");

        assertThat(DerivedFile.write(stats, List.of(input), () -> Files.writeString(stats, "statistics")))
                .isEqualTo(stats);
        assertThat(DerivedFile.whyStale(stats, List.of(input))).isEmpty();

        // replaced by another file with an older time, as cp -p leaves it: stale, whatever the times say
        Path other = Files.writeString(dir.resolve("other"), "other cochleagrams");
        Files.setLastModifiedTime(other, FileTime.fromMillis(Files.getLastModifiedTime(stats).toMillis() - 60_000));
        Files.move(other, input, StandardCopyOption.REPLACE_EXISTING);
        assertThat(DerivedFile.whyStale(stats, List.of(input))).contains(input + " changed since x_stats.npz was"
                + " computed from it");

        Files.delete(input);
        assertThat(DerivedFile.whyStale(stats, List.of(input))).contains(input + " is missing");
        assertThat(DerivedFile.delete(stats)).isTrue();
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder(
                    ".x_stats.npz.inputs.lock", ".x_stats.npz.lock"); // deleted under the lock of its name
        }
    }

    @Test
    void aComputationThatFailsOrWritesAnotherFileLeavesNoRecord() throws IOException {
        Path input = Files.writeString(dir.resolve("x_Coch.hdf5"), "cochleagrams");
        Path stats = dir.resolve("x_stats.npz");
        DerivedFile.write(stats, List.of(input), () -> Files.writeString(stats, "statistics"));
        assertThatThrownBy(() -> DerivedFile.write(stats, List.of(input), () -> {
            throw new IOException(stats + ": row 1 is NaN");
        })).hasMessageContaining("row 1 is NaN");
        assertThat(DerivedFile.whyStale(stats, List.of(input))).get().asString().contains("has no record");
        assertThatThrownBy(() -> DerivedFile.write(stats, List.of(input), () -> input))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wrote " + input);
        assertThatThrownBy(() -> DerivedFile.whyStale(stats, List.of(input, input)))
                .hasMessageContaining("two inputs of " + stats + " are named x_Coch.hdf5");
    }

    /**
     * {@link DerivedFile#writeLocked}: the lock of the file's name the computation returns is held until the record is
     * written, then released; one of another name is released and refused, and leaves no record.
     */
    @Test
    void theLockTheComputationReturnsIsReleasedOnceTheFileIsRecorded() throws IOException {
        Path input = Files.writeString(dir.resolve("x_Coch.hdf5"), "cochleagrams");
        Path stats = dir.resolve("x_stats.npz");
        AtomicReference<NameLock> held = new AtomicReference<>();
        DerivedFile.writeLocked(stats, List.of(input), () -> {
            held.set(NameLock.tryAcquire(dir, "x_stats.npz", Duration.ZERO).orElseThrow());
            Files.writeString(stats, "statistics");
            return Optional.of(held.get());
        });
        assertThat(DerivedFile.whyStale(stats, List.of(input))).isEmpty();
        try (NameLock again = NameLock.tryAcquire(dir, "x_stats.npz", Duration.ZERO).orElseThrow()) {
            assertThat(again.file()).isEqualTo(held.get().file());
        }

        assertThatThrownBy(() -> DerivedFile.writeLocked(stats, List.of(input), () -> {
            Files.writeString(stats, "statistics");
            return NameLock.tryAcquire(dir, "x_Coch.hdf5", Duration.ZERO);
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("returned the lock "
                + dir.toRealPath().resolve(".x_Coch.hdf5.lock"));
        assertThat(DerivedFile.whyStale(stats, List.of(input))).get().asString().contains("has no record");
        assertThat(NameLock.tryAcquire(dir, "x_Coch.hdf5", Duration.ZERO)).as("released").isPresent().get()
                .satisfies(NameLock::close);

        // where locks cannot be used, the computation returns none: the file is recorded
        DerivedFile.writeLocked(stats, List.of(input), Optional::empty);
        assertThat(DerivedFile.whyStale(stats, List.of(input))).isEmpty();
    }
}
