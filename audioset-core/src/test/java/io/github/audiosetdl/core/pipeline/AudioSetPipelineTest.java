package io.github.audiosetdl.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.AudioSetException;
import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.StrongVocabulary;
import io.github.audiosetdl.core.download.DownloadConfig;
import io.github.audiosetdl.core.download.DownloadStage;
import io.github.audiosetdl.core.pack.PackStage;
import io.github.audiosetdl.core.progress.PipelineListener;
import io.github.audiosetdl.core.progress.Stage;
import io.github.audiosetdl.core.spi.DatasetStore;
import io.github.audiosetdl.core.spi.FeatureExtractor;
import io.github.audiosetdl.core.spi.FeatureSink;
import io.github.audiosetdl.core.spi.PackFormat;
import io.github.audiosetdl.core.spi.WaveformLayout;
import io.github.audiosetdl.core.spi.WaveformSink;
import io.github.audiosetdl.core.spi.WaveformSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline's builder rules and the feature stage's inputs and outputs, with an in-memory store. */
class AudioSetPipelineTest {
    private static final int LENGTH = 8;
    /** The rows' ids, in file order: row i is filled with the value i. */
    private static final List<String> IDS = List.of("AAAAAAAAAA0", "AAAAAAAAAA1", "AAAAAAAAAA2", "AAAAAAAAAA3",
            "AAAAAAAAAA4", "AAAAAAAAAA5");

    @TempDir
    Path dir;

    /** Row {@code i} is {@code LENGTH} copies of {@code i}, labelled with label {@code i % 3}. */
    private static final class Rows implements WaveformSource {
        private final Path path;
        private final boolean ids;
        boolean closed;

        Rows(Path path, boolean ids) {
            this.path = path;
            this.ids = ids;
        }

        @Override
        public Path path() {
            return path;
        }

        @Override
        public long size() {
            return IDS.size();
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
            Arrays.fill(into, 0, LENGTH, row);
        }

        @Override
        public int labelCount() {
            return 3;
        }

        @Override
        public byte[] labels(long row) {
            byte[] b = new byte[3];
            b[(int) (row % 3)] = 1;
            return b;
        }

        @Override
        public boolean hasIds() {
            return ids;
        }

