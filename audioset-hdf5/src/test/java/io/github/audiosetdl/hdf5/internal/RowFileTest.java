package io.github.audiosetdl.hdf5.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rows written in batches (with {@code O_DIRECT} where the file system allows, or through the page cache) land
 * byte for byte where the HDF5 metadata says, for row sizes that straddle the 8 MiB batches and the 4 kB blocks,
 * and the per-row columns after them are intact.
 */
class RowFileTest {
    /**
     * On the build's own file system (ext4 on these machines), not {@code @TempDir}: {@code /tmp} may be a tmpfs,
     * which refuses {@code O_DIRECT} on older kernels, and the direct path must be exercised.
     */
    private static Path scratch(String name) throws IOException {
        Path dir = Path.of("target", "rowfile-test", name);
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return Files.createDirectories(dir);
    }

    private static float[] row(int i, int length) {
        Random r = new Random(i * 31L + length);
        float[] x = new float[length];
        for (int k = 0; k < length; k++) {
            x[k] = r.nextFloat() * 2 - 1;
        }
        return x;
    }

    @ParameterizedTest(name = "rows of {0} floats x {1}, direct={2}")
    @CsvSource({
        "160000, 30, true", // 640,000-byte rows: 2.3 batches, a partial last block
        "160000, 30, false",
        "3, 5, true", // less than one block in all: everything goes to the tail
        "1024, 2048, true", // exactly one batch of 8 MiB
        "1024, 2049, true", // one batch and one 4 kB block
        "1025, 2051, true",
        "1, 0, true"
    })
    void rowsAndColumnsReadBackExactly(int length, int rows, boolean direct) throws IOException {
        Path dir = scratch(length + "x" + rows + "-" + direct);
        Path file;
        try (RowFile out = RowFile.create(dir, "wav", length, direct)) {
            String fs = Files.getFileStore(dir).type();
            if (direct && (fs.equals("ext4") || fs.equals("xfs"))) {
                assertThat(out.directRows()).as("O_DIRECT on %s", fs).isTrue();
            } else if (!direct) {
                assertThat(out.directRows()).isFalse();
            }
            Spool ids = out.column("meta/ytid", RowFile.ColumnType.STRING, 1);
            Spool norms = out.column("meta/norm", RowFile.ColumnType.FLOAT64, 1);
            for (int i = 0; i < rows; i++) {
                out.writeRow(row(i, length));
                ids.putString("clip-" + i);
                norms.putDouble(i * 0.5);
            }
            out.rootAttribute("size", (long) rows);
            file = out.finish();
        }
        if (rows > 0) {
            assertThat(Files.size(file)).isGreaterThan(RowFile.DATA_START + (long) rows * length * Float.BYTES);
        }
        try (RowFileReader in = RowFileReader.open(file, "wav")) {
            assertThat(in.size()).isEqualTo(rows);
            assertThat(in.rowLength()).isEqualTo(length);
            float[] back = new float[length];
            for (int i = rows - 1; i >= 0; i--) {
                in.readRow(i, back);
                assertThat(Arrays.mismatch(back, row(i, length))).as("first differing value of row %d", i)
                        .isEqualTo(-1);
            }
        }
        try (HdfFile hdf = new HdfFile(file)) {
            if (rows > 0 && (long) rows * length <= 1 << 20) { // jhdf reads whole datasets, slowly
                float[][] all = (float[][]) hdf.getDatasetByPath("wav").getData();
                assertThat(all[rows - 1]).containsExactly(row(rows - 1, length));
                String[] ids = (String[]) hdf.getDatasetByPath("meta/ytid").getData();
                double[] norms = (double[]) hdf.getDatasetByPath("meta/norm").getData();
                assertThat(ids[rows - 1]).isEqualTo("clip-" + (rows - 1));
                assertThat(norms[rows - 1]).isEqualTo((rows - 1) * 0.5);
            }
        }
    }
}
