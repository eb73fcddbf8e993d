package io.github.audiosetdl.examples.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.testing.ExternalTools;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crafted HDF5 files (made with h5py) given to {@code audioset inspect} and {@code audioset cochleagram} in a
 * child JVM with {@code -Xmx128m}: each ends within seconds, with exit 1 and one line naming the file, never a
 * stack overflow, an out-of-memory error or a terminal escape (issue 14, items 6 and 10).
 */
class HostileFilesTest {
    @TempDir
    Path dir;

    private Path h5py(String name, String script) throws IOException, InterruptedException {
        Path python = ExternalTools.requirePythonWithH5py();
        Path file = dir.resolve(name);
        Process p = new ProcessBuilder(python.toString(), "-c", "import sys, h5py, numpy as np\n"
                + "f = h5py.File(sys.argv[1], 'w')\n" + script + "\nf.close()\n", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return file;
    }

    @Test
    void inspectListsAGroupThatLinksBackToTheRootOnce() throws Exception {
        Path file = h5py("loop.hdf5", "g = f.create_group('g')\ng['back'] = f['/']\n"
                + "g.create_dataset('x', data=np.zeros(3, dtype='f4'))");
        assertThat(Files.size(file)).isLessThan(16_384);
        ChildCli.Result r = ChildCli.run(dir, Duration.ofSeconds(60), java.util.Map.of(), "inspect",
                file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("/g/back/ (hard link to /)", "/g/x");
    }

    @Test
    void inspectShowsControlCharactersInsteadOfSendingThem() throws Exception {
        Path file = h5py("escapes.hdf5", "f.attrs['title'] = '\\x1b[2J\\x1b]0;owned\\x07'\n"
                + "f.create_group('\\x1b[31mred')");
        ChildCli.Result r = ChildCli.run(dir, Duration.ofSeconds(60), java.util.Map.of(), "inspect",
                file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("\u001b").doesNotContain("\u0007").contains("\\u001b[2J", "\\u001b[31mred");
    }

    @Test
    void cochleagramRefusesRowsLongerThanAClipBeforeAllocating() throws Exception {
        for (int log2 : List.of(26, 29)) {
            Path file = h5py("long_rows_" + log2 + ".hdf5", "d = f.create_dataset('wav', shape=(1, 2**" + log2
                    + "), dtype='f4', chunks=(1, 1024))\nf.attrs['size'] = 1\nf.attrs['sample_rate'] = 16000");
            assertThat(Files.size(file)).isLessThan(16_384);
            ChildCli.run(dir, Duration.ofSeconds(60), java.util.Map.of(), "cochleagram", "--in", file.toString(),
                    "--out", dir.resolve("out").toString())
                    .failsWithOneLine(file.toString(), "rows", String.valueOf(1L << log2));
        }
    }

    @Test
    void cochleagramRefusesAnAbsurdSampleRate() throws Exception {
        Path file = h5py("rate.hdf5", "f.create_dataset('wav', data=np.zeros((1, 160000), dtype='f4'))\n"
                + "f.attrs['size'] = 1\nf.attrs['sample_rate'] = 2**40");
        ChildCli.run(dir, Duration.ofSeconds(60), java.util.Map.of(), "cochleagram", "--in", file.toString(),
                "--out", dir.resolve("out").toString())
                .failsWithOneLine(file.toString(), "sample_rate 1099511627776 Hz");
    }
    @Test
    void packRefusesAWavDeclaringTooManyChannelsQuickly() throws Exception {
        Path job = Files.createDirectories(dir.resolve("demo_downloads/demo_downloads_0"));
        int channels = 65_535;
        int dataBytes = 131_070;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(36 + dataBytes).putInt(0x45564157);
        b.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) channels).putInt(16_000)
                .putInt(16_000 * 2 * channels).putShort((short) (2 * channels)).putShort((short) 16);
        b.putInt(0x61746164).putInt(dataBytes);
        Path wav = Files.write(job.resolve("YT_abcdefghijk.wav"), b.array());
        Path csv = Files.writeString(dir.resolve("demo.csv"), "abcdefghijk, 0.000, 10.000, \"/m/04rlf\"\n");
        ChildCli.Result r = ChildCli.run(dir, Duration.ofSeconds(60), java.util.Map.of(), "pack", "--downloads",
                dir.resolve("demo_downloads").toString(), "--csv", csv.toString(), "--out",
                dir.resolve("out").toString());
        assertThat(r.out() + r.err()).contains(wav.getFileName().toString(), "65535 channels, more than the 64 read");
        assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(30));
    }
}
