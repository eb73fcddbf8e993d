package io.github.audiosetdl.core.progress;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Sees the pipeline's progress and outcomes. Every method has a no-op default.
 *
 * <p>Methods run on worker threads: they must be fast, thread-safe and must not throw (the pipeline
 * catches and logs anything they throw, then goes on). Calls from different workers are not ordered among
 * themselves: a {@link #progress} may carry a smaller {@link Progress#done()} than one already seen (keep the
 * largest). A stage's {@link #stageStarted} comes before, and its {@link #stageFinished} after, every other call
 * of that stage; a stage that fails or is cancelled does not call {@code stageFinished}.
 */
public interface PipelineListener {
    /** A listener that ignores everything. */
    PipelineListener NONE = new PipelineListener() {
    };

    /**
     * A stage begins.
     *
     * @param stage the stage
     * @param total the number of items it expects, or {@code -1} when unknown
     */
    default void stageStarted(Stage stage, long total) {
    }

    /**
     * An item finished (successfully or not).
     *
     * @param progress the stage's progress after it
     */
    default void progress(Progress progress) {
    }

    /**
     * An item failed or was skipped; the stage goes on.
     *
     * @param stage the stage
     * @param item what failed (a YouTube id, a file name, a row number)
     * @param reason why, in a few words a user can act on
     */
    default void itemFailed(Stage stage, String item, String reason) {
    }

    /**
     * A stage ended.
     *
     * @param progress its final progress
     */
    default void stageFinished(Progress progress) {
    }

    /** @return a listener that logs stage starts and ends at INFO and progress every 10 s */
    static PipelineListener logging() {
        return new LoggingListener(10_000_000_000L);
    }

    /**
     * @param listeners listeners to call in order
     * @return one listener that calls each of them, isolating their failures
     */
    static PipelineListener all(PipelineListener... listeners) {
        List<PipelineListener> list = List.of(listeners);
        return new PipelineListener() {
            @Override
            public void stageStarted(Stage stage, long total) {
                list.forEach(l -> SafeCalls.call(() -> l.stageStarted(stage, total)));
            }

            @Override
            public void progress(Progress progress) {
                list.forEach(l -> SafeCalls.call(() -> l.progress(progress)));
            }

            @Override
            public void itemFailed(Stage stage, String item, String reason) {
                list.forEach(l -> SafeCalls.call(() -> l.itemFailed(stage, item, reason)));
            }

            @Override
            public void stageFinished(Progress progress) {
                list.forEach(l -> SafeCalls.call(() -> l.stageFinished(progress)));
            }
        };
    }

    /**
     * Wraps a listener so that whatever it throws is logged and swallowed.
     *
     * @param listener a listener
     * @return the safe listener
     */
    static PipelineListener safe(PipelineListener listener) {
        requireNonNull(listener, "listener");
        return all(listener);
    }
}
