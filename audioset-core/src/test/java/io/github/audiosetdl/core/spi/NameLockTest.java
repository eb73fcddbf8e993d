package io.github.audiosetdl.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NameLock}: one holder per name and folder, a bounded wait for it, and never through a link. */
class NameLockTest {
    @TempDir
    Path dir;

    private Optional<NameLock> tryLock(Duration wait) throws IOException {
        return NameLock.tryAcquire(dir, "x.hdf5", wait);
    }

    @Test
    void aSecondHolderWaitsAtMostItsWaitAndGetsTheLockOnceReleased() throws Exception {
        NameLock first = tryLock(Duration.ZERO).orElseThrow();
        assertThat(first.file()).isEqualTo(dir.toRealPath().resolve(".x.hdf5.lock"));
        assertThat(tryLock(Duration.ZERO)).isEmpty();
        long start = System.nanoTime();
        assertThat(tryLock(Duration.ofMillis(200))).isEmpty();
        assertThat(System.nanoTime() - start).as("it waited").isGreaterThanOrEqualTo(200_000_000L);
        assertThat(NameLock.tryAcquire(dir, "y.hdf5", Duration.ZERO)).as("another name is free").isPresent()
                .get().satisfies(NameLock::close);

        CompletableFuture<Optional<NameLock>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return tryLock(Duration.ofSeconds(60));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(waiting).as("still waiting").isNotDone();
        first.close();
        first.close(); // again: nothing
        NameLock second = waiting.get(60, TimeUnit.SECONDS).orElseThrow();
        assertThat(tryLock(Duration.ZERO)).isEmpty();
        second.close();
        tryLock(Duration.ZERO).orElseThrow().close();
        assertThat(dir.resolve(".x.hdf5.lock")).as("never deleted").isEmptyFile();
    }

    @Test
    void aLinkAtTheLocksNameIsNeverFollowed(@TempDir Path elsewhere) throws Exception {
        Path target = elsewhere.resolve("created-by-the-lock");
        Path link = Files.createSymbolicLink(dir.resolve(".x.hdf5.lock"), target);
        assertThatThrownBy(() -> tryLock(Duration.ofSeconds(60))).isInstanceOf(IOException.class)
                .hasMessageContaining(link.toString()).hasMessageContaining("symbolic link");
        assertThat(target).doesNotExist();
        Files.delete(link);
        tryLock(Duration.ZERO).orElseThrow().close(); // the failed attempt left the name free
        assertThatThrownBy(() -> NameLock.tryAcquire(dir, "../x", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'../x' is not a file name");
    }
}
