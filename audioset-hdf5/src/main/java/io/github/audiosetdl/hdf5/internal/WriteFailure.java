package io.github.audiosetdl.hdf5.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;

/**
 * Names the file in a write failure: the operating system's own message ({@code No space left on device},
 * {@code Disk quota exceeded}) says nothing of which file it was writing.
 */
public final class WriteFailure {
    private WriteFailure() {
    }

    /**
     * @param where the file (or folder) being written, for the message
     * @param doing what was being done ("writing rows"), for the message
     * @param e the failure
     * @return {@code e} itself if it already names {@code where} or is an interruption (a closed channel, an
     *     interrupted wait); else an {@link IOException} {@code "<where>: <doing> failed: <message>"} with {@code e}
     *     as its cause
     */
    public static IOException naming(Object where, String doing, IOException e) {
        String text = e.getMessage();
        if (e instanceof InterruptedIOException || e instanceof ClosedChannelException
                || text != null && text.contains(where.toString())) {
            return e;
        }
        return new IOException(where + ": " + doing + " failed: " + (text != null ? text : e.toString()), e);
    }
}
