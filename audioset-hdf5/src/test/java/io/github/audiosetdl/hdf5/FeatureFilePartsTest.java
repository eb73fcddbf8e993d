package io.github.audiosetdl.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.audiosetdl.core.Shard;
import io.github.audiosetdl.core.pipeline.FeatureStage;
import io.github.audiosetdl.core.spi.FeatureExtractor;
import io.github.audiosetdl.core.spi.FeatureSink;
import io.github.audiosetdl.core.spi.WaveformSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A feature file computed in parts ({@link FeatureFileParts}): the parts in any order plus the finish give the
 * rows, labels, metadata and average of the file one writer makes; a missing range is named; a part that was
 * interrupted is redone alone; parts of other parameters are refused.
 */
class FeatureFilePartsTest {
    private static final FeatureStage STAGE = FeatureStage.builder().extractor(CochleagramFileTest.TOY).threads(1)
            .build();

    @TempDir
    Path dir;

    @Test
    void partsInAnyOrderThenTheFinishGiveTheOneWriterFile() throws IOException {
        Path wav = WaveformFileTest.writeRows(dir.resolve("t.hdf5"), 11);
        Path single = dir.resolve("single/t_Coch.hdf5");
        Path split = dir.resolve("split/t_Coch.hdf5");
        try (WaveformSource source = Hdf5DatasetStore.INSTANCE.openWaveforms(wav)) {
            writeInOneProcess(single, source);
            for (int i : new int[] {3, 0, 2}) {
                assertThat(FeatureFileParts.computePart(split, source, STAGE, Shard.of(i, 4)).rows())
                        .isEqualTo(Shard.of(i, 4).size(11));
            }
            assertThatThrownBy(() -> FeatureFileParts.finish(split, source, STAGE.extractor()))
                    .hasMessageContaining("rows 2..4 of 11 are not computed yet");
            // An interrupted part: some rows written, no commit; the range stays to do and is redone alone.
            try (FeatureSink partial = FeatureFileParts.createPart(split, source, STAGE.extractor(), Shard.of(1, 4))) {
                partial.write(new float[STAGE.extractor().outputLength()]);
            }
            assertThat(FeatureFileParts.isDone(split, source, Shard.of(1, 4))).isFalse();
            assertThat(FeatureFileParts.computePart(split, source, STAGE, Shard.of(1, 4)).rows()).isEqualTo(3);
            assertThat(FeatureFileParts.computePart(split, source, STAGE, Shard.of(0, 4)).rows()).as("done already")
                    .isZero();

            assertThat(FeatureFileParts.finish(split, source, STAGE.extractor())).containsExactly(split,
                    dir.resolve("split/t_average.npy"));
        }
        assertThat(FeatureFileParts.workFolder(split)).doesNotExist();
        assertSameFiles(single, split, 11);
    }

    /** Asserts that the parts' file {@code split} has the rows, labels and average of {@code single}. */
    private static void assertSameFiles(Path single, Path split, long rows) throws IOException {
        try (CochleagramFileReader a = CochleagramFileReader.open(single);
                CochleagramFileReader b = CochleagramFileReader.open(split)) {
            assertThat(b.size()).isEqualTo(a.size()).isEqualTo(rows);
            float[] ra = new float[STAGE.extractor().outputLength()];
            float[] rb = new float[ra.length];
            for (long i = 0; i < rows; i++) {
                a.read(i, ra);
                b.read(i, rb);
                assertThat(rb).as("row %d", i).isEqualTo(ra);
                assertThat(b.labels(i)).isEqualTo(a.labels(i));
            }
        }
        assertThat(Files.readAllBytes(CochleagramFileWriter.averageFile(split)))
                .isEqualTo(Files.readAllBytes(CochleagramFileWriter.averageFile(single)));
    }

    /** Writes {@code file} as one process does, the reference of the parts. */
    private static void writeInOneProcess(Path file, WaveformSource source) throws IOException {
        try (FeatureSink sink = Hdf5DatasetStore.INSTANCE.createFeatures(file, source, STAGE.extractor())) {
            STAGE.run(source, sink);
        }
    }

