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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
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
     * closes both.
     *
     * @param source the waveforms; its row length and rate must match the extractor's
     * @param sink receives one row per source row, in order
     * @return what was written
     * @throws IOException if reading or writing fails (the sink is not committed)
     * @throws InterruptedIOException if the thread is interrupted (the flag is restored)
     * @throws AudioSetException if the source does not fit the extractor, or a worker fails
     */
    public FeatureSummary run(WaveformSource source, FeatureSink sink) throws IOException {
        requireNonNull(source, "source");
        requireNonNull(sink, "sink");
        if (source.rowLength() != extractor.inputLength() || source.sampleRate() != extractor.sampleRate()) {
            throw new AudioSetException(source.path() + ": rows of " + source.rowLength() + " samples at "
                    + source.sampleRate() + " Hz do not fit " + extractor);
        }
        long n = source.size();
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
        Deque<Future<float[]>> inFlight = new ArrayDeque<>(window);
        try {
            for (long row = 0; row < n; row++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("features stage interrupted at row " + row);
                }
                if (inFlight.size() == window) {
                    writeNext(inFlight, sink, outputs, progress);
                }
                float[] wav = inputs.remove();
                source.read(row, wav);
                float[] out = outputs.remove();
                inFlight.addLast(pool.submit(() -> {
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
                }));
            }
            while (!inFlight.isEmpty()) {
                writeNext(inFlight, sink, outputs, progress);
            }
            List<Path> files = sink.commit();
            Progress done = progress.finish();
            LOG.debug("features: {} workers for {} rows", created.get(), n);
            return new FeatureSummary(n, files, done.elapsed());
        } catch (IOException | RuntimeException e) {
            inFlight.forEach(f -> f.cancel(true));
            throw e;
        } finally {
            if (executor == null) {
                pool.shutdownNow();
            }
        }
    }

    private static void writeNext(Deque<Future<float[]>> inFlight, FeatureSink sink, BlockingQueue<float[]> outputs,
            ProgressTracker progress) throws IOException {
        Future<float[]> next = inFlight.removeFirst();
        float[] out;
        try {
            out = next.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("features stage interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new AudioSetException("computing features failed: " + cause, cause);
        }
        sink.write(out);
        outputs.offer(out);
        progress.succeeded();
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
         * @param pool a caller-owned pool to compute on (not shut down by the stage)
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
