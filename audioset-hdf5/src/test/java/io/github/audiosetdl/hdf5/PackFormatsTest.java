package io.github.audiosetdl.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.audio.Int16Level;
import io.github.audiosetdl.core.audio.PreparedAudio;
import io.github.audiosetdl.core.audio.WavEncoding;
import io.github.audiosetdl.core.audio.WavWriter;
import io.github.audiosetdl.core.pack.PackStage;
import io.github.audiosetdl.core.pack.PackSummary;
import io.github.audiosetdl.core.pipeline.AudioSetPipeline;
import io.github.audiosetdl.core.pipeline.PipelineSummary;
import io.github.audiosetdl.core.spi.FeatureExtractor;
import io.github.audiosetdl.core.spi.PackFormat;
import io.github.audiosetdl.core.spi.SampleType;
import io.github.audiosetdl.core.spi.WaveformLayout;
import io.github.audiosetdl.core.spi.WaveformSink;
import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.webdataset.WebDatasetClip;
import io.github.audiosetdl.core.webdataset.WebDatasetReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed layout's int16 {@code /wav} and PANNs' HDF5 layout, read back with our reader, jhdf and h5py. */
class PackFormatsTest {
    static final LabelIndex LABELS = LabelIndex.audioSet();

    @TempDir
    Path dir;

    @Test
    void int16RowsAreWithinOneStepOfTheFloat32RowsTimes32767() throws Exception {
        Path f32 = WaveformFileTest.writeRows(dir.resolve("f.hdf5"), 4);
        Path i16 = dir.resolve("i.hdf5");
        try (WaveformFileWriter w = WaveformFileWriter.create(i16, LABELS, 100, WaveformFileTest.LEN,
                SampleType.INT16)) {
            for (int i = 0; i < 4; i++) {
                w.write(WaveformFileTest.row(i), new PreparedAudio(WaveformFileTest.samples(i), 0.25 * i, i == 1));
            }
            w.commit();
        }
        assertThat(Files.size(i16)).isLessThan(Files.size(f32));
        try (WaveformFileReader a = WaveformFileReader.open(f32); WaveformFileReader b = WaveformFileReader.open(i16)) {
            assertThat(b.size()).isEqualTo(4);
            assertThat(b.metadata(3)).isEqualTo(a.metadata(3));
            assertThat(b.labels(1)).containsExactly(a.labels(1));
            float[] x = new float[WaveformFileTest.LEN];
            float[] y = new float[WaveformFileTest.LEN];
            double worst = 0;
            for (int r = 0; r < 4; r++) {
                a.read(r, x);
                b.read(r, y);
                for (int k = 0; k < x.length; k++) {
                    worst = Math.max(worst, Math.abs(x[k] - y[k]));
                }
            }
            assertThat(worst).isGreaterThan(0).isLessThanOrEqualTo(0.5 / 32767 + 1e-7);
        }
        Path python = ExternalTools.requirePythonWithH5py();
        String out = ExternalTools.check(List.of(python.toString(), "-c", String.join("\n",
                "import sys, h5py, numpy as np",
                "a = h5py.File(sys.argv[1], 'r')['wav'][:]",
                "f = h5py.File(sys.argv[2], 'r'); b = f['wav']",
                "print('dtype', b.dtype, b.shape, 'scale', float(b.attrs['scale']))",
                "d = np.abs(b[:].astype(np.float64) - a.astype(np.float64) * 32767)",
                "print('steps', 'ok' if d.max() <= 1 else d.max())"), f32.toString(), i16.toString()));
        assertThat(out).contains("dtype int16 (4, 1000) scale 32767.0").contains("steps ok");
    }

