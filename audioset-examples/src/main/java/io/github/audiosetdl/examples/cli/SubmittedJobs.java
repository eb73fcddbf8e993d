package io.github.audiosetdl.examples.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The jobs one {@code audioset slurm --submit} has submitted so far, and what happens to them if the JVM is stopped
 * (Ctrl-C, SIGTERM) before the last step is submitted: a shutdown hook stops the sbatch still running (its job may
 * be queued all the same, and is named), waits for it, and cancels the jobs submitted, so that no half pipeline is
 * left queued (a download array with no pack after it). Closing, once every step is submitted or a failure handled,
 * removes the hook.
 */
final class SubmittedJobs implements AutoCloseable {
    /** The longest the hook waits for a stopped sbatch to end before it cancels what was submitted. */
    private static final Duration SBATCH_STOP_WAIT = Duration.ofSeconds(5);

    /** Cancels jobs and says how it went. */
    @FunctionalInterface
    interface Canceller {
        /**
         * @param ids the job ids by step, in order (not empty)
         * @return what happened, to follow "the jobs submitted (...)": " were cancelled", or why not and the command
         *     that cancels them
         * @throws InterruptedException if interrupted
         */
        String cancel(Map<String, String> ids) throws InterruptedException;
    }

    private final Map<String, String> ids = new LinkedHashMap<>();
    private final int steps;
    private final Canceller canceller;
    private final PrintWriter err;
    private final Thread hook;
    /** The step whose sbatch is running, or null. */
    private String inFlight;
    private boolean stopping;

    /**
     * Registers the shutdown hook.
     *
     * @param steps how many steps there are: once all are submitted, the hook has nothing to do
     * @param canceller cancels the submitted jobs if the JVM stops before the last step
     * @param err where the hook says what it did
     */
    SubmittedJobs(int steps, Canceller canceller, PrintWriter err) {
        this.steps = steps;
        this.canceller = canceller;
        this.err = err;
        this.hook = new Thread(this::stop, "audioset-slurm-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Marks {@code step}'s sbatch as running.
     *
     * @param step the step about to be submitted
     * @throws IllegalStateException if the JVM is stopping (nothing more may be submitted)
     */
    synchronized void starting(String step) {
        if (stopping) {
            throw new IllegalStateException("stopped by a signal before the " + step + " step was submitted");
        }
        inFlight = step;
    }

    /**
     * Records the job that {@code step}'s sbatch queued.
     *
     * @param step the step
     * @param id its job id
     */
    synchronized void submitted(String step, String id) {
        ids.put(step, id);
        inFlight = null;
        notifyAll();
    }

    /** Records that the running sbatch failed (it queued nothing, as far as it said). */
    synchronized void failed() {
        inFlight = null;
        notifyAll();
    }

    /** @return whether the JVM is stopping (the hook cancels the jobs; no rollback of our own then) */
    synchronized boolean stopping() {
        return stopping;
    }

    /** @return the job ids submitted so far, by step, in order */
    synchronized Map<String, String> ids() {
        return new LinkedHashMap<>(ids);
    }

    /** Removes the hook (if the JVM is stopping already, the hook runs: it cancels what was submitted). */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or has run
        }
    }

    /**
     * What the shutdown hook does: stops the running sbatch, waits for it (at most {@link #SBATCH_STOP_WAIT}),
     * and, unless every step was submitted, cancels the jobs submitted and says so; nothing more may be submitted.
     */
    void stop() {
        String stopped;
        Map<String, String> done;
        synchronized (this) {
            stopping = true;
            stopped = inFlight;
        }
        try {
            if (stopped != null) {
                ProcessHandle.current().descendants().forEach(ProcessHandle::destroy); // the running sbatch
                long deadline = System.nanoTime() + SBATCH_STOP_WAIT.toNanos();
                synchronized (this) {
                    for (long left; inFlight != null && (left = deadline - System.nanoTime()) > 0;) {
                        wait(Math.max(1, left / 1_000_000));
                    }
                }
            }
            synchronized (this) {
                done = new LinkedHashMap<>(ids);
            }
            if (done.size() == steps) {
                return; // the whole chain is queued: a stop after the last sbatch leaves it so
            }
            StringBuilder message = new StringBuilder("slurm: stopped before every step was submitted");
            if (stopped != null && !done.containsKey(stopped)) {
                message.append(" (the ").append(stopped).append(" step's sbatch was stopped: it may have queued the"
                        + " job all the same: see squeue --name=audioset-").append(stopped).append(')');
            }
            if (!done.isEmpty()) {
                message.append("; the jobs submitted (").append(done.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")))
                        .append(')').append(canceller.cancel(done));
            }
            err.println(message);
        } catch (InterruptedException e) {
            err.println("slurm: stopped before every step was submitted, and interrupted while cancelling the jobs"
                    + " submitted: " + ids());
        }
        err.flush();
    }
}
