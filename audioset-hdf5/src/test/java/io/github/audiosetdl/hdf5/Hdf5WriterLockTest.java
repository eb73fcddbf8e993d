package io.github.audiosetdl.hdf5;

import static io.github.audiosetdl.hdf5.WaveformFileTest.LABELS;
import static io.github.audiosetdl.hdf5.WaveformFileTest.LEN;
import static io.github.audiosetdl.hdf5.WaveformFileTest.row;
import static io.github.audiosetdl.hdf5.WaveformFileTest.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.audio.PreparedAudio;
import io.github.audiosetdl.core.spi.FeatureExtractor;
import io.github.audiosetdl.core.spi.FeatureSink;
import io.github.audiosetdl.core.spi.NameLock;
import io.github.audiosetdl.core.spi.WaveformSink;
import io.github.audiosetdl.core.spi.WaveformSource;
import io.github.audiosetdl.core.webdataset.WebDatasetWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HDF5 writers put their files in place under the lock of the file's name, {@code .<file name>.lock}, and hold
 * it until they are closed: a caller records what it committed before another writer of the file may replace it,
 * and that writer's commit waits for the close.
 */
class Hdf5WriterLockTest {
    @TempDir
    Path dir;

    /**
     * A writer of one file, its rows written.
     *
     * @param commit its commit
     * @param closer its close
     */
    private record Writer(Callable<List<Path>> commit, Closeable closer) implements Closeable {
        @Override
        public void close() throws IOException {
            closer.close();
        }
    }

    private Writer waveforms(Path file, int first) throws IOException {
        return rows(WaveformFileWriter.create(file, LABELS, 100, LEN), first);
    }

    private Writer panns(Path file, int first) throws IOException {
        return rows(PannsFileWriter.create(file, LABELS, 100, LEN), first);
    }

    /** @return {@code w} with two rows written, from {@code first} */
    private static Writer rows(WaveformSink w, int first) throws IOException {
        for (int i = first; i < first + 2; i++) {
            w.write(row(i), new PreparedAudio(samples(i), 0.5, false));
        }
        return new Writer(w::commit, w);
    }

    /** @return a feature file's writer, every row of {@code source} written as {@code (value, value)} */
    private Writer features(Path file, WaveformSource source, float value) throws IOException {
        FeatureExtractor level = FeatureExtractor.of("level", LEN, 100, 1, 2, Map.of(), () -> (w, o) -> { });
        FeatureSink w = CochleagramFileWriter.create(file, source, level);
        for (long i = 0; i < source.size(); i++) {
            w.write(new float[] {value, value});
        }
        return new Writer(w::commit, w);
    }

    private Optional<NameLock> tryLock(Path file) throws IOException {
        return NameLock.tryAcquire(dir, file.getFileName().toString(), Duration.ZERO);
    }

    private static String identity(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return a.fileKey() + " " + a.size() + " " + a.lastModifiedTime().toInstant();
    }

