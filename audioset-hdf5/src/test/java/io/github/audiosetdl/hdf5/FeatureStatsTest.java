package io.github.audiosetdl.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.pipeline.FeatureStage;
import io.github.audiosetdl.core.spi.FeatureSink;
import io.github.audiosetdl.core.spi.WaveformSource;
import io.github.audiosetdl.core.testing.ExternalTools;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FeatureStats} against numpy's mean, std, cov and eigh on the same file. */
class FeatureStatsTest {
    @TempDir
    Path dir;

    /** Writes X_Coch.hdf5 with h5py: correlated channels around large offsets, as compressed envelopes are. */
    private Path cochleagrams(Path python, int n, int channels, int frames) throws Exception {
        Path file = dir.resolve("X_Coch.hdf5");
        ExternalTools.check(List.of(python.toString(), "-c", String.join("\n",
                "import sys, h5py, numpy as np",
                "n, c, f = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])",
                "rng = np.random.default_rng(18)",
                "mix = rng.normal(size=(c, c)) / np.sqrt(c)",
                "x = np.einsum('ij,njt->nit', mix, rng.normal(size=(n, c, f))) + 100 + np.arange(c)[None, :, None]",
                "x += 0.3 * np.sin(np.arange(f) / 7.0)[None, None, :]",
                "with h5py.File(sys.argv[1], 'w') as h:",
                "    d = h.create_dataset('coch', data=x.reshape(n, c * f).astype(np.float32))",
                "    d.attrs['channels'] = c; d.attrs['frames'] = f; h.attrs['size'] = n"),
                file.toString(), Integer.toString(n), Integer.toString(channels), Integer.toString(frames)));
        return file;
    }

    private static FeatureStats statsOf(Path file) throws IOException {
        try (CochleagramFileReader in = CochleagramFileReader.open(file)) {
            return FeatureStats.compute(in);
        }
    }

    @Test
    void matchesNumpyWithin1e6Relative() throws Exception {
        Path python = ExternalTools.requirePythonWithH5py();
        Path file = cochleagrams(python, 37, 12, 50);
        FeatureStats stats = statsOf(file);
        assertThat(stats.clips()).isEqualTo(37);
        try (CochleagramFileReader in = CochleagramFileReader.open(file)) {
            FeatureStats threaded = FeatureStats.compute(in, 3);
            assertThat(threaded.cov()).containsExactly(stats.cov());
            assertThat(threaded.pcaVectors()).containsExactly(stats.pcaVectors());
        }
        double[] values = stats.pcaValues();
        for (int i = 1; i < values.length; i++) {
            assertThat(values[i]).isLessThanOrEqualTo(values[i - 1]);
        }
        Path npz = FeatureStats.statsFile(file, dir);
        assertThat(npz.getFileName().toString()).isEqualTo("X_stats.npz");
        stats.writeNpz(npz);
        String out = ExternalTools.check(List.of(python.toString(), "-c", String.join("\n",
                "import sys, h5py, numpy as np",
                "h = h5py.File(sys.argv[1], 'r'); d = h['coch']",
                "c, f = int(d.attrs['channels']), int(d.attrs['frames'])",
                "x = d[:].astype(np.float64).reshape(-1, c, f)",
                "s = np.load(sys.argv[2], allow_pickle=False)",
                "print('keys', sorted(s.files), s['mean'].shape, s['cov'].shape, s['mean'].dtype)",
                "obs = x.transpose(1, 0, 2).reshape(c, -1)",
                "cov = np.cov(obs)",
                "w, v = np.linalg.eigh(cov); w = w[::-1]; v = v[:, ::-1]",
                "def rel(a, b): return float(np.abs(a - b).max() / np.abs(b).max())",
                "vs = s['pca_vectors'] * np.sign(np.sum(s['pca_vectors'] * v, axis=0))[None, :]",
                "for name, a, b in [('mean', s['mean'], x.mean(axis=0)),",
                "        ('channel_mean', s['channel_mean'], obs.mean(axis=1)),",
                "        ('channel_std', s['channel_std'], obs.std(axis=1)), ('cov', s['cov'], cov),",
                "        ('pca_values', s['pca_values'], w), ('pca_vectors', vs, v)]:",
                "    r = rel(a, b); print(name, 'ok' if r <= 1e-6 else 'off by %g' % r)"),
                file.toString(), npz.toString()));
        assertThat(out).contains("keys ['channel_mean', 'channel_std', 'cov', 'mean', 'pca_values', 'pca_vectors']"
                + " (12, 50) (12, 12) float64");
        for (String name : new String[] {"mean", "channel_mean", "channel_std", "cov", "pca_values", "pca_vectors"}) {
            assertThat(out).as(out).contains(name + " ok");
        }
    }