    @Test
    void partsOfAnotherJobCountLeftBeforeAResubmissionDoNotStopTheFinish() throws IOException {
        Path wav = WaveformFileTest.writeRows(dir.resolve("t.hdf5"), 11);
        Path split = dir.resolve("split/t_Coch.hdf5");
        try (WaveformSource source = Hdf5DatasetStore.INSTANCE.openWaveforms(wav)) {
            writeInOneProcess(dir.resolve("single/t_Coch.hdf5"), source);
            // --cochleagram-jobs 2: task 0 (rows 0..4) done, task 1 out of time; resubmitted with 3 tasks
            FeatureFileParts.computePart(split, source, STAGE, Shard.of(0, 2));
            for (int i : new int[] {1, 2}) {
                FeatureFileParts.computePart(split, source, STAGE, Shard.of(i, 3));
            }
            assertThatThrownBy(() -> FeatureFileParts.finish(split, source, STAGE.extractor()))
                    .hasMessageContaining("the done parts 0..4, 3..6, 7..10 of 11 rows overlap");
            FeatureFileParts.computePart(split, source, STAGE, Shard.of(0, 3));
            assertThat(FeatureFileParts.finish(split, source, STAGE.extractor())).contains(split);
        }
        assertThat(Files.readAllBytes(dir.resolve("split/t_average.npy"))).as("each row summed once")
                .isEqualTo(Files.readAllBytes(dir.resolve("single/t_average.npy")));
    }