    /**
     * The first writer commits and, before it is closed, what it put in place is still there although a second
     * writer of the file has committed meanwhile (on another thread): the second's renames wait for the first's
     * close, then replace the files.
     */
    private void assertTheSecondWaitsForTheFirstsClose(Path file, Writer first, Writer second) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            List<Path> committed = first.commit().call();
            String mine = identity(file);
            assertThat(tryLock(file)).as("held after the commit").isEmpty();
            Future<List<Path>> other = pool.submit(second.commit());
            // the first's caller records its files now: they must stay as they are until it closes the writer
            assertThat(other).as("the second writer waits for the lock").failsWithin(Duration.ofSeconds(2))
                    .withThrowableOfType(TimeoutException.class);
            assertThat(identity(file)).isEqualTo(mine);
            first.close();
            assertThat(other.get(60, TimeUnit.SECONDS)).isEqualTo(committed);
            assertThat(identity(file)).as("replaced once the first was closed").isNotEqualTo(mine);
            assertThat(tryLock(file)).as("held by the second until it is closed").isEmpty();
            second.close();
            tryLock(file).orElseThrow().close();
            assertThat(dir.resolve(NameLock.fileName(file.getFileName().toString()))).isEmptyFile();
        } finally {
            pool.shutdownNow();
            first.close();
            second.close();
        }
    }

    @Test
    void aWaveformFileIsReplacedByAnotherWriterOnlyOnceTheWriterThatCommittedItIsClosed() throws Exception {
        Path file = dir.resolve("w.hdf5");
        assertTheSecondWaitsForTheFirstsClose(file, waveforms(file, 0), waveforms(file, 5));
        try (WaveformFileReader r = WaveformFileReader.open(file)) {
            assertThat(r.metadata(0).ytid()).isEqualTo(row(5).segment().ytid());
        }
    }

    @Test
    void aPannsFileIsReplacedByAnotherWriterOnlyOnceTheWriterThatCommittedItIsClosed() throws Exception {
        Path file = dir.resolve("w_panns.h5");
        assertTheSecondWaitsForTheFirstsClose(file, panns(file, 0), panns(file, 5));
    }

    @Test
    void aFeatureFileIsReplacedByAnotherWriterOnlyOnceTheWriterThatCommittedItIsClosed() throws Exception {
        Path wav = WaveformFileTest.writeRows(dir.resolve("w.hdf5"), 3);
        Path file = dir.resolve("w_Coch.hdf5");
        try (WaveformFileReader source = WaveformFileReader.open(wav)) {
            assertTheSecondWaitsForTheFirstsClose(file, features(file, source, 1), features(file, source, 2));
        }
        try (CochleagramFileReader coch = CochleagramFileReader.open(file, "level")) {
            float[] row = new float[2];
            coch.read(0, row);
            assertThat(row).containsExactly(2, 2);
        }
    }

    /**
     * A WebDataset pack named {@code eval} (shards {@code eval-000000.tar}, lock {@code .eval.lock}, held from its
     * creation to its close) and a seed-layout pack {@code eval.hdf5} (lock {@code .eval.hdf5.lock}, from its renames
     * to its close) in one folder write different files under different locks: neither waits for the other.
     */
    @Test
    void aWebDatasetPackAndAnHdf5PackOfOneNameInOneFolderRunAtOnce() throws Exception {
        Path file = dir.resolve("eval.hdf5");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (WebDatasetWriter shards = WebDatasetWriter.create(dir, "eval", LABELS, 100, LEN, 2)) {
            for (int i = 0; i < 2; i++) {
                shards.write(row(i), new PreparedAudio(samples(i), 0.5, false));
            }
            try (Writer hdf5 = waveforms(file, 5)) {
                // a wait for the shards' lock would last until they are closed (10 minutes at most): bounded here
                assertThat(pool.submit(hdf5.commit()).get(60, TimeUnit.SECONDS)).contains(file);
                assertThat(tryLock(file)).as("the HDF5 writer holds its own lock").isEmpty();
                assertThat(shards.commit()).contains(dir.resolve("eval-000000.tar"));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(dir.resolve(".eval.lock")).isEmptyFile();
        assertThat(dir.resolve(".eval.hdf5.lock")).isEmptyFile();
        try (WaveformFileReader r = WaveformFileReader.open(file)) {
            assertThat(r.metadata(0).ytid()).isEqualTo(row(5).segment().ytid());
        }
    }

    @Test
    void closingWithoutACommitOrAfterAFailedOneLeavesTheNameFree() throws Exception {
        Path file = dir.resolve("w.hdf5");
        waveforms(file, 0).close();
        tryLock(file).orElseThrow().close();
        Files.createDirectories(file.resolve("x")); // the final name is a folder: the commit fails
        try (Writer w = waveforms(file, 0)) {
            assertThatThrownBy(() -> w.commit().call()).isInstanceOf(IOException.class);
            tryLock(file).orElseThrow().close();
        }
    }
}