    /** Statistics written twice (a rerun that only writes the missing statistics) are the same bytes. */
    @Test
    void theSameStatisticsAreTheSameBytesWhenEverTheyAreWritten() throws Exception {
        Path python = ExternalTools.requirePythonWithH5py();
        FeatureStats stats = statsOf(cochleagrams(python, 3, 2, 5));
        Path npz = dir.resolve("X_stats.npz");
        stats.writeNpz(npz);
        try (ZipFile zip = new ZipFile(npz.toFile())) {
            assertThat(zip.stream().map(ZipEntry::getTimeLocal)).hasSize(6)
                    .allSatisfy(t -> assertThat(t).isEqualTo(LocalDateTime.of(1980, 1, 1, 0, 0)));
        }
        byte[] first = Files.readAllBytes(npz);
        stats.writeNpz(npz);
        assertThat(Files.readAllBytes(npz)).isEqualTo(first);
    }

    @Test
    void aValueThatIsNotFiniteIsNamedByRowAndChannel() throws Exception {
        Path python = ExternalTools.requirePythonWithH5py();
        for (String bad : List.of("nan", "inf", "-inf")) {
            Path file = cochleagrams(python, 3, 4, 10);
            ExternalTools.check(List.of(python.toString(), "-c",
                    "import sys, h5py; h5py.File(sys.argv[1], 'a')['coch'][1, 2 * 10 + 5] = float(sys.argv[2])",
                    file.toString(), bad));
            try (CochleagramFileReader in = CochleagramFileReader.open(file)) {
                assertThatThrownBy(() -> FeatureStats.compute(in, 2)).as(bad).isInstanceOf(IOException.class)
                        .hasMessageContaining(file.toString()).hasMessageContaining("row 1, channel 2")
                        .hasMessageContaining("not finite");
            }
        }
    }

    @Test
    void channelsAndFramesMayBeOneElementArraysButNotFractionsOrHalfMissing() throws Exception {
        Path python = ExternalTools.requirePythonWithH5py();
        Path file = cochleagrams(python, 3, 4, 10);
        ExternalTools.check(List.of(python.toString(), "-c", String.join("\n", "import sys, h5py, numpy as np",
                "d = h5py.File(sys.argv[1], 'a')['coch']",
                "d.attrs['channels'] = np.array([4]); d.attrs['frames'] = np.array([10])"), file.toString()));
        try (CochleagramFileReader in = CochleagramFileReader.open(file)) {
            assertThat(in.channels()).isEqualTo(4);
            assertThat(in.frames()).isEqualTo(10);
        }
        for (String change : List.of("d.attrs['channels'] = 4.5; d.attrs['frames'] = 8.888888888888889",
                "del d.attrs['frames']", "d.attrs['channels'] = 2**32 + 4")) {
            ExternalTools.check(List.of(python.toString(), "-c", String.join("\n", "import sys, h5py",
                    "d = h5py.File(sys.argv[1], 'a')['coch']", change), file.toString()));
            assertThatThrownBy(() -> CochleagramFileReader.open(file).close()).as(change)
                    .isInstanceOf(IOException.class).hasMessageContaining(file.toString())
                    .hasMessageContaining("not a whole number of");
            cochleagrams(python, 3, 4, 10);
        }
    }

    @Test
    void refusesAnEmptyFile() throws Exception {
        Path python = ExternalTools.requirePythonWithH5py();
        Path file = cochleagrams(python, 1, 3, 4);
        ExternalTools.check(List.of(python.toString(), "-c",
                "import sys, h5py; h5py.File(sys.argv[1], 'a').attrs['size'] = 0",
                file.toString()));
        try (CochleagramFileReader in = CochleagramFileReader.open(file)) {
            assertThatThrownBy(() -> FeatureStats.compute(in)).isInstanceOf(IOException.class)
                    .hasMessageContaining("too few");
        }
        assertThat(Files.exists(dir.resolve("X_stats.npz"))).isFalse();
    }
    @Test
    void aFullDiskWhileWritingTheNpzNamesTheFileAndLeavesNothing() throws Exception {
        Path full = FeatureFilePartsTest.devFull();
        Path wav = WaveformFileTest.writeRows(dir.resolve("t.hdf5"), 5);
        Path coch = dir.resolve("t_Coch.hdf5");
        FeatureStage stage = FeatureStage.builder().extractor(CochleagramFileTest.TOY).threads(1).build();
        try (WaveformSource source = Hdf5DatasetStore.INSTANCE.openWaveforms(wav);
                FeatureSink sink = Hdf5DatasetStore.INSTANCE.createFeatures(coch, source, stage.extractor())) {
            stage.run(source, sink);
        }
        FeatureStats stats;
        try (CochleagramFileReader in = CochleagramFileReader.open(coch)) {
            stats = FeatureStats.compute(in);
        }
        Path npz = FeatureStats.statsFile(coch, dir);
        assertThatThrownBy(() -> stats.writeNpz(npz, tmp -> FileChannel.open(full, StandardOpenOption.WRITE)))
                .isInstanceOf(IOException.class)
                .hasMessage(npz + ": writing failed: No space left on device");
        assertThat(npz).doesNotExist();
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no staging folder left")
                    .containsExactlyInAnyOrder("t.hdf5", "t_metadata.npy", "t_Coch.hdf5", "t_average.npy",
                            ".t.hdf5.lock", ".t_Coch.hdf5.lock"); // the writers' locks: empty, kept
        }
    }
}
