package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.audio.PreparedAudio;
import io.github.audiosetdl.core.spi.WaveformSink;
import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.NpyArrays;
import io.github.audiosetdl.core.testing.TestData;
import io.github.audiosetdl.hdf5.CochleagramFileReader;
import io.github.audiosetdl.hdf5.Hdf5DatasetStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code audioset cochleagram} on a waveform file written by h5py in the seed's own layout (bool labels,
 * no {@code /meta}) reproduces the golden cochleagrams of both presets.
 */
class CochleagramCommandTest {
    private static final String[] INPUTS = {"sine1k", "noise", "chirp", "clicks"};

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /**
     * Before: {@code --env-sr 16000} on 10-s rows at 16 kHz (envelopes at the audio rate) was accepted, computed
     * 109 MB a row for every row, then failed (exit 1): "/coch has rows of shape [27360000], more than 64 MB each: not
     * a data set of clips". Now it fails at once, naming the file (whose rows' length decides: exit 1, as a
     * {@code --high-lim} above its Nyquist), the size and the largest rate that fits.
     */
    @Test
    void anEnvelopeRateThatMakesTheFilesRowsTooLargeFailsAtOnce(@TempDir Path dir) throws Exception {
        Path wav = dir.resolve("clips.hdf5");
        try (WaveformSink sink = Hdf5DatasetStore.INSTANCE.createWaveforms(wav, LabelIndex.audioSet(), 16_000,
                160_000)) {
            Segment s = new Segment("clip0000000", 0, 10_000, List.of("/m/09x0r"));
            sink.write(new SegmentRow(0, 1, s), new PreparedAudio(new float[160_000], 1.0, false));
            sink.commit();
        }
        Path outDir = dir.resolve("out");
        int code = AudioSetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "cochleagram",
                "--in", wav.toString(), "--out", outDir.toString(), "--env-sr", "16000");
        assertThat(code).as(err.toString()).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).doesNotContain("Try ");
        assertThat(err.toString().split("\\R")[0]).isEqualTo("audioset cochleagram: " + wav
                + ": --env-sr 16000 Hz gives 171 channels x 160000 frames (the input's row length 160000 at the"
                + " input's sample rate 16000 Hz):"
                + " 27360000 values, 109.4 MB of float32 a row, above the 16777216 values (67.1 MB) a row may hold;"
                + " the largest --env-sr that fits is 8000 Hz");
        assertThat(outDir).doesNotExist();
    }

    @ParameterizedTest
    @CsvSource({"seed, tf", "pycochleagram, py"})
    void matchesTheGoldenCochleagramsThroughTheCommandLine(String preset, String golden, @TempDir Path dir)
            throws Exception {
        Path python = ExternalTools.requirePythonWithH5py();
        Path wav = dir.resolve("seedlayout.hdf5");
        Path inputs = dir.resolve("inputs.npy");
        float[] rows = new float[INPUTS.length * 160_000];
        for (int i = 0; i < INPUTS.length; i++) {
            System.arraycopy(TestData.floats("golden/cochleagram/input_" + INPUTS[i]), 0, rows, i * 160_000, 160_000);
        }
        NpyArrays.writeFloat32(inputs, new int[] {INPUTS.length, 160_000}, rows);
        String script = String.join("\n",
                "import sys, h5py, numpy as np",
                "rows = np.load(sys.argv[2])",
                "with h5py.File(sys.argv[1], 'w') as f:",
                "    f.create_dataset('wav', data=rows.astype(np.float32))",
                "    lab = np.zeros((len(rows), 527), bool); lab[:, 0] = True",
                "    f.create_dataset('labels', data=lab)",
                "    f.attrs['size'] = len(rows)");
        ExternalTools.check(List.of(python.toString(), "-c", script, wav.toString(), inputs.toString()));

        // relative, as typed: every file written is named as given (the statistics were named absolute)
        Path outDir = Path.of("").toAbsolutePath().relativize(dir.resolve("out"));
        int code = AudioSetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "cochleagram",
                "--in", wav.toString(), "--out", outDir.toString(), "--preset", preset, "--threads", "2",
                "--progress", "log");
        assertThat(code).as(err.toString()).isZero();
        Path coch = outDir.resolve("seedlayout_Coch.hdf5");
        Path average = outDir.resolve("seedlayout_average.npy");
        assertThat(out.toString()).contains("wrote " + coch).contains("wrote " + average)
                .contains("wrote " + outDir.resolve("seedlayout_stats.npz"));
        try (var files = Files.list(outDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "seedlayout_Coch.hdf5", "seedlayout_average.npy", "seedlayout_stats.npz",
                    ".seedlayout_Coch.hdf5.inputs", ".seedlayout_stats.npz.inputs", // the records that keep them
                    ".seedlayout_Coch.hdf5.inputs.lock", ".seedlayout_stats.npz.inputs.lock", // held to the record
                    ".seedlayout_Coch.hdf5.lock", // held by the writer from its rename to its close
                    ".seedlayout_stats.npz.lock"); // held from the statistics' rename to their record
        }

        double[] sum = new double[171 * 2000];
        try (CochleagramFileReader reader = CochleagramFileReader.open(coch)) {
            assertThat(reader.size()).isEqualTo(INPUTS.length);
            assertThat(reader.channels()).isEqualTo(171);
            assertThat(reader.frames()).isEqualTo(2000);
            float[] row = new float[171 * 2000];
            for (int i = 0; i < INPUTS.length; i++) {
                reader.read(i, row);
                double[] ref = TestData.array("golden/cochleagram/coch_" + golden + "_" + INPUTS[i]).values();
                assertClose(row, ref, golden.equals("py") && INPUTS[i].equals("sine1k"), INPUTS[i]);
                assertThat(reader.labels(i)[0]).isEqualTo((byte) 1);
                for (int k = 0; k < row.length; k++) {
                    sum[k] += row[k];
                }
            }
        }
        double[] avg = NpyArrays.read(average).values();
        assertThat(avg).hasSize(sum.length);
        for (int k = 0; k < avg.length; k++) {
            assertThat(avg[k]).isCloseTo(sum[k] / INPUTS.length, org.assertj.core.data.Offset.offset(1e-6));
        }
        // A Python user opens the result as the seed's readme says.
        String check = String.join("\n",
                "import sys, h5py, numpy as np",
                "with h5py.File(sys.argv[1], 'r') as f:",
                "    c = f['coch']; assert c.dtype == np.float32 and c.shape == (4, 342000), (c.dtype, c.shape)",
                "    assert int(f.attrs['size']) == 4",
                "    x = np.reshape(c[2], (171, 2000)); assert np.isfinite(x).all() and x.max() > 0",
                "a = np.load(sys.argv[2], allow_pickle=False)",
                "assert a.dtype == np.float32 and a.shape == (171, 2000), (a.dtype, a.shape)",
                "print('ok')");
        assertThat(ExternalTools.check(List.of(python.toString(), "-c", check, coch.toString(), average.toString())))
                .contains("ok");
    }

    /** The golden README's tolerance: |d| <= 1e-5 |ref| + 1e-5 max|ref| (2e-5 max for pycochleagram's sine). */
    private static void assertClose(float[] actual, double[] ref, boolean roundOffFloor, String name) {
        double max = 0;
        for (double v : ref) {
            max = Math.max(max, Math.abs(v));
        }
        double atol = (roundOffFloor ? 2e-5 : 1e-5) * max;
        double worst = 0;
        int worstAt = -1;
        for (int k = 0; k < ref.length; k++) {
            double excess = Math.abs(actual[k] - ref[k]) - (1e-5 * Math.abs(ref[k]) + atol);
            if (excess > worst) {
                worst = excess;
                worstAt = k;
            }
        }
        assertThat(worstAt).as("%s: worst excess %.3g at channel %d frame %d", name, worst,
                worstAt / 2000, worstAt % 2000).isEqualTo(-1);
    }
}
