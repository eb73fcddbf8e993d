package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.pipeline.DerivedFile;
import io.github.audiosetdl.core.spi.NameLock;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runs on the same output at once: one writing the statistics beside the cochleagrams (as {@code stats} and
 * {@code cochleagram} do), one deleting the statistics it judged stale (as {@code cochleagram --no-stats} does after
 * it replaced them). The outcome is one complete, recorded statistics file, never none.
 */
class StatsDeletionRaceTest {
    private static final String FRESH = "the statistics of the cochleagrams as they are now";

    @TempDir
    Path dir;

    /**
     * Before, the deleting run judged the statistics stale (the writer had renamed its file into place but not yet
     * recorded it) and deleted them with no lock: the writer's fresh file went, its record could not be written, and
     * the folder was left with no statistics. Now it judges and deletes under the record's lock and the name's, so
     * it waits for the writer's record, then finds the statistics up to date and keeps them.
     */
    @Test
    void aRunDeletingStaleStatisticsNeverDeletesThoseAnotherRunHasJustWritten() throws Exception {
        Path coch = Files.writeString(dir.resolve("x_Coch.hdf5"), "cochleagrams");
        Path stats = StatsCommand.statsBeside(coch);
        Files.writeString(stats, "the statistics of cochleagrams since replaced"); // no record: stale
        CountDownLatch renamed = new CountDownLatch(1);
        CountDownLatch recordMayGo = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> writer = pool.submit(() -> {
                DerivedFile.writeLocked(stats, List.of(coch), () -> {
                    // as FeatureStats.writeNpzLocked: a complete temporary file, renamed under the name's lock, held
                    Path tmp = Files.writeString(dir.resolve(".x_stats.npz.test.tmp"), FRESH);
                    NameLock lock = NameLock.tryAcquire(dir, stats.getFileName().toString(), Duration.ofSeconds(30))
                            .orElseThrow();
                    Files.move(tmp, stats, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    renamed.countDown();
                    try {
                        recordMayGo.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted before the record");
                    }
                    return Optional.of(lock);
                });
                return null;
            });
            assertThat(renamed.await(30, TimeUnit.SECONDS)).isTrue();
            StringWriter said = new StringWriter();
            Future<?> deleter = pool.submit(() -> {
                StatsCommand.removeStaleBeside(coch, new PrintWriter(said, true));
                return null;
            });
            try {
                deleter.get(1, TimeUnit.SECONDS); // before: done at once, the fresh file deleted
            } catch (TimeoutException e) {
                // now: it waits for the writer's record
            }
            recordMayGo.countDown();
            writer.get(30, TimeUnit.SECONDS);
            deleter.get(30, TimeUnit.SECONDS);

            assertThat(stats).hasContent(FRESH);
            assertThat(DerivedFile.whyStale(stats, List.of(coch))).isEmpty();
            assertThat(said.toString()).doesNotContain("deleted");
        } finally {
            recordMayGo.countDown();
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Stale statistics (their cochleagrams replaced since) are still deleted, with their record. */
    @Test
    void staleStatisticsAreDeleted() throws Exception {
        Path coch = Files.writeString(dir.resolve("x_Coch.hdf5"), "cochleagrams");
        Path stats = StatsCommand.statsBeside(coch);
        DerivedFile.write(stats, List.of(coch), () -> Files.writeString(stats, FRESH));
        Files.writeString(coch, "other cochleagrams");
        StringWriter said = new StringWriter();

        StatsCommand.removeStaleBeside(coch, new PrintWriter(said, true));

        assertThat(stats).doesNotExist();
        assertThat(dir.resolve(".x_stats.npz.inputs")).doesNotExist();
        assertThat(said.toString()).contains("deleted " + stats);
    }
}
