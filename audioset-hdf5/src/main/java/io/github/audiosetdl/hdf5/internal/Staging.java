package io.github.audiosetdl.hdf5.internal;

import io.github.audiosetdl.core.OutputFolder;
import io.github.audiosetdl.core.ProcessTag;
import io.github.audiosetdl.core.spi.NameLock;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private (owner-only) temporary directory beside a final file ({@code .<name>.<random>.tmp}): everything
 * is written inside it, published by renames, and deleted on abort. A killed process leaves only that
 * hidden directory, never a file under a final name. Its owner (host, process id and start time, a
 * {@link ProcessTag}) is recorded in it; the next run for the same target deletes it only when that owner is
 * a process of the same host that has ended. A folder of another host is never removed (on a shared file
 * system it may be a live run on another node), nor one whose owner cannot be read, unless it holds nothing else and
 * has been untouched for a minute: a run killed between creating it and writing its owner left it.
 */
public final class Staging {
    private static final Logger LOG = LoggerFactory.getLogger(Staging.class);
    private static final String OWNER = "owner.pid";
    /**
     * The longest wait of {@link #publishLocked} for another writer of the same file to release its lock: 10
     * minutes, as a pipeline waits for another run's record ({@code RecordLock}). A writer holds it from its renames
     * to its close, a pipeline only until its record of inputs is written (milliseconds).
     */
    public static final Duration PUBLISH_WAIT = Duration.ofMinutes(10);
    /**
     * How long a staging folder without an owner, empty, stays untouched before it is taken for one a run killed as
     * it created it ({@link #killedAsCreated}): a minute, where a live run writes its owner within microseconds.
     */
    static final Duration CREATION_ABANDONED = Duration.ofMinutes(1);

    private final Path dir;
    /** The lock of the main file's name, held from {@link #publishLocked} to {@link #unlock()}, or null. */
    private NameLock lock;

    private Staging(Path dir) {
        this.dir = dir;
    }

    /**
     * @param target the final file; its directory is created if missing
     * @return a new staging directory beside it
     * @throws IOException if it cannot be created
     */
    public static Staging beside(Path target) throws IOException {
        return beside(target, ChannelOpener.CREATE_NEW);
    }

