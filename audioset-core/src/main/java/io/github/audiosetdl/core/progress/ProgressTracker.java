package io.github.audiosetdl.core.progress;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts a stage's items for a {@link PipelineListener}; thread-safe. Stages (the library's and
 * a user's own) use it to report progress uniformly.
 */
public final class ProgressTracker {
    private final Stage stage;
    private final PipelineListener listener;
    private final long total;
    private final long startNanos;
    private final LongAdder done = new LongAdder();
    private final LongAdder failed = new LongAdder();

    private ProgressTracker(Stage stage, PipelineListener listener, long total) {
        this.stage = stage;
        this.listener = listener;
        this.total = total;
        this.startNanos = System.nanoTime();
    }

    /**
     * Starts tracking and tells the listener.
     *
     * @param stage the stage
     * @param total items expected, or {@code -1}
     * @param listener the listener
     * @return the tracker
     */
    public static ProgressTracker start(Stage stage, long total, PipelineListener listener) {
        requireNonNull(stage, "stage");
        requireNonNull(listener, "listener");
        SafeCalls.call(() -> listener.stageStarted(stage, total));
        return new ProgressTracker(stage, listener, total);
    }

    /** One item succeeded. */
    public void succeeded() {
        done.increment();
        Progress p = snapshot();
        SafeCalls.call(() -> listener.progress(p));
    }

    /**
     * One item failed or was skipped.
     *
     * @param item what failed
     * @param reason why
     */
    public void failed(String item, String reason) {
        failed.increment();
        done.increment();
        SafeCalls.call(() -> listener.itemFailed(stage, item, reason));
        Progress p = snapshot();
        SafeCalls.call(() -> listener.progress(p));
    }

    /** @return the progress now */
    public Progress snapshot() {
        long f = failed.sum();
        return new Progress(stage, Math.max(done.sum(), f), f, total, System.nanoTime() - startNanos);
    }

    /**
     * Ends the stage and tells the listener.
     *
     * @return the final progress
     */
    public Progress finish() {
        Progress p = snapshot();
        SafeCalls.call(() -> listener.stageFinished(p));
        return p;
    }
}
