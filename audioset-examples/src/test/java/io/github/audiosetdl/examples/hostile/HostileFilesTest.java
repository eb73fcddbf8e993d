package io.github.audiosetdl.examples.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.hdf5.CochleagramFileReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crafted HDF5 files (made with h5py) given to {@code audioset inspect} and {@code audioset cochleagram} in a
 * child JVM with {@code -Xmx128m}: each ends within seconds, with exit 1 and one line naming the file, never a
 * stack overflow, an out-of-memory error or a terminal escape (issue 14, items 6 and 10).
 */
class HostileFilesTest {
    @TempDir
    Path dir;

    private Path h5py(String name, String script) throws IOException, InterruptedException {
        Path python = ExternalTools.requirePythonWithH5py();
        Path file = dir.resolve(name);
        Process p = new ProcessBuilder(python.toString(), "-c", "import sys, h5py, numpy as np\n"
                + "f = h5py.File(sys.argv[1], 'w')\n" + script + "\nf.close()\n", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return file;
    }

    @Test
    void inspectListsAGroupThatLinksBackToTheRootOnce() throws Exception {
        Path file = h5py("loop.hdf5", "g = f.create_group('g')\ng['back'] = f['/']\n"
                + "g.create_dataset('x', data=np.zeros(3, dtype='f4'))");
        assertThat(Files.size(file)).isLessThan(16_384);
        ChildCli.Result r = ChildCli.run(dir, Duration.ofSeconds(60), java.util.Map.of(), "inspect",
                file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("/g/back/ (hard link to /)", "/g/x");
    }

    @Test
    void inspectShowsControlCharactersInsteadOfSendingThem() throws Exception {
        Path file = h5py("escapes.hdf5", "f.attrs['title'] = '\\x1b[2J\\x1b]0;owned\\x07'\n"
                + "f.create_group('\\x1b[31mred')");
        ChildCli.Result r = ChildCli.run(dir, Duration.ofSeconds(60), java.util.Map.of(), "inspect",
                file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("\u001b").doesNotContain("\u0007").contains("\\u001b[2J", "\\u001b[31mred");
    }

    @Test
    void cochleagramRefusesRowsLongerThanAClipBeforeAllocating() throws Exception {
        for (int log2 : List.of(26, 29)) {
            Path file = h5py("long_rows_" + log2 + ".hdf5", "d = f.create_dataset('wav', shape=(1, 2**" + log2
                    + "), dtype='f4', chunks=(1, 1024))\nf.attrs['size'] = 1\nf.attrs['sample_rate'] = 16000");
            assertThat(Files.size(file)).isLessThan(16_384);
            ChildCli.run(dir, Duration.ofSeconds(60), java.util.Map.of(), "cochleagram", "--in", file.toString(),
                    "--out", dir.resolve("out").toString())
                    .failsWithOneLine(file.toString(), "rows", String.valueOf(1L << log2));
        }
    }

    @Test
    void rowsDeclaredButNeverStoredAreRefusedInsteadOfComputedForMonths() throws Exception {
        // 2 kB files declaring 2^26 rows of 10 s that hold none (or one chunk): h5py reads such rows as zeros, and
        // cochleagram computed them one by one (ETA 14,000 hours), as stats read 2^26 cochleagram rows of zeros
        Path contiguous = h5py("never_written.hdf5", "f.create_dataset('wav', shape=(2**26, 160000), dtype='f4')\n"
                + "f.attrs['size'] = 2**26\nf.attrs['sample_rate'] = 16000");
        Path chunked = h5py("one_chunk.hdf5", "d = f.create_dataset('wav', shape=(2**26, 160000), dtype='f4',"
                + " chunks=(1, 1000), compression='gzip')\nd[0, :1000] = 0.5\nf.attrs['sample_rate'] = 16000");
        for (Path file : List.of(contiguous, chunked)) {
            assertThat(Files.size(file)).isLessThan(16_384);
            ChildCli.run(dir, Duration.ofSeconds(60), java.util.Map.of(), "cochleagram", "--in", file.toString(),
                    "--out", dir.resolve("out").toString())
                    .failsWithOneLine(file.toString(), "/wav declares 67108864 rows", "would be read as zeros");
        }
        Path coch = h5py("coch_chunks.hdf5", "d = f.create_dataset('coch', shape=(2**26, 342000), dtype='f4',"
                + " chunks=(1, 1000), compression='gzip')\nd.attrs['channels'] = 171\nd.attrs['frames'] = 2000");
        ChildCli.run(dir, Duration.ofSeconds(60), java.util.Map.of(), "stats", "--in", coch.toString(), "--out",
                dir.resolve("out").toString())
                .failsWithOneLine(coch.toString(), "/coch declares 67108864 rows", "only 0 of the");
    }

    @Test
    void cochleagramRefusesAnAbsurdSampleRate() throws Exception {
        Path file = h5py("rate.hdf5", "f.create_dataset('wav', data=np.zeros((1, 160000), dtype='f4'))\n"
                + "f.attrs['size'] = 1\nf.attrs['sample_rate'] = 2**40");
        ChildCli.run(dir, Duration.ofSeconds(60), java.util.Map.of(), "cochleagram", "--in", file.toString(),
                "--out", dir.resolve("out").toString())
                .failsWithOneLine(file.toString(), "sample_rate is '1099511627776'");
    }
    /** Runs {@code script} with {@code sys.argv[1]} the file {@code name} in the test's folder. */
    private Path python(String name, String script) throws IOException, InterruptedException {
        Path python = ExternalTools.requirePythonWithH5py();
        Path file = dir.resolve(name);
        Process p = new ProcessBuilder(python.toString(), "-c", "import sys, struct, re, h5py, numpy as np\n"
                + script, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return file;
    }

    private ChildCli.Result cochleagram(Path file) throws IOException, InterruptedException {
        return ChildCli.run(dir, Duration.ofSeconds(60), java.util.Map.of(), "cochleagram", "--in", file.toString(),
                "--out", dir.resolve("out").toString(), "--high-lim", "700");
    }

    /** A small waveform file as h5py writes it (the oldest format: fixed places for the patches below). */
    private static final String WAVEFORMS = "x = np.zeros((3, 16000), np.float32); x[:, ::7] = 0.5\n"
            + "with h5py.File(sys.argv[1], 'w', libver='earliest') as f:\n"
            + "    f.create_dataset('wav', data=x, chunks=CHUNKS); f['labels'] = np.zeros((3, 527), np.int8)\n"
            + "    f.attrs['sample_rate'] = 1600; f.attrs['size'] = 3\n"
            + "    f['meta/ytid'] = np.array([b'abcdefghijk'] * 3, dtype='S13')\n"
            + "    f['meta/padded'] = np.zeros(3, np.uint8); f['meta/start'] = np.zeros(3)\n"
            + "    f['meta/end'] = np.full(3, 10.0)\n"
            + "b = bytearray(open(sys.argv[1], 'rb').read())\n"
            + "def patch(old, new, unique=True):\n" // the first place; with unique, the only one
            + "    i = b.find(old); assert i >= 0 and (not unique or b.find(old, i + 1) < 0), old\n"
            + "    b[i:i + len(old)] = new\n";

    private Path patched(String name, boolean chunked, String patches) throws IOException, InterruptedException {
        return python(name, WAVEFORMS.replace("CHUNKS", chunked ? "(1, 16000)" : "None") + patches
                + "\nopen(sys.argv[1], 'wb').write(b)");
    }

    @Test
    void labelsWithFewerRowsThanTheWaveformsAreRefusedNotReadFromTheirNeighbours() throws Exception {
        Path file = h5py("short_labels.hdf5", "lab = np.zeros((1, 527), bool); lab[:, 0] = True\n"
                + "f['labels'] = lab; f['after'] = np.full((4, 527), 7, np.uint8)\n"
                + "f['wav'] = np.full((3, 16000), 0.5, np.float32)\n"
                + "f.attrs['size'] = 3; f.attrs['sample_rate'] = 1600");
        cochleagram(file).failsWithOneLine(file.toString(), "/labels has 1 rows, fewer than the 3 rows of /wav");
    }

    @Test
    void damagedOrAbsurdDatasetHeadersAreErrorsNamingTheDataset() throws Exception {
        // meta/padded's datatype class made invalid: an error, not a file without /meta
        Path badType = patched("bad_type.hdf5", false, "patch(bytes([0x10, 0, 0, 0, 1, 0, 0, 0, 0, 0, 8, 0]),"
                + " bytes([0x1F, 0, 0, 0, 1, 0, 0, 0, 0, 0, 8, 0]))");
        cochleagram(badType).failsWithOneLine(badType.toString(), "/meta", "cannot be read");
        // meta/ytid's string size made 2 GB: refused before anything is allocated for it
        Path bigString = patched("big_string.hdf5", false, "m = [x.start() for x in re.finditer(re.escape(bytes("
                + "[0x13])) + b'..\\x00' + struct.pack('<I', 13), b, re.S)]\n"
                + "b[m[0] + 4:m[0] + 8] = struct.pack('<I', 0x7FFFFFF0)");
        cochleagram(bigString).failsWithOneLine(bigString.toString(), "/meta/ytid has elements of 2147483632 bytes");
        // 2^40 rows, contiguous and chunked
        for (boolean chunked : List.of(false, true)) {
            Path rows = patched("rows_" + chunked + ".hdf5", chunked,
                    "patch(struct.pack('<QQ', 3, 16000), struct.pack('<QQ', 1 << 40, 16000), False)");
            cochleagram(rows).failsWithOneLine(rows.toString(), "/wav declares 1099511627776 rows");
        }
        // chunks of 2^20 rows: jhdf's slice fails; one line naming the dataset, no stack trace
        Path chunks = patched("chunks.hdf5", true,
                "patch(struct.pack('<III', 1, 16000, 4), struct.pack('<III', 1 << 20, 16000, 4))");
        ChildCli.Result r = cochleagram(chunks);
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains(chunks.toString(), "cannot read /wav").doesNotContain("Exception")
                .doesNotContainPattern("\\tat [a-z]");
    }

    @Test
    void truncatedFilesAndCorruptSuperblocksAreRefusedAtOpen() throws Exception {
        Path truncated = patched("truncated.hdf5", false, "b = b[:len(b) - 100000]");
        cochleagram(truncated).failsWithOneLine(truncated.toString(), "beyond the file's end");
        assertThat(dir.resolve("out")).doesNotExist();
        Path superblock = patched("superblock.hdf5", false, "b[40:48] = bytes(x ^ 0xFF for x in b[40:48])");
        cochleagram(superblock).failsWithOneLine(superblock.toString(), "not a readable HDF5 file");
        ChildCli.run(dir, Duration.ofSeconds(60), java.util.Map.of(), "inspect", superblock.toString())
                .failsWithOneLine(superblock.toString(), "not a readable HDF5 file");
    }

    @Test
    void attributesThatAreNotWholeNumbersAreRefusedWithTheirValue() throws Exception {
        for (String rate : List.of("'8000'", "16000.5", "np.array([8000, 16000])")) {
            Path file = h5py("rate.hdf5", "f['wav'] = np.zeros((1, 16000), np.float32); f.attrs['sample_rate'] = "
                    + rate);
            cochleagram(file).failsWithOneLine(file.toString(), "attribute sample_rate is ", "not a whole number");
        }
        Path size = h5py("size.hdf5", "f['wav'] = np.zeros((1, 16000), np.float32); f.attrs['sample_rate'] = 1600\n"
                + "f.attrs['size'] = np.uint64(2**64 - 1)");
        cochleagram(size).failsWithOneLine(size.toString(), "attribute size is '18446744073709551615'");
        Path scale = h5py("scale.hdf5", "d = f.create_dataset('wav', data=np.zeros((1, 16000), np.int16))\n"
                + "d.attrs['scale'] = np.array([1.0, 2.0]); f.attrs['sample_rate'] = 1600");
        cochleagram(scale).failsWithOneLine(scale.toString(), "scale is an array of 2 values");
    }

    @Test
    void anAverageTooLargeToReadWholeIsRefused() throws Exception {
        Path file = h5py("avg_Coch.hdf5", "d = f.create_dataset('coch', data=np.zeros((1, 240), np.float32))\n"
                + "d.attrs['channels'] = 6; d.attrs['frames'] = 40; f.attrs['size'] = 1\n"
                + "f.create_dataset('average', shape=(30000, 16000), dtype='f4', chunks=(1, 16000))");
        assertThat(Files.size(file)).isLessThan(1 << 20);
        try (CochleagramFileReader r = CochleagramFileReader.open(file)) {
            assertThatThrownBy(r::average).isInstanceOf(IOException.class).hasMessageContaining(file.toString())
                    .hasMessageContaining("/average has 1920000000 bytes, more than 64 MB");
        }
    }

    @Test
    void inspectListsSoftAndExternalLinksWithoutFollowingThem() throws Exception {
        Path file = h5py("links.hdf5", "f['wav'] = np.zeros((1, 4), np.float32)\n"
                + "f['soft'] = h5py.SoftLink('/wav'); f['dangling'] = h5py.SoftLink('/nope')\n"
                + "f['ext'] = h5py.ExternalLink('other.h5', '/wav')");
        ChildCli.Result r = ChildCli.run(dir, Duration.ofSeconds(60), java.util.Map.of(), "inspect",
                file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("/soft (soft link to /wav)", "/dangling (soft link to /nope)",
                "/ext (external link to other.h5:/wav)", "/wav");
    }

    /** Python lines: {@code set_lzf(path, id)} sets the file's one LZF filter's id (a version-1 header). */
    private static final String SET_LZF = "def set_lzf(p, new):\n"
            + "    b = bytearray(open(p, 'rb').read()); at = [m.start() for m in re.finditer(re.escape("
            + "struct.pack('<H', 32000)), b) if b[m.start() + 8:m.start() + 11] == b'lzf']\n"
            + "    assert len(at) == 1, at; b[at[0]:at[0] + 2] = struct.pack('<H', new); open(p, 'wb').write(b)\n";

    /** @return the files in {@code out} that are not hidden (locks and records of inputs are) */
    private static List<String> visible(Path out) throws IOException {
        if (!Files.exists(out)) {
            return List.of();
        }
        try (var files = Files.list(out)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList();
        }
    }

    /**
     * A dataset stored with a filter jhdf cannot decode (an id it does not have, 32001, Blosc; scale-offset, 6), in
     * each command reading it: one line naming the file, the dataset and the filter, exit 1, no output left.
     */
    @Test
    void aFilterJhdfCannotDecodeIsOneLineNamingTheFileTheDatasetAndTheFilter() throws Exception {
        Path out = dir.resolve("out");
        // the seed's layout: /wav with a filter id jhdf does not have, /labels with scale-offset
        Path wav = python("wav_32001.hdf5", SET_LZF + "with h5py.File(sys.argv[1], 'w') as f:\n"
                + "    x = np.zeros((3, 16000), np.float32); x[:, ::7] = 0.5\n"
                + "    f.create_dataset('wav', data=x, chunks=(1, 16000), compression='lzf')\n"
                + "    f['labels'] = np.zeros((3, 527), np.int8); f.attrs['sample_rate'] = 1600; f.attrs['size'] = 3\n"
                + "set_lzf(sys.argv[1], 32001)");
        Path labels = python("labels_so.hdf5", "with h5py.File(sys.argv[1], 'w') as f:\n"
                + "    x = np.zeros((3, 16000), np.float32); x[:, ::7] = 0.5; f['wav'] = x\n"
                + "    f.create_dataset('labels', data=np.zeros((3, 527), np.int8), chunks=(1, 527), scaleoffset=0)\n"
                + "    f.attrs['sample_rate'] = 1600; f.attrs['size'] = 3");
        cochleagram(wav).failsWithOneLine(wav.toString(), "/wav", "HDF5 filter 32001 (", "cannot decode");
        cochleagram(labels).failsWithOneLine(labels.toString(), "/labels", "HDF5 filter 6 (", "cannot decode");
        assertThat(visible(out)).isEmpty();
        // PANNs' layout, whose /target inspect counts
        Path panns = python("target_panns.h5", SET_LZF + "with h5py.File(sys.argv[1], 'w') as f:\n"
                + "    f['audio_name'] = np.array([b'Y%010d.wav' % i for i in range(3)], dtype='S20')\n"
                + "    f['waveform'] = np.zeros((3, 200), np.int16); f.attrs['sample_rate'] = 100\n"
                + "    f.create_dataset('target', data=np.zeros((3, 527), bool), chunks=True, compression='lzf')\n"
                + "set_lzf(sys.argv[1], 32001)");
        ChildCli.run(dir, "inspect", panns.toString())
                .failsWithOneLine(panns.toString(), "/target", "HDF5 filter 32001 (", "cannot decode");
        // strong labels whose /strong_mids has the filter, drawn over a cochleagram file of ours (made from them)
        Path strong = python("strong.hdf5", SET_LZF + "with h5py.File(sys.argv[1], 'w') as f:\n"
                + "    x = np.zeros((2, 16000), np.float32); x[:, ::7] = 0.5; f['wav'] = x\n"
                + "    f['labels'] = np.zeros((2, 527), np.int8); f.attrs['sample_rate'] = 1600; f.attrs['size'] = 2\n"
                + "    f.create_dataset('strong', data=np.zeros((2, 10, 4), np.uint8), chunks=(1, 10, 4))\n"
                + "    f['strong'].attrs['frame_seconds'] = 1.0\n"
                + "    f.create_dataset('strong_mids', data=np.array([b'/m/a'] * 4, dtype='S16'), chunks=(2,),"
                + " compression='lzf')\n"
                + "set_lzf(sys.argv[1], 32001)");
        ChildCli.Result made = cochleagram(strong);
        assertThat(made.exit()).as(made.err()).isZero();
        Path ours = out.resolve("strong_Coch.hdf5");
        Path png = dir.resolve("png").resolve("x.png");
        ChildCli.run(dir, "render", "--in", ours.toString(), "--strong", strong.toString(), "--out", png.toString())
                .failsWithOneLine(strong.toString(), "/strong_mids", "HDF5 filter 32001 (", "cannot decode");
        // that cochleagram file, its /coch copied with the filter (read from out/strong_Coch.hdf5, beside it)
        Path coch = python("coch_Coch.hdf5", SET_LZF + "import os\n"
                + "src = os.path.join(os.path.dirname(sys.argv[1]), 'out', 'strong_Coch.hdf5')\n"
                + "with h5py.File(src, 'r') as s, h5py.File(sys.argv[1], 'w') as d:\n"
                + "    for k, v in s.attrs.items(): d.attrs[k] = v\n"
                + "    for n in s:\n"
                + "        o = dict(chunks=(1, s[n].shape[1]), compression='lzf') if n == 'coch' else {}\n"
                + "        d.create_dataset(n, data=s[n][()], **o)\n"
                + "        for k, v in s[n].attrs.items(): d[n].attrs[k] = v\n"
                + "set_lzf(sys.argv[1], 32001)");
        ChildCli.run(dir, "render", "--in", coch.toString(), "--out", png.toString())
                .failsWithOneLine(coch.toString(), "/coch", "HDF5 filter 32001 (", "cannot decode");
        Path stats = dir.resolve("stats");
        ChildCli.run(dir, "stats", "--in", coch.toString(), "--out", stats.toString())
                .failsWithOneLine(coch.toString(), "/coch", "HDF5 filter 32001 (", "cannot decode");
        assertThat(visible(stats)).isEmpty();
        assertThat(png.getParent()).doesNotExist();
    }

    @Test
    void packRefusesAWavDeclaringTooManyChannelsQuickly() throws Exception {
        Path job = Files.createDirectories(dir.resolve("demo_downloads/demo_downloads_0"));
        int channels = 65_535;
        int dataBytes = 131_070;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(36 + dataBytes).putInt(0x45564157);
        b.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) channels).putInt(16_000)
                .putInt(16_000 * 2 * channels).putShort((short) (2 * channels)).putShort((short) 16);
        b.putInt(0x61746164).putInt(dataBytes);
        Path wav = Files.write(job.resolve("YT_abcdefghijk.wav"), b.array());
        Path csv = Files.writeString(dir.resolve("demo.csv"), "abcdefghijk, 0.000, 10.000, \"/m/04rlf\"\n");
        ChildCli.Result r = ChildCli.run(dir, Duration.ofSeconds(60), java.util.Map.of(), "pack", "--downloads",
                dir.resolve("demo_downloads").toString(), "--csv", csv.toString(), "--out",
                dir.resolve("out").toString());
        assertThat(r.out() + r.err()).contains(wav.getFileName().toString(), "65535 channels, more than the 64 read");
        assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(30));
    }
}
