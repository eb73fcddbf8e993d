package io.github.audiosetdl.core.pipeline;

import static java.util.Objects.requireNonNull;

import io.github.audiosetdl.core.AudioSetException;
import io.github.audiosetdl.core.internal.DaemonPool;
import io.github.audiosetdl.core.progress.PipelineListener;
import io.github.audiosetdl.core.progress.Progress;
import io.github.audiosetdl.core.progress.ProgressTracker;
import io.github.audiosetdl.core.progress.Stage;
import io.github.audiosetdl.core.spi.FeatureExtractor;
import io.github.audiosetdl.core.spi.FeatureSink;
import io.github.audiosetdl.core.spi.WaveformSource;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The features stage: every row of a {@link WaveformSource} through a {@link FeatureExtractor} into a
 * {@link FeatureSink}, in parallel, with the output rows in input order.
 *
 * <p>One thread (the caller's) reads rows and writes results; {@code threads} workers compute. At
 * most {@code 2 × threads} rows are in flight, so memory does not grow with the number of rows. The
 * sink is committed only when every row has been written; on failure or interrupt it is closed
 * without a commit, so no output appears under its final name.
 */
public final class FeatureStage {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureStage.class);
    /** How often a wait for a row checks whether a caller's pool has terminated without computing it. */
    private static final Duration DROPPED_CHECK = Duration.ofMillis(100);

    private final FeatureExtractor extractor;
    private final int threads;
    private final ExecutorService executor;
    private final PipelineListener listener;

    private FeatureStage(Builder b) {
        this.extractor = b.extractor;
        this.threads = b.threads;
        this.executor = b.executor;
        this.listener = b.listener;
    }

    /** @return a builder; {@link Builder#extractor} is required, threads default to the number of processors */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the features computed */
    public FeatureExtractor extractor() {
        return extractor;
    }

    /**
     * Computes every row of {@code source} into {@code sink} and commits the sink. The caller still
     * closes both. It returns, also when it fails or is interrupted, once no task of it is computing (a task
     * interrupted in an extractor that does not check interrupts is waited for, at most 30 s), on a caller's
     * {@link Builder#executor pool} too.
     *
     * @param source the waveforms; its row length and rate must match the extractor's
     * @param sink receives one row per source row, in order
     * @return what was written
     * @throws IOException if reading or writing fails (the sink is not committed)
     * @throws InterruptedIOException if the thread is interrupted (the flag is restored)
     * @throws AudioSetException if the source does not fit the extractor, or a worker fails (naming the source,
     *     the row and its YouTube id when the source knows it)
     * @throws IllegalStateException if a caller's {@link Builder#executor pool} is shut down during the run (naming
     *     the source and the row it refused or dropped; the sink is not committed)
     */
    public FeatureSummary run(WaveformSource source, FeatureSink sink) throws IOException {
        return run(source, 0, requireNonNull(source, "source").size(), sink);
    }

    /**
     * Computes rows {@code from} to {@code to - 1} of {@code source} into {@code sink} and commits the sink (a
     * part of a file split across processes); as {@link #run(WaveformSource, FeatureSink)} otherwise. A failing
     * row is named by its number in {@code source}.
     *
     * @param source the waveforms; its row length and rate must match the extractor's
     * @param from the first row, {@code 0 <= from <= to}
     * @param to one past the last row, {@code <= source.size()}
     * @param sink receives one row per source row computed, in order
     * @return what was written ({@code to - from} rows)
     * @throws IOException if reading or writing fails (the sink is not committed)
     * @throws InterruptedIOException if the thread is interrupted (the flag is restored)
     * @throws IndexOutOfBoundsException if the range is not within the source's rows
     * @throws AudioSetException if the source does not fit the extractor, or a worker fails
     * @throws IllegalStateException if a caller's {@link Builder#executor pool} is shut down during the run
     */
    public FeatureSummary run(WaveformSource source, long from, long to, FeatureSink sink) throws IOException {
        requireNonNull(source, "source");
        requireNonNull(sink, "sink");
        if (from < 0 || from > to || to > source.size()) {
            throw new IndexOutOfBoundsException(source.path() + ": rows " + from + ".." + (to - 1) + " are not within"
                    + " its " + source.size() + " rows");
        }
        if (source.rowLength() != extractor.inputLength() || source.sampleRate() != extractor.sampleRate()) {
            throw new AudioSetException(source.path() + ": rows of " + source.rowLength() + " samples at "
                    + source.sampleRate() + " Hz do not fit " + extractor);
        }
        long n = to - from;
        ProgressTracker progress = ProgressTracker.start(Stage.FEATURES, n, listener);
        ExecutorService pool = executor != null ? executor : DaemonPool.fixed("audioset-features", threads);
        int parallelism = executor != null ? Math.max(1, threads) : threads;
        int window = 2 * parallelism;
        BlockingQueue<FeatureExtractor.Worker> workers = new ArrayBlockingQueue<>(parallelism);
        AtomicInteger created = new AtomicInteger();
        BlockingQueue<float[]> inputs = new ArrayBlockingQueue<>(window);
        BlockingQueue<float[]> outputs = new ArrayBlockingQueue<>(window);
        for (int i = 0; i < window; i++) {
            inputs.add(new float[extractor.inputLength()]);
            outputs.add(new float[extractor.outputLength()]);
        }
        Deque<Pending> inFlight = new ArrayDeque<>(window);
        AtomicInteger busy = new AtomicInteger(); // tasks inside their body: run() returns once none is
        AtomicBoolean stopped = new AtomicBoolean(); // a task that starts once it is set computes nothing
        try {
            for (long row = from; row < to; row++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("features stage interrupted at row " + row);
                }
                if (inFlight.size() == window) {
                    writeNext(inFlight, source, sink, outputs, progress, pool);
                }
                float[] wav = inputs.remove();
                source.read(row, wav);
                float[] out = outputs.remove();
                Callable<float[]> task = () -> {
                    busy.incrementAndGet();
                    try {
                        if (stopped.get()) {
                            return out; // the run has failed or was cancelled: the result is not read
                        }
                        FeatureExtractor.Worker w = workers.poll();
                        if (w == null) {
                            created.incrementAndGet();
                            w = extractor.newWorker();
                        }
                        try {
                            w.compute(wav, out);
                        } finally {
                            workers.offer(w);
                            inputs.offer(wav);
                        }
                        return out;
                    } finally {
                        busy.decrementAndGet();
                    }
                };
                Future<float[]> result;
                try {
                    result = pool.submit(task);
                } catch (RejectedExecutionException e) { // a caller's pool, shut down while this runs
                    throw shutDown(source, row, e);
                }
                inFlight.addLast(new Pending(row, result));
            }
            while (!inFlight.isEmpty()) {
                writeNext(inFlight, source, sink, outputs, progress, pool);
            }
            List<Path> files = sink.commit();
            Progress done = progress.finish();
            LOG.debug("features: {} workers for {} rows", created.get(), n);
            return new FeatureSummary(n, files, done.elapsed());
        } catch (IOException | RuntimeException e) {
            inFlight.forEach(p -> p.result().cancel(true));
            throw e;
        } finally {
            // no task of this run computes after it returns (a caller's pool is not shut down, only waited on)
            stopped.set(true);
            boolean idle = executor == null ? DaemonPool.stop(pool, DaemonPool.STOP_WAIT)
                    : DaemonPool.await(() -> busy.get() == 0, DaemonPool.STOP_WAIT);
            if (!idle) {
                LOG.warn("features: {} workers still computing {} s after the stage stopped; returning without them",
                        busy.get(), DaemonPool.STOP_WAIT.toSeconds());
            }
        }
    }

    /** A row being computed. */
    private record Pending(long row, Future<float[]> result) {
    }

    /**
     * @param pool the pool the rows are computed on: once it has terminated, a row not done never will be (a
     *     caller's {@code shutdownNow()} dropped it from the queue)
     */
    private static void writeNext(Deque<Pending> inFlight, WaveformSource source, FeatureSink sink,
            BlockingQueue<float[]> outputs, ProgressTracker progress, ExecutorService pool) throws IOException {
        Pending next = inFlight.peekFirst(); // removed once done: an interrupted wait leaves it to be cancelled
        float[] out = null;
        try {
            while (out == null) {
                try {
                    out = next.result().get(DROPPED_CHECK.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (pool.isTerminated() && !next.result().isDone()) {
                        throw shutDown(source, next.row(), null);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("features stage interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new AudioSetException(source.path() + ": row " + next.row() + idOf(source, next.row())
                    + ": computing features failed: " + reason(cause), cause);
        }
        inFlight.removeFirst();
        sink.write(out);
        outputs.offer(out);
        progress.succeeded();
    }

    /**
     * @param row the row that could not be computed
     * @param cause the pool's refusal, or null for a row it dropped
     * @return the error of a caller's pool shut down while the stage computes on it
     */
    private static IllegalStateException shutDown(WaveformSource source, long row, Exception cause) {
        return new IllegalStateException(source.path() + ": row " + row + idOf(source, row) + ": the executor was"
                + " shut down while computing features of its rows; nothing is committed (keep the executor the"
                + " stage was given running until the run returns)", cause);
    }

    /**
     * @return what a row's failure says: the message of a refusal of its values (an {@link IllegalArgumentException}
     *     or an {@link IOException}), else the exception with its class (an unexpected failure)
     */
    private static String reason(Throwable cause) {
        boolean refusal = cause instanceof IllegalArgumentException || cause instanceof IOException;
        return refusal && cause.getMessage() != null && !cause.getMessage().isBlank() ? cause.getMessage()
                : String.valueOf(cause);
    }

    /** @return " (YouTube id X)" when the source knows the row's id, else "" (never fails: it only names a row) */
    private static String idOf(WaveformSource source, long row) {
        try {
            return source.hasIds() ? " (YouTube id " + source.ytid(row) + ")" : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Builder for {@link FeatureStage}; not thread-safe. */
    public static final class Builder {
        private FeatureExtractor extractor;
        private int threads = Runtime.getRuntime().availableProcessors();
        private ExecutorService executor;
        private PipelineListener listener = PipelineListener.NONE;

        private Builder() {
        }

        /**
         * @param features the features to compute (required)
         * @return this
         */
        public Builder extractor(FeatureExtractor features) {
            this.extractor = requireNonNull(features, "extractor");
            return this;
        }

        /**
         * @param count worker threads, {@code >= 1}; with {@link #executor}, the parallelism to use
         * @return this
         */
        public Builder threads(int count) {
            if (count < 1 || count > AudioSetPipeline.MAX_THREADS) {
                throw new IllegalArgumentException("threads " + count + " is not in 1.."
                        + AudioSetPipeline.MAX_THREADS);
            }
            this.threads = count;
            return this;
        }

        /**
         * @param pool a caller-owned pool to compute on (not shut down by the stage); shutting it down during a
         *     run ends the run with an {@link IllegalStateException}
         * @return this
         */
        public Builder executor(ExecutorService pool) {
            this.executor = requireNonNull(pool, "executor");
            return this;
        }

        /**
         * @param l sees progress
         * @return this
         */
        public Builder listener(PipelineListener l) {
            this.listener = requireNonNull(l, "listener");
            return this;
        }

        /**
         * @return the stage
         * @throws IllegalStateException if the extractor is not set
         */
        public FeatureStage build() {
            if (extractor == null) {
                throw new IllegalStateException("feature extractor not set: extractor(...)");
            }
            return new FeatureStage(this);
        }
    }
}
