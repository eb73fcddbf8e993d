package io.github.audiosetdl.examples.cli;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exclusive right to write the availability report of one data set from one logs folder: held from reading the
 * logs to renaming the last file into place, so that the report in place is always that of the latest reading (the
 * tasks of an array each write the whole report at their end; without it, a task that read the logs earlier could
 * rename its report over that of a task that read them later). An operating-system lock on the hidden file
 * {@code .<name>_availability.lock} in the logs folder, created if absent and never deleted (deleting it would
 * race), plus a lock of this JVM per file (on POSIX, closing any channel of a file drops this process's locks on it).
 *
 * <p>Never fatal: a lock that cannot be taken (a file system without locks, such as some NFS mounts; a link at the
 * lock's name; a holder still busy after {@link #WAIT_SECONDS}) is logged as a warning and the report is written
 * without it.
 */
final class ReportLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReportLock.class);
    /** The longest wait for another writer of the report, in seconds. */
    static final long WAIT_SECONDS = 600;
    private static final long POLL_MILLIS = 50;
    /** This JVM's lock per lock file (absolute, normalised path). */
    private static final Map<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;
    private boolean released;

    private ReportLock(ReentrantLock local, FileChannel channel) {
        this.local = local;
        this.channel = channel;
    }

    /**
     * @param name a data set name
     * @return the name of its report's lock file, {@code .<name>_availability.lock}
     */
    static String fileName(String name) {
        return "." + name + "_availability.lock";
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
        ReentrantLock local = LOCAL.computeIfAbsent(file, f -> new ReentrantLock());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        try {
            if (!local.tryLock(WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("{}: another writer of the availability report still holds it after {} s; writing the"
                        + " report without it", file, WAIT_SECONDS);
                return new ReportLock(null, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for " + file);
        }
        FileChannel channel = null;
        try {
            channel = openNoLink(file);
            while (true) {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) { // this JVM holds it through another spelling of the path
                    lock = null;
                }
                if (lock != null) {
                    return new ReportLock(local, channel);
                }
                if (System.nanoTime() - deadline > 0) {
                    LOG.warn("{}: another process still holds the availability report's lock after {} s; writing"
                            + " the report without it", file, WAIT_SECONDS);
                    break;
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (IOException e) { // NFS without locks, a link at the name, a read-only folder
            LOG.warn("{}: cannot lock the availability report ({}); writing it without the lock: a concurrent task"
                    + " may leave an older report in place", file, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close(channel);
            local.unlock();
            throw new InterruptedIOException("interrupted waiting for " + file);
        }
        close(channel);
        local.unlock();
        return new ReportLock(null, null);
    }

    private static FileChannel openNoLink(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) { // ELOOP: a plain IOException on Linux
            if (Files.isSymbolicLink(file)) {
                throw new IOException(file + " is a symbolic link: refusing to use it as the availability report's"
                        + " lock file (remove it; the lock is an empty regular file)", e);
            }
            throw e;
        }
    }

    private static void close(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("cannot close the availability report's lock file ({})", e.toString());
        }
    }

    /** @return whether the lock is held (false after a warned fallback) */
    boolean held() {
        return channel != null;
    }

    /** Releases the lock (the file stays). Never throws. */
    @Override
    public void close() {
        if (channel != null && !released) {
            released = true;
            close(channel); // releases the operating-system lock
            local.unlock();
        }
    }
}
