package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.audiosetdl.core.audio.WavEncoding;
import io.github.audiosetdl.core.audio.WavWriter;
import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.webdataset.WebDatasetClip;
import io.github.audiosetdl.core.webdataset.WebDatasetReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return AudioSetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void listsDatasetsTypesShapesAndAttributesOfAnH5pyFile(@TempDir Path dir) throws Exception {
        Path python = ExternalTools.requirePythonWithH5py();
        Path file = dir.resolve("seed.hdf5");
        String script = String.join("\n",
                "import sys, h5py, numpy as np",
                "with h5py.File(sys.argv[1], 'w') as f:",
                "    f.create_dataset('wav', data=np.zeros((3, 160), np.float32))",
                "    f.create_dataset('labels', data=np.zeros((3, 527), bool))",
                "    f.attrs['size'] = 2",
                "    f.attrs['z'] = np.array([1.5 + 2j], np.complex64)[0]",
                "    f.create_group('meta').create_dataset('ytid', data=np.array([b'-0p7hKXZ1ww'] * 3))");
        ExternalTools.check(List.of(python.toString(), "-c", script, file.toString()));

        assertThat(run("inspect", file.toString())).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("@size = 2")
                .contains("@z = {r=[1.5], i=[2.0]}")
                .containsPattern("/wav\\s+float32\\s+\\(3, 160\\)")
                .containsPattern("/labels\\s+enum\\s+\\(3, 527\\)")
                .containsPattern("/meta/ytid\\s+\\|S11\\s+\\(3,\\)")
                .doesNotContain("PANNs");
    }

    /** Four clips packed by the pack stage, clip 3 only 5 s long (padded), with one to two labels each. */
    private Path downloads(Path dir) throws IOException {
        Path downloads = PackCommandTest.downloads(dir, 4);
        WavWriter.write(downloads.resolve("demo_downloads_1/YT_" + PackCommandTest.id(3) + ".wav"), 44_100,
                new float[1][44_100 * 5], WavEncoding.PCM_16);
        String[] labels = {"/m/04rlf,/m/09x0r", "/m/04rlf", "/m/09x0r,/m/04rlf", "/m/0bt9lr"};
        StringBuilder csv = new StringBuilder("# YTID, start_seconds, end_seconds, positive_labels\n");
        for (int i = 0; i < labels.length; i++) {
            csv.append(PackCommandTest.id(i)).append(", ").append(i).append(".000, ").append(i + 10)
                    .append(".000, \"").append(labels[i]).append("\"\n");
        }
        Files.writeString(dir.resolve("demo.csv"), csv);
        return downloads;
    }

    private int pack(Path dir, Path downloads, Path csv, String out, String... more) {
        List<String> args = new ArrayList<>(List.of("pack", "--downloads", downloads.toString(), "--csv",
                csv.toString(), "--out", dir.resolve(out).toString(), "--threads", "2", "--progress", "log"));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void summarisesAWebDatasetShardOrEveryShardOfAName(@TempDir Path dir) throws IOException {
        Path downloads = downloads(dir);
        assertThat(pack(dir, downloads, dir.resolve("demo.csv"), "wds", "--format", "webdataset", "--shard-size",
                "3")).as(err.toString()).isZero();
        Path shard = dir.resolve("wds/demo-000000.tar");
        WebDatasetClip first;
        try (WebDatasetReader r = WebDatasetReader.open(shard)) {
            first = r.next().orElseThrow();
        }

        out.getBuffer().setLength(0);
        assertThat(run("inspect", "--in", shard.toString())).as(err.toString()).isZero();
        assertThat(out.toString())
                .startsWith(shard + ": WebDataset, 1 shard\n")
                .containsPattern("clips:\\s+3\n")
                .containsPattern("sample rate:\\s+16000 Hz\n")
                .containsPattern("samples per clip:\\s+160000 \\(10.000 s\\)\n")
                .containsPattern("strong events:\\s+not known")
                .containsPattern("first clip:\\s+" + first.key() + " \\(demo-000000.tar\\)\n")
                .contains("  " + first.json().strip() + "\n");

        out.getBuffer().setLength(0);
        assertThat(run("inspect", dir.resolve("wds/demo").toString())).as(err.toString()).isZero();
        assertThat(out.toString())
                .startsWith(shard + " .. demo-000001.tar: WebDataset, 2 shards\n")
                .containsPattern("clips:\\s+4\n")
                .containsPattern("padded:\\s+1 of 4 clips\n")
                .containsPattern("channels:\\s+1\n")
                .containsPattern("labels:\\s+3 distinct; most frequent: /m/04rlf Music \\(3\\), /m/09x0r Speech"
                        + " \\(2\\), /m/0bt9lr Dog \\(1\\)\n");
        assertThat(err.toString()).isEmpty();
    }

    /**
     * Inspect counts at most 100,000 distinct labels. The smallest input that passes the cap: two shards written by
     * Python's tarfile, the first of two clips with 100,000 distinct labels in all (each JSON under the reader's 1 MB),
     * the second of one clip naming a counted label and two others, which are not counted.
     */
    @Test
    void theCapOnDistinctLabelsIsNamedWithTheClipAndShardPastIt(@TempDir Path dir) throws Exception {
        String script = String.join("\n",
                "import sys, io, json, tarfile, wave",
                "def wav():",
                "    b = io.BytesIO(); w = wave.open(b, 'wb'); w.setnchannels(1); w.setsampwidth(2)",
                "    w.setframerate(16000); w.writeframes(bytes(320)); w.close(); return b.getvalue()",
                "def add(tar, key, labels):",
                "    j = json.dumps({'ytid': key, 'start': 0.0, 'end': 10.0, 'labels': labels,",
                "                    'names': ['Speech' if m == '/m/09x0r' else '' for m in labels], 'norm': 0.5,",
                "                    'padded': False}).encode()",
                "    for ext, data in (('wav', wav()), ('json', j)):",
                "        m = tarfile.TarInfo(key + '.' + ext); m.size = len(data); tar.addfile(m, io.BytesIO(data))",
                "with tarfile.open(sys.argv[1] + '-000000.tar', 'w', format=tarfile.USTAR_FORMAT) as tar:",
                "    add(tar, 'clipAAAAAAA', ['/m/09x0r'] + ['l%05d' % i for i in range(49999)])",
                "    add(tar, 'clipBBBBBBB', ['/m/09x0r'] + ['l%05d' % i for i in range(49999, 99999)])",
                "with tarfile.open(sys.argv[1] + '-000001.tar', 'w', format=tarfile.USTAR_FORMAT) as tar:",
                "    add(tar, 'clipCCCCCCC', ['late1', '/m/09x0r', 'late2'])");
        ExternalTools.check(List.of(ExternalTools.require("python3").toString(), "-c", script,
                dir.resolve("many").toString()));

        Path first = dir.resolve("many-000000.tar");
        assertThat(run("inspect", first.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("labels:\\s+100000 distinct; most frequent: /m/09x0r Speech"
                + " \\(2\\), l00000  \\(1\\), l00001  \\(1\\), l00002  \\(1\\), l00003  \\(1\\)\n");

        out.getBuffer().setLength(0);
        assertThat(run("inspect", dir.resolve("many").toString())).as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("clips:\\s+3\n").contains("labels:           more than 100000"
                + " distinct: inspect counts the first 100000 only (its cap), and 2 occurrences of other labels, from"
                + " clip clipCCCCCCC of " + dir.resolve("many-000001.tar") + " on, were not counted; most frequent"
                + " counted: /m/09x0r Speech (3), l00000  (1), l00001  (1), l00002  (1), l00003  (1)\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void strongEventsOfAShardAreCounted(@TempDir Path dir) throws IOException {
        Path downloads = PackCommandTest.downloads(dir, 2);
        Path strong = Files.writeString(dir.resolve("strong.tsv"),
                "segment_id\tstart_time_seconds\tend_time_seconds\tlabel\n"
                + PackCommandTest.id(0) + "_0\t0.000\t1.000\t/m/09x0r\n"
                + PackCommandTest.id(0) + "_0\t2.000\t3.000\t/m/04rlf\n"
                + PackCommandTest.id(1) + "_1000\t0.000\t1.000\t/m/04rlf\n");
        assertThat(pack(dir, downloads, strong, "wds", "--format", "webdataset")).as(err.toString()).isZero();
        out.getBuffer().setLength(0);
        assertThat(run("inspect", "--in", dir.resolve("wds/strong-000000.tar").toString())).as(err.toString())
                .isZero();
        assertThat(out.toString()).containsPattern("strong events:\\s+known for 2 of 2 clips, 3 events\n");
    }

    @Test
    void aDamagedShardIsOneLineNamingItAndTheEntry(@TempDir Path dir) throws IOException {
        assertThat(pack(dir, downloads(dir), dir.resolve("demo.csv"), "wds", "--format", "webdataset",
                "--shard-size", "3")).as(err.toString()).isZero();
        Path shard = dir.resolve("wds/demo-000001.tar");
        try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
            f.seek(0);
            f.write('#'); // the first member's name: its header checksum no longer matches
        }
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertThat(run("inspect", "--in", shard.toString())).isEqualTo(1);
        assertThat(err.toString()).contains(shard + ": entry '#").contains("at byte 0: header checksum")
                .hasLineCount(1);
        assertThat(out.toString()).isEmpty();

        err.getBuffer().setLength(0);
        assertThat(run("inspect", "--in", dir.resolve("wds/demo").toString())).isEqualTo(1);
        assertThat(err.toString()).contains(shard + ": entry '#").hasLineCount(1);
        assertThat(out.toString()).isEmpty();

        Path truncated = dir.resolve("wds/demo-000000.tar");
        try (RandomAccessFile f = new RandomAccessFile(truncated.toFile(), "rw")) {
            f.setLength(f.length() - 2048);
        }
        err.getBuffer().setLength(0);
        assertThat(run("inspect", truncated.toString())).isEqualTo(1);
        assertThat(err.toString()).contains(truncated.toString()).contains("(a truncated shard)").hasLineCount(1);
    }

    /**
     * An HDF5 file cut short (a copy interrupted) listed as whole, exit 0, its header being at its start; cochleagram,
     * stats and render refuse it. Now inspect fails too, naming the dataset whose data is not there.
     */
    @Test
    void aTruncatedHdf5FileIsOneLineNamingTheDatasetCut(@TempDir Path dir) throws IOException {
        assertThat(pack(dir, downloads(dir), dir.resolve("demo.csv"), "seed")).as(err.toString()).isZero();
        Path file = dir.resolve("seed/demo.hdf5");
        out.getBuffer().setLength(0);
        assertThat(run("inspect", file.toString())).as(err.toString()).isZero();
        long size = Files.size(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size / 2);
        }
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertThat(run("inspect", file.toString())).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).startsWith("audioset inspect: " + file + ": /")
                .contains(", beyond the file's end (" + size / 2 + " bytes): a truncated or damaged file")
                .hasLineCount(1);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aPannsFileGetsASummaryAfterItsTree(@TempDir Path dir) throws IOException {
        assertThat(pack(dir, downloads(dir), dir.resolve("demo.csv"), "panns", "--format", "panns",
                "--sample-rate", "16000")).as(err.toString()).isZero();
        out.getBuffer().setLength(0);
        assertThat(run("inspect", "--in", dir.resolve("panns/demo_panns.h5").toString())).as(err.toString())
                .isZero();
        assertThat(out.toString())
                .containsPattern("/waveform\\s+int16\\s+\\(4, 160000\\)")
                .contains("PANNs layout: 4 clips, 16000 Hz, 160000 samples per clip (10.000 s), 527 labels\n")
                .containsPattern("  first names: Yclip\\d{7}\\.wav, Yclip\\d{7}\\.wav, Yclip\\d{7}\\.wav, \\.\\.\\.\n");

        assertThat(pack(dir, downloads(dir), dir.resolve("demo.csv"), "seed")).as(err.toString()).isZero();
        Path seed = Files.move(dir.resolve("seed/demo.hdf5"), dir.resolve("seed/demo_panns.h5"));
        out.getBuffer().setLength(0);
        assertThat(run("inspect", seed.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("not the PANNs layout: " + seed).doesNotContain("\nPANNs layout:");
    }

    /**
     * PANNs' own packer, its CSV of 7 clips of which 3 were not downloaded (rows 0, 3 and 4): the file has 7 rows, 3
     * of them empty (an empty name, zeros) as h5py leaves a row never written.
     */
    @Test
    void aPannsFileOfPannsOwnPackerWithMissingClipsCountsItsEmptyRowsApart(@TempDir Path dir) throws Exception {
        Path file = pannsFileWithMissingClips(dir);

        assertThat(run("inspect", file.toString())).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("PANNs layout: 4 clips, 32000 Hz, 320 samples per clip (0.010 s), 527 labels\n")
                .contains("  empty rows: 3 of 7 (rows 0, 3, 4): missing clips, left with an empty audio_name by"
                        + " PANNs' packer; not counted here\n")
                .contains("  labels: 2 distinct; most frequent: /m/09x0r Speech (4), /m/04rlf Music (2)\n")
                .contains("  first names: Y-0p7hKXZ1w1.wav, Y-0p7hKXZ1w2.wav, Y-0p7hKXZ1w5.wav, ...\n")
                .doesNotContain("not the PANNs layout");
        assertThat(err.toString()).isEmpty();
    }

    /**
     * A PANNs file h5py writes with chunked, compressed datasets, as made with {@code chunks=} and
     * {@code compression=}: inspect read each row's name and labels alone, decompressing every chunk a row touches for
     * each of its rows (10 of them for a row of /target here), about 100 rows/s (20,000 rows in over 3 minutes; a
     * 200,000-row file of h5py's own chunks took half an hour). It now reads blocks of rows, each chunk about once:
     * the same summary as of the contiguous file, in well under the time allowed.
     */
    @Test
    void aChunkedCompressedPannsFileIsSummarisedQuicklyAndAsTheContiguousOne(@TempDir Path dir) throws Exception {
        String[] data = {"n = 20000; rng = np.random.default_rng(5)",
            "names = np.array([b'' if i % 1000 == 7 else b'Y%011d.wav' % i for i in range(n)], dtype='S20')",
            "t = rng.random((n, 527)) < 0.01; t[:, 0] = True",
            "f.attrs['sample_rate'] = 100"};
        Path chunked = dir.resolve("chunked_panns.h5");
        ExternalTools.h5py(chunked, concat(data,
                "f.create_dataset('audio_name', data=names, chunks=(2000,), compression='gzip')",
                "f.create_dataset('target', data=t, chunks=(2000, 64), compression='gzip')",
                "f.create_dataset('waveform', shape=(n, 10), dtype=np.int16, chunks=(2000, 10))"));
        Path contiguous = dir.resolve("contiguous_panns.h5");
        ExternalTools.h5py(contiguous, concat(data, "f.create_dataset('audio_name', data=names)",
                "f.create_dataset('target', data=t)", "f.create_dataset('waveform', shape=(n, 10), dtype=np.int16)",
                "f['waveform'][0] = 0"));

        assertThat(run("inspect", contiguous.toString())).as(err.toString()).isZero();
        String expected = out.toString().substring(out.toString().indexOf("PANNs layout:"));
        assertThat(expected).startsWith("PANNs layout: 19980 clips, 100 Hz, 10 samples per clip (0.100 s), 527"
                + " labels\n  empty rows: 20 of 20000 (rows 7, 1007, 2007, 3007, 4007, ...)")
                .contains("/m/09x0r Speech (19980)");
        out.getBuffer().setLength(0);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThat(run("inspect", chunked.toString()))
                .as(err.toString()).isZero());
        assertThat(out.toString().substring(out.toString().indexOf("PANNs layout:"))).isEqualTo(expected);
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    /** @return {@code dir/eval_panns.h5}: 7 rows as PANNs' packer leaves them, rows 0, 3 and 4 empty */
    private static Path pannsFileWithMissingClips(Path dir) throws Exception {
        Path file = dir.resolve("eval_panns.h5");
        ExternalTools.h5py(file,
                "f.create_dataset('audio_name', shape=(7,), dtype='S20')",
                "f.create_dataset('waveform', shape=(7, 320), dtype=np.int16)",
                "f.create_dataset('target', shape=(7, 527), dtype=bool)",
                "f.attrs.create('sample_rate', data=32000, dtype=np.int32)",
                "for n in (1, 2, 5, 6):",
                "    f['audio_name'][n] = b'Y-0p7hKXZ1w%d.wav' % n",
                "    f['waveform'][n] = np.full(320, 100 * n, np.int16)",
                "    t = np.zeros(527, bool); t[0] = True; t[137] = n > 2",  // /m/09x0r Speech, /m/04rlf Music
                "    f['target'][n] = t");
        return file;
    }

    @Test
    void theFileIsGivenOnce(@TempDir Path dir) {
        assertThat(run("inspect")).isEqualTo(AudioSetCli.EXIT_USAGE);
        assertThat(err.toString()).contains("FILE");
        assertThat(run("inspect", "a.hdf5", "--in", "b.hdf5")).isEqualTo(AudioSetCli.EXIT_USAGE);
        assertThat(err.toString()).contains("not both");
        assertThat(run("inspect", "--in", dir.resolve("none").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no such file");
    }

    /**
     * A folder given as the file names the files in it that inspect reads, at most five, a data set's shards as one:
     * it said only "DIR is a directory, not a file".
     */
    @Test
    void aFolderNamesTheFilesToInspectInIt(@TempDir Path dir) throws IOException {
        for (String n : List.of("b_Coch.hdf5", "a.hdf5", "s-000000.tar", "s-000001.tar", "notes.txt", ".a.hdf5.lock")) {
            Files.writeString(dir.resolve(n), "x");
        }
        Files.createDirectories(dir.resolve("sub.hdf5"));
        assertThat(run("inspect", dir + "/")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("audioset inspect: " + dir + " is a directory, not a file; its files:"
                + " a.hdf5, b_Coch.hdf5, s (2 shards); give one, e.g. " + dir.resolve("a.hdf5")
                + System.lineSeparator());
        for (int i = 0; i < 7; i++) {
            Files.writeString(dir.resolve("c" + i + ".h5"), "x");
        }
        err.getBuffer().setLength(0);
        assertThat(run("inspect", "--in", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("its files: a.hdf5, b_Coch.hdf5, c0.h5, c1.h5, c2.h5, ... (5 more);");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        err.getBuffer().setLength(0);
        assertThat(run("inspect", empty.toString())).isEqualTo(1);
        assertThat(err.toString()).contains(empty + " is a directory, not a file, and holds no .hdf5, .h5 or .tar");
    }

    @Test
    void notHdf5IsAClearFailure(@TempDir Path dir) throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.hdf5"), "not an HDF5 file");
        assertThat(run("inspect", junk.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("junk.hdf5").contains("not a readable HDF5 file");
        assertThat(run("inspect", dir.resolve("none.hdf5").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no such file");
    }

    /**
     * Inspect read a PANNs file (a full one of 2 million rows takes minutes) or every clip of the shards without a
     * word: it now shows its progress as pack does, on standard error and only once it has run a second; its quiet
     * time and interval lowered to 0, a small file shows it. Standard output is the same either way.
     */
    @Test
    void aLongReadShowsItsProgressOnStandardErrorOnly(@TempDir Path dir) throws Exception {
        Path file = pannsFileWithMissingClips(dir);
        assertThat(run("inspect", file.toString(), "--progress", "bar")).as(err.toString()).isZero();
        String quiet = out.toString();
        assertThat(quiet).contains("PANNs layout: 4 clips");
        assertThat(err.toString()).isEmpty(); // a short run prints nothing extra

        Path downloads = downloads(dir);
        assertThat(pack(dir, downloads, dir.resolve("demo.csv"), "wds", "--format", "webdataset"))
                .as(err.toString()).isZero();
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        long quietNanos = ProgressOptions.counterQuietNanos;
        ProgressOptions.counterQuietNanos = 0;
        ProgressOptions.counterIntervalNanos = 0;
        try {
            assertThat(run("inspect", file.toString(), "--progress", "bar")).as(err.toString()).isZero();
            assertThat(out.toString()).isEqualTo(quiet);
            assertThat(err.toString()).startsWith("\rinspect     [####").contains("\rinspect     ["
                    + "#".repeat(30) + "] 7/7  ").endsWith(" in 0s\n");

            out.getBuffer().setLength(0);
            err.getBuffer().setLength(0);
            assertThat(run("inspect", "--in", dir.resolve("wds/demo").toString(), "--progress", "bar"))
                    .as(err.toString()).isZero();
            assertThat(out.toString()).doesNotContain("\r").containsPattern("clips:\\s+4\n");
            assertThat(err.toString()).startsWith("\rinspect     1  ").contains("\rinspect     4  ")
                    .endsWith(" in 0s\n");
        } finally {
            ProgressOptions.counterQuietNanos = quietNanos;
            ProgressOptions.counterIntervalNanos = -1;
        }
        assertThat(run("inspect", file.toString(), "--progress", "fancy")).isEqualTo(AudioSetCli.EXIT_USAGE);
        assertThat(err.toString()).contains("--progress 'fancy'");
    }
}
