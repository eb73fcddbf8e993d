package io.github.audiosetdl.hdf5.internal;

import io.jhdf.HdfFile;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An HDF5 file opened for reading on a channel of ours, so that a file jhdf refuses leaves no descriptor open:
 * jhdf's {@code new HdfFile(Path)} opens its own channel and does not close it when the file has no HDF5 signature
 * or a damaged superblock (one descriptor per attempt, until a garbage collection). {@link #close()} closes the
 * channel as {@link HdfFile#close()} does; {@link #getFileAsPath()} is the path given. Opening one puts
 * {@link BoundedInflate} in place of jhdf's deflate filter.
 */
public final class ReadableHdfFile extends HdfFile {
    private final Path file;

    private ReadableHdfFile(FileChannel channel, Path file) {
        super(channel);
        this.file = file;
    }

    /**
     * @param file an HDF5 file
     * @return it, open
     * @throws IOException if it cannot be opened or is not readable HDF5 (naming it; the channel is then closed)
     */
    public static HdfFile open(Path file) throws IOException {
        BoundedInflate.register();
        FileChannel channel = new MapCheckingChannel(FileChannel.open(file, StandardOpenOption.READ), file);
        try {
            return new ReadableHdfFile(channel, file);
        } catch (RuntimeException e) { // jhdf's parse errors are not all HdfExceptions (a corrupt superblock)
            channel.close();
            throw new IOException(file + ": not a readable HDF5 file: " + reason(e), e);
        }
    }

    /**
     * jhdf's reason, without the "in remote file" its channel constructor (made for HTTP ranges) appends: the file
     * is a local one.
     */
    private static String reason(RuntimeException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.replace(" in remote file", "");
    }

    // jhdf's constructor already asks for these (the file is then not yet set)
    @Override
    public Path getFileAsPath() {
        return file == null ? super.getFileAsPath() : file;
    }

    @Override
    public File getFile() {
        return file == null ? super.getFile() : file.toFile();
    }
}
