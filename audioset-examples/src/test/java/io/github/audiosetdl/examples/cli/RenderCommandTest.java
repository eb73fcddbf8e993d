package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.NpyArrays;
import io.github.audiosetdl.core.testing.TestData;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return AudioSetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void rendersARowAndTheAverageOfACochleagramFile(@TempDir Path dir) throws Exception {
        Path python = ExternalTools.requirePythonWithH5py();
        Path wav = dir.resolve("chirp.hdf5");
        String script = String.join("\n",
                "import sys, h5py, numpy as np",
                "x = np.load(sys.argv[2]).astype(np.float32)",
                "with h5py.File(sys.argv[1], 'w') as f:",
                "    f.create_dataset('wav', data=np.stack([x, x[::-1].copy()]))",
                "    f.create_dataset('labels', data=np.zeros((2, 527), bool))",
                "    f.attrs['size'] = 2");
        Path chirp = dir.resolve("input_chirp.npy");
        NpyArrays.writeFloat32(chirp, new int[] {160_000}, TestData.floats("golden/cochleagram/input_chirp"));
        ExternalTools.check(List.of(python.toString(), "-c", script, wav.toString(), chirp.toString()));
        assertThat(run("cochleagram", "--in", wav.toString(), "--threads", "2", "--progress", "log"))
                .as(err.toString()).isZero();
        Path coch = dir.resolve("chirp_Coch.hdf5");

        Path png = dir.resolve("row1.png");
        assertThat(run("render", "--in", coch.toString(), "--row", "1", "--out", png.toString()))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("wrote " + png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isGreaterThan(400);
        assertThat(image.getHeight()).isGreaterThan(200);
        assertThat(distinctColours(image)).as("a real picture, not a blank canvas").isGreaterThan(50);

        Path avg = dir.resolve("average.png");
        assertThat(run("render", "--in", coch.toString(), "--average", "--out", avg.toString()))
                .as(err.toString()).isZero();
        assertThat(ImageIO.read(avg.toFile()).getWidth()).isEqualTo(image.getWidth());

        assertThat(run("render", "--in", coch.toString(), "--row", "2", "--out", png.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("--row 2 is outside 0..1");
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    @Test
    void aFileWhoseAttributesDoNotDescribeItsRowsIsNamedNotComputed(@TempDir Path dir) throws Exception {
        Path python = ExternalTools.requirePythonWithH5py();
        Path wav = dir.resolve("noise.hdf5");
        ExternalTools.check(List.of(python.toString(), "-c", String.join("\n",
                "import sys, h5py, numpy as np",
                "with h5py.File(sys.argv[1], 'w') as f:",
                "    f.create_dataset('wav', data=np.random.default_rng(1).normal(0, 0.1, (1, 16000)).astype('f4'))"),
                wav.toString()));
        assertThat(run("cochleagram", "--in", wav.toString(), "--threads", "1", "--no-stats", "--progress", "log"))
                .as(err.toString()).isZero();
        Path coch = dir.resolve("noise_Coch.hdf5");
        // each edit in a copy of its own: [python statement on f, what the message must say]
        String[][] edits = {
            {"f['coch'].attrs['signal_length'] = 2_000_000_000", "171 channels x 25000000 frames"},
            {"f['coch'].attrs['n'] = 20", "91 x 200"},
            {"f['coch'].attrs['env_sr'] = 0", "envSampleRate must be positive"},
            {"f['coch'].attrs['preset'] = 'bogus'", "preset 'bogus'"},
            {"del f['average']; f['average'] = np.zeros((3, 3), 'f4')", "/average has 9 values"},
        };
        for (int i = 0; i < edits.length; i++) {
            Path bad = dir.resolve("bad" + i + "_Coch.hdf5");
            java.nio.file.Files.copy(coch, bad);
            ExternalTools.check(List.of(python.toString(), "-c", String.join("\n",
                    "import sys, h5py, numpy as np",
                    "with h5py.File(sys.argv[1], 'r+') as f:",
                    "    " + edits[i][0]), bad.toString()));
            err.getBuffer().setLength(0);
            assertThat(run("render", "--in", bad.toString(), i == 4 ? "--average" : "--row=0", "--out",
                    dir.resolve("bad.png").toString())).as(edits[i][0]).isEqualTo(1);
            assertThat(err.toString()).as(edits[i][0]).contains(bad.toString()).contains(edits[i][1])
                    .doesNotContain("out of memory");
        }
        assertThat(dir.resolve("bad.png")).doesNotExist();
    }
}