    /** Clips of several rates and channel counts as a downloads folder and CSV; returns their ids. */
    private List<String> downloads(Path downloads, Path csv) throws IOException {
        Files.createDirectories(downloads);
        List<String> ids = List.of("-panns0abcd", "panns1_efgh", "panns2-ijkl", "panns3mnopq");
        int[] rates = {16_000, 44_100, 16_000, 22_050};
        int[] channels = {1, 2, 1, 1};
        double[] seconds = {10, 10, 6.5, 10};
        StringBuilder rows = new StringBuilder("# YTID, start_seconds, end_seconds, positive_labels\n");
        Random random = new Random(18);
        for (int c = 0; c < ids.size(); c++) {
            int n = (int) Math.round(rates[c] * seconds[c]);
            float[][] x = new float[channels[c]][n];
            for (int ch = 0; ch < channels[c]; ch++) {
                double f = 220 * (c + 1) + 50 * ch;
                for (int i = 0; i < n; i++) {
                    x[ch][i] = (float) (0.3 * Math.sin(2 * Math.PI * f * i / rates[c])
                            + 0.05 * (random.nextDouble() - 0.5));
                }
            }
            WavWriter.write(downloads.resolve("YT_" + ids.get(c) + ".wav"), rates[c], x, WavEncoding.PCM_16);
            rows.append(ids.get(c)).append(", ").append(10 * c).append(".000, ").append(10 * c + 10)
                    .append(".000, \"/m/09x0r").append(c % 2 == 0 ? ",/m/05zppz" : "").append("\"\n");
        }
        rows.append("notDownload, 0.000, 10.000, \"/m/09x0r\"\n");
        Files.writeString(csv, rows);
        return ids;
    }

    private PackSummary pack(Path downloads, Path csv, Path out, WaveformLayout layout) throws IOException {
        PackStage stage = PackStage.builder().downloads(downloads).segments(csv).threads(2)
                .preparation(layout.preparation()).build();
        try (WaveformSink sink = Hdf5DatasetStore.INSTANCE.createWaveforms(out, "t", LABELS, layout)) {
            return stage.run(sink);
        }
    }

    @Test
    void packedInt16RowsAreTheFloat32RowsConvertedExactly() throws Exception {
        // The pack stage converts on its workers for the int16 layout: the same values as converting the float32 rows
        Path downloads = dir.resolve("t_downloads");
        Path csv = dir.resolve("t.csv");
        downloads(downloads, csv);
        PackSummary f32 = pack(downloads, csv, dir.resolve("f32"), WaveformLayout.builder().build());
        PackSummary i16 = pack(downloads, csv, dir.resolve("i16"),
                WaveformLayout.builder().sampleType(SampleType.INT16).build());
        try (WaveformFileReader a = WaveformFileReader.open(f32.files().get(0));
                WaveformFileReader b = WaveformFileReader.open(i16.files().get(0))) {
            assertThat(b.size()).isEqualTo(a.size()).isEqualTo(4);
            float[] x = new float[160_000];
            float[] y = new float[160_000];
            short[] expected = new short[160_000];
            for (int r = 0; r < 4; r++) {
                a.read(r, x);
                b.read(r, y);
                SampleType.toInt16(x, expected);
                for (int k = 0; k < x.length; k++) {
                    if (Math.round(y[k] * 32767.0) != expected[k]) {
                        throw new AssertionError("row " + r + " sample " + k + ": " + y[k] * 32767.0 + ", expected "
                                + expected[k]);
                    }
                }
            }
        }
    }

