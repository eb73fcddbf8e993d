package io.github.audiosetdl.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.AudioSetException;
import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.audio.PreparedAudio;
import io.github.audiosetdl.core.testing.ExternalTools;
import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WaveformFileTest {
    static final LabelIndex LABELS = LabelIndex.audioSet();
    static final int LEN = 1000;

    @TempDir
    Path dir;

    static SegmentRow row(int i) {
        String id = String.format("-id%08d", i).substring(0, 11);
        List<String> mids = i % 2 == 0 ? List.of("/m/09x0r") : List.of("/m/09x0r", "/t/dd00088");
        return new SegmentRow(i * 3L, i + 4L, new Segment(id, 30_000L + i * 1000L, 40_000L + i * 1000L, mids));
    }

    static float[] samples(int i) {
        Random r = new Random(i);
        float[] x = new float[LEN];
        for (int k = 0; k < LEN; k++) {
            x[k] = r.nextFloat() * 2 - 1;
        }
        return x;
    }

    static Path writeRows(Path file, int n) throws IOException {
        try (WaveformFileWriter w = WaveformFileWriter.create(file, LABELS, 100, LEN)) {
            for (int i = 0; i < n; i++) {
                w.write(row(i), new PreparedAudio(samples(i), i == 2 ? 0 : 0.25 * i, i == 1));
            }
            assertThat(w.size()).isEqualTo(n);
            assertThat(w.commit()).containsExactly(file, WaveformFileWriter.metadataFile(file));
        }
        return file;
    }

    @Test
    void roundTripsThroughOurReaderAndJhdf() throws IOException {
        Path file = writeRows(dir.resolve("t.hdf5"), 5);
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("t.hdf5",
                    "t_metadata.npy", ".t.hdf5.lock"); // the lock file of its name: empty, kept
        }
        try (WaveformFileReader r = WaveformFileReader.open(file)) {
            assertThat(r.size()).isEqualTo(5);
            assertThat(r.rowLength()).isEqualTo(LEN);
            assertThat(r.sampleRate()).isEqualTo(100);
            assertThat(r.labelCount()).isEqualTo(527);
            float[] row = new float[LEN];
            for (int i = 4; i >= 0; i--) {
                r.read(i, row);
                assertThat(row).containsExactly(samples(i));
                assertThat(LABELS.decode(r.labels(i))).containsExactlyInAnyOrderElementsOf(row(i).segment().labelIds());
                ClipMetadata m = r.metadata(i);
                assertThat(m.ytid()).isEqualTo(row(i).segment().ytid());
                assertThat(m.startSeconds()).isEqualTo(30.0 + i);
                assertThat(m.endSeconds()).isEqualTo(40.0 + i);
                assertThat(m.labels()).isEqualTo(String.join(",", row(i).segment().labelIds()));
                assertThat(m.norm()).isEqualTo(i == 2 ? 0 : 0.25 * i);
                assertThat(m.padded()).isEqualTo(i == 1);
                assertThat(m.csvRow()).isEqualTo(i * 3L);
            }
            assertThatThrownBy(() -> r.read(5, row)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("row 5");
            assertThatThrownBy(() -> r.read(1, new float[LEN - 1])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(file + ": an array of " + (LEN - 1) + " values cannot hold row 1 of " + LEN);
        }
        try (HdfFile hdf = new HdfFile(file)) {
            float[][] wav = (float[][]) hdf.getDatasetByPath("wav").getData();
            assertThat(wav).hasDimensions(5, LEN);
            assertThat(wav[3]).containsExactly(samples(3));
            assertThat(hdf.getAttribute("size").getData()).isEqualTo(5L);
            assertThat(hdf.getAttribute("sample_rate").getData()).isEqualTo(100);
            assertThat(hdf.getAttribute("clip_seconds").getData()).isEqualTo(10);
            int[][] labels = (int[][]) hdf.getDatasetByPath("labels").getData(); // jhdf widens uint8
            byte[] expected = LABELS.encode(row(1).segment().labelIds());
            for (int k = 0; k < 527; k++) {
                assertThat(labels[1][k]).as("label %d", k).isEqualTo(expected[k]);
            }
            assertThat((String[]) hdf.getDatasetByPath("meta/ytid").getData()).startsWith(row(0).segment().ytid());
            assertThat((double[]) hdf.getDatasetByPath("meta/end").getData()).containsExactly(40, 41, 42, 43, 44);
        }
        assertThat(Hdf5Inspector.inspect(file)).anySatisfy(node -> {
            assertThat(node.path()).isEqualTo("/wav");
            assertThat(node.dataType()).isEqualTo("float32");
            assertThat(node.shape()).containsExactly(5L, (long) LEN);
        });
        List<ClipMetadata> npy = new ArrayList<>();
        assertThat(NpyFiles.readMetadata(dir.resolve("t_metadata.npy"), npy::add)).isEqualTo(5);
        assertThat(npy.get(4)).isEqualTo(new ClipMetadata(row(4).segment().ytid(), 34, 44, "/m/09x0r", 1.0, false, -1));
    }

    @Test
    void h5pyAndNumpyReadTheFilesAsTheContractSays() throws Exception {
        Path python = ExternalTools.requirePythonWithH5py();
        Path file = writeRows(dir.resolve("t.hdf5"), 3);
        String script = String.join("\n",
                "import sys, h5py, numpy as np",
                "f = h5py.File(sys.argv[1], 'r')",
                "w = f['wav']; l = f['labels']",
                "print('wav', w.dtype, w.shape, 'labels', l.dtype, l.shape)",
                "print('attrs', int(f.attrs['size']), int(f.attrs['sample_rate']), int(f.attrs['clip_seconds']))",
                "m = f['meta']",
                "print('meta', sorted(m.keys()))",
                "print('ytid', m['ytid'][1].decode(), m['start'].dtype, m['start'][2], m['norm'][1], m['padded'][1],"
                        + " m['csv_row'][2], m['labels'][1].decode())",
                "print('sum', float(np.abs(w[2]).sum()), int(l[1].astype(bool).sum()))",
                "a = np.load(sys.argv[2], allow_pickle=False)",
                "print('npy', a.dtype.names, a.dtype['YTID'], a.dtype['labels'], a.dtype['start'], a.shape)",
                "print('npyrow', a[2]['YTID'].decode(), a[2]['start'], a[2]['end'], a[1]['labels'].decode(),"
                        + " a[1]['norm'], a[1]['padded'])");
        String out = ExternalTools.check(List.of(python.toString(), "-c", script, file.toString(),
                dir.resolve("t_metadata.npy").toString()));
        double sum = 0;
        for (float v : samples(2)) {
            sum += Math.abs(v);
        }
        assertThat(out).contains("wav float32 (3, 1000) labels uint8 (3, 527)")
                .contains("attrs 3 100 10")
                .contains("meta ['csv_row', 'end', 'labels', 'norm', 'padded', 'start', 'ytid']")
                .contains("ytid " + row(1).segment().ytid() + " float64 32.0 0.25 1 6 /m/09x0r,/t/dd00088")
                .contains("npy ('YTID', 'start', 'end', 'labels', 'norm', 'padded') |S20 |S1000 int32 (3,)")
                .contains("npyrow " + row(2).segment().ytid() + " 32 42 /m/09x0r,/t/dd00088 0.25 1");
        String printed = out.lines().filter(l -> l.startsWith("sum ")).findFirst().orElseThrow();
        assertThat(Double.parseDouble(printed.split(" ")[1])).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-2));
        assertThat(printed.split(" ")[2]).isEqualTo("2");
    }

    @Test
    void h5dumpReadsTheFile() throws Exception {
        Path h5dump = ExternalTools.require("h5dump");
        Path file = writeRows(dir.resolve("t.hdf5"), 2);
        String header = ExternalTools.check(List.of(h5dump.toString(), "-H", file.toString()));
        assertThat(header).contains("DATASET \"wav\"").contains("H5T_IEEE_F32LE")
                .contains("DATASPACE  SIMPLE { ( 2, 1000 ) / ( 2, 1000 ) }")
                .contains("DATASET \"labels\"").contains("H5T_STD_U8LE")
                .contains("ATTRIBUTE \"size\"").contains("GROUP \"meta\"");
        String ytid = ExternalTools.check(List.of(h5dump.toString(), "-d", "/meta/ytid", file.toString()));
        assertThat(ytid).contains(row(1).segment().ytid());
    }

    @Test
    void closeWithoutCommitLeavesNothing() throws IOException {
        Path file = dir.resolve("t.hdf5");
        try (WaveformFileWriter w = WaveformFileWriter.create(file, LABELS, 100, LEN)) {
            w.write(row(0), new PreparedAudio(samples(0), 1, false));
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void zeroRowsMakeAValidEmptyFile() throws IOException {
        Path file = writeRows(dir.resolve("t.hdf5"), 0);
        try (WaveformFileReader r = WaveformFileReader.open(file)) {
            assertThat(r.size()).isZero();
        }
    }

    @Test
    void badInputsAreRejectedWithTheirValue() throws IOException {
        Path file = dir.resolve("t.hdf5");
        try (WaveformFileWriter w = WaveformFileWriter.create(file, LABELS, 100, LEN)) {
            assertThatThrownBy(() -> w.write(row(0), new PreparedAudio(new float[10], 1, false)))
                    .hasMessageContaining("10 samples, expected 1000");
            SegmentRow unknown = new SegmentRow(0, 1, new Segment("abcdefghijk", 0, 10_000, List.of("/m/nope")));
            assertThatThrownBy(() -> w.write(unknown, new PreparedAudio(samples(0), 1, false)))
                    .isInstanceOf(AudioSetException.class).hasMessageContaining("/m/nope");
        }
        Files.writeString(dir.resolve("junk.hdf5"), "not hdf5");
        assertThatThrownBy(() -> WaveformFileReader.open(dir.resolve("junk.hdf5")))
                .isInstanceOf(IOException.class).hasMessageContaining("junk.hdf5");
        assertThatThrownBy(() -> WaveformFileReader.open(dir.resolve("missing.hdf5")))
                .isInstanceOf(IOException.class).hasMessageContaining("missing.hdf5");
    }

    @Test
    void readsChunkedCompressedAndFloat64SeedFilesAsH5pyDoes() throws Exception {
        Path python = ExternalTools.requirePythonWithH5py();
        Path chunked = dir.resolve("chunked.hdf5");
        Path wide = dir.resolve("float64.hdf5");
        // As h5repack -f GZIP or h5py's chunks=/compression= leave a seed file: chunks that do not divide the
        // shape (edge chunks), deflate and shuffle, bool labels chunked too, size as a one-element array.
        ExternalTools.check(List.of(python.toString(), "-c", String.join("\n",
                "import sys, h5py, numpy as np",
                "def row(i, n): return (((np.arange(n) * 7 + i * 13) % 1000) / 1000.0)",
                "f = h5py.File(sys.argv[1], 'w')",
                "w = f.create_dataset('wav', (20, 160000), dtype=np.float32, chunks=(7, 30000),",
                "                     compression='gzip', shuffle=True)",
                "l = f.create_dataset('labels', (20, 527), dtype=bool, chunks=(5, 100), compression='gzip')",
                "for i in range(20):",
                "    w[i] = row(i, 160000).astype(np.float32)",
                "    x = np.zeros(527, bool); x[i] = True; x[526 - i] = True; l[i] = x",
                "f.attrs['size'] = np.array([18])",
                "f.close()",
                "g = h5py.File(sys.argv[2], 'w')",
                "g.create_dataset('wav', data=np.stack([row(i, 1000) for i in range(3)]))",
                "g.close()"), chunked.toString(), wide.toString()));
        try (WaveformFileReader r = WaveformFileReader.open(chunked)) {
            assertThat(r.size()).isEqualTo(18);
            float[] got = new float[160_000];
            for (int i : new int[] {0, 6, 7, 13, 17}) {
                r.read(i, got);
                assertThat(Arrays.mismatch(got, expectedRow(i, 160_000))).as("row %d", i).isEqualTo(-1);
                assertThat(LABELS.decode(r.labels(i))).containsExactlyInAnyOrder(LABELS.get(i).mid(),
                        LABELS.get(526 - i).mid());
            }
            assertThatThrownBy(() -> r.read(18, got)).isInstanceOf(IndexOutOfBoundsException.class);
        }
        try (WaveformFileReader r = WaveformFileReader.open(wide)) {
            assertThat(r.size()).isEqualTo(3);
            assertThat(r.rowLength()).isEqualTo(1000);
            float[] got = new float[1000];
            r.read(2, got);
            assertThat(Arrays.mismatch(got, expectedRow(2, 1000))).isEqualTo(-1);
        }
    }

    /** {@code float32(((j·7 + i·13) mod 1000) / 1000)}, as the script above writes row {@code i}. */
    private static float[] expectedRow(int i, int n) {
        float[] out = new float[n];
        for (int j = 0; j < n; j++) {
            out[j] = (float) (((j * 7L + i * 13L) % 1000) / 1000.0);
        }
        return out;
    }

    @Test
    void readsTheSeedsMetadataNpyInEitherByteOrderAndRefusesOtherDtypes() throws Exception {
        Path python = ExternalTools.requirePythonWithH5py();
        ExternalTools.check(List.of(python.toString(), "-c", String.join("\n",
                "import sys, os, numpy as np",
                "dt = np.dtype(dict(names=['YTID', 'start', 'end', 'labels', 'norm', 'padded'],",
                "                   formats=['|S20', 'i4', 'i4', '|S1000', 'f8', 'b']))",
                "rows = [(b'--abc123def', 30, 40, b'/m/09x0r,/m/04rlf', 1234.5, 1),",
                "        (b'zzzzzzzzzzz', 0, 10, b'', 0.0, 0)]",
                "np.save(os.path.join(sys.argv[1], 'le.npy'), np.array(rows, dtype=dt.newbyteorder('<')))",
                "np.save(os.path.join(sys.argv[1], 'be.npy'), np.array(rows, dtype=dt.newbyteorder('>')))",
                "other = np.dtype(dict(names=['YTID', 'start', 'end', 'labels', 'norm', 'padded'],",
                "                      formats=['|S20', 'f4', 'i4', '|S1000', 'f8', 'b']))",
                "np.save(os.path.join(sys.argv[1], 'other.npy'), np.zeros(1, dtype=other))"), dir.toString()));
        for (String name : new String[] {"le.npy", "be.npy"}) {
            List<ClipMetadata> got = new ArrayList<>();
            assertThat(NpyFiles.readMetadata(dir.resolve(name), got::add)).as(name).isEqualTo(2);
            assertThat(got).as(name).containsExactly(
                    new ClipMetadata("--abc123def", 30, 40, "/m/09x0r,/m/04rlf", 1234.5, true, -1),
                    new ClipMetadata("zzzzzzzzzzz", 0, 10, "", 0.0, false, -1));
        }
        assertThatThrownBy(() -> NpyFiles.readMetadata(dir.resolve("other.npy"), m -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("other.npy")
                .hasMessageContaining("not a seed metadata array").hasMessageContaining("'<f4'");
    }

    /** Writes {@code file} with h5py: {@code lines} run with {@code f} open for writing, then it is closed. */
    static void h5py(Path file, String... lines) throws Exception {
        ExternalTools.h5py(file, lines);
    }

    @Test
    void rowsNeverWrittenReadAsTheFillValueAsH5pyReadsThem() throws Exception {
        // h5py allocates a contiguous dataset's storage at its first write: a /wav created but never written has no
        // data address, and h5py reads its rows as the fill value (0). They were read from byte 0 of the file.
        Path file = dir.resolve("unwritten.hdf5");
        h5py(file, "f.create_dataset('wav', (4, 1000), dtype=np.float32)",
                "f.create_dataset('labels', data=np.ones((4, 527), bool))");
        try (WaveformFileReader r = WaveformFileReader.open(file)) {
            assertThat(r.size()).isEqualTo(4);
            float[] row = new float[1000];
            for (int i = 0; i < 4; i++) {
                Arrays.fill(row, 7f);
                r.read(i, row);
                assertThat(row).as("row %d", i).containsOnly(0f);
            }
            assertThat(r.labels(3)).containsOnly((byte) 1);
        }
        Path filled = dir.resolve("unwritten-filled.hdf5");
        h5py(filled, "f.create_dataset('wav', (4, 1000), dtype=np.float32, fillvalue=0.5)");
        assertThatThrownBy(() -> WaveformFileReader.open(filled)).isInstanceOf(IOException.class)
                .hasMessageContaining("unwritten-filled.hdf5").hasMessageContaining("never written");
        Path none = dir.resolve("no-rows-filled.hdf5"); // no row to read: its fill value does not matter
        h5py(none, "f.create_dataset('wav', (0, 1000), dtype=np.float32, fillvalue=0.5)");
        try (WaveformFileReader r = WaveformFileReader.open(none)) {
            assertThat(r.size()).isZero();
        }
    }

    @Test
    void rowsNeverStoredAreReadAsZerosOnlyUpTo64Mb() throws Exception {
        // Chunks never written read as zeros, as h5py reads them: 2 of 4 rows here
        Path some = dir.resolve("some_chunks.hdf5");
        h5py(some, "d = f.create_dataset('wav', (4, 1000), dtype=np.float32, chunks=(1, 500), compression='gzip')",
                "d[1] = 0.25", "d[2, :500] = 0.5");
        try (WaveformFileReader r = WaveformFileReader.open(some)) {
            float[] row = new float[1000];
            r.read(1, row);
            assertThat(row).containsOnly(0.25f);
            r.read(3, row);
            assertThat(row).containsOnly(0f);
        }
        // A small file declaring 2^20 rows of 1 s whose chunks were (nearly) never written: 64 GB of zeros
        Path most = dir.resolve("most_unstored.hdf5");
        h5py(most, "d = f.create_dataset('wav', (2**20, 16000), dtype=np.float32, chunks=(1, 16000),"
                + " compression='gzip')", "d[2**20 - 1] = 1");
        assertThatThrownBy(() -> WaveformFileReader.open(most)).isInstanceOf(IOException.class)
                .hasMessageContaining("most_unstored.hdf5")
                .hasMessageContaining("/wav declares 1048576 rows of 64000 bytes, but only 1 of the 1048576 chunks")
                .hasMessageContaining("64 MB");
        Path none = dir.resolve("never_written_rows.hdf5");
        h5py(none, "f.create_dataset('wav', (2**20, 16000), dtype=np.float32)");
        assertThatThrownBy(() -> WaveformFileReader.open(none)).isInstanceOf(IOException.class)
                .hasMessageContaining("never_written_rows.hdf5").hasMessageContaining("none of them is stored");
        // the rows filled are what count: rows beyond size may be missing
        Path sized = dir.resolve("sized.hdf5");
        h5py(sized, "d = f.create_dataset('wav', (2**20, 16000), dtype=np.float32, chunks=(1, 16000),"
                + " compression='gzip')", "d[0:2] = 0.5", "f.attrs['size'] = 2");
        try (WaveformFileReader r = WaveformFileReader.open(sized)) {
            assertThat(r.size()).isEqualTo(2);
        }
    }

    @Test
    void aCompactDatasetIsReadRowByRow() throws Exception {
        // HDF5 keeps a compact dataset (under 64 kB) in its header; jhdf slices none, and the first row read failed
        // with "Compact datasets don't support slice reading" though the reader said it reads them
        Path file = dir.resolve("compact.hdf5");
        h5py(file, "dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)", "dcpl.set_layout(h5py.h5d.COMPACT)",
                "d = h5py.Dataset(h5py.h5d.create(f.id, b'wav', h5py.h5t.IEEE_F32LE,"
                        + " h5py.h5s.create_simple((3, 1000)), dcpl=dcpl))",
                "d[...] = np.array([[0.25] * 1000, [-0.5] * 1000, [1.0] * 1000], dtype=np.float32)",
                "assert d.id.get_create_plist().get_layout() == h5py.h5d.COMPACT");
        try (WaveformFileReader r = WaveformFileReader.open(file)) {
            float[] row = new float[1000];
            r.read(1, row);
            assertThat(row).containsOnly(-0.5f);
            r.read(2, row);
            assertThat(row).containsOnly(1.0f);
            r.read(0, row);
            assertThat(row).containsOnly(0.25f);
        }
    }

    @Test
    void aSizeThatIsNotAWholeNumberIsRefusedNamingTheFile() throws Exception {
        Path file = dir.resolve("oddsize.hdf5");
        h5py(file, "f.create_dataset('wav', (4, 1000), dtype=np.float32)", "f.attrs['size'] = np.array([1, 2])");
        assertThatThrownBy(() -> WaveformFileReader.open(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("oddsize.hdf5").hasMessageContaining("attribute size is an array of 2 values");
    }

    @Test
    void readsTheSeedsOwnH5pyFiles() throws Exception {
        Path python = ExternalTools.requirePythonWithH5py();
        Path file = dir.resolve("seed.hdf5");
        String script = String.join("\n",
                "import sys, h5py, numpy as np",
                "f = h5py.File(sys.argv[1], 'w')",
                "w = f.create_dataset('wav', (4, 160000), dtype=np.float32)",
                "l = f.create_dataset('labels', (4, 527), dtype=bool)",
                "for i in range(3):",
                "    w[i] = np.arange(160000, dtype=np.float32) * (i + 1) / 160000.0",
                "    x = [False] * 527; x[i] = True; x[100 + i] = True; l[i] = x",
                "f.attrs.create('size', 3)",
                "f.close()");
        ExternalTools.check(List.of(python.toString(), "-c", script, file.toString()));
        try (WaveformFileReader r = WaveformFileReader.open(file)) {
            assertThat(r.size()).isEqualTo(3);
            assertThat(r.sampleRate()).isEqualTo(16_000);
            assertThat(r.hasMetadata()).isFalse();
            float[] row = new float[160_000];
            r.read(2, row);
            assertThat(row[159_999]).isEqualTo(159_999f * 3 / 160_000f);
            byte[] labels = r.labels(1);
            assertThat(LABELS.decode(labels)).containsExactly(LABELS.get(1).mid(), LABELS.get(101).mid());
            assertThatThrownBy(() -> r.metadata(0)).hasMessageContaining("no /meta");
            assertThatThrownBy(() -> r.read(3, row)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }
}
