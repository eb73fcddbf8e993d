package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two writers of one availability report: the report in place is that of the later reading of the logs. */
class ReportLockTest {
    private static final String HEADER = "YTID,start_seconds,end_seconds,positive_labels,csv_row,outcome,class,reason,"
            + "attempts,frames,message,time\n";

    @AfterEach
    void noHook() {
        AvailabilityFiles.afterRead = () -> { };
    }

    private static void failedRow(Path errors, int job, String id) throws Exception {
        Files.writeString(errors.resolve("errorLog_" + job + ".csv"), HEADER + id + ",0.000,10.000,/m/09x0r,1,"
                + "failed,transient,network,3,0,timed out,2026-12-04T09:00:00Z\n");
    }

    private static long requested(Path out) throws Exception {
        return new ObjectMapper().readTree(out.resolve("t_availability.json").toFile()).get("requested").asLong();
    }

    @Test
    void aWriterThatReadTheLogsEarlierNeverRenamesItsReportOverALaterOne(@TempDir Path work) throws Exception {
        Path logs = work.resolve("logs");
        Path errors = Files.createDirectories(logs.resolve("t_errorlogs"));
        failedRow(errors, 0, "clipXXXXXXX");
        Path out = work.resolve("reports");
        CountDownLatch firstRead = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        AvailabilityFiles.afterRead = () -> {
            if (calls.getAndIncrement() == 0) { // the first writer stops between its reading and its renames
                firstRead.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread early = writer(logs, out, failure);
        early.start();
        assertThat(firstRead.await(30, TimeUnit.SECONDS)).isTrue();
        failedRow(errors, 1, "clipYYYYYYY"); // another task logs after the first writer read
        Thread late = writer(logs, out, failure);
        late.start();
        // the later writer either ends (no lock) or waits for the first one's lock
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (late.isAlive() && late.getState() != Thread.State.WAITING
                && late.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        release.countDown();
        early.join(30_000);
        late.join(30_000);
        assertThat(early.isAlive() || late.isAlive()).isFalse();
        assertThat(failure.get()).isNull();
        assertThat(requested(out)).as("the report in place counts the later log's id").isEqualTo(2);
        assertThat(logs.resolve(ReportLock.fileName("t"))).isRegularFile();
    }

    @Test
    void aWriterWaitsForAnotherProcessHoldingTheLock(@TempDir Path work) throws Exception {
        Path logs = work.resolve("logs");
        failedRow(Files.createDirectories(logs.resolve("t_errorlogs")), 0, "clipXXXXXXX");
        Path out = work.resolve("reports");
        // another process (another task of the array) holds the lock: fcntl, as the JVM's FileChannel.lock
        Process holder = new ProcessBuilder("python3", "-c", "import fcntl, sys\n"
                + "f = open(sys.argv[1], 'a')\nfcntl.lockf(f, fcntl.LOCK_EX)\nprint('locked', flush=True)\n"
                + "sys.stdin.read()\n", logs.resolve(ReportLock.fileName("t")).toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            assertThat(new String(holder.getInputStream().readNBytes(6))).isEqualTo("locked");
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = writer(logs, out, failure);
            writer.start();
            writer.join(1_000);
            assertThat(writer.isAlive()).as("waits for the other process").isTrue();
            assertThat(out.resolve("t_availability.json")).doesNotExist();
            holder.getOutputStream().close(); // the holder ends, its lock with it
            writer.join(30_000);
            assertThat(writer.isAlive()).isFalse();
            assertThat(failure.get()).isNull();
            assertThat(requested(out)).isEqualTo(1);
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aLinkAtTheLockNameIsRefusedWithAWarningAndTheReportIsStillWritten(@TempDir Path work) throws Exception {
        Path logs = work.resolve("logs");
        failedRow(Files.createDirectories(logs.resolve("t_errorlogs")), 0, "clipXXXXXXX");
        Path target = work.resolve("elsewhere");
        Files.createSymbolicLink(logs.resolve(ReportLock.fileName("t")), target);
        try (ReportLock lock = ReportLock.acquire(logs, "t")) {
            assertThat(lock.held()).isFalse();
        }
        AvailabilityFiles.write(logs, "t", null, work.resolve("reports"));
        assertThat(requested(work.resolve("reports"))).isEqualTo(1);
        assertThat(target).doesNotExist();
    }

    private static Thread writer(Path logs, Path out, AtomicReference<Throwable> failure) {
        return new Thread(() -> {
            try {
                AvailabilityFiles.write(logs, "t", null, out);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
    }
}