    @Test
    void pannsRowsAreTheClipsAtTheirOwnLevelWhoeverConvertsThem() throws Exception {
        // The pack stage's workers attach CLIP_LEVEL values; the writer uses them, and converts itself when a clip
        // comes without them or with values at another level: the same rows either way
        WaveformLayout layout = WaveformLayout.builder().format(PackFormat.PANNS).sampleRate(16_000).build();
        int n = 160_000;
        Random random = new Random(18);
        float[][] clips = new float[3][n];
        for (float[] c : clips) {
            for (int k = 0; k < n; k++) {
                c[k] = 2 * random.nextFloat() - 1;
            }
            c[7] = 1f;
        }
        double[] norms = {0.25, 0.7301, 1.6}; // 1.6: a float WAV above full scale, clipped
        short[][][] rows = new short[3][][];
        for (int way = 0; way < 3; way++) {
            Path out = dir.resolve("way" + way);
            Files.createDirectories(out);
            try (WaveformSink sink = Hdf5DatasetStore.INSTANCE.createWaveforms(out, "t", LABELS, layout)) {
                assertThat(sink.int16Level()).contains(Int16Level.CLIP_LEVEL);
                for (int i = 0; i < 3; i++) {
                    PreparedAudio clip = new PreparedAudio(clips[i], norms[i], false);
                    short[] values = new short[n];
                    if (way == 1) {
                        Int16Level.CLIP_LEVEL.convert(clip, values);
                        clip = clip.withInt16(Int16Level.CLIP_LEVEL, values);
                    } else if (way == 2) {
                        Int16Level.NORMALISED.convert(clip, values);
                        clip = clip.withInt16(Int16Level.NORMALISED, values);
                    }
                    String id = String.format("lvl%08d", i);
                    sink.write(new io.github.audiosetdl.core.SegmentRow(i, i + 1L,
                            new io.github.audiosetdl.core.Segment(id, 0, 10_000, List.of("/m/09x0r"))), clip);
                }
                sink.commit();
            }
            try (io.jhdf.HdfFile hdf = new io.jhdf.HdfFile(out.resolve("t_panns.h5"))) {
                rows[way] = (short[][]) hdf.getDatasetByPath("waveform").getData();
            }
        }
        for (int i = 0; i < 3; i++) {
            assertThat(rows[1][i]).as("clip %d, values attached", i).isEqualTo(rows[0][i]);
            assertThat(rows[2][i]).as("clip %d, values at another level attached", i).isEqualTo(rows[0][i]);
            float gain = (float) norms[i];
            for (int k = 0; k < n; k += 997) {
                double v = Math.max(-1, Math.min(1, (double) (clips[i][k] * gain)));
                assertThat(rows[0][i][k]).as("clip %d sample %d", i, k).isEqualTo((short) Math.round(v * 32767));
            }
            assertThat(rows[0][i][7]).isEqualTo((short) Math.min(32767, Math.round(gain * 32767.0)));
        }
    }