    @Test
    void moreTasksThanRowsLeaveNoPartsOfNoRowsAndTheFinishGivesTheOneWriterFile() throws IOException {
        Path wav = WaveformFileTest.writeRows(dir.resolve("t.hdf5"), 3);
        Path split = dir.resolve("split/t_Coch.hdf5");
        try (WaveformSource source = Hdf5DatasetStore.INSTANCE.openWaveforms(wav)) {
            writeInOneProcess(dir.resolve("single/t_Coch.hdf5"), source);
            for (int i = 0; i < 5; i++) { // two tasks have no rows
                assertThat(FeatureFileParts.computePart(split, source, STAGE, Shard.of(i, 5)).rows())
                        .isEqualTo(Shard.of(i, 5).size(3));
            }
            // before, each task of no rows committed a sum file of C·F zero sums (16 bytes a value) all the same
            try (Stream<Path> work = Files.list(FeatureFileParts.workFolder(split))) {
                assertThat(work.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("part-")))
                        .containsExactlyInAnyOrder("part-0-1.sum", "part-1-2.sum", "part-2-3.sum");
            }
            assertThat(FeatureFileParts.finish(split, source, STAGE.extractor())).contains(split);
        }
        assertThat(FeatureFileParts.workFolder(split)).doesNotExist();
        assertSameFiles(dir.resolve("single/t_Coch.hdf5"), split, 3);
    }

    @Test
    void partsOfAnInputSinceRewrittenAreDiscardedNotTakenForDone() throws IOException {
        Path wav = WaveformFileTest.writeRows(dir.resolve("t.hdf5"), 4);
        Path coch = dir.resolve("t_Coch.hdf5");
        try (WaveformSource source = Hdf5DatasetStore.INSTANCE.openWaveforms(wav)) {
            FeatureFileParts.computePart(coch, source, STAGE, Shard.of(0, 2));
        }
        // the pack runs again (a resubmitted array with more clips): a new waveform file, newer than the parts
        WaveformFileTest.writeRows(wav, 6);
        Files.setLastModifiedTime(wav, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()
                + 5_000));
        try (WaveformSource source = Hdf5DatasetStore.INSTANCE.openWaveforms(wav)) {
            assertThat(FeatureFileParts.computePart(coch, source, STAGE, Shard.of(0, 2)).rows()).as("computed anew")
                    .isEqualTo(3);
            assertThat(FeatureFileParts.computePart(coch, source, STAGE, Shard.of(1, 2)).rows()).isEqualTo(3);
            assertThat(FeatureFileParts.finish(coch, source, STAGE.extractor())).contains(coch);
        }
        try (CochleagramFileReader r = CochleagramFileReader.open(coch)) {
            assertThat(r.size()).isEqualTo(6);
        }
    }

    @Test
    void partsOfOtherParametersAreRefused() throws IOException {
        Path wav = WaveformFileTest.writeRows(dir.resolve("t.hdf5"), 4);
        Path coch = dir.resolve("t_Coch.hdf5");
        FeatureExtractor other = FeatureExtractor.of("toy", "coch", WaveformFileTest.LEN, 100, CochleagramFileTest.C,
                CochleagramFileTest.F, Map.of("channels", CochleagramFileTest.C, "frames", CochleagramFileTest.F,
                        "low_lim", 60, "mode", "test"), () -> (in, out) -> { });
        try (WaveformSource source = Hdf5DatasetStore.INSTANCE.openWaveforms(wav)) {
            FeatureFileParts.computePart(coch, source, STAGE, Shard.of(0, 2));
            assertThatThrownBy(() -> FeatureFileParts.createPart(coch, source, other, Shard.of(1, 2)))
                    .hasMessageContaining("holds parts of another input or other parameters")
                    .hasMessageContaining("attribute.low_lim=50").hasMessageContaining("attribute.low_lim=60");
            assertThat(FeatureFileParts.doneRanges(coch)).hasSize(1);
            assertThat(List.of(FeatureFileParts.doneRanges(coch).get(0)[0], FeatureFileParts.doneRanges(coch)
                    .get(0)[1])).containsExactly(0L, 2L);
        }
    }

    @Test
    void aRowThatFailsInAPartIsNamedByItsRowInTheFileAndItsId() throws IOException {
        Path wav = WaveformFileTest.writeRows(dir.resolve("t.hdf5"), 11);
        Path coch = dir.resolve("t_Coch.hdf5");
        float[] bad = WaveformFileTest.samples(7);
        FeatureExtractor nanAtRow7 = FeatureExtractor.of("toy", "coch", WaveformFileTest.LEN, 100,
                CochleagramFileTest.C, CochleagramFileTest.F, Map.of("channels", CochleagramFileTest.C, "frames",
                        CochleagramFileTest.F), () -> (in, out) -> {
                            if (java.util.Arrays.equals(in, bad)) {
                                throw new IllegalArgumentException("sample 3 of the waveform is NaN");
                            }
                        });
        FeatureStage stage = FeatureStage.builder().extractor(nanAtRow7).threads(2).build();
        try (WaveformFileReader source = WaveformFileReader.open(wav)) {
            // rows 5..7 are the third part of four: the failing row is the file's row 7, not the part's row 2
            assertThat(List.of(Shard.of(2, 4).start(11), Shard.of(2, 4).end(11))).containsExactly(5L, 8L);
            assertThatThrownBy(() -> FeatureFileParts.computePart(coch, source, stage, Shard.of(2, 4)))
                    .hasMessageContaining(wav + ": row 7 (YouTube id " + source.ytid(7) + ")")
                    .hasMessageContaining("sample 3 of the waveform is NaN");
            assertThat(FeatureFileParts.isDone(coch, source, Shard.of(2, 4))).isFalse();
        }
    }

    @Test
    void aFinishStoppedAfterItPublishedTheFileIsCompletedNotStuck() throws IOException {
        Path wav = WaveformFileTest.writeRows(dir.resolve("t.hdf5"), 6);
        Path coch = dir.resolve("out/t_Coch.hdf5");
        Path saved = dir.resolve("saved");
        try (WaveformSource source = Hdf5DatasetStore.INSTANCE.openWaveforms(wav)) {
            for (int i = 0; i < 2; i++) {
                FeatureFileParts.computePart(coch, source, STAGE, Shard.of(i, 2));
            }
            copyTree(FeatureFileParts.workFolder(coch), saved);
            FeatureFileParts.finish(coch, source, STAGE.extractor());
            byte[] published = Files.readAllBytes(coch);

            // stopped between the rename and the folder's deletion: the folder without its data file
            copyTree(saved, FeatureFileParts.workFolder(coch));
            Files.delete(FeatureFileParts.workFolder(coch).resolve("data.hdf5"));
            assertThat(FeatureFileParts.started(coch)).isFalse();
            assertThat(FeatureFileParts.finish(coch, source, STAGE.extractor())).containsExactly(coch,
                    dir.resolve("out/t_average.npy"));
            assertThat(FeatureFileParts.workFolder(coch)).doesNotExist();
            assertThat(Files.readAllBytes(coch)).isEqualTo(published);

            // stopped while it deleted the folder (the plan gone, a part sum left): a new part is not taken for done
            copyTree(saved, FeatureFileParts.workFolder(coch));
            Files.delete(FeatureFileParts.workFolder(coch).resolve("data.hdf5"));
            Files.delete(FeatureFileParts.workFolder(coch).resolve("plan.txt"));
            assertThat(FeatureFileParts.computePart(coch, source, STAGE, Shard.of(0, 2)).rows()).isEqualTo(3);
            assertThat(FeatureFileParts.started(coch)).isTrue();
            assertThatThrownBy(() -> FeatureFileParts.finish(coch, source, STAGE.extractor()))
                    .hasMessageContaining("rows 3..5 of 6 are not computed yet");
            assertThat(FeatureFileParts.computePart(coch, source, STAGE, Shard.of(1, 2)).rows()).isEqualTo(3);
            FeatureFileParts.finish(coch, source, STAGE.extractor());
        }
        try (CochleagramFileReader a = CochleagramFileReader.open(coch)) {
            assertThat(a.size()).isEqualTo(6);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path p : files.toList()) {
                Files.copy(p, to.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }
    @Test
    void aFullDiskUnderAPartsRowsNamesTheDataFile() throws IOException {
        Path full = devFull();
        Path wav = WaveformFileTest.writeRows(dir.resolve("t.hdf5"), 4);
        Path coch = dir.resolve("t_Coch.hdf5");
        try (WaveformSource source = Hdf5DatasetStore.INSTANCE.openWaveforms(wav)) {
            FeatureFileParts.computePart(coch, source, STAGE, Shard.of(0, 2));
            Path data = FeatureFileParts.workFolder(coch).resolve("data.hdf5");
            try (FeatureSink part = FeatureFileParts.createPart(coch, source, STAGE.extractor(), Shard.of(1, 2),
                    f -> java.nio.channels.FileChannel.open(full, java.nio.file.StandardOpenOption.WRITE))) {
                assertThatThrownBy(() -> part.write(new float[STAGE.extractor().outputLength()]))
                        .isInstanceOf(IOException.class)
                        .hasMessage(data + ": writing row 2 failed: No space left on device");
            }
        }
    }

    @Test
    void aPartWhoseSumCannotBeWrittenLeavesNoTemporaryFile() throws IOException {
        Path wav = WaveformFileTest.writeRows(dir.resolve("t.hdf5"), 4);
        Path coch = dir.resolve("t_Coch.hdf5");
        Path work = FeatureFileParts.workFolder(coch);
        try (WaveformSource source = Hdf5DatasetStore.INSTANCE.openWaveforms(wav)) {
            FeatureFileParts.computePart(coch, source, STAGE, Shard.of(0, 2));
            // what is in the way of the sum's rename fails it, as a full disk fails its writing
            Files.createDirectories(work.resolve("part-2-4.sum").resolve("x"));
            assertThatThrownBy(() -> FeatureFileParts.computePart(coch, source, STAGE, Shard.of(1, 2)))
                    .hasMessageContaining("part-2-4.sum");
        }
        try (var left = Files.list(work)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no temporary sum left in %s", work)
                    .noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    /**
     * Links planted in a shared work folder (by whoever can write it) are never followed: a lock link would create
     * the file it names, a data link would have the rows written over it.
     */
    @Test
    void linksPlantedInTheWorkFolderAreRefusedAndNeverWrittenThrough() throws IOException {
        Path wav = WaveformFileTest.writeRows(dir.resolve("t.hdf5"), 6);
        Path file = dir.resolve("out/t_Coch.hdf5");
        Path work = FeatureFileParts.workFolder(file);
        Path created = dir.resolve("created-by-the-lock");
        Path victim = Files.write(dir.resolve("victim.bin"), new byte[1 << 20]);
        try (WaveformSource source = Hdf5DatasetStore.INSTANCE.openWaveforms(wav)) {
            assertThat(FeatureFileParts.computePart(file, source, STAGE, Shard.of(0, 2)).rows()).isEqualTo(3);

            Files.move(work.resolve("lock"), dir.resolve("lock.saved"));
            Files.createSymbolicLink(work.resolve("lock"), created);
            assertThatThrownBy(() -> FeatureFileParts.computePart(file, source, STAGE, Shard.of(1, 2)))
                    .isInstanceOf(IOException.class).hasMessageContaining(work.resolve("lock").toString())
                    .hasMessageContaining("symbolic link");
            assertThatThrownBy(() -> FeatureFileParts.finish(file, source, STAGE.extractor()))
                    .hasMessageContaining("symbolic link");
            assertThat(created).doesNotExist();

            Files.delete(work.resolve("lock"));
            Files.move(dir.resolve("lock.saved"), work.resolve("lock"));
            Files.delete(work.resolve("data.hdf5"));
            Files.createSymbolicLink(work.resolve("data.hdf5"), victim);
            assertThatThrownBy(() -> FeatureFileParts.computePart(file, source, STAGE, Shard.of(1, 2)))
                    .isInstanceOf(IOException.class).hasMessageContaining(work.resolve("data.hdf5").toString())
                    .hasMessageContaining("symbolic link");
        }
        assertThat(Files.readAllBytes(victim)).isEqualTo(new byte[1 << 20]);
    }

    /** @return {@code /dev/full}, where every write fails with ENOSPC as on a full file system (Linux only) */
    static Path devFull() {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "/dev/full (Linux) is needed");
        return full;
    }
}
