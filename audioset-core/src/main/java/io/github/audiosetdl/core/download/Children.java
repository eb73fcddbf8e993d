package io.github.audiosetdl.core.download;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The tools (yt-dlp, ffmpeg) this JVM's downloads are running, so that a shutdown (SIGTERM, Ctrl-C) can end
 * them, and only them: a child left running would keep fetching, and its worker could not delete its
 * temporary files.
 */
final class Children {
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    /** How long {@link #kill(Process)} waits for a killed tool to end, in milliseconds. */
    private static final long KILL_WAIT_MS = 5_000;

    private Children() {
    }

    /**
     * Starts a tool and records it until {@link #kill(Process)}.
     *
     * @param builder the tool's command, environment and redirections
     * @return the running process
     * @throws java.io.IOException if it cannot be started
     */
    static Process start(ProcessBuilder builder) throws java.io.IOException {
        Process p = builder.start();
        RUNNING.add(p);
        return p;
    }

    /**
     * Kills a tool and what it started, if still alive, waits (at most 5 s) until it is gone, and forgets it.
     * Keeps the thread's interrupt status.
     *
     * @param process a tool started by {@link #start(ProcessBuilder)} (or any process)
     */
    static void kill(Process process) {
        try {
            if (!process.isAlive()) {
                return;
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            boolean interrupted = Thread.interrupted();
            try {
                process.waitFor(KILL_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        } finally {
            RUNNING.remove(process);
        }
    }

    /** Kills every tool still running (from a shutdown hook). */
    public static void killAll() {
        for (Process p : RUNNING) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