    @Test
    void pannsLayoutHoldsObtainedClipsAt32KhzAgainstAnIndependentResampler() throws Exception {
        Path downloads = dir.resolve("t_downloads");
        Path csv = dir.resolve("t.csv");
        List<String> ids = downloads(downloads, csv);
        Path out = dir.resolve("out");
        WaveformLayout layout = WaveformLayout.builder().format(PackFormat.PANNS).build();
        assertThat(layout.sampleRate()).isEqualTo(32_000);
        PackSummary summary = pack(downloads, csv, out, layout);
        Path file = out.resolve("t_panns.h5");
        assertThat(summary.files()).containsExactly(file);
        assertThat(summary.rowsWritten()).isEqualTo(4);
        try (Stream<Path> left = Files.list(out)) { // and the empty lock file of its name, kept
            assertThat(left).containsExactlyInAnyOrder(file, out.resolve(".t_panns.h5.lock"));
        }
        // The reference: read each WAV with the wave module, mix the channels, zero-pad or cut to 10 s, resample
        // with the ffmpeg binary as PANNs' downloader does (`-ar 32000`, its default sinc resampler, on raw doubles
        // so no sample format rounds), clip to [-1, 1] and round to int16. Tolerance: one int16 step, the rounding of
        // values computed along two paths (ffmpeg's coefficients are floats, ours doubles; ours are rounded to
        // float32 before the int16 conversion).
        Path python = ExternalTools.requirePythonWithH5py();
        Path ffmpeg = ExternalTools.requireFfmpeg();
        String script = String.join("\n",
                "import sys, wave, subprocess, h5py, numpy as np",
                "def resample(x, rate):",
                "    r = subprocess.run([sys.argv[3], '-v', 'error', '-f', 'f64le', '-ar', str(rate), '-ac', '1',",
                "        '-i', '-', '-ar', '32000', '-f', 'f64le', '-'], input=x.astype('<f8').tobytes(),",
                "        stdout=subprocess.PIPE, check=True, timeout=60)",
                "    y = np.frombuffer(r.stdout, '<f8'); assert len(y) >= 320000, len(y)",
                "    return y[:320000]",
                "f = h5py.File(sys.argv[1], 'r')",
                "w = f['waveform']; t = f['target']; names = f['audio_name']",
                "print('layout', w.dtype, w.shape, t.dtype, t.shape, names.dtype, int(f.attrs['sample_rate']))",
                "worst = 0; differ = 0; apart = 0",
                "for r in range(w.shape[0]):",
                "    name = names[r].decode(); ytid = name[1:-4]",
                "    with wave.open(sys.argv[2] + '/YT_' + ytid + '.wav', 'rb') as src:",
                "        rate = src.getframerate(); ch = src.getnchannels()",
                "        x = np.frombuffer(src.readframes(src.getnframes()), '<i2').astype(np.float64) / 32768",
                "    x = x.reshape(-1, ch).mean(axis=1)",
                "    want = rate * 10; x = np.concatenate([x, np.zeros(max(0, want - len(x)))])[:want]",
                "    y = resample(x, rate) if rate != 32000 else x",
                "    ref = np.round(np.clip(y, -1, 1) * 32767)",
                "    d = np.abs(w[r].astype(np.float64) - ref)",
                "    worst = max(worst, d.max()); differ += int((d > 0).sum())",
                "    apart = max(apart, np.abs(w[r].astype(np.float64) - np.clip(y, -1, 1) * 32767).max())",
                "    print('row', r, name, int(t[r].sum()), bool(t[r][0]), bool(t[r][1]))",
                "print('worst', worst, 'differ', differ, 'apart', apart)");
        String py = ExternalTools.check(List.of(python.toString(), "-c", script, file.toString(),
                downloads.toString(), ffmpeg.toString()));
        assertThat(py).contains("layout int16 (4, 320000) bool (4, 527) |S20 32000");
        for (int c = 0; c < ids.size(); c++) {
            int labels = c % 2 == 0 ? 2 : 1;
            // /m/09x0r (Speech) is column 0 and /m/05zppz (Male speech) column 1 of the AudioSet index
            assertThat(py).contains("row " + c + " Y" + ids.get(c) + ".wav " + labels + " True "
                    + (labels == 2 ? "True" : "False"));
        }
        String[] last = py.strip().split("\n");
        String[] worst = last[last.length - 1].split(" ");
        assertThat(Double.parseDouble(worst[1])).as(py).isLessThanOrEqualTo(1.0);
        // ffmpeg's float coefficients put its samples up to about 1e-5 (a third of a step) from ours before rounding,
        // so a few percent of the rounded samples land one step apart; unrounded, ours are the reference's rounding
        // (half a step) plus that much.
        assertThat(Long.parseLong(worst[3])).as("samples one step off, of 1.28M").isLessThan(64_000);
        assertThat(Double.parseDouble(worst[5])).as("ours from the unrounded reference, in steps").isLessThan(0.85);
    }

