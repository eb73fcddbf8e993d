package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.ProcessTag;
import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.audio.PreparedAudio;
import io.github.audiosetdl.core.spi.WaveformSink;
import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.KilledRuns;
import io.github.audiosetdl.examples.H5Dump;
import io.github.audiosetdl.examples.hostile.ChildCli;
import io.github.audiosetdl.hdf5.CochleagramFileReader;
import io.github.audiosetdl.hdf5.FeatureFileParts;
import io.github.audiosetdl.hdf5.Hdf5DatasetStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cochleagram --jobs 3} as three processes, then {@code cochleagram --finish}, writes the same files as one
 * process: every dataset's bytes and every attribute (compared with h5py), and the average npy byte for byte. A
 * missing part stops the finish with the missing rows named; a part already done is skipped.
 */
class CochleagramJobsTest {
    private static final int ROWS = 7;
    private static final int RATE = 16_000;
    private static final int LENGTH = 16_000;
    @TempDir
    Path dir;

    @Test
    void threeProcessesAndTheFinishWriteTheSingleProcessFiles() throws Exception {
        ExternalTools.requirePythonWithH5py();
        Path wav = waveforms(dir.resolve("clips.hdf5"));
        Path single = dir.resolve("single");
        Path split = dir.resolve("split");
        run("cochleagram", "--in", wav.toString(), "--out", single.toString(), "--threads", "1");

        for (int i : new int[] {2, 0}) {
            ChildCli.Result r = run("cochleagram", "--in", wav.toString(), "--out", split.toString(), "--jobs", "3",
                    "--job-index", Integer.toString(i), "--threads", "1");
            assertThat(r.out()).contains("job " + i + " of 3");
        }
        Path coch = split.resolve("clips_Coch.hdf5");
        ChildCli.Result early = ChildCli.run(dir.resolve("child"), Duration.ofSeconds(120), Map.of(), "cochleagram",
                "--in", wav.toString(), "--out", split.toString(), "--finish");
        assertThat(early.exit()).isEqualTo(1);
        assertThat(early.err()).contains("rows 2..3 of 7 are not computed yet");
        assertThat(coch).doesNotExist();
        // Inside a job array the task takes its index from SLURM's variables.
        ChildCli.Result middle = ChildCli.run(dir.resolve("child"), Duration.ofSeconds(120), Map.of(
                "SLURM_ARRAY_TASK_ID", "1", "SLURM_ARRAY_TASK_COUNT", "3"), "cochleagram", "--in", wav.toString(),
                "--out", split.toString(), "--threads", "1");
        assertThat(middle.exit()).as(middle.err()).isZero();
        assertThat(middle.out()).contains("job 1 of 3: rows 2..3 of 7");
        assertThat(run("cochleagram", "--in", wav.toString(), "--out", split.toString(), "--jobs", "3",
                "--job-index", "0").out()).contains("rows 0..1 of 7 were done already");

        assertThat(run("cochleagram", "--in", wav.toString(), "--out", split.toString(), "--finish").out())
                .contains("cochleagrams: 7 rows of ").contains(" combined in ").doesNotContain("rows/s");

        try (var files = Files.list(split)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("clips_Coch.hdf5",
                    "clips_average.npy", "clips_stats.npz", ".clips_stats.npz.inputs", ".clips_stats.npz.inputs.lock",
                    ".clips_Coch.hdf5.lock", // taken by the finish for its renames
                    ".clips_stats.npz.lock"); // held from the statistics' rename to their record
        }
        assertThat(FeatureFileParts.workFolder(coch)).doesNotExist();
        List<String> dumps = H5Dump.of(single.resolve("clips_Coch.hdf5"), coch);
        assertThat(dumps).hasSize(2);
        assertThat(dumps.get(0)).contains("'coch'", "'labels'", "'average'", "'meta/ytid'");
        assertThat(dumps.get(1)).isEqualTo(dumps.get(0));
        assertThat(Files.readAllBytes(split.resolve("clips_average.npy")))
                .isEqualTo(Files.readAllBytes(single.resolve("clips_average.npy")));
        assertThat(run("cochleagram", "--in", wav.toString(), "--out", split.toString(), "--finish").out())
                .contains("complete already").doesNotContain("clips_stats.npz");
        // killed while computing the statistics: the finish run again writes them, the same arrays
        Path stats = split.resolve("clips_stats.npz");
        Map<String, byte[]> before = entries(stats);
        Files.delete(stats);
        assertThat(run("cochleagram", "--in", wav.toString(), "--out", split.toString(), "--finish").out())
                .contains("complete already", "wrote " + stats);
        assertThat(entries(stats)).containsOnlyKeys(before.keySet());
        Map<String, byte[]> after = entries(stats);
        before.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));
        // new cochleagrams (of a newer input) without statistics: the old ones, which described the replaced file,
        // are deleted
        Files.setLastModifiedTime(wav, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()
                + 5_000));
        assertThat(run("cochleagram", "--in", wav.toString(), "--out", split.toString(), "--no-stats").out())
                .contains("no statistics written (--no-stats)", "deleted " + stats);
        assertThat(stats).doesNotExist();
    }

    @Test
    void aFileOfOtherParametersIsNotCompleteAlready() throws Exception {
        Path wav = waveforms(dir.resolve("clips.hdf5"));
        Path out = dir.resolve("out");
        Path coch = out.resolve("clips_Coch.hdf5");
        assertThat(inProcess("cochleagram", "--in", wav.toString(), "--out", out.toString(), "--threads", "1",
                "--no-stats")).contains("wrote " + coch);
        int channels;
        try (CochleagramFileReader r = CochleagramFileReader.open(coch)) {
            channels = r.channels();
        }
        // the same file in two jobs with another --n: the file of the default --n is not the one asked for
        for (int i = 0; i < 2; i++) {
            assertThat(inProcess("cochleagram", "--in", wav.toString(), "--out", out.toString(), "--n", "20",
                    "--jobs", "2", "--job-index", Integer.toString(i), "--threads", "1"))
                    .doesNotContain("complete already").contains("job " + i + " of 2: rows");
        }
        Path work = FeatureFileParts.workFolder(coch);
        Path saved = dir.resolve("saved");
        Files.createDirectories(saved);
        try (var files = Files.list(work)) {
            for (Path p : files.toList()) {
                Files.copy(p, saved.resolve(p.getFileName()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        assertThat(inProcess("cochleagram", "--in", wav.toString(), "--out", out.toString(), "--n", "20",
                "--finish", "--no-stats")).contains("wrote " + coch);
        try (CochleagramFileReader r = CochleagramFileReader.open(coch)) {
            assertThat(r.channels()).isLessThan(channels);
            assertThat(r.attributes().get("n")).asString().isEqualTo("20");
        }
        assertThat(inProcess("cochleagram", "--in", wav.toString(), "--out", out.toString(), "--n", "20",
                "--finish", "--no-stats")).contains("complete already");
        // a finish stopped after it published the file, before it deleted the work folder: the file is complete
        copyBack(saved, work);
        assertThat(inProcess("cochleagram", "--in", wav.toString(), "--out", out.toString(), "--n", "20",
                "--finish", "--no-stats")).contains("complete already");
        // and the rerun removes what it left: before, the folder (a plan, a part sum per task, megabytes each) stayed
        // for good, as every later run found the file complete and computed nothing
        assertThat(work).as("the parts' folder left by the stopped finish").doesNotExist();
        assertThat(coch).exists();
        // a task of the array run again after such a finish removes it too
        copyBack(saved, work);
        assertThat(inProcess("cochleagram", "--in", wav.toString(), "--out", out.toString(), "--n", "20",
                "--jobs", "2", "--job-index", "1")).contains("complete already");
        assertThat(work).doesNotExist();
    }

    /** Puts the work folder held in {@code saved} back, but its data file: as a finish stopped after its renames. */
    private static void copyBack(Path saved, Path work) throws IOException {
        Files.createDirectories(work);
        try (var files = Files.list(saved)) {
            for (Path p : files.toList()) {
                if (!p.getFileName().toString().equals("data.hdf5")) {
                    Files.copy(p, work.resolve(p.getFileName()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /**
     * A run killed after it renamed its files into place, before it deleted its staging folder
     * ({@code .X_Coch.hdf5.<random>.tmp}, with the column spools), left that folder, and the same command run again
     * found the files complete and kept it for good: it now removes it, as a writer does when it starts, and keeps a
     * live run's.
     */
    @Test
    void aRerunThatFindsTheFilesCompleteRemovesAKilledRunsStagingFolder() throws Exception {
        Path wav = waveforms(dir.resolve("clips.hdf5"));
        Path out = dir.resolve("out");
        String[] command = {"cochleagram", "--in", wav.toString(), "--out", out.toString(), "--threads", "1"};
        inProcess(command);
        Path coch = out.resolve("clips_Coch.hdf5");
        Files.delete(out.resolve(".clips_Coch.hdf5.inputs")); // killed before its record was written
        Path killed = stagingFolder(coch, KilledRuns.endedTag());
        Path live = stagingFolder(coch, ProcessTag.current());
        assertThat(inProcess(command)).contains("complete already");
        assertThat(killed).as("the killed run's staging folder").doesNotExist();
        assertThat(live).as("a live run's").isDirectory();
    }

    /** A staging folder of {@code file} as its writer, {@code owner}, leaves it after its renames. */
    private static Path stagingFolder(Path file, ProcessTag owner) throws IOException {
        Path folder = Files.createDirectory(file.resolveSibling("." + file.getFileName() + "."
                + Long.toHexString(new Random().nextInt() & 0xffffffffL) + ".tmp"));
        Files.writeString(folder.resolve("owner.pid"), owner + "\n");
        Files.write(folder.resolve("column-0.bin"), new byte[ROWS * 527]);
        return folder;
    }

    @Test
    void aJobWithNoRowsSaysSo() throws Exception {
        Path wav = waveforms(dir.resolve("clips.hdf5"));
        Path out = dir.resolve("out");
        // 7 rows in 9 jobs: two jobs have none
        java.util.List<String> said = new java.util.ArrayList<>();
        for (int i = 0; i < 9; i++) {
            said.add(inProcess("cochleagram", "--in", wav.toString(), "--out", out.toString(), "--jobs", "9",
                    "--job-index", Integer.toString(i), "--threads", "1"));
        }
        assertThat(String.join("", said)).doesNotContain("..-1").contains("no rows (the input has 7)");
        assertThat(inProcess("cochleagram", "--in", wav.toString(), "--out", out.toString(), "--finish",
                "--no-stats")).contains("cochleagrams: 7 rows");
    }

    @Test
    void cochleagramsTooWideForTheStatisticsAreRefusedBeforeAnyIsComputed() throws Exception {
        Path wav = waveforms(dir.resolve("clips.hdf5"));
        Path out = dir.resolve("out");
        inProcess("cochleagram", "--in", wav.toString(), "--out", out.toString(), "--threads", "1");
        Path coch = out.resolve("clips_Coch.hdf5");
        Path stats = out.resolve("clips_stats.npz");
        java.nio.file.attribute.FileTime written = Files.getLastModifiedTime(coch);
        // 4 * (600 + 1) - 1 + 2 * 4 = 2411 channels, more than the statistics' 2048: refused before computing, with
        // the files of the earlier run untouched (the cochleagrams were written, then the statistics failed, and the
        // old statistics stayed beside cochleagrams of other channels)
        for (String[] command : new String[][] {
                {"cochleagram", "--in", wav.toString(), "--out", out.toString(), "--n", "600", "--threads", "1"},
                {"run", "--csv", dir.resolve("absent.csv").toString(), "--out", out.toString(), "--n", "600"}}) {
            java.io.StringWriter err = new java.io.StringWriter();
            int code = AudioSetCli.run(new java.io.PrintWriter(new java.io.StringWriter(), true),
                    new java.io.PrintWriter(err, true), command);
            assertThat(code).as(err.toString()).isEqualTo(2);
            assertThat(err.toString()).contains("2411 channels", "at most 2048", "--no-stats");
        }
        assertThat(Files.getLastModifiedTime(coch)).isEqualTo(written);
        assertThat(stats).exists();
        assertThat(inProcess("cochleagram", "--in", wav.toString(), "--out", out.toString(), "--n", "600",
                "--threads", "1", "--no-stats")).contains("deleted " + stats);
        try (CochleagramFileReader reader = CochleagramFileReader.open(coch)) {
            assertThat(reader.channels()).isEqualTo(2411);
        }
    }

    @Test
    void aFinishOfNoRowsRunAgainIsCompleteAlready() throws Exception {
        Path wav = waveforms(dir.resolve("clips.hdf5"), 0);
        Path out = dir.resolve("out");
        for (int i = 0; i < 2; i++) {
            assertThat(inProcess("cochleagram", "--in", wav.toString(), "--out", out.toString(), "--jobs", "2",
                    "--job-index", Integer.toString(i))).contains("no rows (the input has 0)");
        }
        assertThat(inProcess("cochleagram", "--in", wav.toString(), "--out", out.toString(), "--finish"))
                .contains("no rows: no statistics written");
        // it tried to write the statistics it found missing, and failed: "0 rows of 200 frames are too few"
        assertThat(inProcess("cochleagram", "--in", wav.toString(), "--out", out.toString(), "--finish"))
                .contains("complete already");
        assertThat(out.resolve("clips_stats.npz")).doesNotExist();
    }

    /**
     * A whole run over cochleagrams that its pipeline record says are up to date, while a split run's work folder
     * is there (so the command's own check does not call them complete), keeps them and says so: before, it failed
     * (the pipeline kept them and returned no feature summary).
     */
    @Test
    void aWholeRunOverRecordedCochleagramsWhilePartsAreUnderWayKeepsThem() throws Exception {
        Path wav = waveforms(dir.resolve("clips.hdf5"));
        Path out = dir.resolve("out");
        Path coch = computedOnce(wav, out);
        assertThat(out.resolve(".clips_Coch.hdf5.inputs")).isRegularFile();
        java.nio.file.attribute.FileTime written = Files.getLastModifiedTime(coch);
        Path work = Files.createDirectories(FeatureFileParts.workFolder(coch));
        Files.writeString(work.resolve("data.hdf5"), ""); // as a task of --jobs reserves it
        assertThat(FeatureFileParts.started(coch)).isTrue();
        assertThat(inProcess("cochleagram", "--in", wav.toString(), "--out", out.toString(), "--threads", "1"))
                .contains("complete already: " + coch).doesNotContain("cochleagrams:");
        assertThat(Files.getLastModifiedTime(coch)).isEqualTo(written);
    }

    /**
     * A waveform file replaced by another of as many rows whose modification time is older than the cochleagrams'
     * (moved or copied in with its time, as {@code mv}, {@code cp -p} and {@code rsync -a} keep it) is computed
     * again, as the cochleagrams' record says: before, the command's own check (the cochleagrams newer than their
     * input) called the cochleagrams of the file replaced complete already.
     */
    @Test
    void cochleagramsOfAWaveformFileReplacedByAnOlderOneAreComputedAgain() throws Exception {
        Path wav = waveforms(dir.resolve("clips.hdf5"));
        Path out = dir.resolve("out");
        Path coch = computedOnce(wav, out);
        float[] before;
        try (CochleagramFileReader r = CochleagramFileReader.open(coch)) {
            before = new float[r.channels() * r.frames()];
            r.read(0, before);
        }
        Path other = waveforms(dir.resolve("other.hdf5"), ROWS, 99); // other noise: other cochleagrams
        Files.setLastModifiedTime(other, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(coch).toMillis() - 3_600_000));
        Files.move(other, wav, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThat(inProcess("cochleagram", "--in", wav.toString(), "--out", out.toString(), "--jobs", "2",
                "--job-index", "0", "--threads", "1")).as("a task").doesNotContain("complete already");
        assertThat(inProcess("cochleagram", "--in", wav.toString(), "--out", out.toString(), "--threads", "1"))
                .doesNotContain("complete already").contains("cochleagrams: " + ROWS + " rows");
        try (CochleagramFileReader r = CochleagramFileReader.open(coch)) {
            float[] now = new float[before.length];
            r.read(0, now);
            assertThat(now).isNotEqualTo(before);
        }
        assertThat(inProcess("cochleagram", "--in", wav.toString(), "--out", out.toString(), "--threads", "1"))
                .contains("complete already");
    }

    /**
     * Statistics beside cochleagrams replaced by others with an older modification time (copied in with their time,
     * as {@code cp -p} and {@code rsync -a} keep it) describe the cochleagrams replaced: their record says so, and
     * they are deleted and computed again; before, statistics newer than the cochleagrams were kept.
     */
    @Test
    void statisticsOfCochleagramsReplacedByOlderOnesAreStale() throws Exception {
        Path wav = waveforms(dir.resolve("clips.hdf5"));
        Path out = dir.resolve("out");
        Path coch = computedOnce(wav, out);
        Path stats = out.resolve("clips_stats.npz");
        assertThat(StatsCommand.staleBeside(coch)).as("written with them").isFalse();
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path other = computedOnce(waveforms(elsewhere.resolve("clips.hdf5"), ROWS, 17), elsewhere);
        Files.copy(other, coch, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(coch, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(stats).toMillis() - 60_000));

        assertThat(StatsCommand.staleBeside(coch)).as("they describe the cochleagrams replaced").isTrue();
        java.io.StringWriter said = new java.io.StringWriter();
        StatsCommand.removeStaleBeside(coch, new java.io.PrintWriter(said, true));
        assertThat(said.toString()).contains("deleted " + stats);
        assertThat(stats).doesNotExist();
        assertThat(out.resolve(".clips_stats.npz.inputs")).doesNotExist();

        assertThat(StatsCommand.writeBeside(coch, 1)).isEqualTo(stats);
        assertThat(StatsCommand.staleBeside(coch)).isFalse();
        Files.delete(out.resolve(".clips_stats.npz.inputs")); // as an older version, or another program, left them
        assertThat(StatsCommand.staleBeside(coch)).isTrue();
    }

    /** @return the output of the command line run in this JVM, which must succeed */
    /** @return {@code out/clips_Coch.hdf5}, the cochleagrams of {@code wav} computed by one whole run */
    private static Path computedOnce(Path wav, Path out) {
        assertThat(inProcess("cochleagram", "--in", wav.toString(), "--out", out.toString(), "--threads", "1"))
                .contains("cochleagrams: " + ROWS + " rows");
        return out.resolve("clips_Coch.hdf5");
    }

    private static String inProcess(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = AudioSetCli.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), args);
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    /** @return the entries of a zip file, names to bytes (the entries' times aside) */
    private static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> out = new java.util.TreeMap<>();
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
            for (var e : java.util.Collections.list(z.entries())) {
                out.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        }
        return out;
    }

    /**
     * A folder at one of the final names fails the command before any row is computed (the input's first row,
     * a NaN, would fail the computing): before, every row was computed first.
     */
    @Test
    void aFolderAtAFinalNameFailsBeforeAnyRowIsComputed() throws Exception {
        Path wav = dir.resolve("clips.hdf5");
        try (WaveformSink sink = Hdf5DatasetStore.INSTANCE.createWaveforms(wav, LabelIndex.audioSet(), RATE,
                LENGTH)) {
            float[] samples = new float[LENGTH];
            samples[5] = Float.NaN;
            sink.write(new SegmentRow(0, 1, new Segment("clip0000000", 0, 10_000, List.of("/m/09x0r"))),
                    new PreparedAudio(samples, 1.0, false));
            sink.commit();
        }
        for (String name : List.of("clips_Coch.hdf5", "clips_average.npy", "clips_stats.npz")) {
            Path out = Files.createDirectories(dir.resolve("out-" + name).resolve(name)).getParent();
            ChildCli.Result r = ChildCli.run(dir.resolve("child"), Duration.ofSeconds(120), Map.of(), "cochleagram",
                    "--in", wav.toString(), "--out", out.toString());
            assertThat(r.exit()).as(r.err()).isEqualTo(AudioSetCli.EXIT_FAILURE);
            assertThat(r.err()).as(name).contains(name + " is a directory, not a file").doesNotContain("NaN");
        }
    }

    private ChildCli.Result run(String... args) throws IOException, InterruptedException {
        ChildCli.Result r = ChildCli.run(dir.resolve("child"), Duration.ofSeconds(120), Map.of(), args);
        assertThat(r.exit()).as(r.err()).isZero();
        return r;
    }

    /** Seven rows of 1 s of seeded noise and tones, with labels and metadata. */
    private static Path waveforms(Path file) throws IOException {
        return waveforms(file, ROWS);
    }

    /** {@code rows} rows of 1 s of seeded noise and tones, with labels and metadata. */
    private static Path waveforms(Path file, int rows) throws IOException {
        return waveforms(file, rows, 16);
    }

    /** {@code rows} rows of 1 s of noise of the seed {@code seed} and tones, with labels and metadata. */
    private static Path waveforms(Path file, int rows, long seed) throws IOException {
        Random random = new Random(seed);
        try (WaveformSink sink = Hdf5DatasetStore.INSTANCE.createWaveforms(file, LabelIndex.audioSet(), RATE,
                LENGTH)) {
            for (int i = 0; i < rows; i++) {
                float[] samples = new float[LENGTH];
                double hz = 200 + 300 * i;
                for (int k = 0; k < LENGTH; k++) {
                    samples[k] = (float) (0.3 * Math.sin(2 * Math.PI * hz * k / RATE) + 0.1 * random.nextGaussian());
                }
                Segment s = new Segment(String.format("clip%07d", i), 1000L * i, 1000L * i + 10_000,
                        List.of("/m/09x0r"));
                sink.write(new SegmentRow(i, i + 1, s), new PreparedAudio(samples, 1.0, false));
            }
            sink.commit();
        }
        return file;
    }
}
