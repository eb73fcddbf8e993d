package io.github.audiosetdl.cochlea;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ERB cochleagram of fixed-length clips: the filterbank, the analytic subband envelopes, the
 * downsampling FIR, rectification and compression, as one of the two reference pipelines
 * ({@link CochleagramPreset}) computes them.
 *
 * <pre>{@code
 * Cochleagram coch = Cochleagram.of(CochleagramConfig.seed());   // 171 x 2000 for 160000 samples at 16 kHz
 * Cochleagram.Worker worker = coch.newWorker();                   // one per thread
 * float[] out = new float[coch.channels() * coch.frames()];
 * worker.compute(waveform, out);                                  // out[c * frames + j]: channel c, frame j
 * }</pre>
 *
 * <p>Built once per configuration (the filterbank and tables are precomputed, stored sparsely), then
 * immutable and thread-safe; every thread computes through its own {@link Worker}, which holds the FFT
 * scratch and buffers (about 5 MB for the presets). A worker never holds a full-length subband: it processes
 * one channel, and a block of its phases, at a time.
 *
 * <p>The transforms are audioset-core's FFT engine ({@code io.github.audiosetdl.core.dsp}), on SIMD passes
 * when the JVM runs with {@code --add-modules jdk.incubator.vector} (about twice as fast; the same doubles).
 * Nothing here changes JVM-wide state or starts a thread but those of {@link #computeAll(List, int)}.
 */
public final class Cochleagram {
    private static final Logger LOG = LoggerFactory.getLogger(Cochleagram.class);
    /** How long {@code computeAll} waits, when it fails or is interrupted, for the clips being computed. */
    private static final long STOP_WAIT_SECONDS = 30;

    private final CochleagramConfig config;
    private final ErbFilterbank filterbank;
    private final EnvelopeEngine engine;
    private final Map<String, Object> attributes;

    private Cochleagram(CochleagramConfig config, boolean allowPruned) {
        this.config = config;
        this.filterbank = ErbFilterbank.of(config);
        int n = config.signalLength();
        int half = n / 2;
        int channels = filterbank.channels();
        int[] start = new int[channels];
        double[][] coef = new double[channels][];
        boolean seed = config.preset() == CochleagramPreset.SEED;
        for (int c = 0; c < channels; c++) {
            start[c] = filterbank.startBin(c);
            double[] row = filterbank.row(c);
            double[] w = new double[row.length];
            for (int j = 0; j < row.length; j++) {
                int k = start[c] + j;
                // analytic signal: seed (tfcochleagram make_step_tensor L457-458) weights DC and Nyquist 0,
                // pycochleagram (utils.fhilbert L541-551) weights them 1; every other positive bin 2.
                double weight = k == 0 || k == half ? (seed ? 0 : 1) : 2;
                w[j] = weight * row[j] / n;
            }
            coef[c] = w;
        }
        DownsamplingFir fir = seed ? DownsamplingFir.seed(config.decimation(), n)
                : DownsamplingFir.pycochleagram(config.decimation(), n);
        Compression comp = config.compression();
        this.engine = EnvelopeEngine.create(new Subbands(n, start, coef), fir, comp, allowPruned);
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("feature", "cochleagram");
        attrs.put("preset", config.preset().id());
        attrs.put("sample_rate", config.sampleRate());
        attrs.put("signal_length", config.signalLength());
        attrs.put("n", config.n());
        attrs.put("sample_factor", config.sampleFactor());
        attrs.put("low_lim", config.lowLimit());
        attrs.put("hi_lim", config.highLimit());
        attrs.put("env_sr", config.envSampleRate());
        attrs.put("compression", comp.toString());
        attrs.put("channels", channels);
        attrs.put("frames", config.frames());
        attrs.put("downsample_taps", fir.length());
        attrs.put("filterbank", "pycochleagram erbfilter.make_erb_cos_filters_nx, strict, low-pass and high-pass");
        attrs.put("layout", "(channels, frames) row-major, float32");
        this.attributes = Collections.unmodifiableMap(attrs);
        LOG.debug("cochleagram {}: {} x {}, {} path", config, channels, config.frames(),
                engine.isPruned() ? "pruned" : "direct");
    }

    /**
     * Builds the cochleagram for a configuration (precomputes the filterbank and tables; takes tens of
     * milliseconds, so build once and share).
     *
     * @param config the parameters
     * @return the cochleagram
     */
    public static Cochleagram of(CochleagramConfig config) {
        requireNonNull(config, "config");
        return new Cochleagram(config, true);
    }

    /** The same computation without the pruned transform: a full-length inverse FFT per channel. */
    static Cochleagram direct(CochleagramConfig config) {
        return new Cochleagram(config, false);
    }

    /** @return whether the fast pruned transform is used (true for the presets) */
    boolean isPruned() {
        return engine.isPruned();
    }

    /** @return the parameters */
    public CochleagramConfig config() {
        return config;
    }

    /** @return the filterbank */
    public ErbFilterbank filterbank() {
        return filterbank;
    }

    /** @return the number of input samples per clip (160000 for the presets) */
    public int signalLength() {
        return config.signalLength();
    }

    /** @return the input sample rate, in Hz */
    public int sampleRate() {
        return config.sampleRate();
    }

    /** @return the number of channels, the rows of the output (171 for the presets) */
    public int channels() {
        return filterbank.channels();
    }

    /** @return the number of envelope frames, the columns of the output (2000 for the presets) */
    public int frames() {
        return config.frames();
    }

    /** @return {@code channels() * frames()}, the length of one flattened output */
    public int outputLength() {
        return Math.multiplyExact(channels(), frames());
    }

    /** @return each channel's nominal centre frequency, in Hz (a copy, ascending; rows of the output) */
    public double[] centerFrequencies() {
        return filterbank.centerFrequencies();
    }

    /**
     * @return every parameter as a name (pycochleagram's names where it has one) mapped to a number or a
     *     string, for storing as HDF5 attributes; unmodifiable
     */
    public Map<String, Object> attributes() {
        return attributes;
    }

    /** @return a new worker for the calling thread */
    public Worker newWorker() {
        return new Worker(engine.newWorker());
    }

    /**
     * Computes one clip with a new worker; prefer {@link #newWorker()} for many clips.
     *
     * @param waveform {@link #signalLength()} finite samples
     * @return the {@code (channels, frames)} cochleagram flattened row-major
     * @throws IllegalArgumentException if the clip has the wrong length or a sample is NaN or infinite
     */
    public float[] compute(float[] waveform) {
        return newWorker().compute(waveform);
    }

    /**
     * Computes many clips on a pool of {@code threads} daemon threads made for the call and shut down when it
     * returns, once none of its tasks computes (at most 30 s after a failure or an interrupt, for the clips being
     * computed). All results are held in memory: pass batches of a size you can afford.
     *
     * @param waveforms clips of {@link #signalLength()} samples each
     * @param threads the number of threads, {@code >= 1}
     * @return the cochleagrams in input order, each flattened row-major
     * @throws IllegalArgumentException if {@code threads < 1}, a clip has the wrong length or a sample is
     *     NaN or infinite (naming the clip and the sample)
     */
    public List<float[]> computeAll(List<float[]> waveforms, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        requireNonNull(waveforms, "waveforms");
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = task -> {
            Thread t = new Thread(task, "cochlea-worker-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ExecutorService pool = Executors.newFixedThreadPool(threads, factory);
        try {
            return computeAll(waveforms, pool);
        } finally {
            pool.shutdownNow(); // its tasks have ended: the idle threads end at once
        }
    }

    /**
     * Computes many clips on the caller's executor (which the caller owns and shuts down). Workers are
     * reused across the tasks: at most one per task running at a time. Do not call it from a thread of
     * that executor: the call waits for the tasks. It returns, also when it fails or is interrupted, once none of
     * its tasks computes (a clip being computed is finished, at most 30 s; tasks not started are cancelled, not waited
     * for).
     *
     * @param waveforms clips of {@link #signalLength()} samples each
     * @param executor runs one task per clip
     * @return the cochleagrams in input order, each flattened row-major
     * @throws IllegalArgumentException if a clip has the wrong length or a sample is NaN or infinite (naming
     *     the clip and the sample)
     * @throws java.util.concurrent.CancellationException if the calling thread is interrupted (its
     *     interrupt flag is restored)
     */
    public List<float[]> computeAll(List<float[]> waveforms, ExecutorService executor) {
        requireNonNull(waveforms, "waveforms");
        requireNonNull(executor, "executor");
        for (int i = 0; i < waveforms.size(); i++) {
            checkInput(requireNonNull(waveforms.get(i), "waveform " + i), i);
        }
        ConcurrentLinkedQueue<Worker> idle = new ConcurrentLinkedQueue<>();
        List<Future<float[]>> futures = new ArrayList<>(waveforms.size());
        // tasks inside their body: a stopped call returns once none is (a task not started is cancelled, and one
        // that starts after the stop computes nothing), so it never waits for the executor to run them
        AtomicInteger busy = new AtomicInteger();
        AtomicBoolean stopped = new AtomicBoolean();
        for (int i = 0; i < waveforms.size(); i++) {
            float[] w = waveforms.get(i);
            int index = i;
            futures.add(executor.submit(() -> {
                busy.incrementAndGet();
                try {
                    if (stopped.get()) {
                        return null;
                    }
                    Worker worker = idle.poll();
                    if (worker == null) {
                        worker = newWorker();
                    }
                    try {
                        return worker.compute(w);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("waveform " + index + ": " + e.getMessage(), e);
                    } finally {
                        idle.add(worker);
                    }
                } finally {
                    synchronized (busy) {
                        busy.decrementAndGet();
                        busy.notifyAll();
                    }
                }
            }));
        }
        List<float[]> results = new ArrayList<>(futures.size());
        try {
            for (Future<float[]> f : futures) {
                results.add(f.get());
            }
        } catch (InterruptedException e) {
            stopEarly(stopped, busy, futures);
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted while computing cochleagrams");
        } catch (ExecutionException e) {
            stopEarly(stopped, busy, futures);
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("cochleagram computation failed", cause);
        }
        return results;
    }

    /**
     * Cancels the tasks not yet started (a caller's busy executor would run them late) and waits, at most
     * {@link #STOP_WAIT_SECONDS}, for those computing (a clip is not interruptible): none computes once
     * {@code computeAll} has returned. A task that starts after the stop returns at once. An interrupt during the
     * wait ends it, and sets the flag again.
     */
    private static void stopEarly(AtomicBoolean stopped, AtomicInteger busy, List<Future<float[]>> futures) {
        stopped.set(true);
        futures.forEach(f -> f.cancel(false)); // a running task is not interrupted: it ends its clip, then counts
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_WAIT_SECONDS);
        try {
            synchronized (busy) {
                while (busy.get() > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        LOG.warn("computeAll: {} tasks still computing {} s after it stopped", busy.get(),
                                STOP_WAIT_SECONDS);
                        return;
                    }
                    TimeUnit.NANOSECONDS.timedWait(busy, left);
                }
            }
        } catch (InterruptedException again) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkInput(float[] waveform, int index) {
        if (waveform.length != signalLength()) {
            throw new IllegalArgumentException("waveform " + index + " has " + waveform.length + " samples, expected "
                    + signalLength());
        }
    }

    @Override
    public String toString() {
        return "Cochleagram(" + config.preset().id() + ", " + signalLength() + " samples at " + sampleRate()
                + " Hz -> " + channels() + " x " + frames() + ", " + config.compression() + ")";
    }

    /**
     * Computes cochleagrams on one thread, reusing its FFT plans and buffers; not thread-safe (make one
     * per thread with {@link Cochleagram#newWorker()}).
     */
    public final class Worker {
        private final EnvelopeEngine.Worker delegate;

        private Worker(EnvelopeEngine.Worker delegate) {
            this.delegate = delegate;
        }

        /**
         * Computes one clip into the caller's array.
         *
         * @param waveform {@link #signalLength()} finite samples at {@link #sampleRate()}
         * @param out receives the {@code (channels, frames)} cochleagram flattened row-major:
         *     {@code out[c * frames + j]} is channel {@code c} (ascending frequency), frame {@code j}
         * @throws IllegalArgumentException if an array has the wrong length, or a sample is NaN or infinite
         *     (naming the first; checked for free on the forward transform's DC term, so a NaN can no longer
         *     give an all-zero cochleagram through the rectification)
         */
        public void compute(float[] waveform, float[] out) {
            requireNonNull(waveform, "waveform");
            requireNonNull(out, "out");
            checkInput(waveform, 0);
            if (out.length != outputLength()) {
                throw new IllegalArgumentException("out has " + out.length + " values, expected channels "
                        + channels() + " x frames " + frames() + " = " + outputLength());
            }
            delegate.compute(waveform, out);
        }

        /**
         * Computes one clip into a new array.
         *
         * @param waveform {@link #signalLength()} finite samples
         * @return the {@code (channels, frames)} cochleagram flattened row-major
         * @throws IllegalArgumentException if the clip has the wrong length or a sample is NaN or infinite
         */
        public float[] compute(float[] waveform) {
            float[] out = new float[outputLength()];
            compute(waveform, out);
            return out;
        }

        /**
         * The full-rate analytic envelope {@code |A_c[t]|} of one channel, before downsampling,
         * rectification and compression.
         *
         * @param waveform {@link #signalLength()} finite samples
         * @param channel a channel, {@code 0 <= channel < channels()}
         * @return {@link #signalLength()} envelope samples
         * @throws IllegalArgumentException if the clip has the wrong length, a sample is NaN or infinite, or
         *     the channel is out of range
         */
        public double[] envelope(float[] waveform, int channel) {
            requireNonNull(waveform, "waveform");
            checkInput(waveform, 0);
            if (channel < 0 || channel >= channels()) {
                throw new IllegalArgumentException("channel " + channel + " outside 0.." + (channels() - 1));
            }
            double[] out = new double[signalLength()];
            delegate.envelope(waveform, channel, out);
            return out;
        }
    }
}