        @Override
        public String ytid(long row) throws IOException {
            if (!ids) {
                return WaveformSource.super.ytid(row);
            }
            return IDS.get((int) row);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Opens {@link Rows} for any path; its feature sinks record what they were given. */
    private static final class Store implements DatasetStore {
        private final boolean ids;
        final List<Rows> opened = new ArrayList<>();
        Path featureFile;
        final List<float[]> written = new ArrayList<>();
        final List<byte[]> labels = new ArrayList<>();
        final List<String> rowIds = new ArrayList<>();

        /** Whether it says it writes strong labels (it packs nothing here either way). */
        boolean strongLabels = true;
        /** The sink it gives a pack with strong labels, or null to refuse packing. */
        WaveformSink waveforms;

        Store(boolean ids) {
            this.ids = ids;
        }

        @Override
        public WaveformSink createWaveforms(Path file, LabelIndex index, int sampleRate, int clipSamples) {
            throw new UnsupportedOperationException("not packing here");
        }

        @Override
        public WaveformSink createWaveforms(Path dir, String name, LabelIndex index, WaveformLayout layout,
                StrongVocabulary strong) {
            if (waveforms != null) {
                return waveforms;
            }
            throw new UnsupportedOperationException("not packing here");
        }

        @Override
        public boolean writesStrongLabels() {
            return strongLabels;
        }

        @Override
        public String toString() {
            return "Store";
        }

        @Override
        public WaveformSource openWaveforms(Path file) {
            Rows r = new Rows(file, ids);
            opened.add(r);
            return r;
        }

        @Override
        public FeatureSink createFeatures(Path file, WaveformSource source, FeatureExtractor extractor) {
            featureFile = file;
            return new FeatureSink() {
                @Override
                public void write(float[] features) throws IOException {
                    long row = written.size();
                    written.add(features.clone());
                    labels.add(source.labels(row));
                    if (source.hasIds()) {
                        rowIds.add(source.ytid(row));
                    }
                }

                @Override
                public List<Path> commit() {
                    return List.of(file);
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** The first sample of each row: the row number of the file it came from. */
    private static final FeatureExtractor FIRST = FeatureExtractor.of("first", LENGTH, 16_000, 1, 1, Map.of(),
            () -> (wav, out) -> out[0] = wav[0]);

    private Path csv(String... ids) throws IOException {
        List<String> lines = new ArrayList<>(List.of("# YTID, start_seconds, end_seconds, positive_labels"));
        for (String id : ids) {
            lines.add(id + ", 0.000, 10.000, \"/m/09x0r\"");
        }
        return Files.write(dir.resolve("selection.csv"), lines);
    }

    @Test
    void aSelectionPicksTheWaveformRowsByIdAndTheOutputsAreNamedAfterTheWaveformFile() throws IOException {
        Store store = new Store(true);
        Path waveforms = dir.resolve("clips.hdf5");
        // one selected id is not in the file; the file's order wins over the CSV's
        SegmentSelection selection = SegmentSelection.builder(csv("AAAAAAAAAA4", "AAAAAAAAAA1", "BBBBBBBBBBB",
                "AAAAAAAAAA2")).build();
        AudioSetPipeline pipeline = AudioSetPipeline.builder().waveforms(waveforms).segments(selection)
                .store(store).features(FIRST).threads(2).build();
        assertThat(pipeline.name()).isEqualTo("clips");
        assertThat(pipeline.featureFile()).isEqualTo(dir.resolve("clips_Coch.hdf5"));

        PipelineSummary summary = pipeline.run();

        assertThat(store.featureFile).isEqualTo(dir.resolve("clips_Coch.hdf5"));
        assertThat(store.written).extracting(f -> f[0]).containsExactly(1f, 2f, 4f);
        assertThat(store.rowIds).containsExactly("AAAAAAAAAA1", "AAAAAAAAAA2", "AAAAAAAAAA4");
        assertThat(store.labels).containsExactly(new byte[] {0, 1, 0}, new byte[] {0, 0, 1}, new byte[] {0, 1, 0});
        assertThat(summary.features().orElseThrow().rows()).isEqualTo(3);
        assertThat(summary.complete()).isTrue();
        assertThat(store.opened).singleElement().satisfies(r -> assertThat(r.closed).isTrue());
    }

    @Test
    void withoutASelectionEveryRowIsComputed() throws IOException {
        Store store = new Store(false);
        AudioSetPipeline p = AudioSetPipeline.builder().waveforms(dir.resolve("seed.hdf5")).store(store)
                .features(FIRST).build();
        p.cancel(); // no run is going on: nothing to cancel, and the pipeline still runs
        p.run();
        assertThat(store.written).extracting(f -> f[0]).containsExactly(0f, 1f, 2f, 3f, 4f, 5f);
    }

    /** run() is for one thread at a time: a second thread's call is refused, and the pipeline runs again after. */
    @Test
    void aSecondRunWhileOneIsGoingOnIsRefused() throws Exception {
        java.util.concurrent.CountDownLatch computing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        FeatureExtractor held = FeatureExtractor.of("held", LENGTH, 16_000, 1, 1, Map.of(), () -> (wav, out) -> {
            computing.countDown();
            try {
                release.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        AudioSetPipeline p = AudioSetPipeline.builder().waveforms(dir.resolve("seed.hdf5")).store(new Store(false))
                .features(held).threads(1).build();
        java.util.concurrent.ExecutorService first = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<PipelineSummary> running = first.submit(p::run);
            assertThat(computing.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(p::run).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("running already");
            release.countDown();
            assertThat(running.get(30, java.util.concurrent.TimeUnit.SECONDS).features()).isPresent();
        } finally {
            release.countDown();
            first.shutdownNow();
        }
        assertThat(p.run().features()).as("again, once the first is done").isPresent();
    }

    /**
     * close() on another thread cancels the run, returns only once run() has returned, refuses further runs naming
     * the pipeline, is idempotent, and leaves the caller's pool running.
     */
    @Test
    void closeCancelsARunInProgressWaitsForItAndRefusesFurtherRuns() throws Exception {
        java.util.concurrent.CountDownLatch computing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
        FeatureExtractor held = FeatureExtractor.of("held", LENGTH, 16_000, 1, 1, Map.of(), () -> (wav, out) -> {
            inside.incrementAndGet();
            computing.countDown();
            try {
                Thread.sleep(30_000); // until close() cancels the run
            } catch (InterruptedException e) {
                long until = System.nanoTime() + 300_000_000L; // then 300 ms of work that does not check interrupts
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                Thread.currentThread().interrupt();
            } finally {
                inside.decrementAndGet();
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(2);
        var runner = new java.util.concurrent.atomic.AtomicReference<Thread>();
        ExecutorService caller = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "close-test-runner");
            runner.set(t);
            return t;
        });
        try {
            AudioSetPipeline p = AudioSetPipeline.builder().waveforms(dir.resolve("seed.hdf5"))
                    .store(new Store(false)).features(held).executor(pool).threads(2).build();
            java.util.concurrent.Future<PipelineSummary> running = caller.submit(p::run);
            assertThat(computing.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            // both workers computing, and the run waiting for the first row's result (in timed waits: it checks
            // that the caller's pool has not dropped the row)
            java.util.Set<Thread.State> waiting = java.util.EnumSet.of(Thread.State.WAITING,
                    Thread.State.TIMED_WAITING);
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            while ((inside.get() < 2 || !waiting.contains(runner.get().getState()))
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(runner.get().getState()).isIn(waiting);
            long start = System.nanoTime();
            p.close();
            assertThat(inside.get()).as("workers still computing when close() returned").isZero();
            assertThat(System.nanoTime() - start).isLessThan(java.time.Duration.ofSeconds(20).toNanos());
            assertThatThrownBy(() -> running.get(30, java.util.concurrent.TimeUnit.SECONDS))
                    .hasCauseInstanceOf(java.util.concurrent.CancellationException.class);
            assertThat(pool.isShutdown()).as("the caller's pool is the caller's").isFalse();
            p.close(); // again: nothing more
            assertThatThrownBy(p::run).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("pipeline 'seed'").hasMessageContaining("closed");
            assertThat(pool.submit(() -> 7).get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(7);
        } finally {
            caller.shutdownNow();
            pool.shutdownNow();
        }
    }

    /** A listener may close the pipeline it listens to: the run stops with CancellationException, nothing hangs. */
    @Test
    void closeFromAListenerStopsTheRunWithoutWaitingForItself() throws Exception {
        AudioSetPipeline[] self = new AudioSetPipeline[1];
        PipelineListener closer = new PipelineListener() {
            @Override
            public void progress(io.github.audiosetdl.core.progress.Progress progress) {
                if (progress.done() >= 1) {
                    self[0].close();
                }
            }
        };
        FeatureExtractor slow = FeatureExtractor.of("slow", LENGTH, 16_000, 1, 1, Map.of(), () -> (wav, out) -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Store store = new Store(false);
        self[0] = AudioSetPipeline.builder().waveforms(dir.resolve("seed.hdf5")).store(store).features(slow)
                .threads(1).listener(closer).build();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<PipelineSummary> running = caller.submit(self[0]::run);
            assertThatThrownBy(() -> running.get(30, java.util.concurrent.TimeUnit.SECONDS))
                    .hasCauseInstanceOf(java.util.concurrent.CancellationException.class);
        } finally {
            caller.shutdownNow();
        }
        assertThat(store.written).hasSizeLessThan(IDS.size());
        assertThatThrownBy(self[0]::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    /** As style.md shows it: try-with-resources around run(); the pipeline is closed after, and a run refused. */
    @Test
    void aPipelineIsAutoCloseableAndClosingAnIdleOneOnlyRefusesLaterRuns() throws IOException {
        Store store = new Store(false);
        AudioSetPipeline kept;
        try (AudioSetPipeline p = AudioSetPipeline.builder().waveforms(dir.resolve("seed.hdf5")).store(store)
                .features(FIRST).build()) {
            assertThat(p.run().features()).isPresent();
            kept = p;
        }
        kept.close();
        assertThatThrownBy(kept::run).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pipeline 'seed'");
        assertThat(store.written).hasSize(IDS.size());
    }

    /**
     * close() during a real download from a loopback server: run() throws CancellationException before close()
     * returns, no ffmpeg is left, and no clip and no temporary file is left under a final clip name.
     */
    @Test
    void closeDuringADownloadStopsItAndLeavesNoClipUnderAFinalName() throws Exception {
        Path media = Files.createDirectories(dir.resolve("media"));
        Path tone = io.github.audiosetdl.core.testing.TestMedia.tone(media,
                io.github.audiosetdl.core.testing.TestMedia.Codec.AAC, 44_100, 12);
        List<String> lines = new ArrayList<>(List.of("# YTID, start_seconds, end_seconds, positive_labels"));
        try (io.github.audiosetdl.core.testing.LoopbackMediaServer server =
                io.github.audiosetdl.core.testing.LoopbackMediaServer.start()) {
            for (int i = 0; i < 3; i++) {
                String id = "closeDl000" + i;
                server.serve(id + ".m4a", tone).latency(id + ".m4a", java.time.Duration.ofMinutes(2));
                lines.add(id + ", 0.000, 10.000, \"/m/09x0r\"");
            }
            Path csv = Files.write(dir.resolve("close.csv"), lines);
            DownloadConfig config = DownloadConfig.builder(dir.resolve("out"), "close")
                    .resolver(io.github.audiosetdl.core.download.ResolverKind.DIRECT)
                    .urlTemplate(server.url("{id}.m4a"))
                    .ffmpeg(io.github.audiosetdl.core.testing.ExternalTools.requireFfmpeg()).threads(2)
                    .socketTimeout(java.time.Duration.ofMinutes(1)).toolTimeout(java.time.Duration.ofMinutes(1))
                    .build();
            AudioSetPipeline p = AudioSetPipeline.builder().download(config).segments(csv).build();
            ExecutorService caller = Executors.newSingleThreadExecutor();
            try {
                java.util.concurrent.Future<PipelineSummary> running = caller.submit(p::run);
                long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
                while ((server.requests("closeDl0000.m4a") == 0 || ffmpegsFor("closeDl") == 0)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(ffmpegsFor("closeDl")).as("a clip is downloading").isPositive();
                p.close();
                assertThat(ffmpegsFor("closeDl")).as("ffmpegs alive when close() returned").isZero();
                assertThat(finalOrTemporary(dir.resolve("out"))).as("when close() returned").isEmpty();
                assertThatThrownBy(() -> running.get(30, java.util.concurrent.TimeUnit.SECONDS))
                        .hasCauseInstanceOf(java.util.concurrent.CancellationException.class);
            } finally {
                caller.shutdownNow();
            }
            assertThatThrownBy(p::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("'close'");
        }
        assertThat(finalOrTemporary(dir.resolve("out"))).isEmpty();
    }

    /** Before, every clip was downloaded first, and the pack stage then failed on the line. */
    @Test
    void aBadLineOfTheStrongFileFailsTheRunBeforeTheDownloadStarts() throws IOException {
        Path strong = Files.write(dir.resolve("bad_strong.tsv"), List.of(
                "segment_id\tstart_time_seconds\tend_time_seconds\tlabel",
                "--4gqARaEJE_0\t0.000\t1.534\t/m/09x0r",
                "--4gqARaEJE_0\t2.305\t2.112\t/m/05tny_"));
        DownloadConfig config = DownloadConfig.builder(dir.resolve("out"), "strong")
                .resolver(io.github.audiosetdl.core.download.ResolverKind.DIRECT)
                .urlTemplate("http://127.0.0.1:9/{id}.m4a").build();
        AudioSetPipeline p = AudioSetPipeline.builder().download(config).segments(strong).strong(strong)
                .store(new Store(false)).stopAfter(Stage.PACK).build();
        assertThatThrownBy(p::run).isInstanceOf(io.github.audiosetdl.core.SegmentFormatException.class)
                .hasMessageContaining("bad_strong.tsv:3").hasMessageContaining("2.305");
        assertThat(dir.resolve("out")).as("nothing downloaded, no folder made").doesNotExist();
    }

    /**
     * A run reads a strong {@code segments} file that is also its {@code strong} file four times (the early check,
     * the download, the pack's events and rows): under {@code SKIP} each bad line was logged four times; once now.
     */
    @Test
    void aBadLineOfAStrongFileIsLoggedOnceARunUnderSkip() throws Exception {
        Path media = Files.createDirectories(dir.resolve("media"));
        Path tone = io.github.audiosetdl.core.testing.TestMedia.tone(media,
                io.github.audiosetdl.core.testing.TestMedia.Codec.AAC, 44_100, 12);
        Path strong = Files.write(dir.resolve("bad_strong.tsv"), List.of(
                "segment_id\tstart_time_seconds\tend_time_seconds\tlabel",
                "skipOnce000_0\t0.000\t1.534\t/m/09x0r",
                "skipOnce000_0\t2.305\t2.112\t/m/05tny_", // onset after offset
                "skipOnce001_0\t0.000\t10.000\t/m/04rlf"));
        List<Long> written = new ArrayList<>();
        Store store = new Store(false);
        store.waveforms = new WaveformSink() {
            @Override
            public void write(io.github.audiosetdl.core.SegmentRow row,
                    io.github.audiosetdl.core.audio.PreparedAudio audio) {
                written.add(row.row());
            }

            @Override
            public long size() {
                return written.size();
            }

            @Override
            public List<Path> commit() {
                return List.of(dir.resolve("out/strong.hdf5"));
            }

            @Override
            public void close() {
            }
        };
        try (io.github.audiosetdl.core.testing.LoopbackMediaServer server =
                io.github.audiosetdl.core.testing.LoopbackMediaServer.start()) {
            server.serve("skipOnce000.m4a", tone).serve("skipOnce001.m4a", tone);
            DownloadConfig config = DownloadConfig.builder(dir.resolve("out"), "strong")
                    .resolver(io.github.audiosetdl.core.download.ResolverKind.DIRECT)
                    .urlTemplate(server.url("{id}.m4a"))
                    .ffmpeg(io.github.audiosetdl.core.testing.ExternalTools.requireFfmpeg()).threads(1).build();
            SegmentSelection rows = SegmentSelection.builder(strong).options(io.github.audiosetdl.core
                    .SegmentCsvOptions.builder().errorPolicy(io.github.audiosetdl.core.ErrorPolicy.SKIP).build())
                    .build();
            PipelineSummary[] summary = new PipelineSummary[1];
            String log = io.github.audiosetdl.core.testing.ErrorStreamCapture.capture(() -> {
                try (AudioSetPipeline p = AudioSetPipeline.builder().download(config).segments(rows).strong(strong)
                        .store(store).stopAfter(Stage.PACK).threads(1).build()) {
                    summary[0] = p.run();
                }
            });
            assertThat(summary[0].pack()).as(log).isPresent();
            assertThat(written).as(log).hasSize(2);
            assertThat(io.github.audiosetdl.core.testing.ErrorStreamCapture.count(log,
                    strong + ":3: end_time_seconds is before start_time_seconds")).as(log).isEqualTo(1);
            assertThat(log).contains("'2.305, 2.112'");
        }
    }

    /**
     * A download that obtains no clip, every one failing transiently (offline, a server error): the run stops after
     * it, incomplete, so that a loop on exit code 3 runs it again; before, the pack stage failed on the empty
     * downloads folder as if the folder were wrong. Every one failing for good: an error that says so.
     */
    @Test
    void aDownloadThatObtainsNoClipStopsTheRunIncompleteOrFailsSayingSo() throws Exception {
        Path media = Files.createDirectories(dir.resolve("media"));
        Path tone = io.github.audiosetdl.core.testing.TestMedia.tone(media,
                io.github.audiosetdl.core.testing.TestMedia.Codec.AAC, 44_100, 12);
        try (io.github.audiosetdl.core.testing.LoopbackMediaServer server =
                io.github.audiosetdl.core.testing.LoopbackMediaServer.start()) {
            for (String id : List.of("noneYet0000", "noneYet0001")) {
                server.serve(id + ".m4a", tone).fault(id + ".m4a",
                        io.github.audiosetdl.core.testing.LoopbackMediaServer.Fault.SERVER_ERROR);
            }
            for (String id : List.of("goneForGood", "goneForGoo2")) {
                server.fault(id + ".m4a", io.github.audiosetdl.core.testing.LoopbackMediaServer.Fault.NOT_FOUND);
            }
            Store store = new Store(false);
            PipelineSummary summary;
            try (AudioSetPipeline p = AudioSetPipeline.builder().download(noClipConfig(server, "transient"))
                    .segments(csv("noneYet0000", "noneYet0001")).store(store)
                    .features(FeatureExtractor.of("first", 160_000, 16_000, 1, 1, Map.of(),
                            () -> (wav, out) -> out[0] = wav[0])).build()) {
                summary = p.run();
            }
            assertThat(summary.complete()).isFalse();
            assertThat(summary.download().orElseThrow().transientLeft()).isEqualTo(2);
            assertThat(summary.pack()).isEmpty();
            assertThat(summary.features()).isEmpty();
            assertThat(summary.files()).isEmpty();
            assertThat(store.opened).isEmpty();

            try (AudioSetPipeline p = AudioSetPipeline.builder().download(noClipConfig(server, "gone"))
                    .segments(csv("goneForGood", "goneForGoo2")).store(store).stopAfter(Stage.PACK).build()) {
                assertThatThrownBy(p::run).isInstanceOf(AudioSetException.class)
                        .hasMessageContaining("selection.csv").hasMessageContaining("none of the 2 selected clips")
                        .hasMessageContaining("2 permanent");
            }
            // an empty selection: said so, rather than "no YT_<id>.wav file under" the downloads folder
            try (AudioSetPipeline p = AudioSetPipeline.builder().download(noClipConfig(server, "empty"))
                    .segments(csv()).store(store).stopAfter(Stage.PACK).build()) {
                assertThatThrownBy(p::run).isInstanceOf(AudioSetException.class)
                        .hasMessageContaining("selection.csv: the selection holds no segment");
            }
        }
    }

    private DownloadConfig noClipConfig(io.github.audiosetdl.core.testing.LoopbackMediaServer server, String name)
            throws IOException {
        return DownloadConfig.builder(dir.resolve("out"), name)
                .resolver(io.github.audiosetdl.core.download.ResolverKind.DIRECT).urlTemplate(server.url("{id}.m4a"))
                .ffmpeg(io.github.audiosetdl.core.testing.ExternalTools.requireFfmpeg()).retries(0).threads(2)
                .socketTimeout(java.time.Duration.ofSeconds(20)).toolTimeout(java.time.Duration.ofSeconds(60))
                .build();
    }

    /** @return the clips and temporary files under {@code root} */
    private static List<String> finalOrTemporary(Path root) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".wav") || n.endsWith(".tmp") || n.startsWith(".")).toList();
        }
    }

    /** @return the live ffmpeg processes of this JVM whose arguments mention {@code marker} */
    private static long ffmpegsFor(String marker) {
        return ProcessHandle.current().descendants().filter(p -> p.isAlive()
                && p.info().arguments().map(a -> Arrays.toString(a).contains(marker)).orElse(false)).count();
    }

    @Test
    void aSelectionOfAFileWithoutIdsIsRefusedNamingTheFile() throws IOException {
        Store store = new Store(false);
        Path waveforms = dir.resolve("seed.hdf5");
        AudioSetPipeline pipeline = AudioSetPipeline.builder().waveforms(waveforms)
                .segments(SegmentSelection.builder(csv("AAAAAAAAAA1")).build()).store(store).features(FIRST).build();
        assertThatThrownBy(pipeline::run).isInstanceOf(AudioSetException.class)
                .hasMessageContaining(waveforms.toString()).hasMessageContaining("no YouTube ids");
        assertThat(store.written).isEmpty();
        assertThat(store.opened).singleElement().satisfies(r -> assertThat(r.closed).isTrue());
    }

    @Test
    void aSelectedViewMapsRowsLabelsAndIdsAndRejectsRowsOutOfRange() throws IOException {
        Rows rows = new Rows(dir.resolve("x.hdf5"), true);
        WaveformSource view = rows.select(new long[] {5, 0});
        float[] into = new float[LENGTH];
        view.read(0, into);
        assertThat(into[0]).isEqualTo(5f);
        assertThat(view.size()).isEqualTo(2);
        assertThat(view.ytid(1)).isEqualTo("AAAAAAAAAA0");
        assertThat(view.labels(0)).containsExactly(0, 0, 1);
        assertThatThrownBy(() -> view.read(2, into)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> rows.select(new long[] {6})).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("row 6");
        view.close();
        assertThat(rows.closed).isTrue();
    }

    @Test
    void theBuilderRejectsAnIncompletePipeline() {
        assertThatThrownBy(() -> AudioSetPipeline.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nothing to start from");
        assertThatThrownBy(() -> AudioSetPipeline.builder().downloads(dir).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs segments");
        assertThatThrownBy(() -> AudioSetPipeline.builder().downloads(dir).segments(dir.resolve("a.csv")).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs store");
        assertThatThrownBy(() -> AudioSetPipeline.builder().waveforms(dir.resolve("x.hdf5")).features(FIRST).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs store");
        assertThatThrownBy(() -> AudioSetPipeline.builder().waveforms(dir.resolve("x.hdf5")).store(new Store(true))
                .stopAfter(Stage.FEATURES).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs features");
        assertThatThrownBy(() -> AudioSetPipeline.builder().waveforms(dir.resolve("x.hdf5")).store(new Store(true))
                .features(FIRST).stopAfter(Stage.PACK).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("comes before the first stage");
        assertThatThrownBy(() -> AudioSetPipeline.builder().downloads(dir).waveforms(dir.resolve("x.hdf5")).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not both");
        DownloadConfig download = DownloadConfig.builder(dir, "eval").build();
        assertThatThrownBy(() -> AudioSetPipeline.builder().download(download).downloads(dir).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not several");
        assertThatThrownBy(() -> AudioSetPipeline.builder().download(download).segments(dir.resolve("a.csv"))
                .name("other").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'other' differs");
        assertThatThrownBy(() -> AudioSetPipeline.builder().name("../evil"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'../evil'");
        assertThatThrownBy(() -> AudioSetPipeline.builder().threads(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads 0");
        assertThatThrownBy(() -> AudioSetPipeline.builder().featureSuffix("/x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'/x'");
        assertThatThrownBy(() -> AudioSetPipeline.builder().threads(2000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads 2000 is not in 1..1024");
        // the feature file would replace the waveform file it reads
        assertThatThrownBy(() -> AudioSetPipeline.builder().waveforms(dir.resolve("x.hdf5")).store(new Store(true))
                .features(FIRST).featureSuffix("").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is the waveform file");
        // one pack for a shard of the rows: every task would write the same file
        SegmentSelection shard = SegmentSelection.builder(dir.resolve("a.csv"))
                .shard(io.github.audiosetdl.core.Shard.of(1, 4)).build();
        assertThatThrownBy(() -> AudioSetPipeline.builder().download(download).segments(shard)
                .store(new Store(true)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("writes one file for the whole");
        // features for a shard of the waveform rows: every task would write the same feature file, the last one's
        // rows replacing the others'
        assertThatThrownBy(() -> AudioSetPipeline.builder().waveforms(dir.resolve("x.hdf5")).segments(shard)
                .store(new Store(true)).features(FIRST).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("writes one file for the whole");
        // clips the extractor cannot take: refused before anything is packed
        assertThatThrownBy(() -> AudioSetPipeline.builder().download(download).segments(dir.resolve("a.csv"))
                .store(new Store(true)).features(FIRST).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("takes 8 samples at 16000 Hz, but the pack stage writes 160000 at 16000 Hz");
    }

    @Test
    void aPipelineStartsWhereItsInputIsAndStopsAtTheLastStageConfigured() {
        AudioSetPipeline packOnly = AudioSetPipeline.builder().downloads(dir).segments(dir.resolve("eval.csv"))
                .store(new Store(true)).build();
        assertThat(packOnly.firstStage()).isEqualTo(Stage.PACK);
        assertThat(packOnly.lastStage()).isEqualTo(Stage.PACK);
        assertThat(packOnly.name()).as("named after the segments CSV").isEqualTo("eval");
        assertThat(packOnly.outputDir()).as("beside the downloads, not in the current folder")
                .isEqualTo(dir.toAbsolutePath().getParent());
        AudioSetPipeline fromRelative = AudioSetPipeline.builder().downloads(Path.of("x_downloads"))
                .segments(dir.resolve("eval.csv")).store(new Store(true)).build();
        assertThat(fromRelative.outputDir()).isEqualTo(Path.of("").toAbsolutePath());
        FeatureExtractor clips = FeatureExtractor.of("first", 160_000, 16_000, 1, 1, Map.of(),
                () -> (wav, out) -> out[0] = wav[0]);
        AudioSetPipeline all = AudioSetPipeline.builder().download(DownloadConfig.builder(dir, "set").build())
                .segments(dir.resolve("eval.csv")).store(new Store(true)).features(clips).build();
        assertThat(all.firstStage()).isEqualTo(Stage.DOWNLOAD);
        assertThat(all.lastStage()).isEqualTo(Stage.FEATURES);
        assertThat(all.name()).as("named by the download configuration").isEqualTo("set");
        assertThat(all.waveformFile()).isEqualTo(dir.resolve("set.hdf5"));
    }

    @Test
    void everyStageIsBuiltByABuilderThatNamesWhatIsMissing() {
        assertThatThrownBy(() -> DownloadStage.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("config(");
        assertThatThrownBy(() -> PackStage.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("downloads folder");
        assertThatThrownBy(() -> FeatureStage.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("extractor(");
        assertThatThrownBy(() -> DownloadStage.builder().config(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> FeatureStage.builder().threads(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theOutputFolderIsTheDownloadConfigurationsHoweverItIsSpelt() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out/x"));
        DownloadConfig download = DownloadConfig.builder(out, "eval").build();
        Path csv = dir.resolve("a.csv");
        Path relative = Path.of("").toAbsolutePath().relativize(out);
        Path link = Files.createSymbolicLink(dir.resolve("link"), out);
        for (Path same : List.of(dir.resolve("out/./x"), dir.resolve("out/y/../x"), relative, link)) {
            AudioSetPipeline p = AudioSetPipeline.builder().download(download).segments(csv).outputDir(same).build();
            assertThat(p.outputDir()).as(same.toString()).isEqualTo(out);
        }
        Path other = Files.createDirectories(dir.resolve("out/z"));
        assertThatThrownBy(() -> AudioSetPipeline.builder().download(download).segments(csv).outputDir(other).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("outputDir " + other + " differs from the download configuration's " + out);
        // a waveform file that is the feature file through a link is refused as its plain spelling is
        Path features = Files.createFile(dir.resolve("w_Coch.hdf5"));
        Path waveforms = Files.createSymbolicLink(dir.resolve("w.hdf5"), features);
        assertThatThrownBy(() -> AudioSetPipeline.builder().waveforms(waveforms).store(new Store(true))
                .features(FIRST).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is the waveform file");
    }

    @Test
    void anOptionOfAStageThatDoesNotRunIsRefusedNamingTheOptionAndTheStagesThatRun() throws IOException {
        Path csv = dir.resolve("a.csv");
        DownloadConfig download = DownloadConfig.builder(dir, "eval").build();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Map<String, Supplier<AudioSetPipeline.Builder>> cases = new LinkedHashMap<>();
            Supplier<AudioSetPipeline.Builder> features = () -> AudioSetPipeline.builder()
                    .waveforms(dir.resolve("x.hdf5")).store(new Store(true)).features(FIRST);
            cases.put("shuffleSeed is set but the pipeline runs only FEATURES", () -> features.get().shuffleSeed(3));
            cases.put("layout is set but the pipeline runs only FEATURES",
                    () -> features.get().layout(WaveformLayout.SEED));
            cases.put("labels is set but the pipeline runs only FEATURES",
                    () -> features.get().labels(LabelIndex.audioSet()));
            Supplier<AudioSetPipeline.Builder> pack = () -> AudioSetPipeline.builder().downloads(dir).segments(csv)
                    .store(new Store(true)).stopAfter(Stage.PACK);
            cases.put("features is set but the pipeline runs only PACK", () -> pack.get().features(FIRST));
            cases.put("featureSuffix is set but the pipeline runs only PACK", () -> pack.get().featureSuffix("_x"));
            cases.put("executor is set but the pipeline runs only PACK", () -> pack.get().executor(pool));
            Supplier<AudioSetPipeline.Builder> fetch = () -> AudioSetPipeline.builder().download(download)
                    .segments(csv).stopAfter(Stage.DOWNLOAD);
            cases.put("store is set but the pipeline runs only DOWNLOAD", () -> fetch.get().store(new Store(true)));
            cases.put("threads is set but the pipeline runs only DOWNLOAD", () -> fetch.get().threads(2));
            cases.put("strong is set but the pipeline runs only DOWNLOAD", () -> fetch.get().strong(csv));
            cases.put("strongVocabulary is set but the pipeline runs only DOWNLOAD",
                    () -> fetch.get().strongVocabulary(StrongVocabulary.audioSet()));
            cases.put("strong is set but the pipeline runs only FEATURES", () -> features.get().strong(csv));
            cases.put("strongVocabulary is set but no strong(...) file",
                    () -> pack.get().strongVocabulary(StrongVocabulary.audioSet()));
            cases.put("the PANNs layout has no strong labels", () -> pack.get().strong(csv)
                    .layout(WaveformLayout.builder().format(PackFormat.PANNS).build()));
            Store weakOnly = new Store(true);
            weakOnly.strongLabels = false;
            cases.put("strong(...) is set but the store Store does not write strong labels",
                    () -> pack.get().store(weakOnly).strong(csv));
            cases.put("features is set but the pipeline runs only DOWNLOAD..PACK", () -> AudioSetPipeline.builder()
                    .download(download).segments(csv).store(new Store(true)).features(FIRST).stopAfter(Stage.PACK));
            for (Map.Entry<String, Supplier<AudioSetPipeline.Builder>> c : cases.entrySet()) {
                assertThatThrownBy(() -> c.getValue().get().build()).as(c.getKey())
                        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith(c.getKey());
            }
            assertThatThrownBy(() -> fetch.get().threads(2).build())
                    .hasMessage("threads is set but the pipeline runs only DOWNLOAD: it is for the pack and features"
                            + " stage(s); leave it out or run them (the download's threads are"
                            + " DownloadConfig.Builder.threads)");
            // each is taken where a stage that runs uses it
            assertThat(features.get().threads(2).executor(pool).featureSuffix("_x").build().featureFile())
                    .isEqualTo(dir.resolve("x_x.hdf5"));
            assertThat(pack.get().shuffleSeed(3).layout(WaveformLayout.SEED).labels(LabelIndex.audioSet()).threads(2)
                    .strong(csv).strongVocabulary(StrongVocabulary.audioSet()).build().lastStage())
                    .isEqualTo(Stage.PACK);
            assertThat(AudioSetPipeline.builder().download(download).segments(csv).store(new Store(true))
                    .shuffleSeed(3).build().lastStage()).isEqualTo(Stage.PACK);
            assertThat(fetch.get().build().lastStage()).isEqualTo(Stage.DOWNLOAD);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aNameThatCannotNameWebDatasetShardsIsRefusedBeforeTheDownloadStarts() {
        Path csv = dir.resolve("my dogs.csv");
        WaveformLayout shards = WaveformLayout.builder().format(PackFormat.WEBDATASET).build();
        DownloadConfig download = DownloadConfig.builder(dir, DownloadConfig.nameOf(csv)).build();
        Supplier<AudioSetPipeline.Builder> run = () -> AudioSetPipeline.builder().download(download).segments(csv)
                .store(new Store(true)).stopAfter(Stage.PACK);
        assertThatThrownBy(() -> run.get().layout(shards).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'my dogs'").hasMessageContaining("WebDataset");
        assertThatThrownBy(() -> AudioSetPipeline.builder().downloads(dir).segments(csv).store(new Store(true))
                .layout(shards).name("x".repeat(201)).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("201 characters");
        // the other layouts take any file name; WebDataset a name of [A-Za-z0-9._-]
        assertThat(run.get().layout(WaveformLayout.SEED).build().name()).isEqualTo("my dogs");
        assertThat(AudioSetPipeline.builder().downloads(dir).segments(dir.resolve("my_dogs.v2.csv"))
                .store(new Store(true)).layout(shards).build().name()).isEqualTo("my_dogs.v2");
    }
}
