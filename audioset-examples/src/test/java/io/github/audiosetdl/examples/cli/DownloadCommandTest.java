package io.github.audiosetdl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.audio.WavReader;
import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.core.testing.LoopbackMediaServer.Fault;
import io.github.audiosetdl.core.testing.TestMedia;
import io.github.audiosetdl.core.testing.TestMedia.Codec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        return AudioSetCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void exitsWith3WhileTransientFailuresRemainThen0(@TempDir Path media, @TempDir Path work) throws Exception {
        Path tone = TestMedia.tone(media, Codec.AAC, 44_100, 30);
        Path csv = Files.writeString(work.resolve("mini_segments.csv"), "# Segments csv created for a test\n"
                + "# num_ytids=3, num_segs=3, num_unique_labels=2, num_positive_labels=4\n"
                + "# YTID, start_seconds, end_seconds, positive_labels\n"
                + "-cliclip001, 0.000, 10.000, \"/m/09x0r,/m/04rlf\"\n"
                + "cliclip0002, 10.000, 20.000, \"/m/04rlf\"\n"
                + "cliflaky003, 5.000, 15.000, \"/m/09x0r\"\n");
        try (LoopbackMediaServer server = LoopbackMediaServer.start()) {
            server.serve("-cliclip001.m4a", tone).serve("cliclip0002.m4a", tone).serve("cliflaky003.m4a", tone)
                    .fault("cliflaky003.m4a", Fault.SERVER_ERROR, 3);
            String[] args = {"download", "-a", csv.toString(), "--out", work.toString(), "-e", "2",
                "--resolver", "direct", "--url-template", server.url("{id}.m4a"), "--retries", "1",
                "--retry-delay", "0.01", "--socket-timeout", "2",
                "--ffmpeg", ExternalTools.requireFfmpeg().toString()};

            assertThat(run("download", "-a", csv.toString(), "--out", work.toString(), "--dry-run", "--resolver",
                    "direct", "--url-template", server.url("{id}.m4a"))).as(err.toString()).isZero();
            assertThat(out.toString()).contains("to fetch (dry run) 3")
                    .contains("logs               none written (dry run)").doesNotContain("goodLog");
            assertThat(server.totalRequests()).isZero();
            assertThat(work.resolve("mini_segments_downloads")).as("a dry run writes nothing").doesNotExist();
            assertThat(work.resolve("logs")).as("a dry run writes nothing").doesNotExist();

            assertThat(run(args)).as(err.toString()).isEqualTo(AudioSetCli.EXIT_RETRY);
            assertThat(out.toString()).contains("downloaded         2").contains("failed transient   1")
                    .contains("run the same command again");
            Path job = work.resolve("mini_segments_downloads/mini_segments_downloads_0");
            assertThat(WavReader.readFormat(job.resolve("YT_-cliclip001.wav")).frames()).isEqualTo(160_000);
            assertThat(job.resolve("YT_cliflaky003.wav")).doesNotExist();
            assertThat(Files.readString(work.resolve("logs/mini_segments_errorlogs/errorLog_0.csv")))
                    .contains("cliflaky003").contains("transient");

            // the server has recovered: the rerun fetches only the missing clip
            long fetched = server.requests("cliclip0002.m4a");
            assertThat(run(args)).as(err.toString()).isZero();
            assertThat(out.toString()).contains("downloaded         1").contains("already there      2");
            assertThat(job.resolve("YT_cliflaky003.wav")).exists();
            assertThat(server.requests("cliclip0002.m4a")).isEqualTo(fetched);
        }
    }

    /**
     * The report at the end of one task of an array counts the whole selection: the rows of tasks that have not run
     * (cancelled, still queued) are {@code not_attempted}, not left out (the report said "2 of 2 obtained (100.0%)"
     * of a 5-row CSV whose other task never ran). The label filter and limit still apply.
     */
    @Test
    void oneTaskOfAnArrayReportsTheOtherTasksRowsAsNotAttempted(@TempDir Path media, @TempDir Path work)
            throws Exception {
        Path tone = TestMedia.tone(media, Codec.AAC, 44_100, 12);
        Path csv = Files.writeString(work.resolve("array_segments.csv"), "# YTID, start_seconds, end_seconds,"
                + " positive_labels\n"
                + "arrayclip01, 0.000, 10.000, \"/m/09x0r\"\n"
                + "arrayclip02, 0.000, 10.000, \"/m/04rlf\"\n"
                + "arrayclip03, 0.000, 10.000, \"/m/09x0r\"\n"
                + "arrayclip04, 0.000, 10.000, \"/m/09x0r\"\n"
                + "arrayclip05, 0.000, 10.000, \"/m/09x0r\"\n");
        try (LoopbackMediaServer server = LoopbackMediaServer.start()) {
            for (int i = 1; i <= 5; i++) {
                server.serve("arrayclip0" + i + ".m4a", tone);
            }
            // Speech only: rows 1, 3, 4, 5, of which the first 3 (--limit): task 1 of 2 has the last 2 of them
            assertThat(run("download", "--csv", csv.toString(), "--out", work.toString(), "--label", "/m/09x0r",
                    "--limit", "3", "--jobs", "2", "--job-index", "1", "--resolver", "direct", "--url-template",
                    server.url("{id}.m4a"), "--budget-dir", "none", "--ffmpeg",
                    ExternalTools.requireFfmpeg().toString())).as(err.toString()).isZero();
            assertThat(out.toString()).contains("downloaded         2")
                    .contains("availability      2 of 3 obtained (66.7%)");
            String json = Files.readString(work.resolve("array_segments_availability.json"));
            assertThat(json).contains("\"requested\" : 3").contains("\"obtained\" : 2")
                    .contains("\"not_attempted\" : 1");
        }
    }

    @Test
    void aMissingYtDlpIsAClearError(@TempDir Path work) throws Exception {
        Path csv = Files.writeString(work.resolve("one.csv"), "abcdefghijk, 0.000, 10.000, \"/m/09x0r\"\n");
        int code = run("download", "--csv", csv.toString(), "--out", work.toString(), "--yt-dlp",
                work.resolve("no-such-yt-dlp").toString());
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("yt-dlp").contains("no-such-yt-dlp");
    }
}
