package io.github.audiosetdl.core.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flushes a folder's entries to disk ({@code fsync} of the folder): after a file is renamed into place, the rename
 * itself survives a crash or power loss only once its folder is synced. Not API.
 */
public final class FolderSync {
    private static final Logger LOG = LoggerFactory.getLogger(FolderSync.class);

    private FolderSync() {
    }

    /**
     * Syncs {@code folder}'s entries (the renames made in it). Never throws: where a folder cannot be opened or
     * synced (Windows, some network file systems) it is logged at debug level and nothing more is done.
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
