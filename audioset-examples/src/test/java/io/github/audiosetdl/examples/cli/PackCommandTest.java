package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.audio.WavEncoding;
import io.github.audiosetdl.core.audio.WavWriter;
import io.github.audiosetdl.core.testing.TestData;
import io.github.audiosetdl.hdf5.WaveformFileReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        return AudioSetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    static String id(int i) {
        return String.format("clip%07d", i);
    }

    /** {@code n} clips (stereo 44.1 kHz int16, so that packing resamples) in two job folders, and their CSV. */
    static Path downloads(Path dir, int n) throws IOException {
        Path downloads = dir.resolve("demo_downloads");
        StringBuilder csv = new StringBuilder("# YTID, start_seconds, end_seconds, positive_labels\n");
        for (int i = 0; i < n; i++) {
            Path job = downloads.resolve("demo_downloads_" + (i % 2));
            Files.createDirectories(job);
            float[][] x = new float[2][44_100 * 10];
            for (int k = 0; k < x[0].length; k++) {
                x[0][k] = (float) (0.5 * Math.sin(2 * Math.PI * (220 + i) * k / 44_100.0));
                x[1][k] = (float) (0.25 * Math.sin(2 * Math.PI * 440 * k / 44_100.0));
            }
            WavWriter.write(job.resolve("YT_" + id(i) + ".wav"), 44_100, x, WavEncoding.PCM_16);
            csv.append(id(i)).append(", ").append(i).append(".000, ").append(i + 10).append(".000, \"/m/04rlf\"\n");
        }
        Files.writeString(dir.resolve("demo.csv"), csv);
        return downloads;
    }

    /**
     * A temporally-strong {@code --csv} whose segment resumes after another segment's lines is an error naming the
     * file, the line and the segment, as with {@code --strong}: before, the later lines were dropped in silence
     * (their labels lost). Another segment of the same video (another start) is still packed once, first row first.
     */
    @Test
    void aStrongCsvWhoseSegmentResumesLaterIsAnError() throws IOException {
        Path downloads = downloads(dir, 2);
        String header = "segment_id\tstart_time_seconds\tend_time_seconds\tlabel\n";
        Path split = Files.writeString(dir.resolve("split.tsv"), header
                + id(0) + "_0\t0.000\t1.000\t/m/09x0r\n"
                + id(1) + "_1000\t0.000\t1.000\t/m/04rlf\n"
                + id(0) + "_0\t2.000\t3.000\t/m/0bt9lr\n");
        assertThat(run("pack", "--downloads", downloads.toString(), "--csv", split.toString(), "--out",
                dir.resolve("out").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("split.tsv:4: this segment's lines are not together")
                .contains("'" + id(0) + "_0'");

        Path twoStarts = Files.writeString(dir.resolve("starts.tsv"), header
                + id(0) + "_0\t0.000\t1.000\t/m/09x0r\n"
                + id(1) + "_1000\t0.000\t1.000\t/m/04rlf\n"
                + id(0) + "_30000\t2.000\t3.000\t/m/0bt9lr\n");
        assertThat(run("pack", "--downloads", downloads.toString(), "--csv", twoStarts.toString(), "--out",
                dir.resolve("out2").toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("wrote 2 rows");
    }

    /**
     * {@code pack} puts its files in place under the lock of their record ({@code .<name>.hdf5.inputs.lock}), as a
     * run does: while a run holds it (between its commit and its record) the pack waits, so that run's record never
     * names this pack's files. Before, pack committed at once. It always packs, and records its inputs: a run with
     * the same ones then keeps its file.
     */
    @Test
    void packCommitsUnderTheRecordLockAndRecordsItsInputs() throws Exception {
        Path downloads = downloads(dir, 3);
        Path csv = dir.resolve("demo.csv");
        Path folder = Files.createDirectories(dir.resolve("out"));
        Path packed = folder.resolve("demo.hdf5");
        String[] pack = {"pack", "--downloads", downloads.toString(), "--csv", csv.toString(), "--out",
            folder.toString(), "--threads", "1", "--shuffle-seed", "5"};
        Thread packing;
        int[] code = {-1};
        try (java.nio.channels.FileChannel lock = java.nio.channels.FileChannel.open(
                folder.resolve(".demo.hdf5.inputs.lock"), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE); java.nio.channels.FileLock held = lock.lock()) {
            assertThat(held.isValid()).isTrue(); // as a run's, between its commit and its record
            packing = new Thread(() -> code[0] = run(pack), "pack-under-lock");
            packing.start();
            packing.join(TimeUnit.SECONDS.toMillis(10)); // packing 3 clips takes about a second
            assertThat(packing.isAlive()).as("pack waits for the lock: " + out + err).isTrue();
            assertThat(packed).doesNotExist();
        }
        packing.join(TimeUnit.MINUTES.toMillis(2));
        assertThat(packing.isAlive()).isFalse();
        assertThat(code[0]).as(err.toString()).isZero();
        assertThat(out.toString()).contains("wrote 3 rows to " + packed);
        assertThat(folder.resolve(".demo.hdf5.inputs")).isRegularFile();

        assertThat(run(pack)).as(err.toString()).isZero(); // pack always packs
        assertThat(out.toString().split("wrote 3 rows", -1)).hasSize(3);
        java.io.StringWriter ran = new java.io.StringWriter();
        assertThat(AudioSetCli.run(new PrintWriter(ran, true), new PrintWriter(err, true), "run", "--downloads",
                downloads.toString(), "--csv", csv.toString(), "--out", folder.toString(), "--stop-after", "pack",
                "--shuffle-seed", "5")).as(err.toString()).isZero();
        assertThat(ran.toString()).contains("pack         up to date, kept: " + packed);
    }

    @Test
    void packsADownloadsFolder() throws IOException {
        Path downloads = downloads(dir, 4);
        int code = run("pack", "--downloads", downloads.toString(), "--csv", dir.resolve("demo.csv").toString(),
                "--out", dir.resolve("out").toString(), "--threads", "2");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("wrote 4 rows").contains("demo.hdf5").contains("demo_metadata.npy");
        try (WaveformFileReader r = WaveformFileReader.open(dir.resolve("out/demo.hdf5"))) {
            assertThat(r.size()).isEqualTo(4);
            for (int i = 0; i < 4; i++) {
                assertThat(r.metadata(i).ytid()).isEqualTo(id(i));
            }
        }
        assertThat(dir.resolve("out/demo_metadata.npy")).exists();
    }

    /**
     * With the wrong --csv the progress line called the clips not in it "failed" while the summary said "skipped: not
     * in the segments CSV"; now both say skipped, and a warning says when most of the WAV files are not in the CSV.
     */
    @Test
    void clipsNotInTheCsvAreSkippedAndMostOfThemAskWhetherItIsTheRightCsv() throws IOException {
        Path downloads = downloads(dir, 4);
        String[] lines = Files.readString(dir.resolve("demo.csv")).split("\n");
        Path one = Files.writeString(dir.resolve("one.csv"), lines[0] + "\n" + lines[1] + "\n");
        assertThat(run("pack", "--downloads", downloads.toString(), "--csv", one.toString(), "--out",
                dir.resolve("out").toString(), "--threads", "1", "--progress", "bar")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("wrote 1 rows").contains("skipped: not in the segments CSV  3");
        assertThat(err.toString()).contains("  3 skipped  in ").doesNotContain("failed")
                .contains("warning: 3 of the 4 WAV files found are not in " + one + ": is it the CSV the clips were"
                        + " downloaded from?");

        err.getBuffer().setLength(0);
        Path three = Files.writeString(dir.resolve("three.csv"), String.join("\n", Arrays.copyOf(lines, 4)) + "\n");
        assertThat(run("pack", "--downloads", downloads.toString(), "--csv", three.toString(), "--out",
                dir.resolve("out").toString(), "--threads", "1", "--progress", "bar")).as(err.toString()).isZero();
        assertThat(err.toString()).contains("  1 skipped  in ").doesNotContain("warning");
    }

    @Test
    void nameAndSeedOptionsAndBadInputs() throws IOException {
        Path downloads = downloads(dir, 3);
        int code = run("pack", "--downloads", downloads.toString(), "--csv", dir.resolve("demo.csv").toString(),
                "--out", dir.resolve("out").toString(), "--name", "mine", "--shuffle-seed", "3",
                "--labels", TestData.file("audioset/class_labels_indices.csv").toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(dir.resolve("out/mine.hdf5")).exists();
        assertThat(dir.resolve("out/mine_metadata.npy")).exists();

        code = run("pack", "--downloads", downloads.toString(), "--csv", dir.resolve("missing.csv").toString(),
                "--out", dir.resolve("out2").toString());
        assertThat(code).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).contains("missing.csv");
        assertThat(run("pack", "--csv", "x.csv")).isEqualTo(AudioSetCli.EXIT_USAGE);

        Path labels = dir.resolve("labels.csv");
        Files.writeString(labels, "index,mid,display_name\n0,/m/09x0r,Speech\n");
        code = run("pack", "--downloads", downloads.toString(), "--csv", dir.resolve("demo.csv").toString(),
                "--out", dir.resolve("out3").toString(), "--labels", labels.toString());
        assertThat(code).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).contains("/m/04rlf").contains("demo.csv");
        assertThat(dir.resolve("out3/demo.hdf5")).doesNotExist();
        assertThat(dir.resolve("out3")).as("the folder the failed pack created").doesNotExist();
    }

    /**
     * A pack that fails once it has created its output folder (no clip in the downloads folder, a bad CSV line)
     * leaves no empty folders behind: before, {@code --out new/sub} stayed, empty. A folder that existed stays.
     */
    @Test
    void aFailedPackRemovesTheEmptyFoldersItCreated() throws IOException {
        downloads(dir, 1);
        Path empty = Files.createDirectory(dir.resolve("empty_downloads"));
        String csv = dir.resolve("demo.csv").toString();
        assertThat(run("pack", "--downloads", empty.toString(), "--csv", csv, "--out", dir.resolve("new/sub")
                .toString())).as(err.toString()).isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(err.toString()).contains("no YT_<id>.wav file under it");
        assertThat(dir.resolve("new")).doesNotExist();

        Path existing = Files.createDirectory(dir.resolve("existing"));
        assertThat(run("pack", "--downloads", empty.toString(), "--csv", csv, "--out", existing.toString()))
                .isEqualTo(AudioSetCli.EXIT_FAILURE);
        assertThat(existing).isEmptyDirectory();
    }

    @Test
    void killedMidwayLeavesNoCompleteLookingOutputAndTheRerunSucceeds() throws Exception {
        int n = 120;
        Path downloads = downloads(dir, n);
        Path outDir = dir.resolve("out");
        Process child = packMidway(downloads, outDir);
        try {
            assertThat(child.isAlive()).isTrue();
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        try (Stream<Path> left = Files.list(outDir)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .allSatisfy(name -> assertThat(name).startsWith(".").endsWith(".tmp"));
        }
        int code = run("pack", "--downloads", downloads.toString(), "--csv", dir.resolve("demo.csv").toString(),
                "--out", outDir.toString());
        assertThat(code).as(err.toString()).isZero();
        try (WaveformFileReader r = WaveformFileReader.open(outDir.resolve("demo.hdf5"))) {
            assertThat(r.size()).isEqualTo(n);
            assertThat(r.metadata(n - 1).ytid()).isEqualTo(id(n - 1));
        }
        try (Stream<Path> left = Files.list(outDir)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("the killed run's staging directory is gone")
                    .containsExactlyInAnyOrder("demo.hdf5", "demo_metadata.npy", ".demo.hdf5.inputs", // its record
                            ".demo.hdf5.inputs.lock", ".demo.hdf5.lock"); // the locks: empty, kept
        }
    }

    /**
     * Ctrl-C or SIGTERM midway (SIGTERM here: both run the JVM's shutdown hooks) stops the pack and removes its
     * staging folder: before, the JVM halted with the hidden {@code .demo.hdf5.<random>.tmp} (the rows written so
     * far, up to the whole data set's size) left in the output folder until the same command ran again.
     */
    @Test
    void stoppedMidwayRemovesItsUnfinishedFiles() throws Exception {
        Path outDir = dir.resolve("out");
        Process child = packMidway(downloads(dir, 120), outDir);
        try {
            child.destroy(); // SIGTERM
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the pack stopped").isTrue();
            assertThat(child.exitValue()).isEqualTo(143);
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(outDir).as("the output folder the pack created, and what it left in it").doesNotExist();
        assertThat(Files.readString(dir.resolve("child.log"))).contains("audioset pack: stopped by a signal;"
                + " unfinished files removed; run the same command again to finish (pack stage interrupted");
    }

    /**
     * Starts {@code audioset pack} in a child JVM and returns once it has written some rows into its staging file.
     *
     * @param downloads the downloads folder, beside {@code demo.csv}
     * @param outDir its {@code --out}
     * @return the child, running (the caller stops it)
     */
    private Process packMidway(Path downloads, Path outDir) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), AudioSetCli.class.getName(), "pack",
                "--downloads", downloads.toString(), "--csv", dir.resolve("demo.csv").toString(),
                "--out", outDir.toString(), "--threads", "1"));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            boolean midway = false;
            while (!midway && System.nanoTime() < deadline && child.isAlive()) {
                midway = stagedBytes(outDir) > (1 << 20) + 5L * 640_000;
                Thread.sleep(20);
            }
            assertThat(midway).as("child wrote rows before finishing: " + Files.readString(dir.resolve("child.log")))
                    .isTrue();
            return child;
        } catch (Exception | AssertionError e) {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static long stagedBytes(Path outDir) throws IOException {
        if (!Files.isDirectory(outDir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(outDir)) {
            return files.filter(p -> p.getFileName().toString().equals("data.hdf5")).mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }
}
