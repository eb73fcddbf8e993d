package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.testing.ExternalTools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audioset slurm} without {@code --submit}: the four scripts, the sbatch lines, safe quoting, and the
 * {@code --submit-timeout} range (the bounded sbatch: {@code tools.BoundedProcessTest}; submitting:
 * {@code slurm.SlurmPipelineTest}, {@code slurm.SlurmSubmitFailureTest}).
 */
class SlurmCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        return AudioSetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void writesTheScriptsAndPrintsTheSbatchLines() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("it's data"));
        Path csv = Files.writeString(folder.resolve("mini.csv"), "# YTID, start_seconds, end_seconds, positive_labels\n"
                + "slurmclip01, 0.000, 10.000, \"/m/09x0r\"\n");
        Path outDir = folder.resolve("out");
        // a run killed between creating a script's temporary file and renaming it: removed by the next run
        Files.createDirectories(outDir.resolve("slurm"));
        List<Path> planted = io.github.audiosetdl.core.testing.KilledRuns.plantTemporaries(
                outDir.resolve("slurm/pack.sbatch"));
        int code = run("slurm", "--csv", csv.toString(), "--out", outDir.toString(), "--jobs", "4",
                "--cochleagram-jobs", "2", "--threads", "2", "--resolver", "direct", "--url-template",
                "http://127.0.0.1:9/{id}.m4a", "--max-requests-per-minute", "30", "--preset", "pycochleagram",
                "--partition", "cpu", "--time", "1-00:00:00", "--ffmpeg", ExternalTools.requireFfmpeg().toString());

        assertThat(code).as(err.toString()).isZero();
        Path slurm = outDir.resolve("slurm");
        for (String step : List.of("download", "pack", "cochleagram", "finish")) {
            assertThat(slurm.resolve(step + ".sbatch")).isRegularFile();
        }
        assertThat(planted.get(0)).doesNotExist();
        assertThat(planted.subList(1, 3)).allMatch(Files::exists);
        String download = Files.readString(slurm.resolve("download.sbatch"));
        assertThat(download).startsWith("#!/bin/bash\n").contains("set -euo pipefail")
                .contains("'download' '--csv' '" + csv.toString().replace("'", "'\\''") + "'")
                .contains("'--max-requests-per-minute' '30'").contains("'--threads' '2'")
                .contains("'--url-template' 'http://127.0.0.1:9/{id}.m4a'").doesNotContain("slurmclip01")
                .endsWith(" '--jobs' '4' '--job-index' \"${SLURM_ARRAY_TASK_ID:?this script runs as a job array:"
                        + " sbatch --array=0-3}\"\n");
        assertThat(Files.readString(slurm.resolve("cochleagram.sbatch"))).contains("'--preset' 'pycochleagram'")
                .contains("'--jobs' '2' '--job-index' \"${SLURM_ARRAY_TASK_ID").doesNotContain("--finish")
                .contains("'--add-modules' 'jdk.incubator.vector'");
        assertThat(download).doesNotContain("jdk.incubator.vector");
        assertThat(Files.readString(slurm.resolve("finish.sbatch"))).contains("'--finish'")
                .doesNotContain("--jobs");
        assertThat(Files.readString(slurm.resolve("pack.sbatch"))).contains("'run' '--downloads' '"
                + outDir.resolve("mini_downloads").toString().replace("'", "'\\''") + "'")
                .contains("'--stop-after' 'pack'").contains("'--add-modules' 'jdk.incubator.vector'");
        assertThat(out.toString()).contains("download=$(").contains("'--array=0-3'")
                .contains("--dependency=afterany:$download").contains("--dependency=afterok:$pack")
                .contains("'--array=0-1'").contains("--dependency=afterok:$cochleagram")
                .contains("'--partition=cpu'").contains("'--time=1-00:00:00'");
    }

    /**
     * The pack step, run by bash as SLURM would, decides through the record of the pack's inputs: a rerun with
     * nothing new keeps the file; a clip copied in with an older time (older than the last pack, which the stamp
     * guard of before took as packed) and a waveform file replaced by a pack with other options (a shuffle seed, by
     * hand) are packed again.
     */
    @Test
    void thePackStepDecidesByTheRecordOfItsInputs() throws Exception {
        Path downloads = PackCommandTest.downloads(dir, 3);
        Path csv = dir.resolve("demo.csv");
        Path third = downloads.resolve("demo_downloads_0/YT_" + PackCommandTest.id(2) + ".wav");
        Path aside = Files.move(third, dir.resolve("third.wav"));
        long old = System.currentTimeMillis() - 600_000;
        try (var files = Files.walk(dir)) { // downloaded (and the CSV written) well before the chain's pack
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(old));
            }
        }
        Path stamp = Files.createDirectories(dir.resolve("slurm")).resolve(".pack-demo.stamp"); // an older version's
        Files.createFile(stamp);
        assertThat(run("slurm", "--csv", csv.toString(), "--out", dir.toString())).as(err.toString()).isZero();
        assertThat(stamp).doesNotExist();
        Path script = dir.resolve("slurm/pack.sbatch");
        Path packed = dir.resolve("demo.hdf5");
        assertThat(Files.readString(script)).contains("'run' '--downloads'").contains("'--stop-after' 'pack'")
                .doesNotContain("-newer").doesNotContain(".stamp");

        assertThat(bash(script)).contains("2 rows written");
        assertThat(rows(packed)).isEqualTo(2);
        assertThat(bash(script)).contains("pack         up to date, kept: " + packed);
        // a clip copied in with its old time, older than the pack
        Files.move(aside, third);
        Files.setLastModifiedTime(third, java.nio.file.attribute.FileTime.fromMillis(old));
        assertThat(bash(script)).contains("3 rows written");
        assertThat(rows(packed)).isEqualTo(3);
        assertThat(bash(script)).contains("up to date, kept");
        // the waveform file packed again by hand with a shuffle seed: not the file the record names
        assertThat(run("pack", "--downloads", downloads.toString(), "--csv", csv.toString(), "--out", dir.toString(),
                "--shuffle-seed", "7")).as(err.toString()).isZero();
        assertThat(bash(script)).contains("3 rows written");
        assertThat(bash(script)).contains("up to date, kept");
        try (var left = Files.list(dir.resolve("slurm"))) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(f -> f.endsWith(".tmp"));
        }
    }

    /**
     * The pack step when the CSV or the label file changed since the last pack (a row dropped, a label renamed) and
     * no clip is new: the next submission packs again, so the waveform file follows the CSV instead of keeping the
     * rows and labels of the old one; a file only touched (the same bytes) keeps it.
     */
    @Test
    void thePackStepPacksAgainWhenTheCsvOrLabelsChanged() throws Exception {
        Path downloads = PackCommandTest.downloads(dir, 3);
        Path csv = dir.resolve("demo.csv");
        Path labels = Files.copy(io.github.audiosetdl.core.testing.TestData.file("audioset/class_labels_indices.csv"),
                dir.resolve("labels.csv"));
        long old = System.currentTimeMillis() - 600_000;
        try (var files = Files.walk(dir)) { // downloaded (and the CSV written) well before the chain's pack
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(old));
            }
        }
        assertThat(run("slurm", "--csv", csv.toString(), "--out", dir.toString(), "--labels", labels.toString()))
                .as(err.toString()).isZero();
        Path script = dir.resolve("slurm/pack.sbatch");
        Path packed = dir.resolve("demo.hdf5");
        assertThat(bash(script)).contains("3 rows written");
        assertThat(bash(script)).contains("up to date, kept");

        List<String> lines = Files.readAllLines(csv);
        Files.write(csv, lines.subList(0, lines.size() - 1)); // the last row dropped: its clip stays on disk
        Files.setLastModifiedTime(csv, java.nio.file.attribute.FileTime.fromMillis(old));
        assertThat(downloads.resolve("demo_downloads_0/YT_" + PackCommandTest.id(2) + ".wav")).isRegularFile();
        assertThat(bash(script)).contains("2 rows written");
        assertThat(rows(packed)).isEqualTo(2);
        Files.setLastModifiedTime(csv, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
        assertThat(bash(script)).contains("up to date, kept");

        Files.writeString(labels, Files.readString(labels).replace("\"Speech\"", "\"Talk\""));
        Files.setLastModifiedTime(labels, java.nio.file.attribute.FileTime.fromMillis(old));
        assertThat(bash(script)).contains("2 rows written");
        assertThat(bash(script)).contains("up to date, kept");
    }

    /**
     * With a temporally-strong label file as {@code --csv}, the pack step adds its events ({@code /strong}), as
     * {@code pack --csv STRONG.tsv --strong STRONG.tsv} does: before, the SLURM flow dropped them (and
     * {@code slurm} has no {@code --strong} to ask for them).
     */
    @Test
    void thePackStepOfAStrongCsvKeepsItsEvents() throws Exception {
        PackCommandTest.downloads(dir, 2);
        Path strong = Files.writeString(dir.resolve("demo_strong.tsv"),
                "segment_id\tstart_time_seconds\tend_time_seconds\tlabel\n"
                + PackCommandTest.id(0) + "_0\t0.000\t1.500\t/m/09x0r\n"
                + PackCommandTest.id(1) + "_1000\t2.000\t10.000\t/m/04rlf\n");
        Files.move(dir.resolve("demo_downloads"), dir.resolve("demo_strong_downloads"));
        assertThat(run("slurm", "--csv", strong.toString(), "--out", dir.toString())).as(err.toString()).isZero();

        assertThat(bash(dir.resolve("slurm/pack.sbatch"))).contains("2 rows written");
        java.util.Optional<io.github.audiosetdl.hdf5.StrongLabelsReader> opened =
                io.github.audiosetdl.hdf5.StrongLabelsReader.open(dir.resolve("demo_strong.hdf5"));
        assertThat(opened).as("/strong in the packed file").isPresent();
        try (io.github.audiosetdl.hdf5.StrongLabelsReader r = opened.get()) {
            assertThat(r.events(0)).extracting(io.github.audiosetdl.core.StrongEvent::mid).containsExactly(
                    "/m/09x0r");
            assertThat(r.events(1)).extracting(io.github.audiosetdl.core.StrongEvent::mid).containsExactly(
                    "/m/04rlf");
        }
    }

    /**
     * A bad line of the segments file fails {@code slurm} itself, naming the file, line and value, before any
     * folder or script is written: it wrote the scripts and exited 0, and then every download task (each reading
     * the whole file) and the pack failed on it. Under {@code --on-error skip} the line is skipped, as the tasks
     * will skip it.
     */
    @Test
    void aBadLineOfTheSegmentsFileFailsBeforeAnyScriptIsWritten() throws Exception {
        List<String> lines = Files.readAllLines(io.github.audiosetdl.core.testing.TestData.file(
                "audioset/strong_sample.tsv"));
        lines.set(4, "--BfvyPmVMo_20000\t5.000\t4.000\t/t/dd00141"); // onset after offset
        Path strong = Files.write(dir.resolve("bad_strong.tsv"), lines);
        Path weak = Files.writeString(dir.resolve("bad.csv"), "# YTID, start_seconds, end_seconds, positive_labels\n"
                + "slurmclip01, 0.000, 10.000, \"/m/09x0r\"\n"
                + "slurmclip02, 30.000, 4O.000, \"/m/09x0r\"\n"
                + "slurmclip03, 0.000, 10.000, \"/m/09x0r\"\n");
        for (Object[] c : new Object[][] {{strong, 5, "'5.000, 4.000'"}, {weak, 3, "4O.000"}}) {
            Path out = dir.resolve("out");
            err.getBuffer().setLength(0);
            assertThat(run("slurm", "--csv", c[0].toString(), "--out", out.toString(), "--jobs", "4")).isEqualTo(1);
            assertThat(err.toString()).contains(c[0] + ":" + c[1] + ":").contains(c[2].toString());
            assertThat(out).doesNotExist();
            assertThat(run("slurm", "--csv", c[0].toString(), "--out", out.toString(), "--jobs", "4", "--on-error",
                    "skip")).as(err.toString()).isZero();
            assertThat(out.resolve("slurm/download.sbatch")).exists();
            assertThat(Files.readString(out.resolve("slurm/download.sbatch"))).contains("'--on-error' 'skip'");
            deleteTree(out);
        }
    }

    /**
     * A segments file without a segment (only a header, or every line bad under {@code --on-error skip}) fails
     * {@code slurm} before any script is written: it wrote them and exited 0, and the pack step failed on the empty
     * downloads after the queue wait.
     */
    @Test
    void aSegmentsFileWithoutASegmentFailsBeforeAnyScriptIsWritten() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.csv"), "# YTID, start_seconds, end_seconds,"
                + " positive_labels\n");
        Path bad = Files.writeString(dir.resolve("allbad.csv"), "# YTID, start_seconds, end_seconds,"
                + " positive_labels\nslurmclip02, 30.000, 4O.000, \"/m/09x0r\"\n");
        Path out = dir.resolve("out");
        assertThat(run("slurm", "--csv", empty.toString(), "--out", out.toString())).isEqualTo(1);
        assertThat(err.toString()).contains(empty + ": no segment to download (no line after the header)");
        err.getBuffer().setLength(0);
        assertThat(run("slurm", "--csv", bad.toString(), "--out", out.toString(), "--on-error", "skip"))
                .isEqualTo(1);
        assertThat(err.toString()).contains(bad + ": no segment to download (every line is bad");
        assertThat(out).doesNotExist();
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (java.util.stream.Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * sbatch's {@code --output} is a file name pattern: a {@code %} of the output folder is written {@code %%} (else
     * {@code 100%x} became {@code 100audioset-download} and every job failed to launch, with no log), and a folder
     * with a backslash, which the pattern cannot carry (sbatch drops it), is refused before anything is written.
     */
    @Test
    void theLogFileOfAFolderWithAPercentSignOrABackslash() throws Exception {
        Path csv = Files.writeString(dir.resolve("mini.csv"), "slurmclip01, 0.000, 10.000, \"/m/09x0r\"\n");
        Path percent = dir.resolve("100%x done");
        assertThat(run("slurm", "--csv", csv.toString(), "--out", percent.toString())).as(err.toString()).isZero();
        String logs = percent.resolve("slurm/logs").toString().replace("'", "'\\''");
        assertThat(out.toString()).contains("'--output=" + logs.replace("%", "%%") + "/download-%A_%a.out'")
                .contains("'--output=" + logs.replace("%", "%%") + "/pack-%j.out'");

        Path backslash = dir.resolve("a\\b");
        assertThat(run("slurm", "--csv", csv.toString(), "--out", backslash.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(backslash + "' holds a backslash");
        assertThat(backslash).doesNotExist();
    }

    /** @return what {@code bash script} printed; it must exit 0 within 2 minutes */
    private static String bash(Path script) throws Exception {
        Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).as(output).isTrue();
            assertThat(p.exitValue()).as(output).isZero();
            return output;
        } finally {
            p.destroyForcibly();
        }
    }

    private static long rows(Path file) throws Exception {
        try (io.github.audiosetdl.hdf5.WaveformFileReader r = io.github.audiosetdl.hdf5.WaveformFileReader.open(file)) {
            return r.size();
        }
    }

    @Test
    void refusesLineBreaksAndUnsafeSchedulerValues() throws Exception {
        assertThatThrownBy(() -> SlurmCommand.quote("a\nb")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line break");
        assertThat(SlurmCommand.quote("it's")).isEqualTo("'it'\\''s'");
        Path csv = Files.writeString(dir.resolve("mini.csv"), "slurmclip01, 0.000, 10.000, \"/m/09x0r\"\n");
        assertThat(run("slurm", "--csv", csv.toString(), "--out", dir.resolve("out").toString(), "--partition",
                "cpu;rm -rf x")).isEqualTo(2);
        assertThat(err.toString()).contains("--partition 'cpu;rm -rf x' must match");
        Path broken = dir.resolve("out\nnext");
        assertThat(run("slurm", "--csv", csv.toString(), "--out", broken.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("line break");
        assertThat(broken).doesNotExist();
        // any other value the scripts carry, e.g. a cookies file: it exited 1 after making OUT/slurm/logs
        Path cookies = Files.writeString(dir.resolve("co\nokies.txt"), "# Netscape HTTP Cookie File\n");
        Path out = dir.resolve("out2");
        err.getBuffer().setLength(0);
        assertThat(run("slurm", "--csv", csv.toString(), "--out", out.toString(), "--cookies", cookies.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("co?okies.txt' holds a line break");
        assertThat(out).doesNotExist();
    }

    @Test
    void refusesASubmitTimeoutOutsideOneSecondToAnHour() throws Exception {
        Path csv = Files.writeString(dir.resolve("mini.csv"), "slurmclip01, 0.000, 10.000, \"/m/09x0r\"\n");
        for (String value : List.of("0", "3601", "-5")) {
            err.getBuffer().setLength(0);
            assertThat(run("slurm", "--csv", csv.toString(), "--out", dir.resolve("out").toString(),
                    "--submit-timeout", value, "--submit", "--sbatch", dir.resolve("no-sbatch").toString()))
                    .as(value).isEqualTo(2);
            assertThat(err.toString()).contains("--submit-timeout " + value + " s is not in 1..3600 s");
        }
        assertThat(out.toString()).doesNotContain("job");
    }
}
