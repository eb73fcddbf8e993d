package io.github.audiosetdl.core.pipeline;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.spi.NameLock;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file computed from other files alone, kept while they are unchanged, as {@link AudioSetPipeline} keeps its
 * outputs (the command line's {@code _stats.npz}, the statistics of a cochleagram file, is one). Beside the file, the
 * hidden record {@code .<file name>.inputs}, in the format of the pipeline's records, names the library version and
 * each input file as it was when the computation started (size, modification time, inode), and the file as it was
 * written. The file is up to date while its record names the inputs as they are now and the file is as written: an
 * input replaced, rewritten or touched, whatever the files' times say (one copied in with an older time, as
 * {@code cp -p} and {@code rsync -a} keep it), makes it stale; so does a file without a record (an older version's,
 * or one another program wrote).
 */
public final class DerivedFile {
    private static final Logger LOG = LoggerFactory.getLogger(DerivedFile.class);
    private static final String FROM = "from ";

    private DerivedFile() {
    }

    /** Writes a derived file. */
    @FunctionalInterface
    public interface Computation {
        /**
         * @return the file written, complete (under its final name only once complete: a unique temporary file
         *     renamed into place)
         * @throws IOException if computing or writing fails
         */
        Path compute() throws IOException;
    }

    /** Writes a derived file, renaming it into place under the lock of its name, which it leaves held. */
    @FunctionalInterface
    public interface LockedComputation {
        /**
         * @return the lock of the file's name ({@link NameLock}, {@code .<file name>.lock} in its folder), taken
         *     before the file (complete, a unique temporary file) was renamed into place, and still held; empty
         *     where the lock file cannot be used (a file system without locks), the file put in place without it
         * @throws IOException if computing or writing fails (no lock is left held)
         */
        Optional<NameLock> compute() throws IOException;
    }

    /**
     * @param file a derived file
     * @param inputs the files it is computed from, in order (at most one of each file name)
     * @return empty if the record beside {@code file} says it was computed by this version from {@code inputs} as they
     *     are now, and {@code file} is as it was written; else why not, in words, naming the file that changed,
     *     is missing or has no record
     * @throws IOException if an input's attributes cannot be read
     * @throws IllegalArgumentException if two inputs have the same file name
     */
    public static Optional<String> whyStale(Path file, List<Path> inputs) throws IOException {
        Map<String, String> now;
        try {
            now = identities(file, inputs);
        } catch (NoSuchFileException e) {
            return Optional.of(e.getFile() + " is missing");
        }
        return OutputRecord.whyStale(OutputRecord.of(file), now, (key, was, is) -> Optional.of(
                file.resolveSibling(key.substring(FROM.length())) + " changed since " + file.getFileName()
                        + " was computed from it"));
    }

    /**
     * Computes {@code file} from {@code inputs}, and records it. The record is deleted first, the inputs' identities
     * are read before {@code computation} starts (an input replaced while it runs leaves the file stale), and the
     * record is written once it returns. From the start of the computation to the record, this holds the lock the
     * pipeline holds from its commit to its record ({@code .<file name>.inputs.lock}), so that two processes
     * computing the same file at once never leave a record of one's inputs naming the other's file (the second waits
     * at most 10 minutes, then writes no record). A record that cannot be written is logged: the file is made again
     * next time.
     *
     * <p>A writer of the same file that does not take that lock (a program writing it directly) could still replace
     * it between the computation's rename and the record, which would then name that writer's file: where the file's
     * writer takes the lock of its name ({@link NameLock}), as {@code FeatureStats} of {@code audioset-hdf5} does,
     * use {@link #writeLocked} instead.
     *
     * @param file the derived file
     * @param inputs the files it is computed from, in order (at most one of each file name)
     * @param computation writes {@code file}
     * @return the file {@code computation} returned
     * @throws IOException if an input's attributes cannot be read, or the computation fails (no record is left)
     * @throws IllegalArgumentException if {@code computation} returns a file other than {@code file} (no record is
     *     written), or two inputs have the same file name
     */
    public static Path write(Path file, List<Path> inputs, Computation computation) throws IOException {
        requireNonNull(computation, "computation");
        Path[] written = new Path[1];
        writeLocked(file, inputs, () -> {
            written[0] = computation.compute();
            if (!AudioSetPipeline.Builder.sameFile(written[0], file)) {
                throw new IllegalArgumentException("the computation of " + file + " wrote " + written[0]);
            }
            return Optional.empty();
        });
        return written[0];
    }

