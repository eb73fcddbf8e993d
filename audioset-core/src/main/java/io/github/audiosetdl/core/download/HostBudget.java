package io.github.audiosetdl.core.download;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The request slots of every process of one user on one host: a file holding the wall-clock time (ns since the
 * epoch) before which no further request may start, read and advanced under an exclusive file lock. Each
 * reservation takes the later of that time and the caller's earliest start, and moves it one interval on, so the
 * requests of all processes that share the file are spaced by at least their interval: with budget R per minute,
 * any minute sees at most R + 1 requests. Processes with different budgets each keep their own spacing after
 * the previous request.
 *
 * <p>The file belongs in a host-local folder (the default is under {@code java.io.tmpdir}): file locks on network
 * file systems are unreliable, and a budget is per IP, which usually means per host. The folder is created
 * owner-only; an existing folder that is a link, or not owned by this user, or open to others, is refused. The file
 * also holds the wall-clock time it was written: when the clock has since been set back, the stored time moves back
 * as much (the queue keeps its length; a queue many hours long, many workers at a low budget, is kept too); a
 * stored time more than a year ahead is taken for a damaged file and ignored. Thread-safe: threads of one process
 * take turns (file locks are per process).
 */
final class HostBudget {
    /** The file's name in its folder. */
    static final String FILE = "requests.budget";
    private static final long MAX_AHEAD_NANOS = 366L * 24 * 3_600_000_000_000L;
    private static final Map<Path, HostBudget> OPEN = new ConcurrentHashMap<>();

    private final Path file;

    private HostBudget(Path file) {
        this.file = file;
    }

    /**
     * @param folder the shared folder (created owner-only if missing)
     * @return the budget of that folder (one instance per folder in this process)
     * @throws IOException if the folder cannot be created or is not safe to share (a link, another owner's, or
     *     writable by others)
     */
    static HostBudget in(Path folder) throws IOException {
        Path dir = folder.toAbsolutePath().normalize();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(dir);
            }
        }
        checkSafe(dir);
        // keyed by the real path: a folder reached through a linked parent too is one instance, whose monitor
        // keeps this process's threads from a second lock of the file (OverlappingFileLockException)
        return OPEN.computeIfAbsent(dir.toRealPath(), d -> new HostBudget(d.resolve(FILE)));
    }

    private static void checkSafe(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a folder (or is a link): refusing it as the request budget folder");
        }
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            return; // no POSIX owners here: nothing to check
        }
        String user = System.getProperty("user.name");
        Set<PosixFilePermission> p = a.permissions();
        if (!a.owner().getName().equals(user) || p.contains(PosixFilePermission.GROUP_WRITE)
                || p.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(dir + " belongs to " + a.owner().getName() + " with permissions "
                    + PosixFilePermissions.toString(p) + ": the request budget folder must be " + user
                    + "'s and not writable by others");
        }
    }

    /** @return the budget file */
    Path file() {
        return file;
    }

    /**
     * Reserves the next slot of the host.
     *
     * @param earliestNanos the caller's earliest start, ns from now ({@code >= 0})
     * @param intervalNanos the spacing after this request, in ns
     * @return how long the caller waits before its request, ns from now ({@code >= earliestNanos})
     * @throws IOException if the file cannot be read or written
     */
    synchronized long reserve(long earliestNanos, long intervalNanos) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ch.lock(); // released when the channel closes
            ByteBuffer b = ByteBuffer.allocate(2 * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
                continue;
            }
            long now = nowNanos();
            long stored = 0;
            if (b.position() >= Long.BYTES) {
                b.flip();
                stored = b.getLong();
                long written = b.remaining() >= Long.BYTES ? b.getLong() : now; // a file of an older version: now
                if (written > now) {
                    stored -= written - now; // the clock went back since: the queue keeps its length
                }
                if (stored - now > MAX_AHEAD_NANOS) {
                    stored = 0; // a damaged file
                }
            }
            long start = Math.max(now + earliestNanos, stored);
            b.clear().putLong(start + intervalNanos).putLong(now).flip();
            while (b.hasRemaining()) {
                ch.write(b, b.position());
            }
            return start - now;
        }
    }

    private static long nowNanos() {
        Instant t = Instant.now();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
