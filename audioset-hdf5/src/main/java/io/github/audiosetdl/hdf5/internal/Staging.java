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

/**
 * A private temporary directory beside a final file ({@code .<name>.<random>.tmp}): everything is
 * written inside it, published by renames, and deleted on abort. A killed process leaves only that
 * hidden directory, never a file under a final name.
 */
public final class Staging {
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
        String name = "." + target.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + ".tmp";
        return new Staging(Files.createDirectory(parent.resolve(name)));
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
