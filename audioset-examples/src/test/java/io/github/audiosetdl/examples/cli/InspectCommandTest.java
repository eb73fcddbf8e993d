package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.testing.ExternalTools;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return AudioSetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void listsDatasetsTypesShapesAndAttributesOfAnH5pyFile(@TempDir Path dir) throws Exception {
        Path python = ExternalTools.requirePythonWithH5py();
        Path file = dir.resolve("seed.hdf5");
        String script = String.join("\n",
                "import sys, h5py, numpy as np",
                "with h5py.File(sys.argv[1], 'w') as f:",
                "    f.create_dataset('wav', data=np.zeros((3, 160), np.float32))",
                "    f.create_dataset('labels', data=np.zeros((3, 527), bool))",
                "    f.attrs['size'] = 2",
                "    f.attrs['z'] = np.array([1.5 + 2j], np.complex64)[0]",
                "    f.create_group('meta').create_dataset('ytid', data=np.array([b'-0p7hKXZ1ww'] * 3))");
        ExternalTools.check(List.of(python.toString(), "-c", script, file.toString()));

        assertThat(run("inspect", file.toString())).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("@size = 2")
                .contains("@z = {r=[1.5], i=[2.0]}")
                .containsPattern("/wav\\s+float32\\s+\\(3, 160\\)")
                .containsPattern("/labels\\s+enum\\s+\\(3, 527\\)")
                .containsPattern("/meta/ytid\\s+\\|S11\\s+\\(3,\\)");
    }

    @Test
    void notHdf5IsAClearFailure(@TempDir Path dir) throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.hdf5"), "not an HDF5 file");
        assertThat(run("inspect", junk.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("junk.hdf5").contains("not a readable HDF5 file");
        assertThat(run("inspect", dir.resolve("none.hdf5").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no such file");
    }
}
