package io.github.audiosetdl.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.audio.PreparedAudio;
import io.github.audiosetdl.core.testing.ExternalTools;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link PannsFileReader}: files of {@link PannsFileWriter} and of h5py read back, other layouts refused. */
class PannsFileReaderTest {
    static final LabelIndex LABELS = LabelIndex.audioSet();
    static final int LEN = WaveformFileTest.LEN;
    static final double[] NORMS = {0.25, 0.7301, 1.6, 0};

    @TempDir
    Path dir;

    /** Writes 4 clips of {@link WaveformFileTest#samples} at 16 kHz, each at its level {@link #NORMS}. */
    private Path write() throws IOException {
        Path file = dir.resolve("t_panns.h5");
        try (PannsFileWriter w = PannsFileWriter.create(file, LABELS, 16_000, LEN)) {
            for (int i = 0; i < NORMS.length; i++) {
                w.write(WaveformFileTest.row(i), new PreparedAudio(WaveformFileTest.samples(i), NORMS[i], i == 1));
            }
            w.commit();
        }
        return file;
    }

    /** @return the int16 value the writer stores for sample {@code k} of clip {@code i} */
    private static short expected(int i, int k) {
        double v = Math.max(-1, Math.min(1, (double) (WaveformFileTest.samples(i)[k] * (float) NORMS[i])));
        return (short) Math.round(v * 32767);
    }

