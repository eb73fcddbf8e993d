package io.github.audiosetdl.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock a run holds from its commit to its record, against this JVM and another process. */
class RecordLockTest {
    private static final long WAIT_SECONDS = 60;
    private static final Duration SHORT = Duration.ofMillis(300);

    @TempDir
    Path dir;

    private Path record() {
        return OutputRecord.of(dir.resolve("r.hdf5"));
    }

    @Test
    void aSecondHolderInThisJvmWaitsThenCommitsWithoutARecord() throws Exception {
        assertThat(RecordLock.fileOf(record())).isEqualTo(dir.resolve(".r.hdf5.inputs.lock"));
        try (RecordLock first = RecordLock.acquire(record(), SHORT)) {
            assertThat(first.recordable()).isTrue();
            long start = System.nanoTime();
            RecordLock second = CompletableFuture.supplyAsync(() -> {
                try {
                    return RecordLock.acquire(record(), SHORT);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(SHORT);
            assertThat(second.recordable()).as("busy: committed without a record").isFalse();
            second.close();
        }
        try (RecordLock again = RecordLock.acquire(record(), SHORT)) {
            assertThat(again.recordable()).as("released").isTrue();
        }
        assertThat(dir.resolve(".r.hdf5.inputs.lock")).isEmptyFile();
    }

    @Test
    void aCommitTakesTheLockOnceAndReleasesItWhenClosed() throws Exception {
        RecordLock.Commit commit = new RecordLock.Commit(record(), SHORT);
        assertThat(commit.recordable()).as("nothing committed yet").isFalse();
        commit.take();
        commit.take();
        assertThat(commit.recordable()).isTrue();
        try (RecordLock other = RecordLock.acquire(record(), SHORT)) {
            assertThat(other.recordable()).isFalse();
        }
        commit.close();
        try (RecordLock other = RecordLock.acquire(record(), SHORT)) {
            assertThat(other.recordable()).isTrue();
        }
    }

    @Test
    void anotherProcessHoldingItDelaysTheRecordUntilItEnds() throws Exception {
        Path classes = Path.of(RecordLockTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        // the WebDataset lock's test child: it locks the file it is given until its input ends or it is killed
        Process holder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx16m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classes.toString(),
                "io.github.audiosetdl.core.webdataset.LockChild", "hold",
                RecordLock.fileOf(record()).toString())).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("locked");
            try (RecordLock busy = RecordLock.acquire(record(), SHORT)) {
                assertThat(busy.recordable()).isFalse();
            }
            holder.destroyForcibly(); // as kill -9: the operating system releases the lock
            assertThat(holder.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        } finally {
            holder.destroyForcibly();
        }
        try (RecordLock free = RecordLock.acquire(record(), SHORT)) {
            assertThat(free.recordable()).isTrue();
        }
    }

    /** A link planted at the lock's name is not followed: the output is recorded without the lock, as before it. */
    @Test
    void aLinkAtTheLocksNameIsNotFollowed(@TempDir Path elsewhere) throws Exception {
        Path target = elsewhere.resolve("created-by-the-lock");
        Files.createSymbolicLink(RecordLock.fileOf(record()), target);
        try (RecordLock lock = RecordLock.acquire(record(), SHORT)) {
            assertThat(lock.recordable()).isTrue();
        }
        assertThat(target).doesNotExist();
    }
}
