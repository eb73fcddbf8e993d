package io.github.audiosetdl.core.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host's request slots: consecutive reservations are spaced by the interval; unsafe folders are refused. */
class HostBudgetTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    /** A budget folder the configuration names that cannot be used fails the run; it fell back to a warning. */
    @Test
    void aChosenBudgetFolderThatCannotBeUsedIsAnError(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("budget"), "a file, not a folder");
        DownloadConfig config = DownloadConfig.builder(dir.resolve("out"), "x").maxRequestsPerMinute(30)
                .budgetFolder(file).build();
        assertThatThrownBy(() -> RateLimiter.of(config)).isInstanceOf(IOException.class)
                .hasMessageContaining("the request budget folder " + file + " cannot be used");
        DownloadConfig alone = DownloadConfig.builder(dir.resolve("out"), "x").maxRequestsPerMinute(30)
                .budgetFolder(null).build();
        assertThat(RateLimiter.of(alone)).isNotNull();
    }

    @Test
    void reservationsAreSpacedByTheIntervalWhoeverMakesThem() throws IOException {
        HostBudget budget = HostBudget.in(dir.resolve("budget"));
        assertThat(HostBudget.in(dir.resolve("budget"))).isSameAs(budget);
        assertThat(budget.reserve(0, 10 * SECOND)).isLessThan(SECOND);
        // the next slot is 10 s after the first, whatever the caller's earliest start below it
        assertThat(budget.reserve(0, 10 * SECOND)).isBetween(8 * SECOND, 10 * SECOND);
        assertThat(budget.reserve(0, 10 * SECOND)).isBetween(18 * SECOND, 20 * SECOND);
        // a caller that must wait longer anyway (a pause) gets its own start, and the slot after it
        assertThat(budget.reserve(60 * SECOND, SECOND)).isBetween(59 * SECOND, 60 * SECOND);
        assertThat(budget.reserve(0, SECOND)).isBetween(60 * SECOND, 61 * SECOND);
        assertThat(Files.size(budget.file())).isEqualTo(2 * Long.BYTES); // the next slot, and when it was written
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("budget"))))
                .isEqualTo("rwx------");
    }

    @Test
    void aQueueHoursLongIsKeptAndOneSetBackWithTheClockToo() throws IOException {
        HostBudget budget = HostBudget.in(dir.resolve("long"));
        long hour = 3600 * SECOND;
        for (int i = 0; i < 4; i++) { // 4 workers at one request an hour: the last waits 3 hours
            assertThat(budget.reserve(0, hour)).isBetween(i * hour - SECOND, i * hour);
        }
        assertThat(budget.reserve(0, hour)).as("not reset for being over an hour ahead")
                .isBetween(4 * hour - SECOND, 4 * hour);
        // written by a clock 2 hours ahead of today's (now set back): the queue moves back with it
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(budget.file()))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long next = b.getLong();
        long written = b.getLong();
        Files.write(budget.file(), java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(next + 2 * hour).putLong(written + 2 * hour).array());
        assertThat(budget.reserve(0, hour)).isBetween(5 * hour - 2 * SECOND, 5 * hour);
        // a damaged file (a slot years ahead) is ignored
        Files.write(budget.file(), java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(Long.MAX_VALUE / 2).putLong(written).array());
        assertThat(budget.reserve(0, hour)).isLessThan(SECOND);
    }

    @Test
    void aFolderOthersCanWriteOrALinkIsRefused() throws IOException {
        Path open = Files.createDirectories(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> HostBudget.in(open)).isInstanceOf(IOException.class)
                .hasMessageContaining("not writable by others");
        Path link = Files.createSymbolicLink(dir.resolve("link"), Files.createDirectories(dir.resolve("real")));
        assertThatThrownBy(() -> HostBudget.in(link)).isInstanceOf(IOException.class)
                .hasMessageContaining("is a link");
    }

    @Test
    void oneFolderReachedThroughALinkedParentIsOneBudget() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path alias = Files.createSymbolicLink(dir.resolve("alias"), real);
        HostBudget direct = HostBudget.in(real.resolve("budget"));
        HostBudget linked = HostBudget.in(alias.resolve("budget"));
        assertThat(linked).as("the same folder and file, spelt differently").isSameAs(direct);
        // two instances of one file took turns through their own monitors only: the second file lock of this
        // process threw OverlappingFileLockException (and the download run failed with it)
        int rounds = 500;
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (HostBudget b : List.of(direct, linked)) {
                done.add(threads.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < rounds; i++) {
                        b.reserve(0, 1);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
