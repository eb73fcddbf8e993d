package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.spi.NameLock;
import io.github.audiosetdl.core.testing.ExternalTools;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The statistics a cochleagram run writes beside its files never describe cochleagrams it replaced. */
class StatsCommandTest {
    @TempDir
    Path dir;

    @Test
    void statisticsThatFailLeaveNoneOfTheReplacedCochleagrams() throws Exception {
        Path python = ExternalTools.requirePythonWithH5py();
        Path coch = dir.resolve("x_Coch.hdf5");
        Path stats = dir.resolve("x_stats.npz");
        Files.write(stats, new byte[] {1}); // the statistics of the cochleagrams the new ones replaced
        Files.setLastModifiedTime(stats, FileTime.fromMillis(0));
        String script = String.join("\n",
                "import sys, h5py, numpy as np",
                "x = np.ones((2, 12), np.float32); x[1, 5] = np.nan",
                "with h5py.File(sys.argv[1], 'w') as f:",
                "    c = f.create_dataset('coch', data=x); c.attrs['channels'] = 3; c.attrs['frames'] = 4",
                "    f.attrs['size'] = 2");
        ExternalTools.check(List.of(python.toString(), "-c", script, coch.toString()));

        // as a run killed while computing them: the new statistics are not there, nor are the old ones
        assertThatThrownBy(() -> StatsCommand.writeBeside(coch, 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("row 1, channel 1");
        assertThat(stats).doesNotExist();
    }

    /**
     * A run killed while computing the statistics left complete cochleagrams without them: run again, one process
     * writes the statistics without computing the cochleagrams anew (it computed every row again).
     */
    @Test
    void runAgainOverCompleteCochleagramsOnlyTheMissingStatisticsAreWritten() throws Exception {
        Path wav = h5pyWaveforms("np.sin(np.arange(3 * 4000, dtype=np.float32) / 7).reshape(3, 4000)", 3);
        Files.setLastModifiedTime(wav, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        assertThat(cli("cochleagram", "--in", wav.toString(), "--threads", "1")).contains("wrote ");
        Path coch = dir.resolve("x_Coch.hdf5");
        Path stats = dir.resolve("x_stats.npz");
        byte[] statsBefore = Files.readAllBytes(stats);
        Files.delete(stats); // killed in the statistics
        FileTime computed = Files.getLastModifiedTime(coch); // left as written: the run's record knows it so

        assertThat(cli("cochleagram", "--in", wav.toString(), "--threads", "1")).contains("complete already")
                .contains("wrote " + stats);
        assertThat(Files.getLastModifiedTime(coch)).as("not computed again").isEqualTo(computed);
        assertThat(Files.readAllBytes(stats)).isEqualTo(statsBefore);
        // other parameters are computed anew
        assertThat(cli("cochleagram", "--in", wav.toString(), "--threads", "1", "--n", "20"))
                .doesNotContain("complete already");
        assertThat(Files.getLastModifiedTime(coch)).isNotEqualTo(computed);
    }

    /**
     * The statistics a run writes beside its cochleagrams are renamed into place under the lock of their name,
     * {@code .x_stats.npz.lock}, as a program writing them itself ({@code FeatureStats.writeNpz}) takes it: a holder
     * of that lock is waited for, then the statistics are put in place and recorded.
     */
    @Test
    void theStatisticsBesideTheCochleagramsWaitForTheHolderOfTheirNameLock() throws Exception {
        Path wav = h5pyWaveforms("np.sin(np.arange(3 * 4000, dtype=np.float32) / 7).reshape(3, 4000)", 3);
        assertThat(cli("cochleagram", "--in", wav.toString(), "--threads", "1", "--no-stats")).contains("wrote ");
        Path coch = dir.resolve("x_Coch.hdf5");
        Path stats = dir.resolve("x_stats.npz");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            NameLock other = NameLock.tryAcquire(dir, "x_stats.npz", Duration.ZERO).orElseThrow();
            Future<Path> write;
            try {
                write = pool.submit(() -> StatsCommand.writeBeside(coch, 1));
                assertThatThrownBy(() -> write.get(2, TimeUnit.SECONDS)).as("it waits at its rename")
                        .isInstanceOf(TimeoutException.class);
                assertThat(stats).doesNotExist();
            } finally {
                other.close();
            }
            assertThat(write.get(60, TimeUnit.SECONDS)).isEqualTo(stats);
        } finally {
            pool.shutdownNow();
        }
        assertThat(StatsCommand.staleBeside(coch)).as("recorded").isFalse();
        assertThat(NameLock.tryAcquire(dir, "x_stats.npz", Duration.ZERO)).as("released once recorded").isPresent()
                .get().satisfies(NameLock::close);
    }

    /** @return {@code dir/x.hdf5}, written by h5py: {@code /wav} the numpy expression, attribute size {@code size} */
    private Path h5pyWaveforms(String wav, int size) throws Exception {
        Path file = dir.resolve("x.hdf5");
        ExternalTools.check(List.of(ExternalTools.requirePythonWithH5py().toString(), "-c", String.join("\n",
                "import sys, h5py, numpy as np",
                "with h5py.File(sys.argv[1], 'w') as f:",
                "    f['wav'] = " + wav + "; f.attrs['size'] = " + size), file.toString()));
        return file;
    }

    /** @return what {@code audioset args} printed; it must exit 0 */
    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AudioSetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    @Test
    void oneRowOfOneFrameHasCochleagramsAndNoStatistics() throws Exception {
        Path wav = h5pyWaveforms("np.sin(np.arange(80, dtype=np.float32)).reshape(1, 80)", 1);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // 80 samples at 16 kHz, 200 Hz envelopes: one frame; the files were written, then the statistics failed
        int code = AudioSetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "cochleagram", "--in",
                wav.toString(), "--threads", "1");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("1 rows of 171 x 1", "too few for statistics, none written");
        assertThat(dir.resolve("x_Coch.hdf5")).exists();
        assertThat(dir.resolve("x_stats.npz")).doesNotExist();
    }
}
