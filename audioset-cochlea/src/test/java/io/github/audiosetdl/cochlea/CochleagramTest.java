package io.github.audiosetdl.cochlea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CochleagramTest {
    private static Cochleagram seed;
    private static final List<float[]> CLIPS = new ArrayList<>();

    @BeforeAll
    static void build() {
        seed = Cochleagram.of(CochleagramConfig.seed());
        Random random = new Random(2017);
        for (int c = 0; c < 4; c++) {
            float[] x = new float[160_000];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (random.nextGaussian() * (c + 1) / 4);
            }
            CLIPS.add(x);
        }
    }

    @AfterAll
    static void release() {
        CLIPS.clear();
    }

    @Test
    void seedPresetYields171By2000() {
        assertThat(seed.channels()).isEqualTo(171);
        assertThat(seed.frames()).isEqualTo(2000);
        assertThat(seed.signalLength()).isEqualTo(160_000);
        assertThat(seed.sampleRate()).isEqualTo(16_000);
        assertThat(seed.outputLength()).isEqualTo(342_000);
        assertThat(seed.isPruned()).isTrue();
        float[] out = seed.compute(CLIPS.get(0));
        assertThat(out).hasSize(342_000);
        for (float v : out) {
            assertThat(v).isFinite().isGreaterThanOrEqualTo(0f);
        }
    }

    @Test
    void attributesNameEveryParameter() {
        assertThat(seed.attributes()).containsEntry("preset", "seed").containsEntry("sample_rate", 16_000)
                .containsEntry("signal_length", 160_000).containsEntry("n", 40).containsEntry("sample_factor", 4)
                .containsEntry("low_lim", 20.0).containsEntry("hi_lim", 8000.0).containsEntry("env_sr", 200)
                .containsEntry("compression", "sqrt").containsEntry("channels", 171).containsEntry("frames", 2000);
        seed.attributes().values().forEach(v -> assertThat(v).isInstanceOfAny(Number.class, String.class));
        assertThatThrownBy(() -> seed.attributes().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(seed.centerFrequencies()).hasSize(171).isSorted();
    }

    @Test
    void prunedTransformEqualsTheFullLengthOne() {
        // 3 s clips: 600 frames = 2^3 * 3 * 5^2 also exercise the radix-2 and the direct-DFT (3) stages
        CochleagramConfig short3s = CochleagramConfig.builder().signalLength(48_000).build();
        for (CochleagramConfig config : List.of(CochleagramConfig.seed(), CochleagramConfig.pycochleagram(), short3s)) {
            Cochleagram fast = Cochleagram.of(config);
            Cochleagram direct = Cochleagram.direct(config);
            assertThat(fast.isPruned()).isTrue();
            assertThat(direct.isPruned()).isFalse();
            float[] clip = java.util.Arrays.copyOf(CLIPS.get(1), config.signalLength());
            float[] a = fast.compute(clip);
            float[] b = direct.compute(clip);
            double[] ref = new double[b.length];
            for (int i = 0; i < b.length; i++) {
                ref[i] = b[i];
            }
            Golden.assertClose("pruned vs direct " + config.preset(), ref, a, 1e-6, 1e-7);
        }
    }

    @Test
    void aShapeThePrunedPathCannotTakeUsesTheDirectOne() {
        // 16,002 samples with decimation 80 leave a partial last frame: the direct path computes it
        CochleagramConfig odd = CochleagramConfig.builder().signalLength(16_002).build();
        Cochleagram c = Cochleagram.of(odd);
        assertThat(c.isPruned()).isFalse();
        assertThat(c.frames()).isEqualTo(201);
        float[] x = new float[16_002];
        x[8000] = 1;
        float[] out = c.compute(x);
        assertThat(out).hasSize(171 * 201);
        // an impulse at 0.5 s shows up around frame 100 in the mid channels
        int mid = 85 * 201;
        int peak = 0;
        for (int j = 1; j < 201; j++) {
            if (out[mid + j] > out[mid + peak]) {
                peak = j;
            }
        }
        assertThat(peak).isBetween(99, 101);
    }

    @Test
    void parallelWorkersEqualSequentialResults() throws Exception {
        List<float[]> sequential = new ArrayList<>();
        Cochleagram.Worker one = seed.newWorker();
        for (float[] clip : CLIPS) {
            sequential.add(one.compute(clip));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int rep = 0; rep < 2; rep++) {
                for (float[] clip : CLIPS) {
                    futures.add(pool.submit(() -> seed.newWorker().compute(clip)));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get(120, TimeUnit.SECONDS)).isEqualTo(sequential.get(i % CLIPS.size()));
            }
        } finally {
            pool.shutdownNow();
        }
        // a worker reused across clips gives what a fresh one gives
        assertThat(one.compute(CLIPS.get(0))).isEqualTo(sequential.get(0));
    }

    @Test
    void batchesKeepInputOrder() {
        List<float[]> sequential = new ArrayList<>();
        for (float[] clip : CLIPS) {
            sequential.add(seed.compute(clip));
        }
        List<float[]> twoThreads = seed.computeAll(CLIPS, 2);
        assertThat(twoThreads).hasSize(CLIPS.size());
        for (int i = 0; i < CLIPS.size(); i++) {
            assertThat(twoThreads.get(i)).isEqualTo(sequential.get(i));
        }
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            List<float[]> mine = seed.computeAll(CLIPS, callers);
            for (int i = 0; i < CLIPS.size(); i++) {
                assertThat(mine.get(i)).isEqualTo(sequential.get(i));
            }
            assertThat(callers.isShutdown()).isFalse();
        } finally {
            callers.shutdownNow();
        }
        assertThat(seed.computeAll(List.of(), 1)).isEmpty();
    }

    /** An interrupted computeAll returns once none of its tasks computes, on the caller's pool too. */
    @Test
    void anInterruptedComputeAllReturnsOnceNoTaskComputes() throws Exception {
        java.util.concurrent.ThreadPoolExecutor callers = (java.util.concurrent.ThreadPoolExecutor)
                Executors.newFixedThreadPool(2);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            List<float[]> many = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                many.add(CLIPS.get(i % CLIPS.size()));
            }
            Future<Integer> active = caller.submit(() -> {
                Thread self = Thread.currentThread();
                Thread interrupter = new Thread(() -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (callers.getActiveCount() < 2 && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    self.interrupt();
                });
                interrupter.start();
                try {
                    seed.computeAll(many, callers);
                    return -1;
                } catch (java.util.concurrent.CancellationException e) {
                    // threads inside a clip's computation when computeAll returned (a clip takes tens of ms; a
                    // count of the pool's active threads also saw a task's own bookkeeping after its body, which a
                    // loaded machine may pause for milliseconds)
                    return computing();
                } finally {
                    interrupter.join();
                    Thread.interrupted();
                }
            });
            assertThat(active.get(60, TimeUnit.SECONDS)).isZero();
            assertThat(callers.isShutdown()).isFalse();
        } finally {
            caller.shutdownNow();
            callers.shutdownNow();
        }
    }

    /** @return the threads inside {@link Cochleagram.Worker#compute} now */
    private static int computing() {
        int n = 0;
        for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().equals(Cochleagram.Worker.class.getName())
                        && frame.getMethodName().equals("compute")) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    /**
     * An interrupted computeAll on a caller's pool busy with other work returns at once: its tasks that have not
     * started are dropped (and never compute), not waited for until the pool runs them (30 s).
     */
    @Test
    void anInterruptedComputeAllOnABusyPoolDoesNotWaitForTasksNotStarted() throws Exception {
        ExecutorService callers = Executors.newSingleThreadExecutor();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch blocking = new java.util.concurrent.CountDownLatch(1);
        try {
            callers.submit(() -> { // the caller's other work, holding the pool's only thread
                blocking.countDown();
                release.await(60, TimeUnit.SECONDS);
                return null;
            });
            assertThat(blocking.await(30, TimeUnit.SECONDS)).isTrue();
            Future<Long> took = caller.submit(() -> {
                Thread.currentThread().interrupt(); // the call is cancelled while its tasks wait for the pool
                long start = System.nanoTime();
                try {
                    seed.computeAll(List.of(CLIPS.get(0), CLIPS.get(1)), callers);
                    return -1L;
                } catch (java.util.concurrent.CancellationException e) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                } finally {
                    Thread.interrupted();
                }
            });
            assertThat(took.get(60, TimeUnit.SECONDS)).as("ms until computeAll returned").isBetween(0L, 10_000L);
        } finally {
            release.countDown();
            caller.shutdownNow();
            callers.shutdownNow();
        }
    }

    @Test
    void rejectsWrongLengths() {
        Cochleagram.Worker w = seed.newWorker();
        assertThatThrownBy(() -> w.compute(new float[1000])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1000 samples, expected 160000");
        assertThatThrownBy(() -> w.compute(CLIPS.get(0), new float[10])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out has 10 values").hasMessageContaining("342000");
        assertThatThrownBy(() -> seed.computeAll(List.of(CLIPS.get(0), new float[5]), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("waveform 1 has 5 samples");
        assertThatThrownBy(() -> seed.computeAll(CLIPS, 0)).hasMessageContaining("threads must be at least 1, not 0");
        assertThatThrownBy(() -> w.envelope(CLIPS.get(0), 171)).hasMessageContaining("channel 171");
    }

    @Test
    void rejectsNonFiniteSamplesNamingTheFirst() {
        Cochleagram.Worker w = seed.newWorker();
        float[] x = CLIPS.get(1).clone();
        x[12_345] = Float.NaN;
        x[54_321] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> w.compute(x)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sample 12345").hasMessageContaining("NaN");
        x[12_345] = 0;
        assertThatThrownBy(() -> w.envelope(x, 3)).hasMessageContaining("sample 54321 of the waveform is Infinity");
        x[54_321] = Float.NEGATIVE_INFINITY;
        assertThatThrownBy(() -> seed.computeAll(List.of(CLIPS.get(0), x), 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("waveform 1: sample 54321 of the waveform is -Infinity");
        float[] loud = new float[160_000];
        java.util.Arrays.fill(loud, Float.MAX_VALUE);
        assertThat(w.compute(loud)).as("the largest finite samples are accepted").hasSize(342_000);
        assertThat(w.compute(CLIPS.get(1))).as("the worker is still usable").isEqualTo(seed.compute(CLIPS.get(1)));
    }

    @Test
    void silenceGivesZeros() {
        float[] out = seed.compute(new float[160_000]);
        for (float v : out) {
            assertThat(v).isZero();
        }
    }

    @Test
    void isLinearBeforeCompression() {
        // sqrt compression: doubling the input scales the cochleagram by sqrt(2)
        float[] x = CLIPS.get(2);
        float[] twice = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            twice[i] = 2 * x[i];
        }
        float[] a = seed.compute(x);
        float[] b = seed.compute(twice);
        double[] expected = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            expected[i] = Math.sqrt(2) * a[i];
        }
        Golden.assertClose("2x input", expected, b, 1e-5, 1e-6);
    }
}
