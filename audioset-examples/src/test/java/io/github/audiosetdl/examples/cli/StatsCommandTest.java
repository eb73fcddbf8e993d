package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.testing.ExternalTools;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
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

    @Test
    void oneRowOfOneFrameHasCochleagramsAndNoStatistics() throws Exception {
        Path python = ExternalTools.requirePythonWithH5py();
        Path wav = dir.resolve("x.hdf5");
        ExternalTools.check(List.of(python.toString(), "-c", String.join("\n",
                "import sys, h5py, numpy as np",
                "with h5py.File(sys.argv[1], 'w') as f:",
                "    f['wav'] = np.sin(np.arange(80, dtype=np.float32)).reshape(1, 80); f.attrs['size'] = 1"),
                wav.toString()));
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
