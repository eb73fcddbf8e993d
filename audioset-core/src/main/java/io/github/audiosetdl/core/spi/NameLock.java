package io.github.audiosetdl.core.spi;

import io.github.audiosetdl.core.OutputFolder;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exclusive right to write the output of one name in one folder: an operating-system lock
 * ({@link FileChannel#tryLock()}) on the hidden file {@code .<name>.lock} in the folder, created if absent and
 * never deleted. Deleting it would race: a writer that opened the file just before another deleted it would lock
 * the deleted file while a third writer creates and locks a new one under the same name, and both would write.
 * An empty file per name stays instead.
 *
 * <p>It is what lets the pipeline record a sink's output before any other writer may replace it: the pipeline
 * writes its record of inputs after the sink's {@code commit()} and before its {@code close()}, so a sink that
 * holds the lock of its output's name from before its files are put in place until it is closed, and writers of
 * the same output that take the same lock, keep that record true. The WebDataset writer locks its data set's name
 * ({@code .eval.lock}) from its creation to its close; the HDF5 writers of {@code audioset-hdf5} lock their file's
 * name ({@code .eval.hdf5.lock}) from just before they rename it into place to their close; the statistics
 * ({@code .eval_stats.npz.lock}) are renamed and deleted under it, and the pipeline package's {@code DerivedFile}
 * records them before it is released. A store of your own that writes files may take it likewise.
 *
 * <p>The operating system releases the lock when the holding process ends, even when it is killed, so a killed
 * writer never blocks the next one. Within one JVM, the names locked are also recorded here and checked before the
 * file is opened: on POSIX systems closing any channel of a file drops every lock this process holds on it, so a
 * second writer must not open (and close) the file its own JVM has locked. The lock file is never opened through
 * a symbolic link.
 */
public final class NameLock implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(NameLock.class);
    /** The lock files this JVM holds, as real paths. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
    /** How often a wait for the lock tries it again, in milliseconds. */
    private static final long POLL_MILLIS = 20;

    private final Path file;
    private final FileChannel channel;
    private boolean released;

    private NameLock(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * @param name a data set's or a file's name
     * @return the name of its lock file, {@code .<name>.lock} (the name's length plus 6 bytes)
     */
    public static String fileName(String name) {
        return "." + name + ".lock";
    }

    /**
     * Takes the lock of {@code name} in {@code dir}, trying again every 20 ms while another process, or another
     * holder in this JVM, holds it, for at most {@code wait}.
     *
     * @param dir an existing folder
     * @param name the name ({@code .<name>.lock} must be a file name of the folder)
     * @param wait the longest wait; {@link Duration#ZERO} tries once
     * @return the lock, held until {@link #close()}; empty if it was still held by another after {@code wait}
     * @throws IOException if the lock file cannot be created or locked (a symbolic link at its name, a read-only
     *     folder, a file system without locks)
     * @throws InterruptedIOException if the thread is interrupted while it waits (the flag is set again)
     * @throws IllegalArgumentException if {@code name} is empty or holds a path separator or a NUL, or {@code wait}
     *     is negative
     */
    public static Optional<NameLock> tryAcquire(Path dir, String name, Duration wait) throws IOException {
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("'" + name + "' is not a file name: it cannot name a lock file");
        }
        if (wait.isNegative()) {
            throw new IllegalArgumentException("wait " + wait + " is negative");
        }
        Path file = dir.toRealPath().resolve(fileName(name));
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            NameLock lock = tryOnce(file);
            if (lock != null) {
                return Optional.of(lock);
            }
            if (System.nanoTime() - deadline >= 0) {
                return Optional.empty();
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for the lock " + file);
            }
        }
    }

    /** @return the lock of {@code file}, or null if another process or another holder of this JVM holds it */
    private static NameLock tryOnce(Path file) throws IOException {
        if (!HELD.add(file)) {
            return null; // never opened while this JVM holds it: closing our channel would drop that lock
        }
        FileChannel channel = null;
        try {
            // never through a link another user planted (it would create or open any file of ours they name)
            channel = openNoLink(file);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) { // locked through another spelling of the path
                lock = null;
            }
            if (lock != null) {
                NameLock held = new NameLock(file, channel);
                channel = null;
                return held;
            }
        } catch (IOException | RuntimeException | Error e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                channel = null;
            }
            HELD.remove(file);
            throw e;
        }
        try {
            channel.close(); // held by another process: this process held no lock on it
        } finally {
            HELD.remove(file);
        }
        return null;
    }

    private static FileChannel openNoLink(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) { // ELOOP: a plain IOException on Linux
            if (Files.isSymbolicLink(file)) {
                throw new IOException(file + " is a symbolic link: refusing to use it as a lock file (remove it;"
                        + " the lock is an empty regular file)", e);
            }
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) { // the folder takes no file: named, not the lock
                throw OutputFolder.cannotWriteIn(file, file.getFileName().toString(), e);
            }
            throw e;
        }
    }

    /** @return the lock file, a real path */
    public Path file() {
        return file;
    }

    /** Releases the lock (the file stays); does nothing the second time. Never throws. */
    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        released = true;
        try {
            channel.close(); // releases the lock
        } catch (IOException e) {
            LOG.warn("{}: cannot close the lock file ({})", file, e.toString());
        } finally {
            HELD.remove(file);
        }
    }
}
