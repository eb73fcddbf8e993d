package io.github.audiosetdl.core.webdataset;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exclusive right to write the WebDataset shards of one name in one folder: an operating-system lock
 * ({@link FileChannel#tryLock()}) on the hidden file {@code .<name>.lock} in the folder, created if absent and
 * never deleted. Deleting it would race: a writer that opened the file just before another deleted it would lock
 * the deleted file while a third writer creates and locks a new one under the same name, and both would write.
 * An empty file per name stays instead.
 *
 * <p>The operating system releases the lock when the holding process ends, even when it is killed, so a killed
 * pack never blocks the next one. Within one JVM, the names locked are also recorded here and checked before the
 * file is opened: on POSIX systems closing any channel of a file drops every lock this process holds on it, so a
 * second writer must not open (and close) the file its own JVM has locked.
 */
final class NameLock implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(NameLock.class);
    /** The lock files this JVM holds, as real paths. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private boolean released;

    private NameLock(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * @param name a data set name
     * @return the name of its lock file, {@code .<name>.lock} (the name's length plus 6 bytes)
     */
    static String fileName(String name) {
        return "." + name + ".lock";
    }

    /**
     * Takes the lock of {@code name} in {@code dir} without waiting.
     *
     * @param dir an existing folder
     * @param name the data set's name
     * @return the lock, held until {@link #close()}
     * @throws IOException if another process or another writer of this JVM holds it (the message names the
     *     folder and the name), or the lock file cannot be created or locked
     */
    static NameLock acquire(Path dir, String name) throws IOException {
        Path file = dir.toRealPath().resolve(fileName(name));
        if (!HELD.add(file)) {
            throw busy(dir, name);
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
            if (lock == null) {
                throw busy(dir, name);
            }
            return new NameLock(file, channel);
        } catch (IOException | RuntimeException | Error e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            HELD.remove(file);
            throw e;
        }
    }

    private static FileChannel openNoLink(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) { // ELOOP: a plain IOException on Linux
            if (Files.isSymbolicLink(file)) {
                throw new IOException(file + " is a symbolic link: refusing to use it as the WebDataset lock file"
                        + " (remove it; the lock is an empty regular file)", e);
            }
            throw e;
        }
    }

    private static IOException busy(Path dir, String name) {
        return new IOException("another pack is writing WebDataset '" + name + "' in " + dir + " (it holds "
                + fileName(name) + "; packs of one name, and runs judging whether its shards are up to date, run one at"
                + " a time)");
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
