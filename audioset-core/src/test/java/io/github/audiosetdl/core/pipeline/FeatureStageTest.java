package io.github.audiosetdl.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.AudioSetException;
import io.github.audiosetdl.core.progress.PipelineListener;
import io.github.audiosetdl.core.progress.Progress;
import io.github.audiosetdl.core.spi.FeatureExtractor;
import io.github.audiosetdl.core.spi.FeatureSink;
import io.github.audiosetdl.core.spi.WaveformSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FeatureStageTest {
    private static final int LENGTH = 1000;

    /** Rows are a deterministic function of the row number. */
    private static final class Rows implements WaveformSource {
        private final long size;
        private final AtomicInteger reads = new AtomicInteger();

        Rows(long size) {
            this.size = size;
        }

        @Override
        public Path path() {
            return Path.of("rows.hdf5");
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public int rowLength() {
            return LENGTH;
        }

        @Override
        public int sampleRate() {
            return 16_000;
        }

        @Override
        public void read(long row, float[] into) {
            reads.incrementAndGet();
            for (int i = 0; i < LENGTH; i++) {
                into[i] = (float) Math.sin(row * 0.1 + i * 0.01);
            }
        }

        @Override
        public void close() {
        }
    }

    private static final class Collect implements FeatureSink {
        final List<float[]> rows = new ArrayList<>();
        boolean committed;

        @Override
        public void write(float[] features) {
            rows.add(features.clone());
        }

        @Override
        public List<Path> commit() {
            committed = true;
            return List.of(Path.of("out.hdf5"));
        }

        @Override
        public void close() {
        }
    }

    /** Two rows: the sum and the maximum of each half of the input; slow enough to overlap. */
    private static FeatureExtractor halves(AtomicInteger workers) {
        return FeatureExtractor.of("halves", LENGTH, 16_000, 2, 1, Map.of("kind", "test"), () -> {
            workers.incrementAndGet();
            return (wav, out) -> {
                double sum = 0;
                float max = -Float.MAX_VALUE;
                for (int rep = 0; rep < 50; rep++) {
                    sum = 0;
                    for (int i = 0; i < LENGTH / 2; i++) {
                        sum += wav[i];
                    }
                }
                for (int i = LENGTH / 2; i < LENGTH; i++) {
                    max = Math.max(max, wav[i]);
                }
                out[0] = (float) sum;
                out[1] = max;
            };
        });
    }

    private static List<float[]> run(int threads, long rows, AtomicInteger workers) throws IOException {
        Collect sink = new Collect();
        FeatureSummary summary = FeatureStage.builder().extractor(halves(workers)).threads(threads).build()
                .run(new Rows(rows), sink);
        assertThat(sink.committed).isTrue();
        assertThat(summary.rows()).isEqualTo(rows);
        assertThat(summary.files()).containsExactly(Path.of("out.hdf5"));
        return sink.rows;
    }

    @Test
    void parallelOutputEqualsSequentialInInputOrder() throws IOException {
        AtomicInteger workers = new AtomicInteger();
        List<float[]> one = run(1, 300, workers);
        assertThat(workers.get()).isEqualTo(1);
        workers.set(0);
        List<float[]> four = run(4, 300, workers);
        assertThat(workers.get()).isBetween(1, 4);
        assertThat(four).hasSize(300);
        for (int r = 0; r < 300; r++) {
            assertThat(four.get(r)).as("row %d", r).containsExactly(one.get(r));
        }
        // row r's first value is a function of r alone, so order is checked, not only content
        assertThat(one.get(0)[0]).isNotEqualTo(one.get(1)[0]);
    }

    @Test
    void emptySourceCommitsAnEmptyOutput() throws IOException {
        assertThat(run(2, 0, new AtomicInteger())).isEmpty();
    }

    @Test
    void aFailingWorkerFailsTheStageWithoutCommit() {
        FeatureExtractor broken = FeatureExtractor.of("broken", LENGTH, 16_000, 1, 1, Map.of(), () -> (wav, out) -> {
            if (wav[0] > 0.5f) {
                throw new IllegalStateException("boom");
            }
        });
        Collect sink = new Collect();
        assertThatThrownBy(() -> FeatureStage.builder().extractor(broken).threads(2).build().run(new Rows(100), sink))
                .isInstanceOf(AudioSetException.class).hasMessageContaining("boom")
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(sink.committed).isFalse();
    }

    @Test
    void aFailingRowIsNamedWithTheSource() {
        FeatureExtractor nanAt37 = FeatureExtractor.of("nan", LENGTH, 16_000, 1, 1, Map.of(), () -> (wav, out) -> {
            float[] row37 = new float[LENGTH];
            new Rows(38).read(37, row37);
            if (java.util.Arrays.equals(wav, row37)) {
                throw new IllegalArgumentException("sample 12 of the waveform is NaN");
            }
        });
        Collect sink = new Collect();
        FeatureStage stage = FeatureStage.builder().extractor(nanAt37).threads(3).build();
        assertThatThrownBy(() -> stage.run(new Rows(100), sink)).isInstanceOf(AudioSetException.class)
                .hasMessageContaining("rows.hdf5: row 37: computing features failed: sample 12 of the waveform is NaN")
                .hasMessageNotContaining("java.lang");
        assertThat(sink.committed).isFalse();
        // a range is named by the rows of the source, not of the range
        assertThatThrownBy(() -> stage.run(new Rows(100), 30, 40, new Collect()))
                .hasMessageContaining("rows.hdf5: row 37: ");
    }

    @Test
    void aRangeComputesThoseRowsOnly() throws IOException {
        Collect all = new Collect();
        Collect part = new Collect();
        FeatureStage stage = FeatureStage.builder().extractor(halves(new AtomicInteger())).threads(2).build();
        stage.run(new Rows(20), all);
        assertThat(stage.run(new Rows(20), 5, 12, part).rows()).isEqualTo(7);
        assertThat(part.committed).isTrue();
        assertThat(part.rows).hasSize(7);
        for (int i = 0; i < 7; i++) {
            assertThat(part.rows.get(i)).as("row %d", 5 + i).containsExactly(all.rows.get(5 + i));
        }
        assertThatThrownBy(() -> stage.run(new Rows(20), 5, 21, new Collect()))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("rows.hdf5: rows 5..20");
    }

    @Test
    void aSourceThatDoesNotFitIsRejected() {
        FeatureExtractor other = FeatureExtractor.of("x", 5, 16_000, 1, 1, Map.of(), () -> (wav, out) -> { });
        assertThatThrownBy(() -> FeatureStage.builder().extractor(other).build().run(new Rows(1), new Collect()))
                .hasMessageContaining("rows.hdf5").hasMessageContaining("1000 samples");
    }

    @Test
    void usesACallerPoolWithoutShuttingItDown() throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Collect sink = new Collect();
            FeatureStage.builder().extractor(halves(new AtomicInteger())).executor(pool).threads(3).build()
                    .run(new Rows(50), sink);
            assertThat(sink.rows).hasSize(50);
            assertThat(pool.isShutdown()).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A caller's pool shut down while the stage computes on it ({@code shutdown()}: later rows are refused;
     * {@code shutdownNow()}: rows waiting in its queue are dropped and never run). The stage threw a bare
     * RejectedExecutionException, or waited forever for a dropped row; now it ends with an error naming the waveform
     * file and the row, commits nothing, and returns once none of its tasks is computing.
     */
    @Test
    void aCallerPoolShutDownMidRunEndsTheStageWithAClearErrorAndNoCommit() throws Exception {
        for (boolean now : new boolean[] {false, true}) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            AtomicInteger computing = new AtomicInteger();
            AtomicInteger rows = new AtomicInteger();
            FeatureExtractor stopsThePool = FeatureExtractor.of("stops", LENGTH, 16_000, 1, 1, Map.of(),
                    () -> (wav, out) -> {
                        computing.incrementAndGet();
                        try {
                            if (rows.incrementAndGet() == 6) {
                                if (now) {
                                    pool.shutdownNow();
                                } else {
                                    pool.shutdown();
                                }
                            }
                            long until = System.nanoTime() + 20_000_000L; // 20 ms, deaf to interrupts
                            while (System.nanoTime() < until) {
                                Thread.onSpinWait();
                            }
                        } finally {
                            computing.decrementAndGet();
                        }
                    });
            Collect sink = new Collect();
            try {
                assertThatThrownBy(() -> org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                        java.time.Duration.ofSeconds(60), () -> FeatureStage.builder().extractor(stopsThePool)
                                .executor(pool).threads(2).build().run(new Rows(200), sink)))
                        .as("shutdownNow: %s", now).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("rows.hdf5: row ")
                        .hasMessageContaining("the executor was shut down while computing features")
                        .hasMessageContaining("nothing is committed");
                assertThat(computing.get()).as("tasks computing when run() returned").isZero();
                assertThat(sink.committed).isFalse();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * A caller's pool busy with other work holds the stage's rows in its queue; its {@code shutdownNow()} drops
     * them. The stage waited forever for the first; now it ends with the error naming the file and row.
     */
    @Test
    void rowsDroppedFromTheQueueOfACallerPoolShutDownNowDoNotHangTheStage() throws Exception {
        java.util.concurrent.ThreadPoolExecutor pool = (java.util.concurrent.ThreadPoolExecutor)
                Executors.newFixedThreadPool(1);
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        pool.submit(() -> {
            never.await(); // another user's task, until the pool is shut down
            return null;
        });
        Rows source = new Rows(200);
        Collect sink = new Collect();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<FeatureSummary> running = caller.submit(() -> FeatureStage.builder()
                    .extractor(halves(new AtomicInteger())).executor(pool).threads(2).build().run(source, sink));
            long deadline = System.nanoTime() + 30_000_000_000L;
            // the window of 2 x 2 rows is queued (a row is read, then submitted: wait for the queue, not the reads)
            while (pool.getQueue().size() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(source.reads.get()).isEqualTo(4);
            assertThat(pool.shutdownNow()).hasSize(4);
            assertThatThrownBy(() -> running.get(30, java.util.concurrent.TimeUnit.SECONDS))
                    .isInstanceOf(java.util.concurrent.ExecutionException.class)
                    .cause().isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("rows.hdf5: row 0")
                    .hasMessageContaining("the executor was shut down while computing features")
                    .hasMessageContaining("nothing is committed");
            assertThat(sink.committed).isFalse();
        } finally {
            caller.shutdownNow();
            pool.shutdownNow();
        }
    }

    @Test
    void reportsProgressForEveryRow() throws IOException {
        List<Progress> seen = new ArrayList<>();
        PipelineListener listener = new PipelineListener() {
            @Override
            public synchronized void progress(Progress progress) {
                seen.add(progress);
            }
        };
        FeatureStage.builder().extractor(halves(new AtomicInteger())).threads(2).listener(listener).build()
                .run(new Rows(20), new Collect());
        assertThat(seen).hasSize(20);
        assertThat(seen.get(19).done()).isEqualTo(20);
        assertThat(seen.get(19).total()).isEqualTo(20);
    }

    @Test
    void attributesMustBeNumbersOrStrings() {
        assertThatThrownBy(() -> FeatureExtractor.of("x", 1, 1, 1, 1, Map.of("bad", List.of()), () -> null))
                .hasMessageContaining("'bad'");
    }
}
