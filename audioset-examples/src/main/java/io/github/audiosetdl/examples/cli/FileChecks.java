package io.github.audiosetdl.examples.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * Up-front checks of the files a command names, before any work starts, so that a wrong path fails at
 * once with a precise message ({@link AudioSetCli#describe} words the exceptions: "no such file: P",
 * "P is a directory, not a file", "permission denied: P", "P exists and is not a directory"). They are
 * cheap (a few {@code stat} calls) and only catch the common mistakes; the real I/O reports the rest.
 */
final class FileChecks {
    private FileChecks() {
    }

    /**
     * @param file a file the command reads
     * @return {@code file}
     * @throws IOException if it is missing, a directory, not a regular file (a pipe, a device) or unreadable
     */
    static Path inputFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, "Is a directory");
        }
        if (!Files.isRegularFile(file)) { // a pipe (<(zcat ...)) reads differently the second time; a device
            throw new FileSystemException(file.toString(), null, "not a regular file (a pipe or a device): the"
                    + " commands read their input files more than once or at random; save it to a file first");
        }
        if (!Files.isReadable(file)) {
            throw new AccessDeniedException(file.toString());
        }
        return file;
    }

    /**
     * @param dir a directory the command reads
     * @return {@code dir}
     * @throws IOException if it is missing, not a directory or unreadable
     */
    static Path inputDirectory(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            throw new NoSuchFileException(dir.toString());
        }
        directory(dir, dir, Files::isReadable);
        return dir;
    }

    /**
     * A directory the command writes into, created later if missing: it, or else its nearest existing
     * ancestor, must be a writable directory.
     *
     * @param dir the directory
     * @return {@code dir}
     * @throws IOException if it (or that ancestor) is a file or not writable
     */
    static Path outputDirectory(Path dir) throws IOException {
        Path existing = dir.toAbsolutePath();
        Path shown = dir; // the ancestor as the path was given: "ro", not "/abs/ro" when only "ro/new" is missing
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
            shown = shown == null ? null : shown.getParent();
        }
        if (existing == null) {
            return dir;
        }
        directory(existing, shown != null ? shown : existing, Files::isWritable); // null: the current folder
        return dir;
    }

    /**
     * @param dir a directory a command will create if missing
     * @return the outermost of its folders that does not exist yet (what creating it creates), or null if it exists
     */
    static Path firstMissing(Path dir) {
        Path missing = null;
        for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
            missing = p;
        }
        return missing;
    }

    /**
     * Removes the folders a failed command created, when it left them empty: {@code dir} and its parents up to
     * {@code firstMissing} ({@link #firstMissing(Path)} before the command ran). A folder that is not empty stays.
     *
     * @param dir the output directory
     * @param firstMissing the outermost folder the command created, or null (then nothing is removed)
     */
    static void removeCreated(Path dir, Path firstMissing) {
        if (firstMissing == null) {
            return;
        }
        for (Path p = dir.toAbsolutePath(); p != null && p.startsWith(firstMissing); p = p.getParent()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) { // not empty (another process wrote there), or not ours to remove: leave it
                return;
            }
        }
    }

    /** An existing {@code dir} (named {@code shown} in messages) must be a directory we may enter and use. */
    private static void directory(Path dir, Path shown, Predicate<Path> allowed) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NotDirectoryException(shown.toString());
        }
        if (!allowed.test(dir) || !Files.isExecutable(dir)) {
            throw new AccessDeniedException(shown.toString());
        }
    }

    /**
     * @param file a file the command writes (replacing it if it exists)
     * @return {@code file}
     * @throws IOException if it is a directory, or its folder cannot be written
     */
    static Path outputFile(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, "Is a directory");
        }
        // its folder as given ("notes.txt exists and is not a directory", as for an output folder), else the current
        Path parent = file.getParent() != null ? file.getParent() : file.toAbsolutePath().getParent();
        if (parent != null) {
            outputDirectory(parent);
        }
        return file;
    }
}
