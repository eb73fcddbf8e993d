package io.github.audiosetdl.core.download;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.ProcessTag;
import io.github.audiosetdl.core.Segment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ids being fetched into one downloads folder, by any task: before fetching id X a task creates
 * {@code <downloads>/.claims/X.claim}, holding its owner ({@link ProcessTag}: host, process id, start) and a random
 * nonce, whole in one step (a private draft hard-linked to that name, which never replaces), and deletes it once
 * the clip is written or has failed. Only in-flight ids have a
 * file, so the folder never grows with the data set.
 *
 * <p>A claim another task holds is respected while its owner lives: a process of this host that still runs, or for
 * a claim of another host (or one whose owner cannot be read), until the file is older than the foreign bound
 * ({@link #foreignBound(DownloadConfig)}). A process renews the modification time of the claims it holds every
 * {@link #RENEWAL} (a daemon thread), so a live task's claim never grows that old, however long its budget waits.
 * A claim of an ended process of this host, of another host past the bound, or one this process left from an earlier
 * run is taken over: renamed to a private name, checked to be the
 * very claim that was judged (else put back with a hard link, which never replaces), deleted, and created anew.
 * No file lock is used: locks are unreliable on the network file systems clusters share; {@code CREATE_NEW},
 * rename and link are atomic there. Only when three tasks race for one stale claim within microseconds (one
 * displaces the claim another has just made, and a third claims in the instant before it is linked back) can two
 * hold it; the clip is then fetched twice, each copy still written atomically. Thread-safe.
 */
final class ClaimFolder {
    /** The folder's name in the downloads folder. */
    static final String FOLDER = ".claims";
    /** The suffix of a claim file. */
    static final String SUFFIX = ".claim";
    /** Margin added to the longest a clip can take, for budget waits and clock differences between hosts. */
    static final Duration FOREIGN_MARGIN = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(ClaimFolder.class);
    /** The most bytes of a claim read (a tag is at most 81 characters). */
    private static final int MAX_CONTENT = 256;
    /** How often one claim is tried when it keeps changing under us. */
    private static final int ROUNDS = 4;
    /**
     * The claim files this process holds, in any folder, stage or run. Its monitor guards a claim's creation with
     * its entry here, and the judgement of this process's claims: a claim file of this process whose entry is not
     * here yet is being made, not left (package-private for the test of that).
     */
    static final Map<Path, String> HELD = new ConcurrentHashMap<>();
    private static final AtomicLong ASIDE = new AtomicLong();
    /** How often this process renews the modification time of the claims it holds. */
    static final Duration RENEWAL = Duration.ofMinutes(5);
    /** Whether the daemon renewing the held claims runs. */
    private static final AtomicBoolean RENEWING = new AtomicBoolean();

    private final Path dir;
    private final Duration bound;
    /** Makes hard links: {@link Files#createLink} but in tests. */
    private final Linker linker;

    /** How a hard link is made ({@code link} a new name of {@code existing}); a seam for file systems without. */
    @FunctionalInterface
    interface Linker {
        void link(Path link, Path existing) throws IOException;
    }

    private ClaimFolder(Path dir, Duration bound, Linker linker) {
        this.dir = dir;
        this.bound = bound;
        this.linker = linker;
    }

    /**
     * @param downloadsDir the downloads folder shared by the job folders
     * @param foreignBound how long a claim of another host is respected
     * @return the claims of that folder ({@code downloadsDir/.claims}, created if missing)
     * @throws IOException if the folder cannot be created, or is a link
     */
    static ClaimFolder in(Path downloadsDir, Duration foreignBound) throws IOException {
        return in(downloadsDir, foreignBound, Files::createLink);
    }

    /** {@link #in(Path, Duration)}, making hard links with {@code linker}. */
    static ClaimFolder in(Path downloadsDir, Duration foreignBound, Linker linker) throws IOException {
        Path dir = downloadsDir.toAbsolutePath().normalize().resolve(FOLDER);
        Files.createDirectories(dir);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a folder (or is a link): refusing it as the claims folder");
        }
        if (foreignBound.isNegative()) {
            throw new IllegalArgumentException("foreign bound " + foreignBound + " < 0");
        }
        // the real path: the claims this process holds (HELD) are known by it whatever spelling a stage was given
        return new ClaimFolder(dir.toRealPath(), foreignBound, requireNonNull(linker, "linker"));
    }

    /**
     * The longest a live task of another host can hold one claim, and more: every attempt's two tool runs at
     * their timeout and the longest retry delay after it, plus {@link #FOREIGN_MARGIN}. With the defaults
     * (3 retries, 120 s, 2 min) that is 4 × 6 min + 1 h = 84 min.
     *
     * @param config the download configuration
     * @return how long a claim of another host is respected
     */
    static Duration foreignBound(DownloadConfig config) {
        Duration attempt = config.toolTimeout().multipliedBy(2).plus(config.maxRetryDelay());
        return attempt.multipliedBy(config.retries() + 1L).plus(FOREIGN_MARGIN);
    }

    /** @return the folder */
    Path dir() {
        return dir;
    }

    /**
     * Claims an id unless another live task holds it.
     *
     * @param ytid a YouTube id
     * @return empty if this process now holds the claim; else who holds it ({@code host~pid~start}, or a few
     *     words when that cannot be read)
     * @throws IOException if the claim cannot be created or read
     * @throws IllegalArgumentException if {@code ytid} is not a valid id
     */
    Optional<String> claim(String ytid) throws IOException {
        Path file = file(ytid);
        String holder = "a task that changes it";
        for (int round = 0; round < ROUNDS; round++) {
            synchronized (HELD) {
                String mine = create(file);
                if (mine != null) {
                    HELD.put(file, mine);
                    startRenewing();
                    return Optional.empty();
                }
            }
            String content = read(file);
            if (content == null) {
                continue; // released meanwhile
            }
            Optional<ProcessTag> owner = ProcessTag.find(content);
            holder = owner.map(ProcessTag::toString).orElse("an unknown owner");
            if (!removeIfStale(file, content, owner)) {
                return Optional.of(holder);
            }
            LOG.info("took over the claim of {} left by {}", ytid, holder);
        }
        return Optional.of(holder);
    }

    /**
     * Releases a claim this process holds (the clip is written or has failed); logs a failure, never throws.
     *
     * @param ytid the id
     */
    void release(String ytid) {
        Path file = file(ytid);
        synchronized (HELD) {
            try {
                String content = read(file);
                if (content != null && content.equals(HELD.get(file))) {
                    Files.deleteIfExists(file);
                } else {
                    LOG.warn("the claim of {} was taken over by {} before the clip was done", ytid,
                            content == null ? "nobody (it is gone)" : content.strip());
                }
            } catch (IOException e) {
                LOG.warn("cannot release the claim {}: {}", file, e.getMessage());
            } finally {
                HELD.remove(file);
            }
        }
    }

    /** Starts the daemon that renews the held claims every {@link #RENEWAL}, once per process. */
    private static void startRenewing() {
        if (RENEWING.compareAndSet(false, true)) {
            ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "audioset-claim-renewal");
                t.setDaemon(true);
                return t;
            });
            long every = RENEWAL.toMillis();
            renewer.scheduleWithFixedDelay(ClaimFolder::renewHeld, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Sets the modification time of every claim this process holds (still holding its content) to now, so that
     * no task of another host takes it for a crashed task's while the clip is in flight. Logs a failure, never
     * throws.
     *
     * @return how many claims were renewed
     */
    static int renewHeld() {
        int renewed = 0;
        for (Path file : List.copyOf(HELD.keySet())) {
            synchronized (HELD) { // not while this process releases it (the read and the delete are one step there)
                String mine = HELD.get(file);
                try {
                    if (mine != null && mine.equals(read(file))) {
                        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
                        renewed++;
                    }
                } catch (NoSuchFileException e) {
                    LOG.debug("the claim {} is gone: nothing to renew", file);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("cannot renew the claim {}: {}", file, e.getMessage());
                }
            }
        }
        return renewed;
    }

    /**
     * Removes the stale claims (as {@link #claim} would take them over) and the private names of interrupted take
     * overs: what killed tasks left, so that the folder holds only live tasks' claims.
     *
     * @return how many files were removed
     * @throws IOException if the folder cannot be listed
     */
    int sweep() throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (name.startsWith(".") && name.endsWith(ClipDownloader.TEMP_SUFFIX)) {
                    Optional<ProcessTag> owner = ProcessTag.find(name);
                    boolean mine = owner.filter(ProcessTag.current()::equals).isPresent();
                    if (!mine && stale(f, owner) && Files.deleteIfExists(f)) {
                        removed++;
                    }
                } else if (name.endsWith(SUFFIX)) {
                    String content = read(f);
                    if (content != null && removeIfStale(f, content, ProcessTag.find(content))) {
                        removed++;
                    }
                }
            }
        }
        if (removed > 0) {
            LOG.info("removed {} claim(s) of ended tasks from {}", removed, dir);
        }
        return removed;
    }

    private Path file(String ytid) {
        requireNonNull(ytid, "ytid");
        if (!Segment.isValidId(ytid)) {
            throw new IllegalArgumentException("invalid YouTube id '" + ytid + "': no claim file is made for it");
        }
        return dir.resolve(ytid + SUFFIX);
    }

    /** Whether a claim (or a private file) with this owner may be taken: its owner has ended, or it is too old. */
    /**
     * Removes a claim read as {@code content} if it is stale. A claim of this process is judged holding
     * {@link #HELD}'s monitor, which its creator holds from the file's creation to its entry in {@code HELD}: judged
     * in between, another run of this process took a claim being made for one left behind, removed it, and fetched
     * the clip a second time.
     *
     * @return whether the claim is gone
     */
    private boolean removeIfStale(Path file, String content, Optional<ProcessTag> owner) throws IOException {
        if (owner.isPresent() && owner.get().equals(ProcessTag.current())) {
            synchronized (HELD) {
                return stale(file, owner) && removeIf(file, content);
            }
        }
        return stale(file, owner) && removeIf(file, content);
    }

    private boolean stale(Path file, Optional<ProcessTag> owner) throws IOException {
        if (owner.isPresent() && owner.get().equals(ProcessTag.current())) {
            return !HELD.containsKey(file); // this process's, from a run that could not release it
        }
        try {
            if (owner.isPresent() && owner.get().isLocal() && ProcessTag.judgedByItsTag(file)) {
                return owner.get().isGone(); // another user's process may be hidden (hidepid): its age decides
            }
            return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis()
                    < System.currentTimeMillis() - bound.toMillis();
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * Deletes a claim if it still holds {@code content}: renames it to a private name (only one process gets a
     * given file), and if the file it got is another (a claim made since it was read), links it back.
     *
     * @return whether the claim is gone (deleted here, or by someone else)
     */
    private boolean removeIf(Path file, String content) throws IOException {
        Path aside = privateName(file);
        try {
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return true;
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename within " + dir + ": claims need an atomic rename", e);
        }
        try {
            if (content.equals(read(aside))) {
                return true;
            }
            Linked linked = hardLink(file, aside);
            if (linked == Linked.NO_HARD_LINKS) {
                putBack(aside, file);
            } else if (linked == Linked.EXISTS) {
                LOG.debug("a claim of {} was displaced and replaced meanwhile", file.getFileName());
            }
            return false;
        } finally {
            Files.deleteIfExists(aside);
        }
    }

    /**
     * Links {@code existing} (a private file of this process) to {@code link}, which a link never replaces.
     *
     * @return whether it is linked, or {@code link} exists, or this file system has no hard links: Java says
     *     so with {@link UnsupportedOperationException}, Linux on exFAT, FAT or some FUSE and network mounts with
     *     {@code EPERM} or {@code ENOTSUP} (a {@link FileSystemException} while both names are as expected); a
     *     caller then does without, and if the folder cannot be written at all, that fails there
     * @throws IOException if linking fails otherwise ({@code existing} is gone, say)
     */
    private Linked hardLink(Path link, Path existing) throws IOException {
        try {
            linker.link(link, existing);
            return Linked.LINKED;
        } catch (FileAlreadyExistsException e) {
            return Linked.EXISTS;
        } catch (UnsupportedOperationException e) {
            LOG.debug("{} has no hard links ({}): claims are written in place", dir, e.toString());
            return Linked.NO_HARD_LINKS;
        } catch (NoSuchFileException e) {
            throw e;
        } catch (FileSystemException e) {
            if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                return Linked.EXISTS;
            }
            if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)) {
                throw e;
            }
            LOG.debug("{} has no hard links ({}): claims are written in place", dir, e.getMessage());
            return Linked.NO_HARD_LINKS;
        }
    }

    /** What {@link #hardLink} did. */
    private enum Linked {
        LINKED, EXISTS, NO_HARD_LINKS
    }

    /**
     * @return a new name for a file of this process beside {@code file}, {@code .<file>.<tag>.<n>.tmp}: a claim set
     *     aside or a draft, which {@link #sweep()} removes once this process has ended
     */
    private Path privateName(Path file) {
        return dir.resolve("." + file.getFileName() + "." + ProcessTag.current() + "." + ASIDE.incrementAndGet()
                + ClipDownloader.TEMP_SUFFIX);
    }

    /** Without hard links: a rename without {@code REPLACE_EXISTING}, as close to "never replaces" as it gets. */
    private static void putBack(Path aside, Path file) throws IOException {
        try {
            Files.move(aside, file);
        } catch (FileAlreadyExistsException e) {
            LOG.debug("a claim of {} was displaced and replaced meanwhile", file.getFileName());
        }
    }

    /**
     * Makes the claim whole in one step: its content is written to a private draft ({@code CREATE_NEW}), which is
     * then hard-linked to the claim's name (a link never replaces) and removed. A claim created empty and written
     * after could be read empty, and one left so by a run killed in between was taken for a live task of another
     * host until the foreign bound. Where the file system has no hard links, the claim is created and written in
     * place. A draft left by a killed run is removed by {@link #sweep()} (its name holds its owner's tag).
     *
     * @return the content written, or null if the claim exists
     */
    private String create(Path file) throws IOException {
        String content = ProcessTag.current() + " " + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "\n";
        byte[] bytes = content.getBytes(StandardCharsets.US_ASCII);
        Path draft = privateName(file);
        try {
            write(draft, bytes);
            Linked linked = hardLink(file, draft);
            if (linked != Linked.NO_HARD_LINKS) {
                return linked == Linked.LINKED ? content : null;
            }
        } finally {
            Files.deleteIfExists(draft);
        }
        try {
            write(file, bytes);
        } catch (FileAlreadyExistsException e) {
            return null;
        }
        return content;
    }

    /** Creates {@code file} ({@code CREATE_NEW}) holding {@code bytes}; one half written (a full disk) is removed. */
    private static void write(Path file, byte[] bytes) throws IOException {
        SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (ch) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** @return the first {@link #MAX_CONTENT} bytes of a claim, or null if it is gone */
    private static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return new String(in.readNBytes(MAX_CONTENT), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
