package io.github.audiosetdl.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.AudioSetException;
import io.github.audiosetdl.core.StrongEvent;
import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.Mutations;
import io.jhdf.checksum.ChecksumUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files as h5py writes them with {@code libver='latest'}: version-2 object headers (signed, {@code OHDR}) whose
 * messages spill into continuation blocks ({@code OCHK}), attributes and links stored densely (a fractal heap and a
 * version-2 B-tree), and chunk indices of every kind (a fixed array, an extensible array, a version-2 B-tree, a
 * single chunk). Each is read whole as it was written; then damaged: bytes and words overwritten and the file cut
 * short (a damaged file: the checksums no longer match), and the same with every checksum recomputed (a hostile file,
 * which jhdf's checksums do not stop). Each read ends within {@link Mutations#MAX_MILLIS}, allocates at most
 * {@link Mutations#MAX_ALLOCATED}, and fails only with an {@link IOException} naming the file.
 */
class MutatedLatestFilesTest {
    private static final Class<?>[] DOCUMENTED = {IOException.class, AudioSetException.class,
        UncheckedIOException.class};
    /** The signatures of the structures a checksum ends (the superblock's is found from its start). */
    private static final String[] SIGNED = {"OHDR", "OCHK", "FRHP", "FHDB", "FHIB", "BTHD", "BTIN", "BTLF", "FAHD",
        "FADB", "EAHD", "EAIB", "EASB", "EADB"};
    /** The longest structure looked for. */
    private static final int MAX_SIGNED = 8192;
    /** Mutants read per file, of each kind. */
    private static final int SAMPLE = 150;

    @TempDir
    Path dir;

    /** A checksummed structure: its bytes {@code [from, to)}, its checksum at {@code to}. */
    record Signed(int from, int to) {
    }

    /** Writes a file with h5py at {@code libver='latest'}, running {@code lines} with {@code f} open. */
    static void latest(Path file, String... lines) throws Exception {
        List<String> script = new ArrayList<>(List.of("import sys, h5py, numpy as np",
                "f = h5py.File(sys.argv[1], 'w', libver='latest')"));
        script.addAll(List.of(lines));
        script.add("f.close()");
        ExternalTools.check(List.of(ExternalTools.requirePythonWithH5py().toString(), "-c",
                String.join("\n", script), file.toString()));
    }

    /** The seed layout's rows: {@code /wav} 3 x 200, {@code /labels} 3 x 527, with {@code options}. */
    private static String[] seed(String wav, String labels, String... more) {
        List<String> lines = new ArrayList<>(List.of(
                "w = f.create_dataset('wav', data=np.linspace(-1, 1, 600, dtype=np.float32).reshape(3, 200)" + wav
                        + ")",
                "l = np.zeros((3, 527), bool); l[0, 5] = True; l[2, 526] = True",
                "f.create_dataset('labels', data=l" + labels + ")",
                "f.attrs['size'] = 3", "f.attrs['sample_rate'] = 100"));
        lines.addAll(List.of(more));
        return lines.toArray(String[]::new);
    }

    /** Writes the file of {@code kind}. */
    private Path write(String kind) throws Exception {
        Path file = dir.resolve(kind + ".h5");
        switch (kind) {
            case "dense" -> latest(file, seed("", "",
                    "for i in range(12): f.attrs['x%02d' % i] = np.arange(i + 1)",
                    "for i in range(10): f.create_dataset('extra%02d' % i, data=np.arange(i + 1))",
                    "for i in range(30): w.attrs['a%02d' % i] = np.arange(20, dtype=np.int32)"));
            case "compact" -> latest(file, seed("", "",
                    "for i in range(6): w.attrs['a%02d' % i] = np.arange(200, dtype=np.int32)"));
            case "fixed" -> latest(file, seed(", chunks=(1, 40), compression='gzip'", ", chunks=(1, 100)"));
            case "extensible" -> latest(file, seed(", chunks=(1, 25), maxshape=(None, 200)",
                    ", chunks=(1, 527), maxshape=(None, 527), compression='gzip'"));
            case "btree" -> latest(file, seed(", chunks=(1, 40), maxshape=(None, None), compression='gzip'",
                    ", chunks=(2, 100), maxshape=(None, None)"));
            case "single" -> latest(file, seed(", chunks=(3, 200), compression='gzip', shuffle=True",
                    ", chunks=(3, 527)"));
            case "lzf" -> latest(file, seed(", chunks=(1, 50), compression='lzf'", ", chunks=(1, 527)"));
            case "panns" -> latest(file, MutatedH5pyFilesTest.panns("dict(chunks=True, compression='gzip')"));
            case "strong" -> latest(file, seed("", "", "s = np.zeros((3, 64, 4), np.uint8); s[2, 3:5, 1] = 1",
                    "f.create_dataset('strong', data=s, chunks=(1, 64, 4), compression='gzip')",
                    "f['strong'].attrs['frame_seconds'] = 1.0",
                    "f.create_dataset('strong_mids', data=np.array([b'/m/a', b'/m/b', b'/m/c', b'/m/d'],"
                            + " dtype='S16'), chunks=(16,), maxshape=(None,), compression='gzip')"));
            case "coch" -> latest(file, "c = f.create_dataset('coch', data=np.linspace(0, 1, 600,"
                    + " dtype=np.float32).reshape(3, 200), chunks=(1, 200), maxshape=(None, 200), compression='gzip')",
                    "c.attrs['channels'] = 4", "c.attrs['frames'] = 50", "f.attrs['size'] = 3");
            default -> throw new IllegalArgumentException(kind);
        }
        return file;
    }

    private static Mutations.Reader reader(String kind) {
        return switch (kind) {
            case "panns" -> MutatedH5pyFilesTest::readPanns;
            case "strong" -> MutatedLatestFilesTest::readStrong;
            case "coch" -> GzipBombTest::readCoch;
            default -> MutatedH5pyFilesTest::readSeed;
        };
    }

    /** Reads every row's strong labels, when the file has them (a damaged name: it has none, the seed's case). */
    private static void readStrong(Path file) throws IOException {
        boolean present;
        try (StrongLabelsReader r = StrongLabelsReader.open(file).orElse(null)) {
            present = r != null;
        }
        if (present) {
            GzipBombTest.readStrong(file);
        }
    }

    /** Reads the file whole and checks what it holds. */
    private static void readsAsWritten(String kind, Path file) throws IOException {
        if (kind.equals("strong")) {
            try (StrongLabelsReader r = StrongLabelsReader.open(file).orElseThrow()) {
                assertThat(r.events(2)).containsExactly(new StrongEvent("/m/b", 3, 5));
            }
        }
        if (kind.equals("coch")) {
            try (CochleagramFileReader r = CochleagramFileReader.open(file)) {
                float[] row = new float[200];
                r.read(2, row);
                assertThat(row[199]).isEqualTo(1f);
            }
            return;
        }
        if (kind.equals("panns")) {
            try (PannsFileReader r = PannsFileReader.open(file)) {
                assertThat(r.size()).isEqualTo(3);
                short[] row = new short[r.clipSamples()];
                r.read(2, row);
                assertThat(row[199]).isEqualTo((short) 599);
                assertThat(r.labels(1)[3]).isEqualTo((byte) 1);
                assertThat(r.audioName(2)).isEqualTo("Y0000000002.wav");
            }
            return;
        }
        try (WaveformFileReader r = WaveformFileReader.open(file)) {
            assertThat(r.size()).isEqualTo(3);
            assertThat(r.sampleRate()).isEqualTo(100);
            float[] row = new float[200];
            for (int i = 0; i < 3; i++) {
                r.read(i, row);
                for (int j = 0; j < 200; j++) {
                    assertThat(row[j]).isEqualTo(-1f + 2f * (i * 200 + j) / 599, org.assertj.core.api.Assertions
                            .within(1e-6f));
                }
            }
            assertThat(r.labels(0)[5]).isEqualTo((byte) 1);
            assertThat(r.labels(2)[526]).isEqualTo((byte) 1);
            assertThat(r.labels(0, 3)).hasSize(3 * 527);
        }
        MutatedH5pyFilesTest.readSeed(file);
    }

    /**
     * The checksummed structures of a valid file: at each signature, the shortest run of bytes whose checksum (Jenkins
     * lookup3, as HDF5's) follows it; the superblock (version 2 or 3) likewise.
     */
    static List<Signed> signed(byte[] b) {
        List<Signed> found = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        if (b.length > 9 && b[0] == (byte) 0x89 && b[8] >= 2) {
            starts.add(0);
        }
        for (int at = 0; at + 4 <= b.length; at++) {
            for (String s : SIGNED) {
                if (Arrays.equals(b, at, at + 4, s.getBytes(StandardCharsets.US_ASCII), 0, 4)) {
                    starts.add(at);
                }
            }
        }
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int from : starts) {
            for (int to = from + 8; to + 4 <= b.length && to - from <= MAX_SIGNED; to++) {
                if (ChecksumUtils.checksum(Arrays.copyOfRange(b, from, to)) == le.getInt(to)) {
                    found.add(new Signed(from, to));
                    break;
                }
            }
        }
        return found;
    }

    /** @return {@code m} with every structure's checksum recomputed over its (damaged) bytes */
    static byte[] resigned(byte[] m, List<Signed> structures) {
        ByteBuffer le = ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
        for (Signed s : structures) {
            if (s.to() + 4 <= m.length) {
                le.putInt(s.to(), ChecksumUtils.checksum(Arrays.copyOfRange(m, s.from(), s.to())));
            }
        }
        return m;
    }

    /** Bytes overwritten, words set huge and the file cut short, over the whole file. */
    private static List<Mutations.Mutant> damaged(byte[] valid) {
        return Mutations.of(valid, 0, valid.length, 67, 0);
    }

    @org.junit.jupiter.api.Test
    void aHeaderWhoseMessagesSpillIntoContinuationBlocksReadsAsWritten() throws Exception {
        readsAsWritten("compact", write("compact"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense", "fixed", "extensible", "btree", "single", "lzf", "panns", "strong", "coch"})
    void validFilesReadAndDamagedOnesEndInBoundedTimeAndMemory(String kind) throws Exception {
        Path file = write(kind);
        readsAsWritten(kind, file);
        byte[] valid = Files.readAllBytes(file);
        List<Signed> structures = signed(valid);
        assertThat(structures).as("checksummed structures").hasSizeGreaterThan(3);
        List<Mutations.Mutant> all = damaged(valid);
        List<Mutations.Mutant> mutants = new ArrayList<>(Mutations.sample(all, SAMPLE, 68));
        for (Mutations.Mutant m : Mutations.sample(all, SAMPLE, 69)) {
            mutants.add(new Mutations.Mutant(m.name() + ", checksums recomputed",
                    () -> resigned(m.bytes(), structures)));
        }
        List<Mutations.Mutant> words = new ArrayList<>(); // in the signed structures, where the sizes are
        for (Signed st : structures) {
            for (int at = st.from(); at + 4 <= st.to(); at++) {
                for (long v : new long[] {0x4000_0000L, 0x7fff_fff0L}) {
                    words.add(hostile(valid, structures, "int at " + at + " set to " + v, at, 4, v));
                }
            }
        }
        mutants.addAll(Mutations.sample(words, SAMPLE, 70));
        assertThat(Mutations.check(dir.resolve("m.h5"), mutants, reader(kind), DOCUMENTED)).isEmpty();
    }

    /**
     * @return where the filter pipeline messages' LZF filters start: the id (32000), the name's length (4,
     *     {@code "lzf\0"}), flags, 3 parameters, the name, then the parameters (4 bytes each)
     */
    private static int[] lzfFilters(byte[] valid, List<Signed> structures) {
        ByteBuffer le = ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN);
        return structures.stream().flatMapToInt(s -> java.util.stream.IntStream.range(s.from(), s.to() - 8))
                .filter(at -> le.getShort(at) == 32000 && le.getShort(at + 2) == 4 && le.getShort(at + 6) == 3)
                .toArray();
    }

    private static int[] find(byte[] b, String signature) {
        byte[] s = signature.getBytes(StandardCharsets.US_ASCII);
        return java.util.stream.IntStream.range(0, b.length - s.length)
                .filter(at -> Arrays.equals(b, at, at + s.length, s, 0, s.length)).toArray();
    }

    /** A mutant: {@code width} bytes at {@code at} set to {@code value} (little-endian), checksums recomputed. */
    private static Mutations.Mutant hostile(byte[] valid, List<Signed> structures, String name, int at, int width,
            long value) {
        return new Mutations.Mutant(name + " (checksums recomputed)", () -> {
            byte[] m = valid.clone();
            for (int i = 0; i < width; i++) {
                m[at + i] = (byte) (value >>> (8 * i));
            }
            return resigned(m, structures);
        });
    }

    /**
     * A version-2 object header's continuation blocks ({@code OCHK}) declared huge, and one listing itself (jhdf
     * allocated the declared size, 2 GB, before reading it, and followed the loop until its stack overflowed); a fixed
     * array's count of entries, and an extensible array's counts, set huge (jhdf allocated a list of that many chunks
     * and a data block of that many entries); a version-2 B-tree's node size and count of records (jhdf allocated
     * each), and its root listing itself as a child (jhdf recursed until its stack overflowed); an LZF filter's chunk
     * size (jhdf allocated it for each chunk); every checksum valid, as a hostile file's are.
     */
    @ParameterizedTest
    @ValueSource(strings = {"compact", "fixed", "extensible", "lzf", "dense", "btree"})
    void hostileSizesAndLoopsWithValidChecksumsAreRefused(String kind) throws Exception {
        Path file = write(kind);
        byte[] valid = Files.readAllBytes(file);
        List<Signed> structures = signed(valid);
        ByteBuffer le = ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN);
        List<Mutations.Mutant> mutants = new ArrayList<>();
        long[] huge = {0x4000_0000L, 0x7fff_fff0L, 0xffff_ffffL, Long.MAX_VALUE};
        switch (kind) {
            case "compact" -> {
                int[] blocks = find(valid, "OCHK");
                assertThat(blocks).as("continuation blocks").hasSizeGreaterThanOrEqualTo(2);
                for (int at = 0; at + 16 <= valid.length; at++) {
                    long offset = le.getLong(at);
                    if (Arrays.stream(blocks).anyMatch(b -> b == offset)) {
                        for (long v : huge) {
                            mutants.add(hostile(valid, structures, "continuation at " + at + " of " + v + " bytes",
                                    at + 8, 8, v));
                        }
                    }
                }
                assertThat(mutants).as("continuation messages").hasSizeGreaterThanOrEqualTo(8);
                for (int b : blocks) {
                    Signed block = structures.stream().filter(x -> x.from() == b).findFirst().orElseThrow();
                    mutants.add(new Mutations.Mutant("continuation block at " + b + " listing itself", () -> {
                        byte[] m = valid.clone();
                        ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).position(b + 4).put((byte) 0x10)
                                .putShort((short) 16).put((byte) 0).putLong(b).putLong(block.to() + 4 - b);
                        return resigned(m, structures);
                    }));
                }
            }
            case "fixed" -> {
                int[] headers = find(valid, "FAHD");
                assertThat(headers).as("fixed arrays").hasSize(2);
                for (int h : headers) {
                    for (long v : huge) {
                        mutants.add(hostile(valid, structures, "fixed array at " + h + " of " + v + " entries",
                                h + 8, 8, v));
                    }
                }
            }
            case "dense", "btree" -> { // dense attributes and links; a chunk index
                int[] trees = find(valid, "BTHD");
                assertThat(trees).as("version-2 B-trees").hasSizeGreaterThanOrEqualTo(2);
                for (int t : trees) {
                    for (long v : huge) {
                        mutants.add(hostile(valid, structures, "B-tree at " + t + ": nodes of " + v + " bytes", t + 6,
                                4, v));
                        mutants.add(hostile(valid, structures, "B-tree at " + t + ": " + v + " records", t + 26, 8,
                                v));
                    }
                    int root = (int) le.getLong(t + 16);
                    mutants.add(new Mutations.Mutant("B-tree at " + t + ": its root, a leaf, made a node of no"
                            + " records whose one child is itself", () -> {
                                byte[] m = valid.clone();
                                ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putShort(t + 24, (short) 0)
                                        .put(root + 2, (byte) 'I').put(root + 3, (byte) 'N') // BTLF to BTIN
                                        .putLong(root + 6, root).putLong(root + 14, 0); // the child, its records
                                return resigned(m, structures);
                            }));
                }
            }
            case "lzf" -> {
                int[] filters = lzfFilters(valid, structures);
                assertThat(filters).as("LZF filters").hasSize(1);
                for (long v : huge) { // its third parameter: a chunk's size, which jhdf allocates
                    mutants.add(hostile(valid, structures, "LZF chunks of " + v + " bytes", filters[0] + 20, 4, v));
                }
            }
            default -> {
                int[] headers = find(valid, "EAHD");
                assertThat(headers).as("extensible arrays").hasSize(2);
                for (int h : headers) {
                    for (int field = 0; field < 6; field++) {
                        for (long v : huge) {
                            mutants.add(hostile(valid, structures, "extensible array at " + h + ": count " + field
                                    + " set to " + v, h + 12 + 8 * field, 8, v));
                        }
                    }
                }
            }
        }
        assertThat(Mutations.check(dir.resolve("m.h5"), mutants, reader(kind), DOCUMENTED)).isEmpty();
    }

    /**
     * A filter jhdf does not have (id 32001, Blosc: an LZF file's filter id patched, checksums recomputed) is refused
     * when the dataset is read, naming the file, the dataset and the filter.
     */
    @org.junit.jupiter.api.Test
    void anUnknownFilterIsRefusedNamingTheFileTheDatasetAndTheFilter() throws Exception {
        Path file = write("lzf");
        byte[] valid = Files.readAllBytes(file);
        List<Signed> structures = signed(valid);
        Path patched = dir.resolve("blosc.h5");
        byte[] m = valid.clone();
        int[] filters = lzfFilters(valid, structures);
        assertThat(filters).as("LZF filters in the pipeline messages").hasSize(1);
        ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putShort(filters[0], (short) 32001);
        Files.write(patched, resigned(m, structures));
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> MutatedH5pyFilesTest.readSeed(patched));
        assertThat(t).isInstanceOf(IOException.class).hasMessageContaining("blosc.h5").hasMessageContaining("/wav")
                .hasMessageContaining("32001");
    }
}
