package io.github.audiosetdl.core.pipeline;

import io.github.audiosetdl.core.spi.FeatureSink;
import io.github.audiosetdl.core.spi.WaveformSink;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The right to put a stage's output in place and write its {@link OutputRecord record}: an operating-system lock
 * ({@link FileChannel#tryLock()}) on the hidden file {@code .<main output file name>.inputs.lock} beside the record,
 * created if absent and never deleted (deleting it would race, as for the WebDataset lock), plus a permit of this
 * JVM per file (on POSIX, closing any channel of a file drops every lock this process holds on it). A run holds it
 * from just before its files are renamed into place until its record is written, so that two runs committing the
 * same output at once, with different inputs, cannot leave one run's record naming the other's files: the second
 * waits for the first's record, then renames its own files over them and writes its own record.
 *
 * <p>Never fatal. A holder still busy after {@link #WAIT} is logged, and the output is committed without the lock and
 * without a record (a rerun makes it again). A file system without locks (some NFS mounts) or a link at the lock's
 * name is logged, and the output is committed and recorded without the lock, as before the lock existed.
 */
final class RecordLock implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(RecordLock.class);
    /** The longest wait for another run's commit and record of the same output: 10 minutes. */
    static final Duration WAIT = Duration.ofMinutes(10);
    private static final long POLL_MILLIS = 20;
    /** This JVM's permit per lock file (absolute, normalised path). */
    private static final Map<Path, Semaphore> LOCAL = new ConcurrentHashMap<>();

    private final Semaphore local;
    private final FileChannel channel;
    private final boolean recordable;
    private boolean released;

    private RecordLock(Semaphore local, FileChannel channel, boolean recordable) {
        this.local = local;
        this.channel = channel;
        this.recordable = recordable;
    }

    /**
     * @param record a record's path
     * @return its lock file, {@code .<main output file name>.inputs.lock} beside it
     */
    static Path fileOf(Path record) {
        return record.resolveSibling(record.getFileName() + ".lock");
    }

    /**
     * Takes the lock of {@code record}'s output, waiting up to {@code wait} for another run to write its record.
     *
     * @param record the record's path (its folder exists)
     * @param wait the longest wait
     * @return the lock, held until {@link #close()}; if it could not be taken, one that holds nothing and says
     *     whether the output may still be recorded ({@link #recordable()})
     * @throws InterruptedIOException if the thread is interrupted while it waits
     */
    static RecordLock acquire(Path record, Duration wait) throws InterruptedIOException {
        Path file = fileOf(record.toAbsolutePath().normalize());
        Semaphore local = LOCAL.computeIfAbsent(file, f -> new Semaphore(1));
        long deadline = System.nanoTime() + wait.toNanos();
        boolean permit = false;
        FileChannel channel = null;
        boolean recordable = false;
        try {
            permit = local.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
            if (permit) {
                // never through a link another user planted (it would create or open any file of ours they name)
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
                boolean locked = tryLock(channel);
                while (!locked && System.nanoTime() - deadline < 0) {
                    Thread.sleep(POLL_MILLIS);
                    locked = tryLock(channel);
                }
                if (locked) { // handed over to the lock, not released below
                    RecordLock held = new RecordLock(local, channel, true);
                    permit = false;
                    channel = null;
                    return held;
                }
            }
            LOG.warn("{}: another run is still committing the same output after {} s; committing without the lock"
                    + " and without a record of the inputs (a rerun makes the output again)", file, wait.toSeconds());
        } catch (IOException e) { // NFS without locks, a link at the name (ELOOP), a read-only folder
            LOG.warn("{}: cannot lock it ({}); committing and recording {} without the lock: a run committing the"
                    + " same output at the same instant could leave a record naming its files", file, e.toString(),
                    record.getFileName());
            recordable = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for " + file);
        } finally {
            release(channel, permit ? local : null);
        }
        return new RecordLock(null, null, recordable);
    }

    /** @return whether the lock of {@code channel}'s file was free, and is now this process's */
    private static boolean tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock() != null;
        } catch (OverlappingFileLockException e) { // this JVM holds it through another spelling of the path
            return false;
        }
    }

    /** @return whether the output committed under this lock may be recorded (false after a holder kept it) */
    boolean recordable() {
        return recordable;
    }

    /** Releases the lock (the file stays); does nothing the second time, nor for a lock not held. Never throws. */
    @Override
    public synchronized void close() {
        if (!released) {
            released = true;
            release(channel, local);
        }
    }

    /**
     * Closes {@code channel}, which releases the operating-system lock, then gives back this JVM's permit. Never
     * throws.
     *
     * @param channel the lock file's channel, or null
     * @param permit the permit to give back, or null
     */
    private static void release(FileChannel channel, Semaphore permit) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("cannot close a record's lock file ({})", e.toString());
            }
        }
        if (permit != null) {
            permit.release();
        }
    }

    /**
     * One stage's commit and record: the lock is taken when the stage's sink commits (or earlier, by {@link #take()},
     * for a sink that renames files into place before it commits), and released by {@link #close()}, after the
     * record is written.
     */
    static final class Commit implements Closeable {
        private final Path record;
        private final Duration wait;
        private RecordLock lock;

        /**
         * @param record the record's path
         * @param wait the longest wait for the lock
         */
        Commit(Path record, Duration wait) {
            this.record = record;
            this.wait = wait;
        }

        /**
         * Takes the lock now, if not taken yet.
         *
         * @throws InterruptedIOException if the thread is interrupted while it waits
         */
        synchronized void take() throws InterruptedIOException {
            if (lock == null) {
                lock = acquire(record, wait);
            }
        }

        /**
         * @return whether the output committed may be recorded: the lock was taken, or could not be on this file
         *     system
         */
        synchronized boolean recordable() {
            return lock != null && lock.recordable();
        }

        /**
         * @param type the sink's interface ({@link WaveformSink} or {@link FeatureSink}), whose {@code commit()} puts
         *     the files in place
         * @param sink a sink
         * @return {@code sink}, every call passed on, with the lock taken before it commits
         */
        <T extends Closeable> T around(Class<T> type, T sink) {
            return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                    (proxy, method, args) -> {
                        if (method.getName().equals("commit") && method.getParameterCount() == 0) {
                            take();
                        }
                        try {
                            return method.invoke(sink, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause(); // as the sink threw it
                        }
                    }));
        }

        /** Releases the lock, if taken. Never throws. */
        @Override
        public synchronized void close() {
            if (lock != null) {
                lock.close();
            }
        }
    }
}
