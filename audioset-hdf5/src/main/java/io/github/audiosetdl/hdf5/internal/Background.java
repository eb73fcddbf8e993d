package io.github.audiosetdl.hdf5.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for a task run in the background (a write, a read ahead) as the I/O code around it does. */
public final class Background {
    private Background() {
    }

    /**
     * Waits for {@code task} to end; the task's {@link IOException} is thrown as it is, any other failure as an
     * {@link IOException} that says what failed.
     *
     * @param task the task, or null (nothing to wait for)
     * @param where the file or folder concerned, for the messages
     * @param doing what the task does ("writing rows"), for the messages
     * @throws InterruptedIOException if this thread is interrupted while waiting (its interrupt flag set again)
     * @throws IOException if the task failed
     */
    public static void await(Future<?> task, Object where, String doing) throws IOException {
        if (task == null) {
            return;
        }
        try {
            task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(where + ": interrupted while " + doing);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(where + ": " + doing + " failed: " + e.getCause(), e.getCause());
        }
    }
}
