package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.testing.ErrorStreamCapture;
import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.core.testing.TestData;
import io.github.audiosetdl.core.testing.TestMedia;
import io.github.audiosetdl.core.testing.TestMedia.Codec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audioset run} keeps temporally-strong labels as {@code pack} does: a strong {@code --csv} is its own strong
 * label file, {@code --strong FILE} is taken and validated as {@code pack}'s, and the packed {@code /strong} is what
 * {@code pack} writes for the same clips (read back with h5py).
 */
class StrongRunTest {
    private static final List<String> IDS = List.of("--4gqARaEJE", "--BfvyPmVMo", "-0SdAVK79lg");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return AudioSetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void aStrongCsvRunPacksTheStrongEventsAsPackDoes(@TempDir Path media, @TempDir Path work) throws Exception {
        Path python = ExternalTools.requirePythonWithH5py();
        Path strong = Files.copy(TestData.file("audioset/strong_sample.tsv"), work.resolve("strong_sample.tsv"));
        Path ran = Files.createDirectories(work.resolve("ran"));
        Path weak = Files.writeString(work.resolve("weak.csv"), "YTID,start_seconds,end_seconds,positive_labels\n"
                + "--4gqARaEJE,0.000,10.000,/m/09x0r\n"
                + "-0SdAVK79lg,30.000,40.000,/m/015p6\n");
        Path weakRun = Files.createDirectories(work.resolve("weakrun"));
        Path tone = TestMedia.tone(media, Codec.AAC, 44_100, 42);
        try (LoopbackMediaServer server = serve(tone)) {
            assertThat(run("run", "--csv", strong.toString(), "--out", ran.toString(), "--resolver", "direct",
                    "--url-template", server.url("{id}.m4a"), "--ffmpeg", ExternalTools.requireFfmpeg().toString(),
                    "--stop-after", "pack", "--compute-threads", "1")).as(err.toString() + out).isZero();
            assertThat(out.toString()).contains("pack         3 rows written");
        }
        Path downloads = ran.resolve("strong_sample_downloads");
        Path explicit = Files.createDirectories(work.resolve("explicit"));
        assertThat(run("pack", "--downloads", downloads.toString(), "--csv", strong.toString(), "--strong",
                strong.toString(), "--out", explicit.toString(), "--threads", "1")).as(err.toString()).isZero();
        Path implied = Files.createDirectories(work.resolve("implied"));
        assertThat(run("pack", "--downloads", downloads.toString(), "--csv", strong.toString(), "--out",
                implied.toString(), "--threads", "1")).as(err.toString()).isZero();
        // the run's file has the strong labels, and every dataset is the pack's
        String compare = String.join("\n",
                "import sys, h5py, numpy as np",
                "names = ['strong', 'has_strong', 'strong_mids', 'labels', 'wav', 'meta/ytid', 'meta/start']",
                "with h5py.File(sys.argv[1], 'r') as r:",
                "    assert 'strong' in r, list(r.keys())",
                "    assert r['strong'].shape == (3, 100, 456) and r['has_strong'][...].all()",
                "    assert r['strong'][...].sum() > 0",
                "    for other in sys.argv[2:]:",
                "        with h5py.File(other, 'r') as p:",
                "            for n in names:",
                "                assert np.array_equal(r[n][...], p[n][...]), (other, n)",
                "            assert r['strong'].attrs['frame_seconds'] == p['strong'].attrs['frame_seconds']",
                "print('same strong labels')");
        assertThat(ExternalTools.check(List.of(python.toString(), "-c", compare,
                ran.resolve("strong_sample.hdf5").toString(), explicit.resolve("strong_sample.hdf5").toString(),
                implied.resolve("strong_sample.hdf5").toString()))).contains("same strong labels");
        // PANNs' layout has no place for them: a strong --csv packs its weak labels only, and says so
        Path panns = Files.createDirectories(work.resolve("panns"));
        assertThat(run("pack", "--downloads", downloads.toString(), "--csv", strong.toString(), "--out",
                panns.toString(), "--threads", "1", "--format", "panns")).as(err.toString()).isZero();
        assertThat(err.toString()).contains("the PANNs layout has no strong labels: only its events' weak classes");
        try (LoopbackMediaServer server = serve(tone)) {
            // --strong FILE with a weak --csv, as pack takes it: the annotated segments get their events
            assertThat(run("run", "--csv", weak.toString(), "--out", weakRun.toString(), "--resolver", "direct",
                    "--url-template", server.url("{id}.m4a"), "--ffmpeg", ExternalTools.requireFfmpeg().toString(),
                    "--strong", strong.toString(), "--stop-after", "pack", "--compute-threads", "1"))
                    .as(err.toString() + out).isZero();
        }
        String weakCheck = String.join("\n",
                "import sys, h5py",
                "with h5py.File(sys.argv[1], 'r') as f:",
                "    print('rows', len(f['has_strong']), 'annotated', int(f['has_strong'][...].sum()),",
                "          'frames', int(f['strong'][...].sum()))");
        assertThat(ExternalTools.check(List.of(python.toString(), "-c", weakCheck,
                weakRun.resolve("weak.hdf5").toString()))).contains("rows 2 annotated 2 frames");
    }

