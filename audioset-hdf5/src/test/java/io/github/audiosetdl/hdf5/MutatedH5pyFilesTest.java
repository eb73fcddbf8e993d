package io.github.audiosetdl.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.AudioSetException;
import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.Mutations;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files as h5py writes them by default ({@code libver='earliest'}: version-1 object headers, which have no signature,
 * symbol-table groups, version-1 B-trees), in the seed layout ({@code /wav}, {@code /labels}) and PANNs' ({@code S20}
 * names), contiguous, chunked and gzip-compressed, damaged where they declare sizes: each read ends within
 * {@link Mutations#MAX_MILLIS}, allocates at most {@link Mutations#MAX_ALLOCATED}, and fails only with an
 * {@link IOException} naming the file. jhdf allocates a version-1 header's declared size of messages, and a
 * continuation's declared block, before it reads them: up to 2 GB from a 6 kB file.
 */
class MutatedH5pyFilesTest {
    private static final Class<?>[] DOCUMENTED = {IOException.class, AudioSetException.class,
        UncheckedIOException.class};
    /** What a damaged size is set to: 1 GB (allocated, then read), and the largest array jhdf can allocate. */
    private static final int[] HUGE = {0x4000_0000, 0x7fff_fff0};
    /** A version-1 message's header: type (2), size (2), flags (1), reserved (3). */
    private static final int MESSAGE = 8;

    @TempDir
    Path dir;

    /** Where a version-1 object header's fields are: its own address, and its continuation messages' data. */
    record Header(int at, int size, List<Integer> continuations) {
    }

    private Path write(String layout, boolean panns, String options) throws Exception {
        Path file = dir.resolve((panns ? "panns_" : "seed_") + layout + ".h5");
        if (panns) {
            WaveformFileTest.h5py(file, panns(options));
        } else {
            WaveformFileTest.h5py(file, "o = " + options,
                    "w = np.linspace(-1, 1, 600, dtype=np.float32).reshape(3, 200)",
                    "f.create_dataset('wav', data=w, **o)",
                    "l = np.zeros((3, 527), bool); l[0, 5] = True",
                    "f.create_dataset('labels', data=l, **o)",
                    "f.attrs['size'] = 3", "f.attrs['sample_rate'] = 100");
        }
        return file;
    }

    /**
     * @param options h5py's options of each dataset, a Python dict
     * @return the lines that write a PANNs file of 3 clips of 200 samples ({@code f} open)
     */
    static String[] panns(String options) {
        return new String[] {"o = " + options,
            "n = np.array([b'Y%010d.wav' % i for i in range(3)], dtype='S20')",
            "f.create_dataset('audio_name', data=n, **o)",
            "f.create_dataset('waveform', data=np.arange(600, dtype=np.int16).reshape(3, 200), **o)",
            "t = np.zeros((3, 527), bool); t[1, 3] = True",
            "f.create_dataset('target', data=t, **o)",
            "f.attrs['sample_rate'] = 100"};
    }

    /**
     * Reads every row and its labels (in blocks of {@link WaveformFileReader#labelBlockRows()}, as it documents), as
     * {@code cochleagram --in} does.
     */
    static void readSeed(Path file) throws IOException {
        try (WaveformFileReader r = WaveformFileReader.open(file)) {
            float[] row = new float[r.rowLength()];
            r.labels(0, (int) Math.min(r.size(), r.labelBlockRows()));
            for (long i = r.size() - 1; i >= 0; i--) {
                r.read(i, row);
            }
        }
    }

    static void readPanns(Path file) throws IOException {
        try (PannsFileReader r = PannsFileReader.open(file)) {
            short[] row = new short[r.clipSamples()];
            for (long i = 0; i < r.size(); i++) {
                r.read(i, row);
                r.labels(i);
                r.audioName(i);
            }
            int block = (int) Math.min(r.size(), r.blockRows()); // at most a block, as it documents
            r.audioNames(0, block);
            r.labels(0, block);
        }
    }

    /**
     * The version-1 object headers of a valid file, found by their structure: at a multiple of 8 bytes, version 1,
     * a reserved 0, 1 to 4,096 messages, and messages (each at a multiple of 8 bytes) that fill the declared size.
     */
    static List<Header> versionOneHeaders(byte[] b) {
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        List<Header> found = new ArrayList<>();
        for (int at = 0; at + 16 + MESSAGE <= b.length; at += 8) {
            int count = Short.toUnsignedInt(le.getShort(at + 2));
            long size = Integer.toUnsignedLong(le.getInt(at + 8));
            if (b[at] != 1 || b[at + 1] != 0 || count < 1 || count > 4096 || size < MESSAGE
                    || at + 16 + size > b.length) {
                continue;
            }
            List<Integer> continuations = new ArrayList<>();
            int end = at + 16 + (int) size;
            int m = at + 16;
            while (m + MESSAGE <= end) {
                int type = Short.toUnsignedInt(le.getShort(m));
                int data = Short.toUnsignedInt(le.getShort(m + 2));
                if (type > 0x18 || m + MESSAGE + data > end) {
                    break;
                }
                if (type == 0x10) {
                    continuations.add(m + MESSAGE);
                }
                m = (m + MESSAGE + data + 7) & ~7;
            }
            if (m == end) {
                found.add(new Header(at, (int) size, continuations));
            }
        }
        return found;
    }

    private static Mutations.Mutant setInt(byte[] valid, String name, int at, int value) {
        return new Mutations.Mutant(name, () -> {
            byte[] m = valid.clone();
            ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
            return m;
        });
    }

    /**
     * Each version-1 header's size of messages, and each continuation's size, set huge; each continuation pointed at
     * its own header's first block, with the count of messages at its most (jhdf follows the loop until the count
     * runs out).
     */
    static List<Mutations.Mutant> damagedSizes(byte[] valid, List<Header> headers) {
        List<Mutations.Mutant> mutants = new ArrayList<>();
        for (Header h : headers) {
            for (int huge : HUGE) {
                mutants.add(setInt(valid, String.format("header at %d: messages of 0x%08x bytes", h.at(), huge),
                        h.at() + 8, huge));
                for (int c : h.continuations()) {
                    mutants.add(setInt(valid, String.format("header at %d: continuation at %d of 0x%08x bytes",
                            h.at(), c, huge), c + 8, huge));
                }
            }
            for (int c : h.continuations()) {
                mutants.add(new Mutations.Mutant("header at " + h.at() + ": continuation at " + c + " to itself",
                        () -> {
                            byte[] m = valid.clone();
                            ByteBuffer le = ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
                            le.putShort(h.at() + 2, (short) 0xffff);
                            le.putLong(c, h.at() + 16);
                            le.putLong(c + 8, h.size());
                            return m;
                        }));
            }
        }
        return mutants;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            contiguous | false | {}
            chunked    | false | dict(chunks=True)
            gzip       | false | dict(chunks=True, compression='gzip')
            contiguous | true  | {}
            chunked    | true  | dict(chunks=True)
            gzip       | true  | dict(chunks=True, compression='gzip')
            """)
    void versionOneHeadersDeclaringHugeSizesAreRefusedBeforeJhdfAllocatesThem(String layout, boolean panns,
            String options) throws Exception {
        Path file = write(layout, panns, options);
        Mutations.Reader reader = panns ? MutatedH5pyFilesTest::readPanns : MutatedH5pyFilesTest::readSeed;
        reader.read(file); // valid
        byte[] valid = Files.readAllBytes(file);
        List<Header> headers = versionOneHeaders(valid);
        assertThat(headers).as("the version-1 object headers: the root group and 3 or 2 datasets")
                .hasSize(panns ? 4 : 3);
        assertThat(headers.stream().mapToInt(h -> h.continuations().size()).sum()).as("continuations")
                .isPositive();
        assertThat(Mutations.check(dir.resolve("m.h5"), damagedSizes(valid, headers), reader, DOCUMENTED))
                .isEmpty();
    }

    /**
     * A chunked dataset's index (a version-1 B-tree of 120 chunks: a root above two leaves) damaged into loops: the
     * root listing itself as a child (jhdf recursed until {@link StackOverflowError}, which the reader reports), and a
     * root appended to the file listing the first leaf 65,535 times (jhdf read the leaf 65,535 times, 4 million
     * chunks); now a node's ninth read is refused.
     */
    @Test
    void aChunkIndexThatLoopsIsRefused() throws Exception {
        Path file = dir.resolve("tree.h5");
        WaveformFileTest.h5py(file,
                "w = np.linspace(-1, 1, 600, dtype=np.float32).reshape(3, 200)",
                "f.create_dataset('wav', data=w, chunks=(1, 5))",
                "f.create_dataset('labels', data=np.zeros((3, 527), bool))",
                "f.attrs['size'] = 3", "f.attrs['sample_rate'] = 100");
        readSeed(file);
        byte[] valid = Files.readAllBytes(file);
        ByteBuffer le = ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN);
        int root = -1;
        for (int at = 0; at + 8 <= valid.length && root < 0; at++) {
            if (valid[at] == 'T' && valid[at + 1] == 'R' && valid[at + 2] == 'E' && valid[at + 3] == 'E'
                    && valid[at + 4] == 1 && valid[at + 5] == 1) {
                root = at; // a node of chunks (type 1) above the leaves (level 1)
            }
        }
        assertThat(root).isPositive();
        assertThat(le.getShort(root + 6)).as("the root's children").isEqualTo((short) 2);
        // after a node's 24-byte header: key i (size, filter mask, 3 offsets: 32 bytes), then child i
        int node = root;
        List<Mutations.Mutant> mutants = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int child = node + 24 + (i + 1) * 32 + i * 8;
            mutants.add(new Mutations.Mutant("child " + i + " of the root at " + node + " set to it", () -> {
                byte[] m = valid.clone();
                ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putLong(child, node);
                return m;
            }));
        }
        long leaf = le.getLong(node + 24 + 32);
        int pointer = -1; // the layout message's address of the index: the only 8 bytes holding the root's address
        for (int at = 0; at + 8 <= valid.length; at++) {
            if (le.getLong(at) == root) {
                assertThat(pointer).as("one pointer to the root").isNegative();
                pointer = at;
            }
        }
        int layout = pointer;
        mutants.add(new Mutations.Mutant("a root listing the leaf at " + leaf + " 65,535 times", () -> {
            int entries = 0xffff;
            int start = (valid.length + 7) & ~7;
            ByteBuffer m = ByteBuffer.allocate(start + 24 + (entries + 1) * 32 + entries * 8)
                    .order(ByteOrder.LITTLE_ENDIAN);
            m.put(valid).putLong(layout, start).position(start);
            m.put(new byte[] {'T', 'R', 'E', 'E', 1, 1}).putShort((short) entries).putLong(-1).putLong(-1);
            for (int i = 0; i < entries; i++) {
                m.putInt(20).putInt(0).putLong(0).putLong(0).putLong(0).putLong(leaf);
            }
            return m.array(); // the last key: zeros
        }));
        assertThat(Mutations.check(dir.resolve("m.h5"), mutants, MutatedH5pyFilesTest::readSeed, DOCUMENTED))
                .isEmpty();
    }

    /**
     * Valid files still read: h5py's default layout with a user block (addresses relative to byte 512, and 1024 for
     * {@code libver='latest'}), a dataset whose 40 attributes spill into continuation blocks, a chunked gzip /wav,
     * several datasets in one group.
     */
    @ParameterizedTest(name = "user block {0}, libver {1}")
    @CsvSource({"0, earliest", "512, earliest", "1024, latest", "0, latest"})
    void validFilesWithUserBlocksAndContinuationsStillRead(int userBlock, String libver) throws Exception {
        Path file = dir.resolve("valid.h5");
        ExternalTools.check(List.of(
                ExternalTools.requirePythonWithH5py().toString(), "-c",
                String.join("\n", "import sys, h5py, numpy as np",
                        "ub = int(sys.argv[2])",
                        "f = h5py.File(sys.argv[1], 'w', libver=sys.argv[3], **({'userblock_size': ub} if ub else {}))",
                        "w = f.create_dataset('wav', data=np.linspace(-1, 1, 600, dtype=np.float32).reshape(3, 200),",
                        "                     chunks=(1, 100), compression='gzip')",
                        "for i in range(40): w.attrs['a%02d' % i] = np.arange(25, dtype=np.int32)",
                        "l = np.zeros((3, 527), bool); l[2, 7] = True",
                        "f.create_dataset('labels', data=l)",
                        "for i in range(12): f.create_dataset('extra%02d' % i, data=np.arange(i + 1))",
                        "f.attrs['size'] = 3; f.attrs['sample_rate'] = 100",
                        "f.close()"), file.toString(), Integer.toString(userBlock), libver));
        if (libver.equals("earliest")) {
            assertThat(versionOneHeaders(Files.readAllBytes(file)).stream()
                    .mapToInt(h -> h.continuations().size()).sum()).as("continuations").isGreaterThanOrEqualTo(2);
        }
        try (WaveformFileReader r = WaveformFileReader.open(file)) {
            assertThat(r.size()).isEqualTo(3);
            float[] row = new float[200];
            r.read(2, row);
            assertThat(row[199]).isEqualTo(1f);
            assertThat(r.labels(2)[7]).isEqualTo((byte) 1);
        }
    }

    /**
     * Every 4-byte word of the file set to huge values (little-endian, as HDF5 stores sizes), a sample of 400, and
     * the file truncated at a sample of offsets.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            contiguous | false | {}
            gzip       | false | dict(chunks=True, compression='gzip')
            chunked    | true  | dict(chunks=True)
            """)
    void anyWordSetHugeEndsInBoundedTimeAndMemory(String layout, boolean panns, String options) throws Exception {
        Path file = write(layout, panns, options);
        Mutations.Reader reader = panns ? MutatedH5pyFilesTest::readPanns : MutatedH5pyFilesTest::readSeed;
        byte[] valid = Files.readAllBytes(file);
        List<Mutations.Mutant> words = new ArrayList<>();
        for (Mutations.Mutant m : Mutations.of(valid, 0, valid.length, 65, 0)) {
            if (m.name().contains("LITTLE_ENDIAN") || m.name().startsWith("long")
                    || m.name().startsWith("truncated")) {
                words.add(m);
            }
        }
        assertThat(Mutations.check(dir.resolve("m.h5"), Mutations.sample(words, 400, 66), reader, DOCUMENTED))
                .isEmpty();
    }

    /**
     * A version-1 header declaring more messages than {@link Mutations#MAX_ALLOCATED} in a file large enough to hold
     * them (sparse): refused by the maximum, not by the file's end.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"false", "true"})
    void aHeaderLargerThanAnyValidOneIsRefusedInALargeFile(boolean panns) throws Exception {
        Path file = write("contiguous", panns, "{}");
        Mutations.Reader reader = panns ? MutatedH5pyFilesTest::readPanns : MutatedH5pyFilesTest::readSeed;
        byte[] valid = Files.readAllBytes(file);
        List<Mutations.Mutant> mutants = new ArrayList<>();
        for (Header h : versionOneHeaders(valid)) {
            mutants.add(setInt(valid, "header at " + h.at() + ": messages of 80 MB", h.at() + 8, 80 << 20));
        }
        assertThat(Mutations.check(dir.resolve("m.h5"), mutants, p -> {
            try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                f.setLength(96L << 20); // sparse: zeros the headers may declare
            }
            reader.read(p);
        }, DOCUMENTED)).isEmpty();
    }
}
