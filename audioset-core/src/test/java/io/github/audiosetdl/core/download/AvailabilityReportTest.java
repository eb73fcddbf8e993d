package io.github.audiosetdl.core.download;

import static io.github.audiosetdl.core.download.DownloadFixtures.fastConfig;
import static io.github.audiosetdl.core.download.DownloadFixtures.row;
import static io.github.audiosetdl.core.download.DownloadFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.audiosetdl.core.AudioSetException;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.core.testing.LoopbackMediaServer.Fault;
import io.github.audiosetdl.core.testing.TestMedia;
import io.github.audiosetdl.core.testing.TestMedia.Codec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AvailabilityReportTest {
    private static final String SPEECH = "/m/09x0r";
    private static final String MUSIC = "/m/04rlf";
    private static final String BIRD = "/m/015p6";

    /** With a temporally-strong label file, every present MID counts per label, also the strong-only ones. */
    @Test
    void aStrongFilesLabelsOutsideTheWeakIndexAreReportedToo(@TempDir Path media, @TempDir Path out)
            throws Exception {
        String washingMachine = "/m/0174k2"; // in the strong vocabulary only
        String kettleWhistle = "/g/11b630rrvh";
        Path tone = TestMedia.tone(media, Codec.AAC, 44_100, 30);
        List<SegmentRow> rows = List.of(row(0, "okclip00001", 0, 10, SPEECH), row(1, "missing0004", 0, 10));
        try (LoopbackMediaServer server = LoopbackMediaServer.start()) {
            server.serve("okclip00001.m4a", tone).serve("missing0004.m4a", tone)
                    .fault("missing0004.m4a", Fault.NOT_FOUND);
            run(fastConfig(out, server.url("{id}.m4a")).build(), rows);
        }
        Path strong = Files.writeString(out.resolve("strong.tsv"),
                "segment_id\tstart_time_seconds\tend_time_seconds\tlabel\n"
                + "okclip00001_0\t0.0\t1.5\t" + SPEECH + "\n"
                + "okclip00001_0\t2.0\t3.0\t" + washingMachine + "\n"
                + "okclip00001_0\t4.0\t5.0\t" + washingMachine + "\n" // two events: the segment counts once
                + "missing0004_0\t0.0\t9.0\t" + washingMachine + "\n"
                + "neverseen07_0\t1.0\t2.0\t" + kettleWhistle + "\n");
        AvailabilityReport r = AvailabilityReport.fromLogs(out.resolve("logs"), "test",
                SegmentSelection.builder(strong).build());
        assertThat(r.requested()).isEqualTo(3);
        assertThat(r.obtained()).isEqualTo(1);
        assertThat(r.notAttempted()).isEqualTo(1);
        assertThat(r.perLabel()).containsOnlyKeys(SPEECH, washingMachine, kettleWhistle);
        assertThat(r.perLabel().get(SPEECH)).isEqualTo(new LabelAvailability(1, 1));
        assertThat(r.perLabel().get(washingMachine)).isEqualTo(new LabelAvailability(2, 1));
        assertThat(r.perLabel().get(kettleWhistle)).isEqualTo(new LabelAvailability(1, 0));
        assertThat(r.toCsv()).contains(washingMachine + ",Washing machine,2,1,0.5000");

        // a shard of the file: job 1 of 2 has its last 2 segments
        AvailabilityReport half = AvailabilityReport.fromLogs(out.resolve("logs"), "test",
                SegmentSelection.builder(strong).shard(io.github.audiosetdl.core.Shard.of(1, 2)).build());
        assertThat(half.requested()).isEqualTo(2);
        assertThat(half.perLabel()).containsOnlyKeys(washingMachine, kettleWhistle);
        assertThat(half.perLabel().get(washingMachine)).isEqualTo(new LabelAvailability(1, 0));
    }

    @Test
    void theReportsNumbersAreTheLogsOfARunWithFaults(@TempDir Path media, @TempDir Path out) throws Exception {
        Path tone = TestMedia.tone(media, Codec.AAC, 44_100, 30);
        List<SegmentRow> rows = List.of(
                row(0, "okclip00001", 0, 10, SPEECH, MUSIC),
                row(1, "okclip00002", 10, 20, MUSIC),
                row(2, "shortclip03", 25, 35, BIRD),
                row(3, "missing0004", 0, 10, SPEECH),
                row(4, "forbidden05", 0, 10, BIRD),
                row(5, "flakyclip06", 0, 10, SPEECH, BIRD),
                row(6, "okclip00001", 0, 10, SPEECH, MUSIC)); // a repeated id: counted once
        try (LoopbackMediaServer server = LoopbackMediaServer.start()) {
            server.serve("okclip00001.m4a", tone).serve("okclip00002.m4a", tone).serve("shortclip03.m4a", tone)
                    .serve("missing0004.m4a", tone).serve("forbidden05.m4a", tone).serve("flakyclip06.m4a", tone)
                    .fault("missing0004.m4a", Fault.NOT_FOUND).fault("forbidden05.m4a", Fault.FORBIDDEN)
                    .fault("flakyclip06.m4a", Fault.SERVER_ERROR, 3);
            DownloadSummary first = run(fastConfig(out, server.url("{id}.m4a")).build(), rows);
            assertThat(first.failed().get(FailureClass.TRANSIENT)).isEqualTo(1);

            AvailabilityReport r = AvailabilityReport.fromLogs(out.resolve("logs"), "test");
            assertThat(r.requested()).isEqualTo(6);
            assertThat(r.obtained()).isEqualTo(first.downloaded() + first.shortClips()).isEqualTo(3);
            assertThat(r.failed()).containsEntry(FailureClass.PERMANENT, 2L).containsEntry(FailureClass.TRANSIENT, 1L)
                    .containsEntry(FailureClass.RATE_LIMITED, 0L);
            assertThat(r.reasons()).containsEntry(FailureReason.NOT_FOUND, 1L)
                    .containsEntry(FailureReason.FORBIDDEN, 1L).containsEntry(FailureReason.NETWORK, 1L);
            assertThat(r.reasons().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
            assertThat(r.perLabel().get(SPEECH)).isEqualTo(new LabelAvailability(3, 1));
            assertThat(r.perLabel().get(MUSIC)).isEqualTo(new LabelAvailability(2, 2));
            assertThat(r.perLabel().get(BIRD)).isEqualTo(new LabelAvailability(3, 1));
            assertThat(r.perTopLevelClass().get("Music")).isEqualTo(new LabelAvailability(2, 2));
            assertThat(r.perTopLevelClass().get("Animal")).isEqualTo(new LabelAvailability(3, 1));

            // the server recovers: the second run fetches the flaky clip, and the report follows the logs
            DownloadSummary second = run(fastConfig(out, server.url("{id}.m4a")).build(), rows);
            assertThat(second.downloaded()).isEqualTo(1);
            AvailabilityReport after = AvailabilityReport.fromLogs(out.resolve("logs"), "test");
            assertThat(after.obtained()).isEqualTo(4);
            assertThat(after.failed()).containsEntry(FailureClass.TRANSIENT, 0L).containsEntry(FailureClass.PERMANENT,
                    2L);
            assertThat(after.reasons()).containsEntry(FailureReason.NETWORK, 0L);

            // with the CSV, a segment the logs never mention is "not attempted"
            Path csv = Files.writeString(out.resolve("segs.csv"), "YTID,start_seconds,end_seconds,positive_labels\n"
                    + "okclip00001,0,10,\"/m/09x0r,/m/04rlf\"\nmissing0004,0,10,/m/09x0r\nneverseen07,0,10,/m/04rlf\n");
            AvailabilityReport withCsv = AvailabilityReport.fromLogs(out.resolve("logs"), "test",
                    SegmentSelection.builder(csv).build());
            assertThat(withCsv.requested()).isEqualTo(3);
            assertThat(withCsv.obtained()).isEqualTo(1);
            assertThat(withCsv.notAttempted()).isEqualTo(1);
            assertThat(withCsv.perLabel().get(MUSIC)).isEqualTo(new LabelAvailability(2, 1));

            List<Path> files = after.write(out.resolve("report"));
            JsonNode json = new ObjectMapper().readTree(files.get(0).toFile());
            assertThat(json.get("requested").asLong()).isEqualTo(6);
            assertThat(json.get("obtained").asLong()).isEqualTo(4);
            assertThat(json.get("failed").get("permanent").asLong()).isEqualTo(2);
            assertThat(json.get("failed").get("rate_limited").asLong()).isZero();
            assertThat(json.get("reasons").get("not_found").asLong()).isEqualTo(1);
            assertThat(json.get("per_label").get(SPEECH).get("name").asText()).isEqualTo("Speech");
            assertThat(json.get("per_label").get(SPEECH).get("requested").asLong()).isEqualTo(3);
            // the same bytes from run to run: each class's members in one order (Map.of's varied per JVM)
            assertThat(json.get("per_top_level_class")).isNotEmpty().allSatisfy(c -> assertThat(c.fieldNames())
                    .toIterable().containsExactly("requested", "obtained"));
            assertThat(Files.readAllLines(files.get(1))).contains("/m/09x0r,Speech,3,2,0.6667")
                    .hasSize(1 + after.perLabel().size());
        }
    }

    @Test
    void readsLogsOfAnOlderVersionWithoutTheReasonColumn(@TempDir Path logs) throws IOException {
        Path errors = Files.createDirectories(logs.resolve("old_errorlogs"));
        Files.writeString(errors.resolve("errorLog_0.csv"), "YTID,start_seconds,end_seconds,positive_labels,csv_row,"
                + "outcome,class,attempts,frames,message,time\n"
                + "privateclip,0.000,10.000,/m/09x0r,0,failed,permanent,1,0,\"ERROR: [youtube] privateclip: Private"
                + " video. Sign in if you've been granted access to this video\",2025-01-01T00:00:00Z\n"
                + "mysterious1,0.000,10.000,/m/09x0r,1,failed,transient,4,0,\"something new\",2025-01-01T00:00:00Z\n");
        AvailabilityReport r = AvailabilityReport.fromLogs(logs, "old");
        assertThat(AvailabilityReport.namesIn(logs)).containsExactly("old");
        assertThat(r.requested()).isEqualTo(2);
        assertThat(r.reasons()).containsEntry(FailureReason.PRIVATE, 1L).containsEntry(FailureReason.OTHER, 1L);
    }

    /**
     * A report counts at most 100,000 distinct labels. Past them it said "more than 100000 distinct labels" without
     * a file, and only on the row after the one that passed the cap (100,001 were counted without a word).
     */
    @Test
    void labelsPastTheCapAreRefusedNamingTheLogAndTheRow(@TempDir Path logs) throws IOException {
        Path errors = Files.createDirectories(logs.resolve("cap_errorlogs"));
        StringBuilder log = new StringBuilder("YTID,start_seconds,end_seconds,positive_labels,csv_row,outcome,class,"
                + "attempts,frames,message,time\n");
        for (int i = 0; i <= 100_000; i++) {
            log.append(String.format("cap%08d,0.000,10.000,/m/cap%d,%d,failed,transient,1,0,x,2025-01-01T00:00:00Z%n",
                    i, i, i));
        }
        Path file = Files.writeString(errors.resolve("errorLog_0.csv"), log);
        assertThatThrownBy(() -> AvailabilityReport.fromLogs(logs, "cap")).isInstanceOf(AudioSetException.class)
                .hasMessageStartingWith(file + ": cap00100000 names label '/m/cap100000', past the 100000 distinct"
                        + " labels a report counts");
        Files.writeString(file, log.substring(0, log.lastIndexOf("cap00100000")));
        assertThat(AvailabilityReport.fromLogs(logs, "cap").requested()).as("100,000 labels").isEqualTo(100_000);
    }

    @Test
    void aLogThatCannotBeReadIsAnErrorNamingIt(@TempDir Path logs) throws IOException {
        // each ended in a message without the file: "Input length = 1", "Is a directory", "line 2: line longer ..."
        Path good = Files.createDirectories(logs.resolve("t_goodlogs"));
        Path binary = Files.write(good.resolve("goodLog_0.csv"), new byte[] {'Y', 'T', (byte) 0xC3, 0x28, '\n'});
        assertThatThrownBy(() -> AvailabilityReport.fromLogs(logs, "t")).isInstanceOf(IOException.class)
                .hasMessage(binary + ": not UTF-8 text (a binary file?)");
        Files.delete(binary);
        Path folder = Files.createDirectories(good.resolve("goodLog_1.csv"));
        Files.writeString(folder.resolve("x"), "x".repeat(5000)); // a folder's size is not 0 (here 4096)
        assertThat(Files.size(folder)).isPositive();
        assertThatThrownBy(() -> AvailabilityReport.fromLogs(logs, "t")).isInstanceOf(IOException.class)
                .hasMessageStartingWith(folder + ": ");
        Files.delete(folder.resolve("x"));
        Files.delete(folder);
        Path longLine = Files.writeString(good.resolve("goodLog_2.csv"), "YTID,outcome\n"
                + "y".repeat(DownloadLogReader.MAX_LINE_CHARS + 10) + ",downloaded\n");
        assertThatThrownBy(() -> AvailabilityReport.fromLogs(logs, "t")).hasRootCauseInstanceOf(IOException.class)
                .hasMessageContaining(longLine + " line 2: line longer than");
    }

    @Test
    void eachIdsLatestFailureIsTheLatestInTimeWhicheverJobsLogHoldsIt(@TempDir Path logs) throws IOException {
        Path errors = Files.createDirectories(logs.resolve("t_errorlogs"));
        String header = String.join(",", DownloadLog.HEADER) + "\n";
        // run 2 (one job) found the clip gone for good; run 1 (job 1 of 2) had failed transiently before it
        Files.writeString(errors.resolve("errorLog_0.csv"), header + "clipXXXXXXX,0.000,10.000,/m/09x0r,1,failed,"
                + "permanent,not_found,1,0,HTTP Error 404,2026-12-04T10:00:00Z\n");
        Files.writeString(errors.resolve("errorLog_1.csv"), header + "clipXXXXXXX,0.000,10.000,/m/09x0r,1,failed,"
                + "transient,network,3,0,timed out,2026-12-04T09:00:00Z\n");
        AvailabilityReport r = AvailabilityReport.fromLogs(logs, "t");
        assertThat(r.failed()).containsEntry(FailureClass.PERMANENT, 1L);
        assertThat(r.failed().getOrDefault(FailureClass.TRANSIENT, 0L)).isZero();
    }

    @Test
    void logsAnotherTaskIsStartingAreReadAsEmptyWhenARunLooksForEarlierFailures(@TempDir Path logs)
            throws IOException {
        Files.createFile(Files.createDirectories(logs.resolve("t_goodlogs")).resolve("goodLog_0.csv")); // no header
        Path errors = Files.createDirectories(logs.resolve("t_errorlogs"));
        Files.writeString(errors.resolve("errorLog_0.csv"), "YTID,outc"); // a header being written
        Files.writeString(errors.resolve("errorLog_1.csv"), String.join(",", DownloadLog.HEADER) + "\n"
                + "clipXXXXXXX,0.000,10.000,/m/09x0r,1,failed,permanent,private,1,0,Private video,"
                + "2026-12-04T10:00:00Z\n");
        var gone = AvailabilityReport.permanentFailures(logs, "t");
        assertThat(gone.apply("clipXXXXXXX")).contains(FailureReason.PRIVATE);
        assertThat(gone.apply("clipYYYYYYY")).isEmpty();
    }

    @Test
    void aRowACrashCutShortNeitherCorruptsTheNextRunsRowsNorStopsTheReport(@TempDir Path logs) throws IOException {
        Path errors = Files.createDirectories(logs.resolve("t_errorlogs"));
        Path log = errors.resolve("errorLog_0.csv");
        Files.writeString(log, String.join(",", DownloadLog.HEADER) + "\n" + "clipAAAAAAA,0.000,10.000,/m/09x0r,0,"
                + "failed,permanent,not_found,1,0,HTTP Error 404,2026-12-04T10:00:00Z\n"
                + "clipBBBBBBB,0.000,10.000,\"/m/09x0r,"); // cut inside its quoted labels
        Files.setLastModifiedTime(log, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()
                - 600_000)); // by a crash ten minutes ago (a log written a moment ago may have a live writer)
        try (DownloadLog again = new DownloadLog(log)) { // the next run drops the partial row, then appends
            again.write(new ClipResult(new io.github.audiosetdl.core.SegmentRow(1, 2, new io.github.audiosetdl.core
                    .Segment("clipCCCCCCC", 0, 10_000, List.of("/m/09x0r"))), ClipStatus.FAILED,
                    FailureClass.TRANSIENT, 1, "timed out\nafter 30 s", 0));
        }
        assertThat(Files.readString(log)).doesNotContain("clipBBBBBBB").contains("timed out after 30 s");
        AvailabilityReport r = AvailabilityReport.fromLogs(logs, "t");
        assertThat(r.requested()).isEqualTo(2);
        // a log a crash damaged differently (an old version, another tool): the report skips what does not parse
        Files.writeString(errors.resolve("errorLog_1.csv"), String.join(",", DownloadLog.HEADER) + "\n"
                + "clipDDDDDDD,0.000\n"
                + "clipEEEEEEE,0.000,10.000,/m/09x0r,0,failed,permanent,not_found,1,0,gone,2026-12-04T10:00:00Z\n"
                + "clipFFFFFFF,0.000,10.000,\"/m/09x0r,clipGGGGGGG,0.000,10.000,\"/m/09x0r\",0,failed\n");
        assertThat(AvailabilityReport.fromLogs(logs, "t").requested()).isEqualTo(3);
    }

    @Test
    void aLabelARowNamesTwiceCountsTheSegmentOnceAsTheSegmentsSummaryDoes(@TempDir Path logs) throws IOException {
        Path good = Files.createDirectories(logs.resolve("t_goodlogs"));
        Files.writeString(good.resolve("goodLog_0.csv"), String.join(",", DownloadLog.HEADER) + "\n"
                + "clipAAAAAAA,0.000,10.000,\"/m/09x0r,/m/09x0r\",0,downloaded,,,1,160000,,2026-12-04T10:00:00Z\n");
        AvailabilityReport r = AvailabilityReport.fromLogs(logs, "t");
        assertThat(r.requested()).isEqualTo(1);
        assertThat(r.perLabel().get("/m/09x0r").selected()).isEqualTo(1);
        assertThat(r.perLabel().get("/m/09x0r").available()).isEqualTo(1);
    }

    @Test
    void clipsOnDiskCountAsObtainedThoughNoLogRowSaysSo(@TempDir Path out) throws IOException {
        // a run killed between saving a clip and logging it, or clips copied in: every later run skips them unlogged
        Path logs = out.resolve("logs");
        Path errors = Files.createDirectories(logs.resolve("t_errorlogs"));
        Files.writeString(errors.resolve("errorLog_0.csv"), String.join(",", DownloadLog.HEADER) + "\n"
                + "clipAAAAAAA,0.000,10.000,/m/09x0r,1,failed,transient,network,3,0,timed out,2026-12-04T09:00:00Z\n");
        Path job = Files.createDirectories(out.resolve("t_downloads").resolve("t_downloads_1"));
        Files.write(job.resolve("YT_clipAAAAAAA.wav"), new byte[44]);
        Files.write(job.resolve("YT_clipBBBBBBB.wav"), new byte[44]);
        Files.write(job.resolve(".YT_clipCCCCCCC.wav.1234.5.tmp"), new byte[44]); // a temporary is not a clip
        Files.createDirectories(job.resolve("YT_clipDDDDDDD.wav")); // nor is a folder
        Path csv = Files.writeString(out.resolve("t.csv"), "YTID,start_seconds,end_seconds,positive_labels\n"
                + "clipAAAAAAA,0.000,10.000,/m/09x0r\nclipBBBBBBB,0.000,10.000,/m/09x0r\n"
                + "clipCCCCCCC,0.000,10.000,/m/09x0r\nclipDDDDDDD,0.000,10.000,/m/09x0r\n");
        AvailabilityReport r = AvailabilityReport.fromLogs(logs, "t",
                io.github.audiosetdl.core.SegmentSelection.builder(csv).build());
        assertThat(r.requested()).isEqualTo(4);
        assertThat(r.obtained()).isEqualTo(2);
        assertThat(r.failedTotal()).isZero();
        assertThat(r.notAttempted()).isEqualTo(2);
        assertThat(r.perLabel().get("/m/09x0r").available()).isEqualTo(2);
    }

    @Test
    void temporaryReportsOfKilledRunsAreRemovedByTheNextWriteAndALiveRunsKept(@TempDir Path out) throws Exception {
        Path json = out.resolve("eval_availability.json");
        // before, a run killed between creating a report's temporary file and renaming it left it for good
        List<Path> planted = io.github.audiosetdl.core.testing.KilledRuns.plantTemporaries(json);
        AvailabilityReport.writeAtomically(json, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(json).hasContent("{}");
        assertThat(planted.get(0)).doesNotExist();
        assertThat(planted.subList(1, 3)).allMatch(Files::exists);
        try (var files = Files.list(out)) {
            assertThat(files).hasSize(3);
        }
    }
}
