package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.hdf5.CochleagramFileReader;
import io.github.audiosetdl.hdf5.WaveformFileReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pack --format/--dtype/--shard-size}, and {@code cochleagram --in} on an int16 file. */
class PackFormatsCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        return AudioSetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private int pack(Path downloads, String outDir, String... more) {
        String[] base = {"pack", "--downloads", downloads.toString(), "--csv", dir.resolve("demo.csv").toString(),
            "--out", dir.resolve(outDir).toString(), "--threads", "2", "--progress", "log"};
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return run(args);
    }

    private static Stream<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).toList().stream();
        }
    }

    @Test
    void eachFormatIsWrittenAndInt16FilesGiveTheSameCochleagrams() throws IOException {
        Path downloads = PackCommandTest.downloads(dir, 4);
        assertThat(pack(downloads, "wds", "--format", "webdataset", "--shard-size", "3")).as(err.toString()).isZero();
        assertThat(names(dir.resolve("wds"))).containsExactlyInAnyOrder(".demo.lock", "demo-000000.tar",
                "demo-000001.tar", ".demo-000000.tar.inputs", ".demo-000000.tar.inputs.lock"); // the record, its lock
        assertThat(out.toString()).contains("wrote 4 clips in 2 shards: " + dir.resolve("wds/demo-000000.tar")
                + " .. demo-000001.tar");

        assertThat(pack(downloads, "panns", "--format", "PANNS", "--sample-rate", "16000")).as(err.toString())
                .isZero();
        assertThat(names(dir.resolve("panns"))).containsExactlyInAnyOrder("demo_panns.h5", ".demo_panns.h5.inputs",
                ".demo_panns.h5.inputs.lock", ".demo_panns.h5.lock");

        assertThat(pack(downloads, "f32")).as(err.toString()).isZero();
        assertThat(pack(downloads, "i16", "--dtype", "int16")).as(err.toString()).isZero();
        assertThat(Files.size(dir.resolve("i16/demo.hdf5"))).isLessThan(Files.size(dir.resolve("f32/demo.hdf5")));
        try (WaveformFileReader r = WaveformFileReader.open(dir.resolve("i16/demo.hdf5"))) {
            assertThat(r.size()).isEqualTo(4);
        }
        assertThat(run("cochleagram", "--in", dir.resolve("f32/demo.hdf5").toString(), "--threads", "2",
                "--progress", "log")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("wrote " + dir.resolve("f32/demo_stats.npz"));
        assertThat(run("cochleagram", "--in", dir.resolve("i16/demo.hdf5").toString(), "--threads", "2",
                "--progress", "log", "--no-stats")).as(err.toString()).isZero();
        assertThat(dir.resolve("i16/demo_stats.npz")).doesNotExist();
        assertThat(run("stats", "--in", dir.resolve("i16/demo_Coch.hdf5").toString(), "--out",
                dir.resolve("wds").toString())).as(err.toString()).isZero();
        assertThat(dir.resolve("wds/demo_stats.npz")).isNotEmptyFile();
        try (CochleagramFileReader a = CochleagramFileReader.open(dir.resolve("f32/demo_Coch.hdf5"));
                CochleagramFileReader b = CochleagramFileReader.open(dir.resolve("i16/demo_Coch.hdf5"))) {
            assertThat(b.size()).isEqualTo(a.size());
            float[] x = new float[a.channels() * a.frames()];
            float[] y = new float[b.channels() * b.frames()];
            for (int r = 0; r < a.size(); r++) {
                a.read(r, x);
                b.read(r, y);
                double max = 0;
                double worst = 0;
                for (int k = 0; k < x.length; k++) {
                    max = Math.max(max, Math.abs(x[k]));
                    worst = Math.max(worst, Math.abs(x[k] - y[k]));
                }
                // int16 quantisation noise is 90 dB below the peak; the compressed envelopes move far less than 1%
                assertThat(worst).as("row %d", r).isLessThan(0.01 * max);
            }
        }
    }

    @Test
    void contradictoryOptionsAreUsageErrors() throws IOException {
        Path downloads = PackCommandTest.downloads(dir, 1);
        assertThat(pack(downloads, "x", "--format", "panns", "--dtype", "float32")).isEqualTo(AudioSetCli.EXIT_USAGE);
        assertThat(err.toString()).contains("the panns format stores int16 samples; --dtype float32 applies to"
                + " --format seed only");
        assertThat(pack(downloads, "x", "--format", "tfrecord")).isEqualTo(AudioSetCli.EXIT_USAGE);
        assertThat(pack(downloads, "x", "--format", "webdataset", "--shard-size", "0"))
                .isEqualTo(AudioSetCli.EXIT_USAGE);
        assertThat(err.toString()).contains("--shard-size 0 is not in 1..1000000");
        assertThat(pack(downloads, "x", "--format", "panns", "--shard-size", "5")).isEqualTo(AudioSetCli.EXIT_USAGE);
        assertThat(err.toString()).contains("--shard-size applies to --format webdataset only, not panns");
        assertThat(run("run", "--csv", dir.resolve("demo.csv").toString(), "--out", dir.resolve("x").toString(),
                "--format", "webdataset")).isEqualTo(AudioSetCli.EXIT_USAGE);
        assertThat(err.toString()).contains("--stop-after pack");
        assertThat(dir.resolve("x")).doesNotExist();
    }
}
