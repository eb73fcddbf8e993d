package io.github.audiosetdl.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.Shard;
import io.github.audiosetdl.core.pipeline.FeatureStage;
import io.github.audiosetdl.core.pipeline.FeatureSummary;
import io.github.audiosetdl.core.spi.FeatureExtractor;
import io.github.audiosetdl.core.spi.FeatureSink;
import io.github.audiosetdl.core.spi.WaveformSource;
import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.hdf5.internal.RowFileReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CochleagramFileTest {
    static final int C = 3;
    static final int F = 4;

    @TempDir
    Path dir;

    /**
     * A toy "cochleagram" in {@code /coch}, declaring its shape as the cochleagram does: channel c, frame f = mean
     * of the f-th quarter of the row times (c + 1).
     */
    static final FeatureExtractor TOY = FeatureExtractor.of("toy", "coch", WaveformFileTest.LEN, 100, C, F,
            Map.of("channels", C, "frames", F, "low_lim", 50, "mode", "test"), () -> (wav, out) -> {
                int q = wav.length / F;
                for (int f = 0; f < F; f++) {
                    double s = 0;
                    for (int k = f * q; k < (f + 1) * q; k++) {
                        s += wav[k];
                    }
                    for (int c = 0; c < C; c++) {
                        out[c * F + f] = (float) (s / q * (c + 1));
                    }
                }
            });

    Path computed(int n) throws IOException {
        Path wav = WaveformFileTest.writeRows(dir.resolve("t.hdf5"), n);
        try (WaveformSource source = Hdf5DatasetStore.INSTANCE.openWaveforms(wav)) {
            return computed(source, TOY);
        }
    }

    /** Computes {@code extractor} over {@code source} into {@code t_Coch.hdf5}. */
    Path computed(WaveformSource source, FeatureExtractor extractor) throws IOException {
        Path coch = dir.resolve("t_Coch.hdf5");
        try (FeatureSink sink = Hdf5DatasetStore.INSTANCE.createFeatures(coch, source, extractor)) {
            FeatureSummary s = FeatureStage.builder().extractor(extractor).threads(2).build().run(source, sink);
            assertThat(s.files()).containsExactly(coch, dir.resolve("t_average.npy"));
        }
        return coch;
    }

    @Test
    void aFeatureIsStoredUnderTheDatasetAndAttributesItDeclares() throws IOException {
        FeatureExtractor mfcc = FeatureExtractor.of("mfcc", WaveformFileTest.LEN, 100, 2, 5, Map.of("bands", 2),
                () -> (wav, out) -> Arrays.fill(out, wav[0]));
        Path wav = WaveformFileTest.writeRows(dir.resolve("t.hdf5"), 2);
        Path file;
        try (WaveformSource source = WaveformFileReader.open(wav)) {
            file = computed(source, mfcc);
        }
        try (RowFileReader r = RowFileReader.open(file, "mfcc")) {
            assertThat(r.size()).isEqualTo(2);
            assertThat(r.rowLength()).isEqualTo(10);
            assertThat(r.mainAttributes()).containsOnlyKeys("feature", "input_length", "sample_rate", "bands")
                    .containsEntry("feature", "mfcc");
        }
        // the default reader of cochleagrams, or the waveform reader, given it: the message says where the rows are
        assertThatThrownBy(() -> CochleagramFileReader.open(file)).hasMessage(file + ": no dataset /coch (this is a"
                + " feature file whose rows are in /mfcc: CochleagramFileReader.open(file, \"mfcc\") reads them)");
        assertThatThrownBy(() -> WaveformFileReader.open(file)).hasMessageEndingWith(": no dataset /wav (this is a"
                + " feature file whose rows are in /mfcc: CochleagramFileReader.open(file, \"mfcc\") reads them)");
        // and given the waveform file (as render --in is, by mistake): the message says what to give instead
        assertThatThrownBy(() -> CochleagramFileReader.open(wav)).hasMessage(wav + ": no dataset /coch (this is a"
                + " waveform file, /wav: give the cochleagram file computed from it, which 'audioset cochleagram --in'"
                + " makes)");
        try (CochleagramFileReader r = CochleagramFileReader.open(file, "mfcc")) { // the public reader of it
            assertThat(r.dataset()).isEqualTo("mfcc");
            assertThat(r.size()).isEqualTo(2);
            assertThat(r.channels()).isEqualTo(1);
            assertThat(r.frames()).isEqualTo(10);
            assertThat(r.attributes()).containsEntry("bands", 2);
            float[] row = new float[10];
            r.read(1, row);
            float[] wav1 = new float[WaveformFileTest.LEN];
            try (WaveformFileReader w = WaveformFileReader.open(wav)) {
                w.read(1, wav1);
            }
            float[] expected = new float[10];
            Arrays.fill(expected, wav1[0]);
            assertThat(row).containsExactly(expected);
        }
        assertThatThrownBy(() -> CochleagramFileReader.open(file, "../mfcc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'../mfcc'");
        FeatureExtractor x = FeatureExtractor.of("x", WaveformFileTest.LEN, 100, 1, 1, Map.of(),
                () -> (in, out) -> out[0] = 0);
        // an implementation of its own, which of() does not check: x's parts under the dataset name "labels"
        FeatureExtractor clash = (FeatureExtractor) java.lang.reflect.Proxy.newProxyInstance(
                FeatureExtractor.class.getClassLoader(), new Class<?>[] {FeatureExtractor.class},
                (proxy, method, args) -> method.getName().equals("dataset") ? "labels" : method.invoke(x, args));
        try (WaveformSource source = WaveformFileReader.open(wav)) {
            assertThatThrownBy(() -> CochleagramFileWriter.create(dir.resolve("x.hdf5"), source, clash))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'labels'");
        }
        // one of its own that declares a sample_rate not its rate: it would replace the one the file records
        FeatureExtractor rate = (FeatureExtractor) java.lang.reflect.Proxy.newProxyInstance(
                FeatureExtractor.class.getClassLoader(), new Class<?>[] {FeatureExtractor.class},
                (proxy, method, args) -> method.getName().equals("attributes") ? Map.of("sample_rate", 8_000)
                        : method.invoke(x, args));
        try (WaveformSource source = WaveformFileReader.open(wav)) {
            assertThatThrownBy(() -> CochleagramFileWriter.create(dir.resolve("x.hdf5"), source, rate))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attribute 'sample_rate'")
                    .hasMessageContaining("'8000'").hasMessageContaining("'100'");
        }
    }

    @Test
    void aDeclaredShapeTheReaderWouldRefuseFailsBeforeAnythingIsComputed() throws IOException {
        Path wav = WaveformFileTest.writeRows(dir.resolve("t.hdf5"), 2);
        Path coch = dir.resolve("t_Coch.hdf5");
        List<Map<String, Object>> wrong = List.of(Map.of("channels", C, "frames", F + 1), Map.of("channels", C),
                Map.of("channels", C, "frames", "four"));
        for (Map<String, Object> attributes : wrong) {
            FeatureExtractor typo = FeatureExtractor.of("toy", "coch", WaveformFileTest.LEN, 100, C, F, attributes,
                    () -> (in, out) -> Arrays.fill(out, 1f));
            try (WaveformSource source = WaveformFileReader.open(wav)) {
                assertThatThrownBy(() -> CochleagramFileWriter.create(coch, source, typo))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(coch.toString())
                        .hasMessageContaining("channels '" + C + "'").hasMessageContaining(C + " x " + F);
                assertThatThrownBy(() -> FeatureFileParts.createPart(coch, source, typo, Shard.of(0, 2)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channels '" + C + "'");
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactlyInAnyOrder(wav, dir.resolve("t_metadata.npy"),
                    dir.resolve(".t.hdf5.lock"));
        }
        // a flattened row may declare any (channels, frames) of its length: the reader reads it
        FeatureExtractor flat = FeatureExtractor.of("flat", "coch", WaveformFileTest.LEN, 100, 1, C * F,
                Map.of("channels", C, "frames", F), () -> (in, out) -> Arrays.fill(out, 1f));
        try (WaveformSource source = WaveformFileReader.open(wav)) {
            computed(source, flat);
        }
        try (CochleagramFileReader r = CochleagramFileReader.open(coch)) {
            assertThat(r.channels()).isEqualTo(C);
            assertThat(r.frames()).isEqualTo(F);
        }
    }

    /**
     * A feature of its own dataset name declares its shape as /coch does, and is read back by
     * {@code CochleagramFileReader.open(file, dataset)}: a shape that does not describe its rows is refused before
     * anything is computed (it wrote every row into a file that reader refused).
     */
    @Test
    void aWrongDeclaredShapeOfAnyDatasetFailsBeforeAnythingIsComputed() throws IOException {
        Path wav = WaveformFileTest.writeRows(dir.resolve("t.hdf5"), 2);
        Path file = dir.resolve("t_Coch.hdf5");
        FeatureExtractor typo = FeatureExtractor.of("mfcc", WaveformFileTest.LEN, 100, C, F,
                Map.of("channels", C, "frames", F + 1), () -> (in, out) -> Arrays.fill(out, 1f));
        try (WaveformSource source = WaveformFileReader.open(wav)) {
            assertThatThrownBy(() -> CochleagramFileWriter.create(file, source, typo))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(file.toString())
                    .hasMessageContaining("channels '" + C + "'").hasMessageContaining(C + " x " + F);
            assertThatThrownBy(() -> FeatureFileParts.createPart(file, source, typo, Shard.of(0, 2)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channels '" + C + "'");
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void aReadAfterCloseNamesTheFile() throws IOException {
        Path coch = computed(2);
        CochleagramFileReader features = CochleagramFileReader.open(coch);
        features.close();
        WaveformFileReader waveforms = WaveformFileReader.open(dir.resolve("t.hdf5"));
        waveforms.close();
        List<ThrowingCallable> reads = List.of(() -> features.read(0, new float[C * F]), features::average,
                () -> features.labels(0), () -> features.metadata(0),
                () -> waveforms.read(0, new float[WaveformFileTest.LEN]), () -> waveforms.labels(0),
                () -> waveforms.metadata(0));
        for (ThrowingCallable read : reads) {
            assertThatThrownBy(read).isInstanceOf(IOException.class).hasMessageContaining("closed")
                    .hasMessageContaining(dir.toString());
        }
    }

    @Test
    void labelsAreCopiedFromAnySourceWhoseRowsCarryThem() throws IOException {
        Path wav = WaveformFileTest.writeRows(dir.resolve("t.hdf5"), 3);
        Path coch;
        try (WaveformFileReader file = WaveformFileReader.open(wav)) {
            // a source of the library user's own, not a WaveformFileReader: rows and labels only
            WaveformSource own = new WaveformSource() {
                @Override
                public Path path() {
                    return file.path();
                }

                @Override
                public long size() {
                    return file.size();
                }

                @Override
                public int rowLength() {
                    return file.rowLength();
                }

                @Override
                public int sampleRate() {
                    return file.sampleRate();
                }

                @Override
                public void read(long row, float[] into) throws IOException {
                    file.read(row, into);
                }

                @Override
                public int labelCount() {
                    return file.labelCount();
                }

                @Override
                public byte[] labels(long row) throws IOException {
                    return file.labels(row);
                }

                @Override
                public void close() {
                }
            };
            coch = computed(own, TOY);
        }
        try (CochleagramFileReader r = CochleagramFileReader.open(coch)) {
            assertThat(r.hasMetadata()).isFalse();
            for (int i = 0; i < 3; i++) {
                assertThat(WaveformFileTest.LABELS.decode(r.labels(i)))
                        .containsExactlyInAnyOrderElementsOf(WaveformFileTest.row(i).segment().labelIds());
            }
        }
    }

    @Test
    void aSelectionOfAWaveformFileKeepsTheSelectedRowsWithTheirLabelsAndMetadata() throws IOException {
        Path wav = WaveformFileTest.writeRows(dir.resolve("t.hdf5"), 4);
        Path coch;
        try (WaveformFileReader file = WaveformFileReader.open(wav)) {
            WaveformFileReader selected = file.select(new long[] {3, 1});
            assertThat(selected.select(new long[] {1}).ytid(0)).isEqualTo(WaveformFileTest.row(1).segment().ytid());
            assertThatThrownBy(() -> selected.select(new long[] {2})).isInstanceOf(IndexOutOfBoundsException.class);
            coch = computed(selected, TOY);
        }
        try (CochleagramFileReader r = CochleagramFileReader.open(coch)) {
            assertThat(r.size()).isEqualTo(2);
            float[] row = new float[C * F];
            int[] rows = {3, 1};
            for (int i = 0; i < 2; i++) {
                r.read(i, row);
                assertThat(row).containsExactly(expected(rows[i]));
                assertThat(r.metadata(i).ytid()).isEqualTo(WaveformFileTest.row(rows[i]).segment().ytid());
                assertThat(WaveformFileTest.LABELS.decode(r.labels(i)))
                        .containsExactlyInAnyOrderElementsOf(WaveformFileTest.row(rows[i]).segment().labelIds());
            }
        }
    }

    static float[] expected(int row) {
        float[] out = new float[C * F];
        TOY.newWorker().compute(WaveformFileTest.samples(row), out);
        return out;
    }

    @Test
    void roundTripsRowsLabelsMetadataAndAverage() throws IOException {
        Path coch = computed(4);
        try (CochleagramFileReader r = CochleagramFileReader.open(coch)) {
            assertThat(r.size()).isEqualTo(4);
            assertThat(r.channels()).isEqualTo(C);
            assertThat(r.frames()).isEqualTo(F);
            assertThat(r.attributes()).containsEntry("feature", "toy").containsEntry("low_lim", 50)
                    .containsEntry("mode", "test");
            float[] row = new float[C * F];
            float[] mean = new float[C * F];
            for (int i = 0; i < 4; i++) {
                r.read(i, row);
                assertThat(row).containsExactly(expected(i));
                for (int k = 0; k < mean.length; k++) {
                    mean[k] += expected(i)[k] / 4;
                }
                assertThat(r.metadata(i).ytid()).isEqualTo(WaveformFileTest.row(i).segment().ytid());
                assertThat(WaveformFileTest.LABELS.decode(r.labels(i)))
                        .containsExactlyInAnyOrderElementsOf(WaveformFileTest.row(i).segment().labelIds());
            }
            assertThat(r.average()).containsExactly(mean, org.assertj.core.data.Offset.offset(1e-6f));
            assertThat(NpyFiles.readFloat32(dir.resolve("t_average.npy")).values())
                    .containsExactly(r.average());
            assertThat(NpyFiles.readFloat32(dir.resolve("t_average.npy")).shape()).containsExactly(C, F);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("t.hdf5",
                    "t_metadata.npy", "t_Coch.hdf5", "t_average.npy", ".t.hdf5.lock", ".t_Coch.hdf5.lock");
        }
    }

    @Test
    void attributesTooLargeForTheHeaderAreaFailWithoutOutput() throws IOException {
        Path wav = WaveformFileTest.writeRows(dir.resolve("t.hdf5"), 1);
        Map<String, Object> huge = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 400; i++) {
            huge.put("p" + i, "x".repeat(4000));
        }
        FeatureExtractor big = FeatureExtractor.of("big", WaveformFileTest.LEN, 100, C, F, huge,
                () -> (in, out) -> java.util.Arrays.fill(out, 1f));
        Path coch = dir.resolve("t_Coch.hdf5");
        try (WaveformSource source = WaveformFileReader.open(wav);
                FeatureSink sink = CochleagramFileWriter.create(coch, source, big)) {
            assertThatThrownBy(() -> FeatureStage.builder().extractor(big).threads(1).build().run(source, sink))
                    .isInstanceOf(IOException.class).hasMessageContaining("t_Coch.hdf5")
                    .hasMessageContaining("header area");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("t.hdf5",
                    "t_metadata.npy", ".t.hdf5.lock");
        }
    }

    @Test
    void h5pyReadsTheCochleagramFile() throws Exception {
        Path python = ExternalTools.requirePythonWithH5py();
        Path coch = computed(3);
        String script = String.join("\n",
                "import sys, h5py, numpy as np",
                "f = h5py.File(sys.argv[1], 'r')",
                "c = f['coch']",
                "print('coch', c.dtype, c.shape, int(c.attrs['channels']), int(c.attrs['frames']),"
                        + " c.attrs['feature'], int(c.attrs['low_lim']), int(f.attrs['size']))",
                "print('row', np.reshape(c[1], (3, 4))[2, 3])",
                "print('labels', f['labels'].shape, sorted(f['meta'].keys())[0])",
                "a = np.load(sys.argv[2], allow_pickle=False)",
                "print('avg', a.dtype, a.shape, bool(np.allclose(a, f['average'][...])),"
                        + " bool(np.allclose(a, c[...].mean(axis=0).reshape(3, 4), atol=1e-6)))");
        String out = ExternalTools.check(List.of(python.toString(), "-c", script, coch.toString(),
                dir.resolve("t_average.npy").toString()));
        assertThat(out).contains("coch float32 (3, 12) 3 4 b'toy' 50 3")
                .contains("row " + expected(1)[2 * F + 3])
                .contains("labels (3, 527) csv_row")
                .contains("avg float32 (3, 4) True True");
    }

    /**
     * The labels of a seed-layout file h5py writes, {@code /labels} contiguous, chunked (chunks of rows not dividing
     * N, or one per row) or compressed, are copied into the cochleagram file as they are: read in blocks of rows
     * ({@link WaveformFileReader#labels(long, int)}), which give what row reads give, here and through a selection.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dict()", "dict(chunks=(7, 527))", "dict(chunks=True, compression='gzip')",
        "dict(chunks=(1, 527))"})
    void labelsOfAnH5pyFileAreCopiedInBlocksAsTheyAre(String options) throws Exception {
        int n = 50;
        Path file = dir.resolve("seed.hdf5");
        WaveformFileTest.h5py(file, "n = " + n + "; rng = np.random.default_rng(5)",
                "f.attrs['sample_rate'] = 100",
                "f.create_dataset('wav', data=rng.standard_normal((n, " + WaveformFileTest.LEN
                        + ")).astype(np.float32))",
                "f.create_dataset('labels', data=rng.random((n, 527)) < 0.05, **" + options + ")");
        Path coch = dir.resolve("seed_Coch.hdf5");
        try (WaveformFileReader source = WaveformFileReader.open(file);
                FeatureSink sink = Hdf5DatasetStore.INSTANCE.createFeatures(coch, source, TOY)) {
            FeatureStage.builder().extractor(TOY).threads(1).build().run(source, sink);
        }
        try (WaveformFileReader source = WaveformFileReader.open(file);
                CochleagramFileReader r = CochleagramFileReader.open(coch)) {
            int width = source.labelCount();
            byte[] rowByRow = new byte[n * width];
            for (int i = 0; i < n; i++) {
                System.arraycopy(source.labels(i), 0, rowByRow, i * width, width);
                assertThat(r.labels(i)).as("%s: row %d", options, i).isEqualTo(source.labels(i));
            }
            assertThat(rowByRow).as("some labels set").contains((byte) 1);
            int block = source.labelBlockRows();
            assertThat(block).isBetween(1, n);
            for (int size : new int[] {block, 1, 13, n}) {
                byte[] blocks = new byte[n * width];
                for (int row = 0; row < n; row += size) {
                    byte[] b = source.labels(row, Math.min(size, n - row));
                    System.arraycopy(b, 0, blocks, row * width, b.length);
                }
                assertThat(blocks).as("%s: blocks of %d", options, size).isEqualTo(rowByRow);
            }
            WaveformFileReader some = source.select(new long[] {4, 2, 49});
            byte[] expected = new byte[3 * width];
            System.arraycopy(rowByRow, 4 * width, expected, 0, width);
            System.arraycopy(rowByRow, 2 * width, expected, width, width);
            System.arraycopy(rowByRow, 49 * width, expected, 2 * width, width);
            assertThat(some.labels(0, 3)).isEqualTo(expected);
            assertThat(some.labels(3, 0)).isEmpty();
            assertThatThrownBy(() -> some.labels(2, 2)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessage(file + ": rows 2 + 2 not in 0..2");
            assertThatThrownBy(() -> source.labels(-1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }
}
