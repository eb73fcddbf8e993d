package io.github.audiosetdl.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.Mutations;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * h5py files in every layout our readers read (the seed layout's {@code /wav}, {@code /labels}, {@code /strong} and
 * {@code /strong_mids}, PANNs' {@code waveform}, {@code target} and {@code audio_name}, a cochleagram file's
 * {@code /coch}), gzip-compressed, whose first chunk (of at least 256 bytes: HDF5 stores a smaller chunk's
 * compressed size in 2 bytes) is replaced by a zlib stream of 128 MB of zeros (131 kB): jhdf
 * inflated it whole, with no bound, into a growing array (about 4 times the stream's output allocated, seconds), then
 * used the chunk's first bytes. Now the inflating stops once the output exceeds the chunk's size, and the read fails
 * naming the file, within {@link Mutations#MAX_ALLOCATED} allocated by all threads (jhdf reads a whole dataset on
 * the common fork-join pool's threads) and {@link Mutations#MAX_MILLIS}.
 */
class GzipBombTest {
    /** What the bomb inflates to: 128 MB. */
    private static final int BOMB = 128 << 20;

    @TempDir
    Path dir;

    /**
     * Writes a file of the layout with h5py, every dataset chunked and gzip-compressed ({@code options} added), and
     * when {@code bombed} is not empty replaces the first chunk of that dataset with the bomb.
     */
    private Path write(String layout, String options, String bombed) throws Exception {
        Path file = dir.resolve(layout + (bombed.isEmpty() ? "" : "_" + bombed) + ".h5");
        String o = "o = dict(compression='gzip'" + options + ")";
        List<String> lines = switch (layout) {
            case "seed" -> List.of(o,
                    "f.create_dataset('wav', data=np.linspace(-1, 1, 600, dtype=np.float32).reshape(3, 200),"
                            + " chunks=(1, 200), **o)",
                    "l = np.zeros((3, 527), bool); l[1, 5] = True",
                    "f.create_dataset('labels', data=l, chunks=(1, 527), **o)",
                    "s = np.zeros((3, 64, 4), np.uint8); s[2, 3:5, 1] = 1",
                    "f.create_dataset('strong', data=s, chunks=(1, 64, 4), **o)",
                    "f['strong'].attrs['frame_seconds'] = 1.0",
                    "f.create_dataset('strong_mids', data=np.array([b'/m/a', b'/m/b', b'/m/c', b'/m/d'],"
                            + " dtype='S16'), chunks=(16,), maxshape=(None,), **o)",
                    "f.attrs['size'] = 3", "f.attrs['sample_rate'] = 100");
            case "panns" -> List.of(o,
                    "n = np.array([b'Y%010d.wav' % i for i in range(3)], dtype='S20')",
                    "f.create_dataset('audio_name', data=n, chunks=(16,), maxshape=(None,), **o)",
                    "f.create_dataset('waveform', data=np.arange(600, dtype=np.int16).reshape(3, 200),"
                            + " chunks=(1, 200), **o)",
                    "t = np.zeros((3, 527), bool); t[1, 3] = True",
                    "f.create_dataset('target', data=t, chunks=(1, 527), **o)",
                    "f.attrs['sample_rate'] = 100");
            case "coch" -> List.of(o,
                    "c = f.create_dataset('coch', data=np.linspace(0, 1, 600, dtype=np.float32).reshape(3, 200),"
                            + " chunks=(1, 200), **o)",
                    "c.attrs['channels'] = 4", "c.attrs['frames'] = 50", "f.attrs['size'] = 3");
            default -> throw new IllegalArgumentException(layout);
        };
        List<String> all = new java.util.ArrayList<>(lines);
        if (!bombed.isEmpty()) {
            all.addAll(List.of("import zlib",
                    "z = zlib.compressobj(9); block = bytes(1 << 20)",
                    "bomb = b''.join(z.compress(block) for _ in range(" + (BOMB >> 20) + ")) + z.flush()",
                    "d = f['" + bombed + "']",
                    "d.id.write_direct_chunk((0,) * len(d.shape), bomb)"));
        }
        ExternalTools.h5py(file, all.toArray(String[]::new));
        return file;
    }

    static void readCoch(Path file) throws IOException {
        try (CochleagramFileReader r = CochleagramFileReader.open(file)) {
            float[] row = new float[r.channels() * r.frames()];
            for (long i = 0; i < r.size(); i++) {
                r.read(i, row);
            }
        }
    }

    static void readStrong(Path file) throws IOException {
        try (StrongLabelsReader r = StrongLabelsReader.open(file).orElseThrow()) {
            for (long i = 0; i < r.size(); i++) {
                r.events(i);
            }
        }
    }

    private static Mutations.Reader reader(String layout, String dataset) {
        return switch (layout) {
            case "panns" -> MutatedH5pyFilesTest::readPanns;
            case "coch" -> GzipBombTest::readCoch;
            default -> dataset.startsWith("strong") ? GzipBombTest::readStrong : MutatedH5pyFilesTest::readSeed;
        };
    }

    /** The bytes allocated so far by each live thread. */
    private static Map<Long, Long> allocatedByThread() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                .getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> out = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            out.put(ids[i], bytes[i]);
        }
        return out;
    }

    /** @return the bytes all threads allocated since {@code before} (threads started since from 0) */
    private static long allocatedSince(Map<Long, Long> before) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : allocatedByThread().entrySet()) {
            if (e.getValue() >= 0) {
                sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
            }
        }
        return sum;
    }

    @ParameterizedTest(name = "{0} /{1} {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            seed  | wav         | ""
            seed  | wav         | ", shuffle=True"
            seed  | wav         | ", shuffle=True, fletcher32=True"
            seed  | labels      | ""
            seed  | strong      | ""
            seed  | strong_mids | ""
            seed  | strong_mids | ", shuffle=True"
            panns | waveform    | ""
            panns | target      | ""
            panns | audio_name  | ""
            coch  | coch        | ", shuffle=True"
            """)
    void aChunkInflatingBeyondItsSizeIsRefusedInBoundedTimeAndMemory(String layout, String dataset, String options)
            throws Exception {
        Mutations.Reader reader = reader(layout, dataset);
        reader.read(write(layout, options, "")); // the valid file reads
        Path file = write(layout, options, dataset);
        Map<Long, Long> before = allocatedByThread();
        long start = System.nanoTime();
        Throwable thrown = catchThrowable(() -> reader.read(file));
        long millis = (System.nanoTime() - start) / 1_000_000;
        long allocated = allocatedSince(before);
        assertThat(allocated).as("bytes allocated by all threads (%d ms)", millis)
                .isLessThan(Mutations.MAX_ALLOCATED);
        assertThat(millis).as("milliseconds").isLessThan(Mutations.MAX_MILLIS);
        assertThat(thrown).isInstanceOf(IOException.class).hasMessageContaining(file.toString())
                .hasMessageContaining("/" + dataset).hasMessageContaining("inflates to more than");
    }

    /**
     * A checksum added before the compression (HDF5 applies filters in the order they were set; h5py's high-level API
     * sets Fletcher-32 last): each chunk inflates to its size and the 4 bytes of its checksum, which still read; a bomb
     * in such a dataset is refused.
     */
    @Test
    void aChecksumBeforeTheCompressionStillReadsAndABombInItIsRefused() throws Exception {
        String[] lines = {"w = np.linspace(-1, 1, 600, dtype=np.float32).reshape(3, 200)",
            "p = h5py.h5p.create(h5py.h5p.DATASET_CREATE); p.set_chunk((1, 200))",
            "p.set_fletcher32(); p.set_shuffle(); p.set_deflate(6)",
            "d = h5py.Dataset(h5py.h5d.create(f.id, b'wav', h5py.h5t.IEEE_F32LE, h5py.h5s.create_simple((3, 200)),"
                    + " dcpl=p))",
            "d[...] = w",
            "f.create_dataset('labels', data=np.ones((3, 527), bool))", "f.attrs['size'] = 3",
            "f.attrs['sample_rate'] = 100"};
        Path file = dir.resolve("checksum_first.h5");
        ExternalTools.h5py(file, lines);
        try (WaveformFileReader r = WaveformFileReader.open(file)) {
            float[] row = new float[200];
            r.read(2, row);
            assertThat(row[199]).isEqualTo(1f);
            r.read(0, row);
            assertThat(row[0]).isEqualTo(-1f);
        }
        Path bombed = dir.resolve("checksum_first_bombed.h5");
        List<String> all = new java.util.ArrayList<>(List.of(lines));
        all.addAll(List.of("import zlib", "z = zlib.compressobj(9)",
                "d.id.write_direct_chunk((0, 0), z.compress(bytes(" + BOMB + ")) + z.flush())"));
        ExternalTools.h5py(bombed, all.toArray(String[]::new));
        Map<Long, Long> before = allocatedByThread();
        Throwable thrown = catchThrowable(() -> MutatedH5pyFilesTest.readSeed(bombed));
        assertThat(allocatedSince(before)).isLessThan(Mutations.MAX_ALLOCATED);
        assertThat(thrown).isInstanceOf(IOException.class).hasMessageContaining(bombed.toString())
                .hasMessageContaining("inflates to more than 804 bytes");
    }

    /** The inspector reads no dataset's data: a bombed file is listed as the valid one is. */
    @Test
    void theInspectorListsABombedFileWithoutInflatingIt() throws Exception {
        List<Hdf5Node> valid = Hdf5Inspector.inspect(write("seed", "", ""));
        Path file = write("seed", "", "wav");
        Map<Long, Long> before = allocatedByThread();
        assertThat(Hdf5Inspector.inspect(file)).isEqualTo(valid);
        assertThat(allocatedSince(before)).isLessThan(Mutations.MAX_ALLOCATED);
    }
}
