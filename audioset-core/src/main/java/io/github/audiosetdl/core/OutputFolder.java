package io.github.audiosetdl.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Output folders: failures to create a file or folder in one, worded for the folder the user gave (the JDK names the
 * entry it could not create, often a hidden temporary one, {@code no such file: /proc/.x.hdf5.1a2b3c4d.tmp}, that
 * sends the reader looking for a file they never named), and the folder sync that makes a rename in one durable.
 */
public final class OutputFolder {
    private static final Logger LOG = LoggerFactory.getLogger(OutputFolder.class);

    private OutputFolder() {
    }

    /**
     * @param target the final file (or folder) being made, as the caller gave it
     * @param name the name of the entry whose creation failed, in {@code target}'s folder (a hidden temporary file or
     *     folder, or {@code target}'s own name); detail for the message
     * @param e the failure
     * @return an {@link IOException} "cannot write in FOLDER: REASON (creating NAME for FILE); choose another output
     *     folder" ("(creating NAME)" when {@code name} is {@code target}'s), {@code e} its cause; FOLDER is
     *     {@code target}'s parent as given, or the absolute one
     */
    public static IOException cannotWriteIn(Path target, String name, IOException e) {
        Path folder = target.getParent() != null ? target.getParent() : target.toAbsolutePath().getParent();
        String file = String.valueOf(target.getFileName());
        return new IOException("cannot write in " + folder + ": " + reason(e) + " (creating " + name
                + (name.equals(file) ? "" : " for " + file) + "); choose another output folder", e);
    }

    /**
     * Why a file or folder could not be created, worded for a reader: the JDK's message of a
     * {@link NoSuchFileException} or {@link AccessDeniedException} is only the path.
     *
     * @param e the failure to create an entry in a folder that exists
     * @return the operating system's reason ("Read-only file system", "No space left on device"), else "it takes no
     *     new files (a virtual file system, such as /proc?)" for a {@link NoSuchFileException}, "permission denied"
     *     for an {@link AccessDeniedException}, else the exception's message
     */
    public static String reason(IOException e) {
        String reason;
        if (e instanceof FileSystemException f && f.getReason() != null) {
            reason = f.getReason(); // "Read-only file system", "No space left on device"
        } else if (e instanceof NoSuchFileException) { // the folder exists: it takes no new entries
            reason = "it takes no new files (a virtual file system, such as /proc?)";
        } else if (e instanceof AccessDeniedException) {
            reason = "permission denied";
        } else {
            reason = e.getMessage() != null ? e.getMessage() : e.toString();
        }
        return reason;
    }

    /**
     * {@link Files#createDirectories}, a folder that takes no new entries (a virtual or read-only file system, one
     * without permission) named as {@link #cannotWriteIn} words it: the deepest existing folder, and the reason.
     *
     * @param dir the folder to make, with its missing parents
     * @return {@code dir}
     * @throws IOException worded by {@link #cannotWriteIn} if a missing folder cannot be made in an existing one;
     *     else as {@link Files#createDirectories} (a file at a folder's name)
     */
    public static Path createDirectories(Path dir) throws IOException {
        try {
            return Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw e; // a file at a folder's name: not the folder's fault
        } catch (IOException e) {
            Path missing = dir;
            while (missing.getParent() != null && !Files.isDirectory(missing.getParent())) {
                missing = missing.getParent();
            }
            Path parent = missing.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent) || Files.exists(missing)) {
                throw e; // a file on the way ("Not a directory"), or made meanwhile
            }
            throw cannotWriteIn(missing, String.valueOf(missing.getFileName()), e);
        }
    }

    /**
     * Flushes a folder's entries to disk ({@code fsync} of the folder): after a file is renamed into place, the rename
     * itself survives a crash or power loss only once its folder is synced. Never throws: where a folder cannot be
     * opened or synced (Windows, some network file systems) it is logged at debug level and nothing more is done.
     *
     * @param folder an existing folder
     */
    public static void sync(Path folder) {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("{}: cannot sync the folder ({})", folder, e.toString());
        }
    }
}
