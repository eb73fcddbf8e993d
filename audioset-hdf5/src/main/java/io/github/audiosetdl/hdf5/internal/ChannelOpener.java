package io.github.audiosetdl.hdf5.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens a new staged file for writing; tests give one that fails, as a full disk does. */
@FunctionalInterface
public interface ChannelOpener {
    /** Creates the file ({@code CREATE_NEW}, so never through a planted link) for writing. */
    ChannelOpener CREATE_NEW = file -> FileChannel.open(file, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);

    /**
     * @param file the file, not yet existing
     * @return a channel to write it
     * @throws IOException if it cannot be created
     */
    FileChannel open(Path file) throws IOException;
}