    @Test
    void runTakesAndRefusesStrongAsPackDoesBeforeTheDownloadStarts(@TempDir Path work) throws Exception {
        Path strong = Files.copy(TestData.file("audioset/strong_sample.tsv"), work.resolve("strong_sample.tsv"));
        String[] common = {"run", "--csv", strong.toString(), "--out", work.toString(), "--resolver", "direct",
            "--url-template", "http://127.0.0.1:9/{id}.m4a"};
        assertThat(run(concat(common, "--strong", strong.toString(), "--stop-after", "download"))).isEqualTo(2);
        assertThat(err.toString()).contains("--strong is for the pack stage, but --stop-after download");
        assertThat(run(concat(common, "--strong", strong.toString(), "--format", "panns", "--stop-after", "pack")))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--strong: the PANNs layout has no strong labels");
        assertThat(run(concat(common, "--strong", work.resolve("missing.tsv").toString(), "--stop-after", "pack")))
                .isEqualTo(1);
        assertThat(err.toString()).contains("missing.tsv");
        assertThat(work.resolve("strong_sample_downloads")).doesNotExist();
    }

    /**
     * A bad line of {@code --strong} fails {@code run} before the download starts, naming the file, line and value,
     * as it fails {@code pack} at once: the run downloaded every clip first, and then the pack stage failed on it.
     */
    @Test
    void aBadLineOfStrongFailsTheRunBeforeTheDownload(@TempDir Path work) throws Exception {
        List<String> lines = Files.readAllLines(TestData.file("audioset/strong_sample.tsv"));
        lines.set(4, "--BfvyPmVMo_20000\t5.000\t4.000\t/t/dd00141"); // onset after offset
        Path bad = Files.write(work.resolve("bad_strong.tsv"), lines);
        Path weak = Files.writeString(work.resolve("weak.csv"), "YTID,start_seconds,end_seconds,positive_labels\n"
                + "--4gqARaEJE,0.000,10.000,/m/09x0r\n");
        assertThat(run("run", "--csv", weak.toString(), "--out", work.toString(), "--resolver", "direct",
                "--url-template", "http://127.0.0.1:9/{id}.m4a", "--retries", "0", "--strong", bad.toString(),
                "--stop-after", "pack")).isEqualTo(1);
        assertThat(err.toString()).contains(bad + ":5:").contains("'5.000, 4.000'");
        assertThat(work.resolve("weak_downloads")).doesNotExist();
    }

