package io.github.audiosetdl.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.pipeline.DerivedFile;
import io.github.audiosetdl.core.pipeline.FeatureStage;
import io.github.audiosetdl.core.spi.FeatureSink;
import io.github.audiosetdl.core.spi.NameLock;
import io.github.audiosetdl.core.spi.WaveformSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FeatureStats#writeNpz} puts {@code X_stats.npz} in place under the lock of its name,
 * {@code .X_stats.npz.lock}, as the HDF5 writers do, and {@link FeatureStats#writeNpzLocked} leaves it held until
 * {@link DerivedFile#writeLocked} has recorded the file: a program writing the statistics itself cannot replace
 * them between the command line's rename and its record, which would then name that program's file.
 */
class FeatureStatsLockTest {
    @TempDir
    Path dir;

    /** @return the statistics of a toy cochleagram file of {@code rows} rows, {@code <name>_Coch.hdf5} */
    private FeatureStats statsOf(String name, int rows) throws IOException {
        Path wav = WaveformFileTest.writeRows(dir.resolve(name + ".hdf5"), rows);
        Path coch = dir.resolve(name + "_Coch.hdf5");
        FeatureStage stage = FeatureStage.builder().extractor(CochleagramFileTest.TOY).threads(1).build();
        try (WaveformSource source = Hdf5DatasetStore.INSTANCE.openWaveforms(wav);
                FeatureSink sink = Hdf5DatasetStore.INSTANCE.createFeatures(coch, source, stage.extractor())) {
            stage.run(source, sink);
        }
        try (CochleagramFileReader in = CochleagramFileReader.open(coch)) {
            return FeatureStats.compute(in);
        }
    }

    /** @return whether {@code write} is still running after 2 s (it waits for a lock) */
    private static boolean stillWaiting(Future<?> write) throws Exception {
        try {
            write.get(2, TimeUnit.SECONDS);
            return false;
        } catch (TimeoutException e) {
            return true;
        }
    }

    @Test
    void writeNpzWaitsForTheHolderOfTheFilesNameLock() throws Exception {
        FeatureStats stats = statsOf("x", 3);
        Path npz = dir.resolve("x_stats.npz");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            NameLock held = NameLock.tryAcquire(dir, npz.getFileName().toString(), Duration.ZERO).orElseThrow();
            Future<?> write;
            try {
                write = pool.submit(() -> {
                    stats.writeNpz(npz);
                    return null;
                });
                assertThat(stillWaiting(write)).as("the writer waits at its rename while another holds the lock")
                        .isTrue();
                assertThat(npz).doesNotExist();
            } finally {
                held.close();
            }
            write.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(npz).isRegularFile();
        assertThat(dir.resolve(".x_stats.npz.lock")).as("released once in place").isEmptyFile();
        assertThat(NameLock.tryAcquire(dir, "x_stats.npz", Duration.ZERO)).isPresent().get()
                .satisfies(NameLock::close);
    }

    /**
     * A program writing {@code x_stats.npz} with {@link FeatureStats#writeNpz} between the rename of a
     * {@link DerivedFile#writeLocked} computation and its record: its rename waits until the record is written, so
     * the record names the computation's file, and the next run sees the file replaced since.
     */
    @Test
    void aDirectWriterCannotReplaceTheStatisticsBetweenTheRecordedRenameAndTheRecord() throws Exception {
        FeatureStats ours = statsOf("x", 3);
        FeatureStats theirs = statsOf("other", 5);
        Path input = dir.resolve("x_Coch.hdf5");
        Path npz = dir.resolve("x_stats.npz");
        AtomicReference<Future<?>> other = new AtomicReference<>();
        AtomicBoolean early = new AtomicBoolean();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            DerivedFile.writeLocked(npz, List.of(input), () -> {
                Optional<NameLock> held = ours.writeNpzLocked(npz);
                // the hook between the rename and the record: the other program writes the same file
                other.set(pool.submit(() -> {
                    theirs.writeNpz(npz);
                    return null;
                }));
                try {
                    early.set(!stillWaiting(other.get()));
                } catch (Exception e) {
                    throw new IllegalStateException("the other writer failed", e);
                }
                return held;
            });
            other.get().get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(early).as("the other writer's rename waited for the record").isFalse();
        assertThat(DerivedFile.whyStale(npz, List.of(input))).as("the record names our file, replaced since")
                .get().asString().contains("x_stats.npz");
        assertThat(dir.resolve(".x_stats.npz.lock")).isEmptyFile();
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")))
                    .as("no staging folder left").isEmpty();
        }
    }
}
