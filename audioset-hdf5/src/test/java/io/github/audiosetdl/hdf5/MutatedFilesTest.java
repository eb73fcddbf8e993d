package io.github.audiosetdl.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.AudioSetException;
import io.github.audiosetdl.core.pipeline.FeatureStage;
import io.github.audiosetdl.core.spi.FeatureSink;
import io.github.audiosetdl.core.spi.WaveformSource;
import io.github.audiosetdl.core.testing.Mutations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed layout's files on deterministic mutations: its {@code _metadata.npy} and a cochleagram's
 * {@code _average.npy} (truncated at every offset of the header, each header byte overwritten, lengths set to huge
 * and negative values), and its HDF5 files truncated and overwritten past their first 4 kB (the rows, the labels, the
 * ids). Each read ends within seconds, allocates no more than the file warrants, and fails only with an
 * {@link IOException} naming the file. The first 4 kB of the HDF5 files (superblock, object headers) are jhdf's to
 * parse, and random damage there can make jhdf allocate what a damaged structure declares before any read reaches
 * our code; the case we can check, a version-2 object header declaring messages beyond the file's end, is tested
 * on every such header of the files.
 */
class MutatedFilesTest {
    private static final Class<?>[] DOCUMENTED = {IOException.class, AudioSetException.class,
        UncheckedIOException.class};

    @TempDir
    Path dir;

    private Path made() throws IOException {
        Path made = Files.createDirectories(dir.resolve("made"));
        Path wav = WaveformFileTest.writeRows(made.resolve("t.hdf5"), 3);
        try (WaveformSource source = Hdf5DatasetStore.INSTANCE.openWaveforms(wav);
                FeatureSink sink = Hdf5DatasetStore.INSTANCE.createFeatures(made.resolve("t_Coch.hdf5"), source,
                        CochleagramFileTest.TOY)) {
            FeatureStage.builder().extractor(CochleagramFileTest.TOY).threads(1).build().run(source, sink);
        }
        return made;
    }

    /** @return a folder holding the side files of {@link #made()}'s files, where their damaged copies are read */
    private Path work(Path made) throws IOException {
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.copy(made.resolve("t_metadata.npy"), work.resolve("t_metadata.npy"));
        Files.copy(made.resolve("t_average.npy"), work.resolve("t_average.npy"));
        return work;
    }

    private static void readAll(Path file) throws IOException {
        try (WaveformFileReader r = WaveformFileReader.open(file)) {
            float[] row = new float[r.rowLength()];
            for (long i = 0; i < r.size(); i++) {
                r.read(i, row);
                r.labels(i);
                if (r.hasMetadata()) {
                    r.metadata(i);
                }
                if (r.hasIds()) {
                    r.ytid(i);
                }
            }
        }
    }

    @Test
    void npyFiles() throws Exception {
        Path made = made();
        byte[] meta = Files.readAllBytes(made.resolve("t_metadata.npy"));
        List<Mutations.Mutant> mutants = Mutations.sample(Mutations.of(meta, 160, 61, 100), 1500, 61);
        assertThat(Mutations.check(dir.resolve("m_metadata.npy"), mutants, p -> NpyFiles.readMetadata(p, m -> { }),
                DOCUMENTED)).isEmpty();
        byte[] average = Files.readAllBytes(made.resolve("t_average.npy"));
        mutants = Mutations.sample(Mutations.of(average, 160, 62, 40), 1500, 62);
        assertThat(Mutations.check(dir.resolve("a.npy"), mutants, NpyFiles::readFloat32, DOCUMENTED)).isEmpty();
    }

    @Test
    void hdf5PastTheirObjectHeaders() throws Exception {
        Path made = made();
        Path work = work(made);
        byte[] wav = Files.readAllBytes(made.resolve("t.hdf5"));
        assertThat(Mutations.check(work.resolve("t.hdf5"), Mutations.of(wav, 4096, 4096, 63, 120),
                MutatedFilesTest::readAll, DOCUMENTED)).isEmpty();
        byte[] coch = Files.readAllBytes(made.resolve("t_Coch.hdf5"));
        assertThat(Mutations.check(work.resolve("t_Coch.hdf5"), Mutations.of(coch, 4096, 4096, 64, 120), p -> {
            try (CochleagramFileReader r = CochleagramFileReader.open(p)) {
                float[] row = new float[r.channels() * r.frames()];
                for (long i = 0; i < r.size(); i++) {
                    r.read(i, row);
                    r.labels(i);
                }
                r.average();
            }
        }, DOCUMENTED)).isEmpty();
    }

    /**
     * Each version-2 object header of {@code valid} ({@code OHDR}, version 2) with the size of its first chunk of
     * messages set to the largest its field holds (at most {@code 0x7ffffff0}: jhdf reads it as an int).
     */
    private static List<Mutations.Mutant> hugeObjectHeaders(byte[] valid) {
        List<Mutations.Mutant> mutants = new ArrayList<>();
        for (int at = 0; at + 6 <= valid.length; at++) {
            if (valid[at] != 'O' || valid[at + 1] != 'H' || valid[at + 2] != 'D' || valid[at + 3] != 'R'
                    || valid[at + 4] != 2) {
                continue;
            }
            int flags = valid[at + 5] & 0xFF;
            int field = at + 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
            int width = 1 << (flags & 3);
            if (width < 4 || field + width > valid.length) {
                continue; // a 1- or 2-byte size declares at most 64 kB
            }
            mutants.add(new Mutations.Mutant("object header at " + at + ": messages of 0x7ffffff0 bytes", () -> {
                byte[] b = valid.clone();
                Arrays.fill(b, field, field + width, (byte) 0);
                b[field] = (byte) 0xf0;
                b[field + 1] = (byte) 0xff;
                b[field + 2] = (byte) 0xff;
                b[field + 3] = (byte) 0x7f;
                return b;
            }));
        }
        return mutants;
    }

    @Test
    void objectHeadersDeclaringHugeMessagesAreRefusedBeforeJhdfAllocatesThem() throws Exception {
        Path made = made();
        Path work = work(made);
        byte[] wav = Files.readAllBytes(made.resolve("t.hdf5"));
        List<Mutations.Mutant> mutants = hugeObjectHeaders(wav);
        assertThat(mutants).as("the waveform file's version-2 object headers").isNotEmpty();
        assertThat(Mutations.check(work.resolve("t.hdf5"), mutants, MutatedFilesTest::readAll, DOCUMENTED))
                .isEmpty();
        byte[] coch = Files.readAllBytes(made.resolve("t_Coch.hdf5"));
        mutants = hugeObjectHeaders(coch);
        assertThat(mutants).as("the cochleagram file's version-2 object headers").isNotEmpty();
        assertThat(Mutations.check(work.resolve("t_Coch.hdf5"), mutants, p -> {
            try (CochleagramFileReader r = CochleagramFileReader.open(p)) {
                r.average();
            }
        }, DOCUMENTED)).isEmpty();
    }
}
