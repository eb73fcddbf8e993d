package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.hdf5.CochleagramFileReader;
import io.github.audiosetdl.hdf5.WaveformFileReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audioset demo}: the offline demo ends with every file of the contract, as our readers see them (with
 * the bundled ffmpeg when none is installed), and as h5py and numpy see them (where they are installed).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoCommandTest {
    @TempDir
    static Path dir;

    static Path demo;

    @BeforeAll
    static void runTheDemo() {
        ExternalTools.requireFfmpeg();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        demo = dir.resolve("demo-out");
        int code = AudioSetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "demo", "--out",
                demo.toString(), "--resolver", "direct", "--progress", "log");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("demo_segments.hdf5").contains("demo_segments_Coch.hdf5")
                .contains("demo_segments_stats.npz").contains("import h5py, numpy as np");
    }

    /**
     * The demo run again into the same folder keeps its pack and cochleagrams, which are up to date, and says so:
     * before, it failed ("java.util.NoSuchElementException: No value present", exit 1) once the pipeline kept them.
     * Last: it logs the failures again, which the other tests count.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void aSecondDemoKeepsWhatIsUpToDate() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AudioSetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "demo", "--out",
                demo.toString(), "--resolver", "direct", "--progress", "log");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("26 already there")
                .contains("pack:          up to date, kept: " + demo.resolve("demo_segments.hdf5"))
                .contains("cochleagram:   up to date, kept: " + demo.resolve("demo_segments_Coch.hdf5"))
                .contains("demo_segments_stats.npz").contains("demo_segments_row0.png");
    }

    @Test
    void demoWritesEveryFile() throws Exception {
        // 28 segments: 2 fail on purpose (404, HTML page), one video ends 5 s into its segment (kept, short).
        String errorLog = Files.readString(demo.resolve("logs/demo_segments_errorlogs/errorLog_0.csv"));
        assertThat(errorLog.lines().skip(1)).hasSize(2).allSatisfy(l -> assertThat(l).contains(",permanent,"));
        assertThat(errorLog).contains("1NkUBIl2Plw").contains("02Ak1eIyj3M");
        String goodLog = Files.readString(demo.resolve("logs/demo_segments_goodlogs/goodLog_0.csv"));
        assertThat(goodLog.lines().skip(1)).hasSize(26);
        assertThat(goodLog.lines().filter(l -> l.startsWith("DUmXpq-Cksg"))).singleElement()
                .satisfies(l -> assertThat(l).contains("short"));
        try (WaveformFileReader wav = WaveformFileReader.open(demo.resolve("demo_segments.hdf5"))) {
            assertThat(wav.size()).isEqualTo(26);
            assertThat(wav.rowLength()).isEqualTo(160_000);
            assertThat(wav.metadata(0).ytid()).isEqualTo("-0p7hKXZ1ww");
        }
        try (CochleagramFileReader coch = CochleagramFileReader.open(demo.resolve("demo_segments_Coch.hdf5"))) {
            assertThat(coch.size()).isEqualTo(26);
            assertThat(coch.channels() * coch.frames()).isEqualTo(342_000);
        }
        assertThat(Files.size(demo.resolve("demo_segments_metadata.npy"))).isPositive();
        assertThat(Files.size(demo.resolve("demo_segments_average.npy"))).isGreaterThan(171 * 2000 * 4);
        assertThat(javax.imageio.ImageIO.read(demo.resolve("demo_segments_row0.png").toFile()).getWidth())
                .isGreaterThan(400);
    }

    @Test
    void pythonOpensThem() throws Exception {
        Path python = ExternalTools.requirePythonWithH5py();
        String check = String.join("\n",
                "import sys, h5py, numpy as np",
                "d = sys.argv[1]",
                "with h5py.File(d + '/demo_segments.hdf5', 'r') as f:",
                "    n = int(f.attrs['size'])",
                "    assert n == 26, n",
                "    w = f['wav']; assert w.dtype == np.float32 and w.shape == (n, 160000), (w.dtype, w.shape)",
                "    x = w[:]; peaks = np.abs(x).max(axis=1); assert np.allclose(peaks, 1, atol=1e-6), peaks",
                "    lab = f['labels']; assert lab.dtype == np.uint8 and lab.shape == (n, 527)",
                "    assert (lab[:].astype(bool).sum(axis=1) >= 1).all()",
                "    ids = [i.decode() for i in f['meta/ytid'][:]]",
                "    assert ids[0] == '-0p7hKXZ1ww' and '1NkUBIl2Plw' not in ids, ids",
                "    short = ids.index('DUmXpq-Cksg'); assert f['meta/padded'][short] == 1",
                "    assert np.abs(x[short, 80000 + 800:]).max() == 0",
                "m = np.load(d + '/demo_segments_metadata.npy', allow_pickle=False)",
                "assert len(m) == 26 and m['YTID'][0].decode() == '-0p7hKXZ1ww', m[:2]",
                "with h5py.File(d + '/demo_segments_Coch.hdf5', 'r') as f:",
                "    c = f['coch']; assert c.dtype == np.float32 and c.shape == (26, 342000), c.shape",
                "    assert int(f.attrs['size']) == 26 and f['labels'].shape == (26, 527)",
                "    x = c[:].reshape(26, 171, 2000).astype(np.float64); mean = x.mean(axis=0)",
                "a = np.load(d + '/demo_segments_average.npy', allow_pickle=False)",
                "assert a.shape == (171, 2000) and a.dtype == np.float32 and np.allclose(a, mean, atol=1e-5)",
                "s = np.load(d + '/demo_segments_stats.npz', allow_pickle=False)",
                "assert np.allclose(s['mean'], mean, rtol=1e-6, atol=0), 'mean'",
                "frames = x.transpose(1, 0, 2).reshape(171, -1)",
                "assert np.allclose(s['channel_mean'], frames.mean(axis=1), rtol=1e-6, atol=0), 'channel_mean'",
                "cov = np.cov(frames)",
                "assert np.allclose(s['cov'], cov, rtol=1e-6, atol=1e-9 * np.abs(cov).max()), 'cov'",
                "print('ok')");
        assertThat(ExternalTools.check(List.of(python.toString(), "-c", check, demo.toString()))).contains("ok");
    }
}
