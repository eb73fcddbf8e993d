package io.github.audiosetdl.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.audio.PreparedAudio;
import io.github.audiosetdl.core.audio.WavEncoding;
import io.github.audiosetdl.core.audio.WavWriter;
import io.github.audiosetdl.core.pipeline.AudioSetPipeline;
import io.github.audiosetdl.core.pipeline.PipelineSummary;
import io.github.audiosetdl.core.spi.DatasetStore;
import io.github.audiosetdl.core.spi.FeatureExtractor;
import io.github.audiosetdl.core.spi.FeatureSink;
import io.github.audiosetdl.core.spi.WaveformLayout;
import io.github.audiosetdl.core.spi.WaveformSink;
import io.github.audiosetdl.core.spi.WaveformSource;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AudioSetPipeline#close()} during a real pack of WAVs into the seed's HDF5 file. */
class PipelineCloseTest {
    @TempDir
    Path dir;

    /**
     * The HDF5 store, whose waveform sink holds its second row until the run is interrupted: a pack that is
     * surely in progress when the test closes the pipeline.
     */
    private static final class HeldStore implements DatasetStore {
        final CountDownLatch firstRowWritten = new CountDownLatch(1);

        @Override
        public WaveformSink createWaveforms(Path file, LabelIndex labels, int sampleRate, int clipSamples)
                throws IOException {
            return held(Hdf5DatasetStore.INSTANCE.createWaveforms(file, labels, sampleRate, clipSamples));
        }

        @Override
        public WaveformSink createWaveforms(Path dir, String name, LabelIndex labels, WaveformLayout layout)
                throws IOException {
            return held(Hdf5DatasetStore.INSTANCE.createWaveforms(dir, name, labels, layout));
        }

        private WaveformSink held(WaveformSink sink) {
            return new WaveformSink() {
                @Override
                public void write(SegmentRow row, PreparedAudio audio) throws IOException {
                    if (sink.size() == 1) {
                        firstRowWritten.countDown();
                        try {
                            Thread.sleep(30_000); // until close() interrupts the run
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new InterruptedIOException("held sink interrupted");
                        }
                    }
                    sink.write(row, audio);
                }

                @Override
                public long size() {
                    return sink.size();
                }

                @Override
                public List<Path> commit() throws IOException {
                    return sink.commit();
                }

                @Override
                public void close() throws IOException {
                    sink.close();
                }
            };
        }

        @Override
        public WaveformSource openWaveforms(Path file) throws IOException {
            return Hdf5DatasetStore.INSTANCE.openWaveforms(file);
        }

        @Override
        public FeatureSink createFeatures(Path file, WaveformSource source, FeatureExtractor extractor)
                throws IOException {
            return Hdf5DatasetStore.INSTANCE.createFeatures(file, source, extractor);
        }
    }

    @Test
    void closeDuringAPackStopsItAndLeavesNoFileUnderAFinalName() throws Exception {
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        StringBuilder csv = new StringBuilder("# YTID, start_seconds, end_seconds, positive_labels\n");
        for (int c = 0; c < 4; c++) {
            String id = "closePack0" + c;
            float[][] x = new float[1][160_000];
            for (int i = 0; i < x[0].length; i++) {
                x[0][i] = (float) (0.3 * Math.sin(2 * Math.PI * 220 * (c + 1) * i / 16_000.0));
            }
            WavWriter.write(downloads.resolve("YT_" + id + ".wav"), 16_000, x, WavEncoding.PCM_16);
            csv.append(id).append(", 0.000, 10.000, \"/m/09x0r\"\n");
        }
        Path segments = Files.writeString(dir.resolve("p.csv"), csv);
        Path out = dir.resolve("out");
        HeldStore store = new HeldStore();
        AudioSetPipeline pipeline = AudioSetPipeline.builder().downloads(downloads).segments(segments)
                .outputDir(out).store(store).threads(2).build();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<PipelineSummary> running = caller.submit(pipeline::run);
            assertThat(store.firstRowWritten.await(60, TimeUnit.SECONDS)).as("the pack is writing").isTrue();
            pipeline.close();
            assertThat(files(out)).as("files under the output folder when close() returned").isEmpty();
            assertThatThrownBy(() -> running.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(CancellationException.class);
        } finally {
            caller.shutdownNow();
        }
        assertThat(files(out)).isEmpty();
        assertThatThrownBy(pipeline::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("'p'")
                .hasMessageContaining("closed");
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(Path::toString).toList();
        }
    }
}
