package io.github.audiosetdl.hdf5.internal;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private temporary directory beside a final file ({@code .<name>.<random>.tmp}): everything is
 * written inside it, published by renames, and deleted on abort. A killed process leaves only that
 * hidden directory, never a file under a final name; the next run for the same target deletes it
 * once its owning process is gone.
 */
public final class Staging {
    private static final Logger LOG = LoggerFactory.getLogger(Staging.class);
    private static final String OWNER = "owner.pid";

    private final Path dir;

    private Staging(Path dir) {
        this.dir = dir;
    }

    /**
     * @param target the final file; its directory is created if missing
     * @return a new staging directory beside it
     * @throws IOException if it cannot be created
     */
    public static Staging beside(Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        removeStale(parent, "." + target.getFileName() + ".");
        String name = "." + target.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + ".tmp";
        Staging staging = new Staging(Files.createDirectory(parent.resolve(name)));
        Files.writeString(staging.dir.resolve(OWNER), String.valueOf(ProcessHandle.current().pid()));
        return staging;
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
            Path owner = dir.resolve(OWNER);
            long pid;
            try {
                pid = Long.parseLong(Files.readString(owner).strip());
            } catch (IOException | NumberFormatException e) {
                continue; // not ours, or being created: leave it
            }
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            if (alive || pid == ProcessHandle.current().pid()) {
                continue; // still being written (by this process or another live one)
            }
            LOG.info("removing {}, left by a run (process {}) that did not finish", dir, pid);
            new Staging(dir).delete();
        }
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
        for (Path[] m : moves) {
            try {
                Files.move(m[0], m[1], StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(m[0], m[1], StandardCopyOption.REPLACE_EXISTING);
            }
        }
        delete();
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