    /**
     * {@code run --dry-run} refuses a {@code --strong} file that is not a strong label file (here a segments CSV), or
     * has a bad line, as the real run does before downloading: the dry run exited 0, promising a run that fails.
     */
    @Test
    void aDryRunChecksStrongAsTheRealRunDoes(@TempDir Path work) throws Exception {
        Path weak = Files.writeString(work.resolve("weak.csv"), "YTID,start_seconds,end_seconds,positive_labels\n"
                + "--4gqARaEJE,0.000,10.000,/m/09x0r\n");
        List<String> lines = Files.readAllLines(TestData.file("audioset/strong_sample.tsv"));
        lines.set(4, "--BfvyPmVMo_20000\t5.000\t4.000\t/t/dd00141"); // onset after offset
        Path bad = Files.write(work.resolve("bad_strong.tsv"), lines);
        Path dest = work.resolve("out");
        for (Path strong : List.of(weak, bad)) {
            for (String stopAfter : List.of("pack", "cochleagram")) {
                assertThat(run("run", "--dry-run", "--csv", weak.toString(), "--out", dest.toString(), "--resolver",
                        "direct", "--url-template", "http://127.0.0.1:9/{id}.m4a", "--strong", strong.toString(),
                        "--stop-after", stopAfter)).as(err.toString() + out).isEqualTo(1);
                assertThat(err.toString()).contains("audioset run: " + strong + ":");
            }
        }
        assertThat(err.toString()).doesNotContain("\tat ");
        assertThat(dest).doesNotExist();
        Path strong = Files.copy(TestData.file("audioset/strong_sample.tsv"), work.resolve("strong_sample.tsv"));
        assertThat(run("run", "--dry-run", "--csv", weak.toString(), "--out", dest.toString(), "--resolver", "direct",
                "--url-template", "http://127.0.0.1:9/{id}.m4a", "--strong", strong.toString(), "--stop-after",
                "pack")).as(err.toString()).isZero();
        assertThat(dest).doesNotExist();
    }

    /**
     * Under {@code --on-error skip}, a bad line of a strong {@code --csv} is logged once by {@code run} and by
     * {@code pack}, naming the file, line and value: {@code run} logged it five times (the early check, the download,
     * the pack's events and rows, the availability report) and {@code pack} twice, the file being read each time.
     */
    @Test
    void aBadLineOfAStrongCsvIsLoggedOncePerCommandUnderSkip(@TempDir Path media, @TempDir Path work)
            throws Exception {
        List<String> lines = Files.readAllLines(TestData.file("audioset/strong_sample.tsv"));
        lines.set(4, "--BfvyPmVMo_20000\t5.000\t4.000\t/t/dd00141"); // onset after offset
        Path bad = Files.write(work.resolve("bad_strong.tsv"), lines);
        String reported = bad + ":5: end_time_seconds is before start_time_seconds '5.000, 4.000'";
        Path ran = Files.createDirectories(work.resolve("ran"));
        Path tone = TestMedia.tone(media, Codec.AAC, 44_100, 42);
        try (LoopbackMediaServer server = serve(tone)) {
            String log = ErrorStreamCapture.capture(() -> assertThat(run("run", "--csv", bad.toString(), "--out",
                    ran.toString(), "--resolver", "direct", "--url-template", server.url("{id}.m4a"), "--ffmpeg",
                    ExternalTools.requireFfmpeg().toString(), "--stop-after", "pack", "--compute-threads", "1",
                    "--on-error", "skip")).as(err.toString() + out).isZero());
            assertThat(out.toString()).contains("pack         3 rows written");
            assertThat(ErrorStreamCapture.count(log, reported)).as(log).isEqualTo(1);
        }
        Path packed = Files.createDirectories(work.resolve("packed"));
        String log = ErrorStreamCapture.capture(() -> assertThat(run("pack", "--downloads",
                ran.resolve("bad_strong_downloads").toString(), "--csv", bad.toString(), "--out", packed.toString(),
                "--threads", "1", "--on-error", "skip")).as(err.toString()).isZero());
        assertThat(ErrorStreamCapture.count(log, reported)).as(log).isEqualTo(1);
    }

    private static LoopbackMediaServer serve(Path tone) throws java.io.IOException {
        LoopbackMediaServer server = LoopbackMediaServer.start();
        for (String id : IDS) {
            server.serve(id + ".m4a", tone);
        }
        return server;
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