    @Test
    void readsBackWhatTheWriterWroteAsH5pyDoes() throws Exception {
        Path file = write();
        List<String> lines = new ArrayList<>();
        try (PannsFileReader r = PannsFileReader.open(file)) {
            assertThat(r.size()).isEqualTo(4);
            assertThat(r.sampleRate()).isEqualTo(16_000);
            assertThat(r.clipSamples()).isEqualTo(LEN);
            assertThat(r.labelCount()).isEqualTo(527);
            short[] pcm = new short[LEN];
            float[] x = new float[LEN];
            for (int i = 3; i >= 0; i--) { // in any order
                String id = WaveformFileTest.row(i).segment().ytid();
                assertThat(r.audioName(i)).isEqualTo("Y" + id + ".wav");
                assertThat(r.ytid(i)).isEqualTo(id);
                assertThat(LABELS.decode(r.labels(i))).containsExactlyElementsOf(
                        WaveformFileTest.row(i).segment().labelIds());
                r.read(i, pcm);
                r.read(i, x);
                long sum = 0;
                for (int k = 0; k < LEN; k++) {
                    assertThat(pcm[k]).as("clip %d sample %d", i, k).isEqualTo(expected(i, k));
                    assertThat(x[k]).isEqualTo((float) (pcm[k] / 32767.0));
                    sum += pcm[k];
                }
                lines.add(0, r.audioName(i) + " " + sum + " " + pcm[0] + " " + Float.floatToIntBits(x[LEN - 1]) + " "
                        + r.labels(i)[0] + "," + r.labels(i)[LABELS.indexOf("/t/dd00088")]);
            }
            assertThatThrownBy(() -> r.read(4, pcm)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("row 4 not in 0..3");
        }
        // h5py, as PANNs' data generator reads the file: int16_to_float32 is x / 32767. in float32
        String py = ExternalTools.check(List.of(ExternalTools.requirePythonWithH5py().toString(), "-c",
                String.join("\n", "import sys, h5py, numpy as np",
                        "f = h5py.File(sys.argv[1], 'r'); a = f['audio_name']; w = f['waveform']; t = f['target']",
                        "print(f.attrs['sample_rate'], w.dtype, w.shape, t.dtype, a.dtype)",
                        "for i in range(w.shape[0]):",
                        "    x = (w[i] / 32767.).astype(np.float32)",
                        "    print(a[i].decode(), int(w[i].astype(np.int64).sum()), w[i][0],"
                                + " int(x[-1:].view(np.int32)[0]),"
                                + " '%d,%d' % (t[i][0], t[i][" + LABELS.indexOf("/t/dd00088") + "]))"),
                file.toString()));
        List<String> java = new ArrayList<>(List.of("16000 int16 (4, " + LEN + ") bool |S20"));
        java.addAll(lines); // the float32 samples as their bits
        assertThat(py.strip().lines()).containsExactlyElementsOf(java);
    }

    /**
     * A file as PANNs' own {@code pack_waveforms_to_hdf5} writes it when clips of its CSV are missing: datasets sized
     * from the CSV (5 rows) and written only for the clips found (rows 0, 2 and 4), rows 1 and 3 left as h5py's fill
     * value (an empty name, zeros).
     */
    @Test
    void emptyRowsOfPannsOwnPackerAreToldAndHaveNoYtid() throws Exception {
        Path file = dir.resolve("missing_panns.h5");
        WaveformFileTest.h5py(file,
                "f.create_dataset('audio_name', shape=(5,), dtype='S20')",
                "f.create_dataset('waveform', shape=(5, 1000), dtype=np.int16)",
                "f.create_dataset('target', shape=(5, 527), dtype=bool)",
                "f.attrs.create('sample_rate', data=16000, dtype=np.int32)",
                "for n in (0, 2, 4):",
                "    f['audio_name'][n] = ('Y%011d.wav' % n).encode()",
                "    f['waveform'][n] = np.full(1000, n + 1, np.int16)",
                "    f['target'][n] = np.arange(527) == n");
        try (PannsFileReader r = PannsFileReader.open(file)) {
            assertThat(r.size()).isEqualTo(5);
            List<Boolean> empty = new ArrayList<>();
            for (long row = 0; row < r.size(); row++) {
                empty.add(r.isEmptyRow(row));
            }
            assertThat(empty).containsExactly(false, true, false, true, false);
            assertThat(r.ytid(2)).isEqualTo("00000000002");
            assertThat(r.audioName(3)).isEmpty();
            assertThatThrownBy(() -> r.ytid(3)).isInstanceOf(IOException.class)
                    .hasMessage(file + ": row 3 is an empty row (its audio_name is empty), as PANNs'"
                            + " pack_waveforms_to_hdf5 leaves for a missing clip, one it did not find: it has no"
                            + " YouTube id (isEmptyRow tells such rows, to skip them)");
            short[] pcm = new short[1000];
            r.read(1, pcm);
            assertThat(pcm).containsOnly((short) 0); // read as stored, as h5py reads them
            assertThat(r.labels(1)).containsOnly((byte) 0);
            assertThatThrownBy(() -> r.isEmptyRow(5)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining(file + ": row 5 not in 0..4");
        }
        Path ours = write(); // PannsFileWriter writes no empty row
        try (PannsFileReader r = PannsFileReader.open(ours)) {
            for (long row = 0; row < r.size(); row++) {
                assertThat(r.isEmptyRow(row)).as("row %d", row).isFalse();
            }
        }
    }

    @Test
    void theSeedLayoutIsRefusedNamingWhatIsMissing() throws IOException {
        Path seed = WaveformFileTest.writeRows(dir.resolve("seed.hdf5"), 2);
        assertThatThrownBy(() -> PannsFileReader.open(seed)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(seed + ": no dataset /waveform")
                .hasMessageContaining("(this is a seed-layout waveform file, /wav: WaveformFileReader reads it)")
                .hasMessageNotContaining("cochleagram");
    }

    /** h5py's low-level calls writing {@code d} as dataset {@code name}, compact unless it is /target. */
    private static final String COMPACT = String.join("\n",
            "    space = h5py.h5s.create_simple(d.shape); plist = h5py.h5p.create(h5py.h5p.DATASET_CREATE)",
            "    if name != 'target': plist.set_layout(h5py.h5d.COMPACT)",
            "    dsid = h5py.h5d.create(f.id, name.encode(), h5py.h5t.py_create(d.dtype), space, plist)",
            "    dsid.write(h5py.h5s.ALL, h5py.h5s.ALL, d)");

    /**
     * {@link PannsFileReader#audioNames(long, int)} and {@link PannsFileReader#labels(long, int)} give what
     * {@link PannsFileReader#audioName} and {@link PannsFileReader#labels(long)} give row by row, on a file h5py writes
     * contiguous, chunked (h5py's own chunks, chunks of rows not dividing N, a chunk per row) or compressed, with empty
     * rows, in blocks of {@link PannsFileReader#blockRows()} (a multiple of the chunks' rows) and of other sizes.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            contiguous      | {}                                       | 1003
            h5py's chunks   | dict(chunks=True)                        | 1003
            gzip            | dict(chunks=True, compression='gzip')    | 1003
            odd chunks      | chunks((7, 5), (7,), (7, 20))            | 203
            a chunk per row | chunks((1, 527), (1,), (1, 20))          | 300
            compact         | {}                                       | 40
            """)
    void blockReadsGiveWhatRowReadsGive(String layout, String options, int rows) throws Exception {
        Path file = dir.resolve("block_panns.h5");
        WaveformFileTest.h5py(file,
                "n = " + rows + "; rng = np.random.default_rng(3)",
                "names = np.array([b'' if i % 17 == 3 else b'Y%011d.wav' % i for i in range(n)], dtype='S20')",
                "data = {'audio_name': names, 'target': rng.random((n, 527)) < 0.01,"
                        + " 'waveform': rng.integers(-9, 9, (n, 20), dtype=np.int16)}",
                "f.attrs['sample_rate'] = 100",
                "chunks = lambda t, a, w: dict(chunks={'target': t, 'audio_name': a, 'waveform': w}[name])",
                "for name, d in data.items():",
                "    o = " + options,
                layout.equals("compact") ? COMPACT : "    f.create_dataset(name, data=d, **o)");
        try (PannsFileReader r = PannsFileReader.open(file)) {
            assertSameAsRowByRow(r, layout);
        }
        try (PannsFileReader r = PannsFileReader.open(write())) { // ours: contiguous
            assertSameAsRowByRow(r, "PannsFileWriter's");
        }
    }

    private static void assertSameAsRowByRow(PannsFileReader r, String layout) throws IOException {
        int n = Math.toIntExact(r.size());
        List<String> names = new ArrayList<>();
        byte[] labels = new byte[n * r.labelCount()];
        for (int row = 0; row < n; row++) {
            names.add(r.audioName(row));
            System.arraycopy(r.labels(row), 0, labels, row * r.labelCount(), r.labelCount());
        }
        int block = r.blockRows();
        assertThat(block).as(layout).isBetween(1, Math.max(1, n));
        for (int size : new int[] {block, 1, 13, n}) {
            List<String> blockNames = new ArrayList<>();
            byte[] blockLabels = new byte[labels.length];
            for (int row = 0; row < n; row += size) {
                int k = Math.min(size, n - row);
                blockNames.addAll(r.audioNames(row, k));
                byte[] t = r.labels(row, k);
                assertThat(t).hasSize(k * r.labelCount());
                System.arraycopy(t, 0, blockLabels, row * r.labelCount(), t.length);
            }
            assertThat(blockNames).as("%s, blocks of %d", layout, size).isEqualTo(names);
            assertThat(blockLabels).as("%s, blocks of %d", layout, size).isEqualTo(labels);
        }
        assertThat(r.audioNames(n, 0)).isEmpty();
        assertThatThrownBy(() -> r.audioNames(n - 1, 2)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining(r.path() + ": rows " + (n - 1) + " + 2 not in 0.." + (n - 1));
        assertThatThrownBy(() -> r.labels(-1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    /**
     * Files h5py writes that are not the PANNs layout: each is refused with the file's name and what is wrong. The
     * first row is PANNs' own layout (a control: it opens).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ok          | pass                                |
            floatwave   | w = w.astype(np.float32)            | /waveform is float32 (3, 1000), not int16 (N, samples)
            floattarget | t = t.astype(np.float32)            | /target is float32 (3, 527), not bool (N, labels)
            notarget    | t = None                            | no dataset /target: not a PANNs file
            noname      | a = None                            | no dataset /audio_name: not a PANNs file
            intname     | a = np.zeros(3, np.int64)           | /audio_name is int64 (3), not a fixed-length string (N,)
            fewtargets  | t = np.zeros((4, 527), bool)        | /waveform has 3 rows, /target 4 and /audio_name 3: the
            fewnames    | a = a[:2]                           | /audio_name has 2 rows, fewer than the 3 rows
            onedim      | w = np.zeros(3000, np.int16)        | /waveform is not a 2-D float32, float64 or int16 dataset
            norate      | rate = None                         | attribute sample_rate is missing, not a whole number
            badrate     | rate = 2.5                          | attribute sample_rate is '2.5', not a whole number of Hz
            toolong     | w = np.zeros((3, 161700), np.int16) | rows of 161700 samples are longer than 10.1 s at 16000
            """)
    void aFileThatIsNotThePannsLayoutIsRefusedSayingWhatIsWrong(String name, String arrays, String message)
            throws Exception {
        Path file = dir.resolve(name + "_panns.h5");
        WaveformFileTest.h5py(file, "rate = 16000; w = np.zeros((3, 1000), np.int16); t = np.zeros((3, 527), bool)",
                "a = np.array([b'Y1.wav'] * 3, 'S20')", arrays,
                "f.create_dataset('waveform', data=w)",
                "if t is not None: f.create_dataset('target', data=t)",
                "if a is not None: f.create_dataset('audio_name', data=a)",
                "if rate is not None: f.attrs.create('sample_rate', rate)");
        if (message == null) {
            try (PannsFileReader r = PannsFileReader.open(file)) {
                assertThat(r.size()).isEqualTo(3);
                assertThat(r.sampleRate()).isEqualTo(16_000);
                assertThat(r.audioName(2)).isEqualTo("Y1.wav");
                assertThatThrownBy(() -> r.ytid(2)).isInstanceOf(IOException.class)
                        .hasMessage(file + ": row 2: audio_name 'Y1.wav' is not Y<id>.wav with an 11-character"
                                + " YouTube id");
            }
            return;
        }
        assertThatThrownBy(() -> PannsFileReader.open(file)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + ": ").hasMessageContaining(message);
    }
}