    @Test
    void pannsAt16KhzHas160000SamplesAndOurReaderReadsIt() throws Exception {
        Path downloads = dir.resolve("t_downloads");
        Path csv = dir.resolve("t.csv");
        Path out = dir.resolve("out");
        List<String> ids = downloads(downloads, csv);
        pack(downloads, csv, out, WaveformLayout.builder().format(PackFormat.PANNS).sampleRate(16_000).build());
        short[][] rows;
        try (io.jhdf.HdfFile hdf = new io.jhdf.HdfFile(out.resolve("t_panns.h5"))) {
            assertThat(hdf.getDatasetByPath("waveform").getDimensions()).containsExactly(4, 160_000);
            assertThat(hdf.getAttribute("sample_rate").getData()).isEqualTo(16_000);
            rows = (short[][]) hdf.getDatasetByPath("waveform").getData();
        }
        try (PannsFileReader panns = PannsFileReader.open(out.resolve("t_panns.h5"))) {
            assertThat(panns.size()).isEqualTo(4);
            assertThat(panns.sampleRate()).isEqualTo(16_000);
            assertThat(panns.clipSamples()).isEqualTo(160_000);
            short[] row = new short[160_000];
            for (int r = 0; r < 4; r++) {
                assertThat(panns.ytid(r)).isEqualTo(ids.get(r));
                assertThat(LABELS.decode(panns.labels(r))).hasSize(r % 2 == 0 ? 2 : 1);
                panns.read(r, row);
                assertThat(row).as("row %d", r).isEqualTo(rows[r]);
            }
        }
        // the seed layout's reader (cochleagram --in, stats) given it says what it is
        assertThatThrownBy(() -> WaveformFileReader.open(out.resolve("t_panns.h5"))).isInstanceOf(IOException.class)
                .hasMessageContaining("no dataset /wav (this is a PANNs file, /waveform: features are computed from"
                        + " the seed layout, WaveformLayout.SEED, made by pack --format seed)");
    }

    @Test
    void thePipelineBuilderChoosesTheLayoutAsTheCliDoes() throws Exception {
        Path downloads = dir.resolve("t_downloads");
        Path csv = dir.resolve("t.csv");
        List<String> ids = downloads(downloads, csv);
        WaveformLayout layout = WaveformLayout.builder().format(PackFormat.WEBDATASET).shardSize(3).build();
        AudioSetPipeline pipeline = AudioSetPipeline.builder().downloads(downloads).segments(csv).name("p")
                .outputDir(dir.resolve("out")).store(Hdf5DatasetStore.INSTANCE).layout(layout).threads(2).build();
        assertThat(pipeline.waveformFile()).isEqualTo(dir.resolve("out/p-000000.tar"));
        PipelineSummary summary = pipeline.run();
        assertThat(summary.pack().orElseThrow().files()).containsExactly(dir.resolve("out/p-000000.tar"),
                dir.resolve("out/p-000001.tar"));
        // read back: the packed clips in CSV order, 10 s at 16 kHz, with the CSV's segments
        try (Stream<WebDatasetClip> clips = WebDatasetReader.stream(dir.resolve("out"), "p")) {
            List<WebDatasetClip> all = clips.toList();
            assertThat(all).extracting(WebDatasetClip::key).containsExactlyElementsOf(ids);
            for (int c = 0; c < all.size(); c++) {
                WebDatasetClip clip = all.get(c);
                assertThat(clip.audio().sampleRate()).isEqualTo(16_000);
                assertThat(clip.audio().frames()).isEqualTo(160_000);
                assertThat(clip.info().segment().startMs()).isEqualTo(10_000L * c);
                assertThat(clip.info().padded()).isEqualTo(c == 2); // 6.5 s
                float peak = 0;
                for (float v : clip.audio().channel(0)) {
                    peak = Math.max(peak, Math.abs(v));
                }
                assertThat(peak * 32768).as("peak-normalised: 32767 steps").isEqualTo(32767f);
            }
        }
        assertThatThrownBy(() -> AudioSetPipeline.builder().downloads(downloads).segments(csv)
                .store(Hdf5DatasetStore.INSTANCE).layout(layout).features(FeatureExtractor.of("x", 160_000, 16_000, 1,
                        1, java.util.Map.of(), () -> (wav, out) -> out[0] = wav[0])).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("leave out features(...)");
    }

    @Test
    void float32IsRefusedForTheFormatsThatStoreInt16() {
        assertThatThrownBy(() -> WaveformLayout.builder().format(PackFormat.PANNS).sampleType(SampleType.FLOAT32)
                .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("int16");
        assertThat(PackFormat.parse("WebDataset")).isEqualTo(PackFormat.WEBDATASET);
        assertThatThrownBy(() -> PackFormat.parse("tfrecord")).hasMessageContaining("seed, panns or webdataset");
    }
}