    /**
     * {@link #write(Path, List, Computation)}, for a computation that renames {@code file} into place under the lock
     * of its name ({@link NameLock}, {@code .<file name>.lock} in its folder) and returns it still held: the record is
     * written, then the lock released, so that no writer of the file that takes the same lock (a program writing it
     * directly with the same writer) can replace it between the rename and the record; such a writer waits at its
     * rename until the record is written (milliseconds). The locks are taken in the pipeline's order, the record's
     * before the name's, so two such computations never wait for each other in a cycle.
     *
     * @param file the derived file
     * @param inputs the files it is computed from, in order (at most one of each file name)
     * @param computation writes {@code file} and returns the lock of its name, held
     * @throws IOException if an input's attributes cannot be read, or the computation fails (no record is left)
     * @throws IllegalArgumentException if the lock returned is not that of {@code file}'s name (it is released, and
     *     no record is written), or two inputs have the same file name
     */
    public static void writeLocked(Path file, List<Path> inputs, LockedComputation computation) throws IOException {
        requireNonNull(computation, "computation");
        Path record = OutputRecord.of(file);
        Files.deleteIfExists(record); // before the file changes: one that fails to compute is never up to date
        Map<String, String> read = identities(file, inputs);
        try (RecordLock lock = RecordLock.acquire(record, RecordLock.WAIT)) {
            Optional<NameLock> held = computation.compute();
            try {
                if (held.isPresent()) {
                    checkLockOf(file, held.get());
                }
                if (lock.recordable()) {
                    try {
                        OutputRecord.write(record, read, List.of(file));
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("cannot record the inputs of {} in {} ({}): it is computed again next time", file,
                                record, e.toString());
                    }
                }
            } finally {
                held.ifPresent(NameLock::close);
            }
        }
    }

    /** @throws IllegalArgumentException if {@code lock} is not that of {@code file}'s name in its folder */
    private static void checkLockOf(Path file, NameLock lock) throws IOException {
        Path expected = file.toAbsolutePath().getParent().toRealPath()
                .resolve(NameLock.fileName(file.getFileName().toString()));
        if (!lock.file().equals(expected)) {
            throw new IllegalArgumentException("the computation of " + file + " returned the lock " + lock.file()
                    + ", not " + expected);
        }
    }

    /**
     * Deletes a derived file and its record, under the lock of the file's name ({@link NameLock},
     * {@code .<file name>.lock} in its folder), which every writer of the file that records it holds from its rename
     * to its record: deleted without it, the file of a writer that had just renamed it into place went, and that
     * writer's record then failed (no file to record), which left the output missing. A holder is waited for, at
     * most 10 minutes; where the lock file cannot be used (a file system without locks) the file is deleted without
     * it, and that is logged. The caller must not hold that lock itself (it would wait for itself).
     *
     * @param file the derived file
     * @return whether the file was there
     * @throws IOException if either cannot be deleted, or another writer still holds the lock after 10 minutes
     *     (nothing is deleted; the message names the lock file)
     */
    public static boolean delete(Path file) throws IOException {
        Optional<NameLock> name = lockName(file);
        try {
            Files.deleteIfExists(OutputRecord.of(file));
            return Files.deleteIfExists(file);
        } finally {
            name.ifPresent(NameLock::close);
        }
    }

    /**
     * Deletes a derived file and its record when they do not describe {@code inputs} as they are now
     * ({@link #whyStale}), judged and deleted under the locks a recording writer holds ({@link #writeLocked}): the
     * record's lock, then the lock of the file's name. So a writer that has just put the file in place, fresh, and
     * is about to record it is waited for, and its file is then judged up to date and kept; judged before it and
     * deleted after, it was deleted, and the output was missing.
     *
     * @param file the derived file
     * @param inputs the files it is computed from, in order
     * @return whether the file was there, stale, and is deleted (false, and nothing deleted, if another run still
     *     held the record's lock after 10 minutes: logged)
     * @throws IOException if an input's attributes cannot be read, a file cannot be deleted, or another writer
     *     still holds the lock of the file's name after 10 minutes
     */
    public static boolean deleteIfStale(Path file, List<Path> inputs) throws IOException {
        Path record = OutputRecord.of(file);
        try (RecordLock lock = RecordLock.acquire(record, RecordLock.WAIT)) {
            if (!lock.recordable()) { // another run is still computing the file: left to it (logged)
                return false;
            }
            if (!Files.exists(file) || whyStale(file, inputs).isEmpty()) {
                return false;
            }
            return delete(file);
        }
    }

    /**
     * @return the lock of {@code file}'s name, held; empty where the lock file cannot be used (logged)
     * @throws IOException if another writer still holds it after {@link RecordLock#WAIT}
     */
    private static Optional<NameLock> lockName(Path file) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        String name = file.getFileName().toString();
        Optional<NameLock> lock;
        try {
            lock = NameLock.tryAcquire(folder, name, RecordLock.WAIT);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            LOG.warn("{}: cannot lock {} ({}); deleting {} without the lock", folder, NameLock.fileName(name),
                    e.toString(), name);
            return Optional.empty();
        }
        if (lock.isEmpty()) {
            throw new IOException(file + ": another writer is putting " + name + " in place in " + folder
                    + " and still holds " + NameLock.fileName(name) + " after " + RecordLock.WAIT.toSeconds()
                    + " s: nothing was deleted");
        }
        return lock;
    }

    /** @return each input's name, after {@link #FROM}, to its size, modification time and inode */
    private static Map<String, String> identities(Path file, List<Path> inputs) throws IOException {
        requireNonNull(file, "file");
        Map<String, String> m = new LinkedHashMap<>();
        for (Path input : inputs) {
            if (m.put(FROM + input.getFileName(), OutputRecord.identity(input).replace('\t', ' ')) != null) {
                throw new IllegalArgumentException("two inputs of " + file + " are named " + input.getFileName());
            }
        }
        return m;
    }
}
