package io.github.audiosetdl.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.audiosetdl.core.testing.ExternalTools;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadDatasetTest {
    @Test
    void readsASeedFileWrittenByH5pyWithLabelNames(@TempDir Path dir) throws Exception {
        Path python = ExternalTools.requirePythonWithH5py();
        Path file = dir.resolve("seed.hdf5");
        // The seed's layout: /wav (N, 160000) float32, /labels (N, 527) bool, size < N (unfilled rows at the end).
        String script = String.join("\n",
                "import sys, h5py, numpy as np",
                "with h5py.File(sys.argv[1], 'w') as f:",
                "    w = np.zeros((3, 160000), np.float32); w[0, 5] = 1.0; w[1, 9] = -0.5",
                "    f.create_dataset('wav', data=w)",
                "    lab = np.zeros((3, 527), bool); lab[0, 0] = True; lab[1, 137] = True; lab[1, 74] = True",
                "    f.create_dataset('labels', data=lab)",
                "    f.attrs['size'] = 2");
        ExternalTools.check(List.of(python.toString(), "-c", script, file.toString()));

        List<ReadDataset.Row> rows = ReadDataset.run(file, 10);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).labels()).containsExactly("Speech");
        assertThat(rows.get(0).peak()).isCloseTo(1.0, within(1e-9));
        assertThat(rows.get(1).labels()).containsExactly("Dog", "Music");
        assertThat(rows.get(1).peak()).isCloseTo(0.5, within(1e-9));
        assertThat(rows.get(1).ytid()).isEqualTo("?");
    }

    @Test
    void readsAFileWithoutLabelsAndNamesAFileOfOtherLabels(@TempDir Path dir) throws Exception {
        Path python = ExternalTools.requirePythonWithH5py();
        Path bare = dir.resolve("bare.hdf5");
        Path other = dir.resolve("other.hdf5");
        String script = String.join("\n",
                "import sys, h5py, numpy as np",
                "w = np.zeros((2, 160000), np.float32); w[1, 3] = 0.25",
                "with h5py.File(sys.argv[1], 'w') as f:",
                "    f.create_dataset('wav', data=w)",
                "with h5py.File(sys.argv[2], 'w') as f:",
                "    f.create_dataset('wav', data=w)",
                "    f.create_dataset('labels', data=np.zeros((2, 100), bool))");
        ExternalTools.check(List.of(python.toString(), "-c", script, bare.toString(), other.toString()));

        List<ReadDataset.Row> rows = ReadDataset.run(bare, 10);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).labels()).isEmpty();
        assertThat(rows.get(1).peak()).isCloseTo(0.25, within(1e-9));
        assertThatThrownBy(() -> ReadDataset.run(other, 10)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining(other + ": rows of 100 labels, not AudioSet's 527");
    }
}
