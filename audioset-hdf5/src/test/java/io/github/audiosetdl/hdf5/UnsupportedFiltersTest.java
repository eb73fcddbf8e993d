package io.github.audiosetdl.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.audiosetdl.core.testing.ExternalTools;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each dataset a reader reads, stored with a filter jhdf cannot decode: an id it does not have (32001, Blosc: an
 * LZF dataset's id patched), scale-offset (6) and SZIP (4), as h5py writes them (jhdf 0.13.0 has neither). Each read
 * fails with one line naming the file, the dataset and the filter (its id), not guessing a damaged file. And LZ4
 * (32004) chunks made by hand: a valid one reads as written; hostile blocks (a match reaching before the block, a
 * literal run longer than the block, a block decoding to fewer bytes than it declares) are refused with an
 * {@link IOException} naming the file.
 */
class UnsupportedFiltersTest {
    /** The LZF filter's id, and the bytes after it where its name ("lzf") starts in a filter pipeline message. */
    private static final short LZF = 32000;
    private static final int NAME_AT = 8;

    @TempDir
    Path dir;

    /**
     * The Python lines writing the file of {@code layout} with {@code options} (a Python dict) on {@code dataset}:
     * {@code seed} ({@code /wav} 3 x 200 float32, {@code /labels} 3 x 527 int8), {@code panns}, {@code strong} (the
     * seed's with {@code /strong} and {@code /strong_mids}), {@code coch}.
     */
    private static List<String> layout(String layout, String dataset, String options) {
        List<String> lines = new ArrayList<>(List.of("O = " + options,
                "def o(name, **chunks): return dict(O, **chunks) if name == '" + dataset + "' else {}"));
        switch (layout) {
            case "seed", "strong" -> {
                lines.add("f.create_dataset('wav', data=np.linspace(-1, 1, 600, dtype=np.float32).reshape(3, 200),"
                        + " **o('wav', chunks=(1, 50)))");
                lines.add("l = np.zeros((3, 527), np.int8); l[0, 5] = 1; l[2, 526] = 1");
                lines.add("f.create_dataset('labels', data=l, **o('labels', chunks=(1, 527)))");
                lines.add("f.attrs['size'] = 3; f.attrs['sample_rate'] = 100");
                if (layout.equals("strong")) {
                    lines.add("s = np.zeros((3, 64, 4), np.uint8); s[2, 3:5, 1] = 1");
                    lines.add("f.create_dataset('strong', data=s, chunks=(1, 64, 4), **o('strong'))");
                    lines.add("f['strong'].attrs['frame_seconds'] = 1.0");
                    lines.add("f.create_dataset('strong_mids', data=np.array([b'/m/a', b'/m/b', b'/m/c', b'/m/d'],"
                            + " dtype='S16'), chunks=(2,), maxshape=(None,), **o('strong_mids'))");
                }
            }
            case "panns" -> lines.addAll(List.of(
                    "n = np.array([b'Y%010d.wav' % i for i in range(3)], dtype='S20')",
                    "f.create_dataset('audio_name', data=n, **o('audio_name', chunks=True))",
                    "f.create_dataset('waveform', data=np.arange(600, dtype=np.int16).reshape(3, 200),"
                            + " **o('waveform', chunks=True))",
                    "t = np.zeros((3, 527), bool); t[1, 3] = True",
                    "f.create_dataset('target', data=t, **o('target', chunks=True))",
                    "f.attrs['sample_rate'] = 100"));
            case "coch" -> lines.addAll(List.of(
                    "c = f.create_dataset('coch', data=np.linspace(0, 1, 600, dtype=np.float32).reshape(3, 200),"
                            + " **o('coch', chunks=(1, 200)))",
                    "c.attrs['channels'] = 4; c.attrs['frames'] = 50; f.attrs['size'] = 3"));
            default -> throw new IllegalArgumentException(layout);
        }
        return lines;
    }

    private static void read(String layout, Path file) throws IOException {
        switch (layout) {
            case "seed" -> MutatedH5pyFilesTest.readSeed(file);
            case "panns" -> MutatedH5pyFilesTest.readPanns(file);
            case "strong" -> GzipBombTest.readStrong(file);
            default -> GzipBombTest.readCoch(file);
        }
    }

    /** @return {@code file} with its one LZF filter's id set to {@code id} (a version-1 header: no checksum) */
    static Path patchLzf(Path file, short id) throws IOException {
        byte[] b = Files.readAllBytes(file);
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        byte[] name = "lzf".getBytes(StandardCharsets.US_ASCII);
        int found = 0;
        for (int at = 0; at + NAME_AT + name.length <= b.length; at++) {
            if (le.getShort(at) == LZF && java.util.Arrays.equals(b, at + NAME_AT, at + NAME_AT + name.length, name,
                    0, name.length)) {
                le.putShort(at, id);
                found++;
            }
        }
        assertThat(found).as("LZF filters in " + file).isEqualTo(1);
        return Files.write(file, b);
    }

    private static void refused(String layout, Path file, String dataset, String id) {
        Throwable t = catchThrowable(() -> read(layout, file));
        assertThat(t).isInstanceOf(IOException.class).hasMessageContaining(file.toString())
                .hasMessageContaining("/" + dataset)
                .hasMessageContaining("HDF5 filter " + id + " (").hasMessageContaining("this reader cannot decode");
        assertThat(t.getMessage()).doesNotContain("\n").doesNotContain("damaged");
    }

    @ParameterizedTest
    @CsvSource({"seed, wav", "seed, labels", "panns, waveform", "panns, target", "panns, audio_name",
        "strong, strong", "strong, strong_mids", "coch, coch"})
    void aFilterJhdfDoesNotHaveIsRefusedNamingTheFileTheDatasetAndTheFilter(String layout, String dataset)
            throws Exception {
        Path file = dir.resolve(layout + "_" + dataset + "_32001.h5");
        ExternalTools.h5py(file, layout(layout, dataset, "dict(compression='lzf')").toArray(String[]::new));
        read(layout, file); // as written, LZF
        refused(layout, patchLzf(file, (short) 32001), dataset, "32001");
    }

    /** Scale-offset (id 6) on the numeric datasets (h5py refuses it on strings and booleans). */
    @ParameterizedTest
    @CsvSource({"seed, wav, 4", "seed, labels, 0", "panns, waveform, 0", "strong, strong, 0", "coch, coch, 4"})
    void scaleOffsetWhichJhdfDoesNotDecodeIsRefused(String layout, String dataset, int digits) throws Exception {
        Path file = dir.resolve(layout + "_" + dataset + "_so.h5");
        ExternalTools.h5py(file, layout(layout, dataset, "dict(scaleoffset=" + digits + ")").toArray(String[]::new));
        refused(layout, file, dataset, "6");
    }

    @Test
    void szipWhichJhdfDoesNotDecodeIsRefused() throws Exception {
        Path file = dir.resolve("seed_wav_szip.h5");
        List<String> lines = new ArrayList<>(List.of("from h5py import h5z",
                "if not h5z.get_filter_info(h5z.FILTER_SZIP) & h5z.FILTER_CONFIG_ENCODE_ENABLED:",
                "    raise SystemExit(0)"));
        lines.addAll(layout("seed", "wav", "dict(compression='szip')"));
        ExternalTools.h5py(file, lines.toArray(String[]::new));
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.size(file) > 1000, "this h5py cannot write SZIP");
        refused("seed", file, "wav", "4");
    }

    /** A block that is its bytes as LZ4 literals only (a valid LZ4 block). */
    private static byte[] literals(byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(data.length + data.length / 255 + 2);
        if (data.length < 15) {
            b.put((byte) (data.length << 4));
        } else {
            b.put((byte) 0xF0);
            int rest = data.length - 15;
            for (; rest >= 255; rest -= 255) {
                b.put((byte) 0xFF);
            }
            b.put((byte) rest);
        }
        b.put(data);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    /** A chunk in the HDF5 LZ4 filter's framing: its decoded size, the block size, then the one block, sized. */
    private static byte[] lz4Chunk(int decoded, byte[] block) {
        return ByteBuffer.allocate(16 + block.length).putLong(decoded).putInt(decoded).putInt(block.length).put(block)
                .array();
    }

    /** The seed layout, {@code /wav} in chunks of a row whose chunks are {@code chunks}, its filter LZ4's. */
    private Path lz4File(String name, byte[]... chunks) throws Exception {
        Path file = dir.resolve(name);
        List<String> lines = new ArrayList<>(layout("seed", "wav", "dict(compression='lzf')"));
        lines.set(2, lines.get(2).replace("chunks=(1, 50)", "chunks=(1, 200)"));
        for (int i = 0; i < chunks.length; i++) {
            lines.add("f['wav'].id.write_direct_chunk((" + i + ", 0), bytes.fromhex('"
                    + HexFormat.of().formatHex(chunks[i]) + "'))");
        }
        ExternalTools.h5py(file, lines.toArray(String[]::new));
        return patchLzf(file, (short) 32004);
    }

    /** Row {@code i} of the seed layout's {@code /wav}, as stored (float32, little-endian). */
    private static byte[] row(int i) {
        ByteBuffer b = ByteBuffer.allocate(800).order(ByteOrder.LITTLE_ENDIAN);
        for (int j = 0; j < 200; j++) {
            b.putFloat((float) (-1 + 2.0 * (i * 200 + j) / 599));
        }
        return b.array();
    }

    @Test
    void validLz4ChunksReadAsWrittenAndHostileBlocksAreRefusedNamingTheFile() throws Exception {
        Path valid = lz4File("lz4.h5", lz4Chunk(800, literals(row(0))), lz4Chunk(800, literals(row(1))),
                lz4Chunk(800, literals(row(2))));
        try (WaveformFileReader r = WaveformFileReader.open(valid)) {
            float[] row = new float[200];
            for (int i = 0; i < 3; i++) {
                r.read(i, row);
                ByteBuffer expected = ByteBuffer.wrap(row(i)).order(ByteOrder.LITTLE_ENDIAN);
                for (int j = 0; j < 200; j++) {
                    assertThat(row[j]).isEqualTo(expected.getFloat());
                }
            }
        }
        byte[] before = {0x40, 1, 2, 3, 4, (byte) 0xFF, (byte) 0xFF, 0x50, 1, 2, 3, 4, 5}; // a match 65535 back
        byte[] longer = {(byte) 0xF0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 20, 1, 2, 3}; // 800 literals, 3 stored
        byte[] shorter = literals(java.util.Arrays.copyOf(row(1), 100)); // 100 bytes of 800
        int n = 0;
        for (byte[] block : List.of(before, longer, shorter)) {
            Path file = lz4File("hostile" + n++ + ".h5", lz4Chunk(800, literals(row(0))), lz4Chunk(800, block),
                    lz4Chunk(800, literals(row(2))));
            Throwable t = catchThrowable(() -> MutatedH5pyFilesTest.readSeed(file));
            assertThat(t).isInstanceOf(IOException.class).hasMessageContaining(file.toString())
                    .hasMessageContaining("/wav").hasMessageContaining("LZ4");
        }
    }
}