    /**
     * {@link #beside(Path)}, the owner file opened by {@code opener}. If the owner cannot be written (a full disk),
     * the directory is deleted: without a readable owner, no later run would ever remove it.
     */
    static Staging beside(Path target, ChannelOpener opener) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        removeStale(parent, "." + target.getFileName() + ".");
        // the tag before the folder: made after it (the first call reads /proc and the host name, milliseconds), a
        // run killed meanwhile left a folder with an empty owner
        ByteBuffer tag = ByteBuffer.wrap((ProcessTag.current() + "\n").getBytes(StandardCharsets.US_ASCII));
        String name = "." + target.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + ".tmp";
        Staging staging;
        try {
            staging = new Staging(Files.createDirectory(parent.resolve(name), ownerOnly()));
        } catch (IOException e) {
            throw OutputFolder.cannotWriteIn(target, name, e); // the folder given, not the hidden name
        }
        Path owner = staging.dir.resolve(OWNER);
        try (FileChannel ch = opener.open(owner)) {
            while (tag.hasRemaining()) {
                ch.write(tag);
            }
        } catch (IOException e) {
            try {
                staging.delete();
            } catch (IOException d) {
                e.addSuppressed(d);
            }
            throw WriteFailure.naming(owner, "writing", e);
        }
        return staging;
    }

    /**
     * Deletes the staging directories that killed runs left for {@code target} ({@link #beside} does so first): for a
     * caller that finds the target complete and stages nothing.
     *
     * @param target the final file
     * @throws IOException if its folder cannot be listed or a directory cannot be deleted
     */
    public static void removeStale(Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        if (Files.isDirectory(parent)) {
            removeStale(parent, "." + target.getFileName() + ".");
        }
    }

    /**
     * Deletes the staging directories a killed run left for the same target: those whose owning process
     * (recorded in them) is no longer alive. A directory of a live process is left alone.
     */
    private static void removeStale(Path parent, String prefix) throws IOException {
        List<Path> stale;
        try (Stream<Path> list = Files.list(parent)) {
            stale = list.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(".tmp") && Files.isDirectory(p)).toList();
        }
        for (Path dir : stale) {
            if (killedAsCreated(dir)) {
                LOG.info("removing {}, left empty by a run killed as it created it", dir);
                new Staging(dir).delete();
                continue;
            }
            Optional<ProcessTag> owner;
            try (InputStream in = Files.newInputStream(dir.resolve(OWNER), LinkOption.NOFOLLOW_LINKS)) {
                owner = ProcessTag.find(new String(in.readNBytes(256), StandardCharsets.US_ASCII));
            } catch (IOException e) {
                continue; // not ours, or being created: leave it
            }
            try {
                if (owner.isEmpty() || !owner.get().isGone() || !ProcessTag.judgedByItsTag(dir)) {
                    continue; // a live run, one of another host or user, or an owner we cannot tell: leave it
                }
            } catch (IOException e) {
                continue; // gone meanwhile
            }
            LOG.info("removing {}, left by a run (process {}) that did not finish", dir, owner.get());
            new Staging(dir).delete();
        }
    }

    /**
     * Whether {@code dir} was left by a run killed between creating it and writing its owner: it holds nothing but an
     * empty owner file, or nothing, and neither changed for {@link #CREATION_ABANDONED} (a live run writes its owner
     * at once). Its owner cannot be read, so without this no run would ever remove it.
     */
    private static boolean killedAsCreated(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            List<Path> inside = list.toList();
            boolean nothingButAnEmptyOwner = inside.isEmpty() || inside.size() == 1 && isEmptyOwner(inside.get(0));
            if (!nothingButAnEmptyOwner) {
                return false;
            }
            Instant abandoned = Instant.now().minus(CREATION_ABANDONED);
            for (Path p : Stream.concat(Stream.of(dir), inside.stream()).toList()) {
                if (!Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(abandoned)) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false; // another user's (not listable), or gone meanwhile
        }
    }

    /** @return whether {@code p} is an owner file (not a link) holding nothing */
    private static boolean isEmptyOwner(Path p) throws IOException {
        return p.getFileName().toString().equals(OWNER) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                && Files.size(p) == 0;
    }

    /** @return the directory */
    public Path dir() {
        return dir;
    }

    /**
     * Moves each staged file to its final name, in order (put the main file last so that it appears
     * only when the others are in place), then deletes the directory.
     *
     * @param moves pairs of (staged file, final file)
     * @throws IOException if a move fails
     */
    public void publish(List<Path[]> moves) throws IOException {
        publish(moves, null);
    }

    /**
     * {@link #publish(List)}, the renames made under the lock of the last file's name, {@code .<file name>.lock}
     * in its folder ({@link NameLock}), taken just before the first rename and held after this returns, until
     * {@link #unlock()}: so a caller that records what it put in place (a pipeline writes its record of inputs)
     * does so before another writer of the file, which takes the same lock before its own renames, may replace it.
     * A lock held by another writer is waited for, at most {@code wait}. Where the lock file cannot be created or
     * locked (a file system without locks, a symbolic link at its name) the files are published without the lock,
     * as before it existed, and that is logged.
     *
     * @param moves pairs of (staged file, final file), the main file last
     * @param wait the longest wait for another writer of the file to release the lock
     * @throws IOException if a move fails (the lock is released), or another writer still holds the lock after
     *     {@code wait} (nothing is renamed; the message names the folder and the file)
     */
    public void publishLocked(List<Path[]> moves, Duration wait) throws IOException {
        Path last = moves.get(moves.size() - 1)[1].toAbsolutePath();
        try {
            publish(moves, () -> lock = lockName(last, wait).orElse(null));
        } catch (IOException | RuntimeException | Error e) {
            unlock();
            throw e;
        }
    }

    /**
     * Hands the lock {@link #publishLocked} took to the caller, who releases it ({@link NameLock#close()}) once it
     * has recorded what it put in place; {@link #unlock()} no longer releases it.
     *
     * @return the lock, held; empty if none was taken (not published yet, or published where locks cannot be taken)
     */
    public Optional<NameLock> handOverLock() {
        NameLock l = lock;
        lock = null;
        return Optional.ofNullable(l);
    }

    /** Releases the lock {@link #publishLocked} took, if any; does nothing the second time. Never throws. */
    public void unlock() {
        NameLock l = lock;
        lock = null;
        if (l != null) {
            l.close();
        }
    }

    /** Takes the lock of {@code file}'s name in its folder, or none where locks cannot be taken (logged). */
    private static Optional<NameLock> lockName(Path file, Duration wait) throws IOException {
        Path folder = file.getParent();
        String name = file.getFileName().toString();
        Optional<NameLock> lock;
        try {
            lock = NameLock.tryAcquire(folder, name, wait);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            LOG.warn("{}: cannot lock {} ({}); putting {} in place without the lock: a writer of the same file"
                    + " could replace it before a pipeline's record of its inputs is written", folder,
                    NameLock.fileName(name), e.toString(), name);
            return Optional.empty();
        }
        if (lock.isEmpty()) {
            throw new IOException(file + ": another writer is putting " + name + " in place in " + folder
                    + " and still holds " + NameLock.fileName(name) + " after " + wait.toSeconds() + " s (a writer"
                    + " holds it from its renames until it is closed, a pipeline until its record of inputs is"
                    + " written): nothing was put in place; close that writer, then write again");
        }
        return lock;
    }

    /** The renames, after {@code beforeRenames} ran (if given). */
    private void publish(List<Path[]> moves, LockStep beforeRenames) throws IOException {
        for (Path[] m : moves) { // before any rename: a later one failing would leave the earlier files published
            if (Files.isDirectory(m[1], LinkOption.NOFOLLOW_LINKS)) {
                throw new FileSystemException(m[1].toString(), null, "Is a directory");
            }
        }
        for (Path[] m : moves) {
            try (FileChannel ch = FileChannel.open(m[0], StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        }
        if (beforeRenames != null) {
            beforeRenames.run();
        }
        for (Path[] m : moves) {
            try {
                Files.move(m[0], m[1], StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(m[0], m[1], StandardCopyOption.REPLACE_EXISTING);
            }
        }
        for (Path folder : moves.stream().map(m -> m[1].toAbsolutePath().getParent()).distinct().toList()) {
            OutputFolder.sync(folder);
        }
        delete();
    }

    /** A step before the renames. */
    @FunctionalInterface
    private interface LockStep {
        void run() throws IOException;
    }

    private static FileAttribute<?>[] ownerOnly() {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------"))} : new FileAttribute<?>[0];
    }

    /**
     * Deletes the directory and what is left in it.
     *
     * @throws IOException if deleting fails
     */
    public void delete() throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
