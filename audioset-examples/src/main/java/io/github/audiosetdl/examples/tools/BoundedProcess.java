package io.github.audiosetdl.examples.tools;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program (no shell) with a time limit that holds whatever the program does with its output: the output
 * goes to a file in a new private temporary folder, read after the program ends (a pipe read first would wait
 * for the end of the output past the limit).
 */
public final class BoundedProcess {
    /** How long a program stopped at its time limit has after SIGTERM before SIGKILL, in milliseconds. */
    static final long STOP_GRACE_MS = 2_000;
    /** How much of a program's output is kept, in bytes (the end: errors and job ids come last). */
    public static final int MAX_OUTPUT_BYTES = 64 * 1024;

    private BoundedProcess() {
    }

    /**
     * What a program run by {@link #run} left.
     *
     * @param exit its exit code, or empty if it did not end within the limit (it was stopped)
     * @param output the last {@value #MAX_OUTPUT_BYTES} bytes of its standard output and error, as UTF-8, after
     *     {@code ...} if cut
     */
    public record Result(OptionalInt exit, String output) {
    }

    /**
     * Runs a program. A program still running at the limit, or when this thread is interrupted, is asked to stop
     * (SIGTERM), then killed with its descendants after {@value #STOP_GRACE_MS} ms. The folder is deleted.
     *
     * @param command the program and its arguments
     * @param limit the longest it may take
     * @return its exit code (empty if stopped at the limit) and the end of its output
     * @throws IOException if it cannot be started or its output not read
     * @throws InterruptedException if interrupted (the program is stopped)
     */
    public static Result run(List<String> command, Duration limit) throws IOException, InterruptedException {
        Path folder = Files.createTempDirectory("audioset-run-"); // rwx------ where POSIX
        Path log = folder.resolve("output");
        try {
            Files.createFile(log);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended;
            try {
                p.getOutputStream().close();
                ended = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                stop(p);
            }
            return new Result(ended ? OptionalInt.of(p.exitValue()) : OptionalInt.empty(), tail(log));
        } finally {
            Files.deleteIfExists(log);
            Files.deleteIfExists(folder);
        }
    }

    /** Stops a process if it still runs: SIGTERM, then SIGKILL after the grace. Keeps the interrupt status. */
    private static void stop(Process p) {
        if (!p.isAlive()) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            p.destroy();
            if (!p.waitFor(STOP_GRACE_MS, TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(STOP_GRACE_MS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return the last {@value #MAX_OUTPUT_BYTES} bytes of a file as UTF-8, after {@code ...} if cut */
    private static String tail(Path file) throws IOException {
        try (SeekableByteChannel in = Files.newByteChannel(file)) {
            long size = in.size();
            in.position(Math.max(0, size - MAX_OUTPUT_BYTES));
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(size, MAX_OUTPUT_BYTES));
            while (b.hasRemaining() && in.read(b) > 0) {
                // read on
            }
            String text = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
            return size > MAX_OUTPUT_BYTES ? "..." + text : text;
        }
    }
}
