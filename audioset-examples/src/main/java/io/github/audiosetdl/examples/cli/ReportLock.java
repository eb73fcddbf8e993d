package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.core.spi.NameLock;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exclusive right to write the availability report of one data set from one logs folder: held from reading the
 * logs to renaming the last file into place, so that the report in place is always that of the latest reading (the
 * tasks of an array each write the whole report at their end; without it, a task that read the logs earlier could
 * rename its report over that of a task that read them later). The {@link NameLock} of {@code <name>_availability}
 * in the logs folder: an operating-system lock on the hidden file {@code .<name>_availability.lock}, created if
 * absent and never deleted, that other holders of this JVM respect too.
 *
 * <p>Never fatal: a lock that cannot be taken (a file system without locks, such as some NFS mounts; a link at the
 * lock's name; a holder still busy after {@link #WAIT_SECONDS}) is logged as a warning and the report is written
 * without it.
 */
final class ReportLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReportLock.class);
    /** The longest wait for another writer of the report, in seconds. */
    static final long WAIT_SECONDS = 600;

    /** The lock held, or null after a warned fallback. */
    private final NameLock lock;

    private ReportLock(NameLock lock) {
        this.lock = lock;
    }

    /** @return the name whose {@link NameLock} is the report's */
    private static String lockName(String name) {
        return name + "_availability";
    }

    /**
     * @param name a data set name
     * @return the name of its report's lock file, {@code .<name>_availability.lock}
     */
    static String fileName(String name) {
        return NameLock.fileName(lockName(name));
    }

    /**
     * Takes the lock of {@code name}'s report in {@code logsDir}, waiting up to {@link #WAIT_SECONDS} for another
     * writer; if it cannot be taken, warns and returns a lock that holds nothing.
     *
     * @param logsDir the logs folder (existing)
     * @param name the data set's name
     * @return the lock, held until {@link #close()}
     * @throws InterruptedIOException if the thread is interrupted while waiting
     */
    static ReportLock acquire(Path logsDir, String name) throws InterruptedIOException {
        Path file = logsDir.toAbsolutePath().normalize().resolve(fileName(name));
        Optional<NameLock> lock;
        try {
            lock = NameLock.tryAcquire(logsDir, lockName(name), Duration.ofSeconds(WAIT_SECONDS));
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) { // NFS without locks, a link at the name, a read-only folder
            LOG.warn("{}: cannot lock the availability report ({}); writing it without the lock: a concurrent task"
                    + " may leave an older report in place", file, e.toString());
            return new ReportLock(null);
        }
        if (lock.isEmpty()) {
            LOG.warn("{}: another writer of the availability report still holds its lock after {} s; writing the"
                    + " report without it", file, WAIT_SECONDS);
        }
        return new ReportLock(lock.orElse(null));
    }

    /** @return whether the lock is held (false after a warned fallback) */
    boolean held() {
        return lock != null;
    }

    /** Releases the lock (the file stays). Never throws. */
    @Override
    public void close() {
        if (lock != null) {
            lock.close(); // does nothing the second time
        }
    }
}
