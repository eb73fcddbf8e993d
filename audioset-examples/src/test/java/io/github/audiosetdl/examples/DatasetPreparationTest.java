package io.github.audiosetdl.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.cochlea.CochleagramConfig;
import io.github.audiosetdl.cochlea.features.CochleagramFeatures;
import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.download.DownloadConfig;
import io.github.audiosetdl.core.download.ResolverKind;
import io.github.audiosetdl.core.pipeline.AudioSetPipeline;
import io.github.audiosetdl.core.pipeline.PipelineSummary;
import io.github.audiosetdl.core.progress.Stage;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.hdf5.ClipMetadata;
import io.github.audiosetdl.hdf5.CochleagramFileReader;
import io.github.audiosetdl.hdf5.Hdf5DatasetStore;
import io.github.audiosetdl.hdf5.WaveformFileReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dataset preparation driven by JUnit, as a downstream JVM project would do it in its own build: the
 * dataset is prepared once through {@link AudioSetPipeline#builder()} in two parts (download + pack,
 * then cochleagrams from the waveform file on the caller's own pool), and the tests check what a
 * training job relies on.
 */
class DatasetPreparationTest {
    @TempDir
    static Path dir;

    private static ExampleData.Subset subset;
    private static PipelineSummary packed;
    private static PipelineSummary features;
    private static long flakyRequests;

    @BeforeAll
    static void prepare() throws Exception {
        subset = ExampleData.subset(dir, "music", "Music", 6);
        String flaky = subset.ids().get(1) + ".m4a";
        try (LoopbackMediaServer server = ExampleData.serve(dir, subset)) {
            server.fault(flaky, LoopbackMediaServer.Fault.SERVER_ERROR, 1); // one 500, then it recovers
            DownloadConfig download = DownloadConfig.builder(dir.resolve("data"), "music").resolver(ResolverKind.DIRECT)
                    .urlTemplate(server.baseUrl() + "/media/{id}.m4a").threads(3).retries(2)
                    .retryDelay(Duration.ofMillis(50)).build();
            packed = AudioSetPipeline.builder().download(download).segments(subset.csv())
                    .store(Hdf5DatasetStore.INSTANCE).stopAfter(Stage.PACK).build().run();
            flakyRequests = server.requests(flaky);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            features = AudioSetPipeline.builder().waveforms(packed.files().get(0)).store(Hdf5DatasetStore.INSTANCE)
                    .features(CochleagramFeatures.of(CochleagramConfig.pycochleagram())).executor(pool).threads(2)
                    .build().run();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void everySegmentBecameARowInCsvOrderAfterATransientFailureWasRetried() throws Exception {
        assertThat(packed.download().orElseThrow().downloaded()).isEqualTo(6);
        assertThat(packed.download().get().complete()).isTrue();
        assertThat(flakyRequests).isGreaterThanOrEqualTo(2);
        assertThat(packed.features()).isEmpty();
        try (WaveformFileReader wav = WaveformFileReader.open(packed.files().get(0))) {
            assertThat(wav.size()).isEqualTo(6);
            for (int i = 0; i < 6; i++) {
                ClipMetadata m = wav.metadata(i);
                assertThat(m.ytid()).isEqualTo(subset.ids().get(i));
                assertThat(m.norm()).isPositive();
            }
        }
    }

    @Test
    void rowsArePeakNormalisedAndLabelledMusic() throws Exception {
        LabelIndex labels = LabelIndex.audioSet();
        try (WaveformFileReader wav = WaveformFileReader.open(packed.files().get(0))) {
            float[] row = new float[wav.rowLength()];
            for (int i = 0; i < wav.size(); i++) {
                wav.read(i, row);
                float peak = 0;
                for (float x : row) {
                    peak = Math.max(peak, Math.abs(x));
                }
                assertThat(peak).isEqualTo(1f);
                assertThat(labels.decode(wav.labels(i))).contains("/m/04rlf");
            }
        }
    }

    @Test
    void cochleagramsFollowTheWaveformRowsWithThePresetRecorded() throws Exception {
        assertThat(features.pack()).isEmpty();
        Path coch = features.files().get(0);
        assertThat(coch.getFileName().toString()).isEqualTo("music_Coch.hdf5");
        assertThat(features.files().get(1)).hasFileName("music_average.npy").isRegularFile();
        try (CochleagramFileReader reader = CochleagramFileReader.open(coch)) {
            assertThat(reader.size()).isEqualTo(6);
            assertThat(reader.channels()).isEqualTo(171);
            assertThat(reader.frames()).isEqualTo(2000);
            assertThat(reader.attributes()).containsEntry("preset", "pycochleagram")
                    .containsEntry("compression", "power:0.3");
            assertThat(reader.metadata(3).ytid()).isEqualTo(subset.ids().get(3));
        }
    }

    @Test
    void aCancelledRunStopsAndLeavesNoWaveformFile() throws Exception {
        ExampleData.Subset slow = ExampleData.subset(dir, "slow", "Speech", 8);
        try (LoopbackMediaServer server = ExampleData.serve(dir.resolve("data"), slow)) {
            server.latency(Duration.ofSeconds(2));
            DownloadConfig download = DownloadConfig.builder(dir.resolve("slow"), "slow").resolver(ResolverKind.DIRECT)
                    .urlTemplate(server.baseUrl() + "/media/{id}.m4a").threads(1).build();
            AudioSetPipeline pipeline = AudioSetPipeline.builder().download(download).segments(slow.csv())
                    .store(Hdf5DatasetStore.INSTANCE).build();
            ExecutorService runner = Executors.newSingleThreadExecutor();
            try {
                Future<PipelineSummary> run = runner.submit(pipeline::run);
                Thread.sleep(500);
                pipeline.cancel();
                assertThatThrownBy(() -> run.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(CancellationException.class);
            } finally {
                runner.shutdownNow();
            }
        }
        assertThat(dir.resolve("slow/slow.hdf5")).doesNotExist();
        try (var files = Files.walk(dir.resolve("slow"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".hdf5"));
        }
    }

    @Test
    void aDryRunStopsAfterCountingAndLeavesTheDatasetAlone() throws Exception {
        Path waveforms = packed.files().get(0);
        Path cochleagrams = features.files().get(0);
        byte[] before = Files.readAllBytes(waveforms);
        byte[] cochBefore = Files.readAllBytes(cochleagrams);
        DownloadConfig dry = DownloadConfig.builder(dir.resolve("data"), "music").resolver(ResolverKind.DIRECT)
                .urlTemplate("http://127.0.0.1:9/media/{id}.m4a").dryRun(true).build();
        PipelineSummary summary = AudioSetPipeline.builder().download(dry).segments(subset.csv())
                .store(Hdf5DatasetStore.INSTANCE).features(CochleagramFeatures.of(CochleagramConfig.seed()))
                .build().run();
        assertThat(summary.download()).isPresent();
        assertThat(summary.pack()).isEmpty();
        assertThat(summary.features()).isEmpty();
        assertThat(Files.readAllBytes(waveforms)).as("the packed file is untouched").isEqualTo(before);
        assertThat(Files.readAllBytes(cochleagrams)).as("the cochleagram file is untouched").isEqualTo(cochBefore);
    }
}
