package io.github.audiosetdl.core.download;

import static io.github.audiosetdl.core.download.DownloadFixtures.fastConfig;
import static io.github.audiosetdl.core.download.DownloadFixtures.readLog;
import static io.github.audiosetdl.core.download.DownloadFixtures.row;
import static io.github.audiosetdl.core.download.DownloadFixtures.run;
import static io.github.audiosetdl.core.download.DownloadFixtures.temporaries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.Shard;
import io.github.audiosetdl.core.audio.AudioClip;
import io.github.audiosetdl.core.audio.WavFormat;
import io.github.audiosetdl.core.audio.WavReader;
import io.github.audiosetdl.core.progress.PipelineListener;
import io.github.audiosetdl.core.progress.Stage;
import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.core.testing.TestMedia;
import io.github.audiosetdl.core.testing.TestMedia.Codec;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DownloadStageTest {
    @TempDir
    static Path media;

    static LoopbackMediaServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = LoopbackMediaServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    static Stream<Arguments> formats() {
        return Stream.of(Arguments.of(Codec.AAC, 44_100), Arguments.of(Codec.AAC, 48_000),
                Arguments.of(Codec.OPUS, 48_000), Arguments.of(Codec.MP3, 44_100), Arguments.of(Codec.MP3, 48_000));
    }

    @ParameterizedTest
    @MethodSource("formats")
    void decodesTheSectionToExactly160000MonoSamplesWithTheChannelAverage(Codec codec, int rate, @TempDir Path out)
            throws Exception {
        Path source = TestMedia.tone(media, codec, rate, 30);
        String id = ("fmt" + codec.name().substring(0, 2) + rate + "xxxx").substring(0, 11);
        server.serve(id + "." + codec.extension(), source);

        DownloadSummary summary = run(fastConfig(out, server.url("{id}." + codec.extension())).build(),
                List.of(row(0, id, 12.5, 22.5, "/m/09x0r", "/m/04rlf")));

        assertThat(summary.downloaded()).isEqualTo(1);
        assertThat(summary.complete()).isTrue();
        Path clip = out.resolve("test_downloads/test_downloads_0/YT_" + id + ".wav");
        WavFormat format = WavReader.readFormat(clip);
        assertThat(format.sampleRate()).isEqualTo(16_000);
        assertThat(format.channels()).isEqualTo(1);
        assertThat(format.bitsPerSample()).isEqualTo(16);
        assertThat(format.frames()).isEqualTo(160_000);
        // both channels carry the same 0.5 sine: the average keeps 0.5 (ffmpeg's -ac 1 would give 0.71)
        assertThat(peak(WavReader.read(clip))).isBetween(0.45, 0.56);
        assertThat(summary.perLabel()).containsEntry("/m/04rlf", new LabelAvailability(1, 1));
        assertThat(readLog(out.resolve("logs/test_goodlogs/goodLog_0.csv")).get(id).get("outcome"))
                .isEqualTo("downloaded");
        assertThat(temporaries(out)).isEmpty();
    }

    @Test
    void keepsTheSourceRateAndChannelsWhenAsked(@TempDir Path out) throws Exception {
        Path source = TestMedia.tone(media, Codec.AAC, 44_100, 30);
        server.serve("srcformat01.m4a", source);
        DownloadSummary summary = run(fastConfig(out, server.url("{id}.m4a")).sourceFormat().build(),
                List.of(row(0, "srcformat01", 1, 11)));
        assertThat(summary.downloaded()).isEqualTo(1);
        WavFormat format = WavReader.readFormat(out.resolve("test_downloads/test_downloads_0/YT_srcformat01.wav"));
        assertThat(format.sampleRate()).isEqualTo(44_100);
        assertThat(format.channels()).isEqualTo(2);
        assertThat(format.frames()).isEqualTo(441_000);
    }

    @Test
    void aVideoEndingInsideTheSegmentGivesAShortClip(@TempDir Path out) throws Exception {
        server.serve("shortclip01.m4a", TestMedia.tone(media, Codec.AAC, 44_100, 15));
        DownloadSummary summary = run(fastConfig(out, server.url("{id}.m4a")).build(),
                List.of(row(0, "shortclip01", 10, 20)));
        assertThat(summary.shortClips()).isEqualTo(1);
        assertThat(summary.downloaded()).isZero();
        assertThat(summary.complete()).isTrue();
        WavFormat format = WavReader.readFormat(out.resolve("test_downloads/test_downloads_0/YT_shortclip01.wav"));
        assertThat(format.frames()).isBetween(76_000L, 80_000L);
        CSVRecord log = readLog(out.resolve("logs/test_goodlogs/goodLog_0.csv")).get("shortclip01");
        assertThat(log.get("outcome")).isEqualTo("short");
        assertThat(log.get("message")).contains("media ends at 15.0");
    }

    @ParameterizedTest
    @MethodSource("lateEnds")
    void aVideoEndingJustBeforeTheSegmentsEndGivesAShortClipThoughItsContainerSaysOtherwise(Codec codec, String id,
            @TempDir Path out) throws Exception {
        // a 9.99-s video and an AudioSet segment of 0-10 s: Opus in WebM reports 10.00 s, MP3 10.03 s (padding),
        // but 159,840 frames decode; the clip was a "short transfer", transient, failed again by every rerun
        DownloadSummary summary = runOnAVideoOf999(codec, id, 0, out);
        assertThat(summary.shortClips()).as(readLog(out.resolve("logs/test_errorlogs/errorLog_0.csv")).toString())
                .isEqualTo(1);
        assertThat(summary.complete()).isTrue();
        long frames = WavReader.readFormat(out.resolve("test_downloads/test_downloads_0/YT_" + id + ".wav")).frames();
        assertThat(frames).isBetween(159_000L, 159_999L);
    }

    @ParameterizedTest
    @MethodSource("lateEnds")
    void aSegmentStartingWhereTheVideoEndsIsPermanentThoughItsContainerSaysOtherwise(Codec codec, String id,
            @TempDir Path out) throws Exception {
        // a 9.99-s video and a segment of 10-20 s: the container states 10.00 or 10.03 s, ffmpeg decodes nothing
        // and exits 0; this was "ffmpeg wrote no samples", transient, failed again by every rerun
        DownloadSummary summary = runOnAVideoOf999(codec, id, 10, out);
        assertThat(summary.failed()).containsEntry(FailureClass.PERMANENT, 1L);
        assertThat(summary.complete()).isTrue();
        assertThat(readLog(out.resolve("logs/test_errorlogs/errorLog_0.csv")).get(id).get("message"))
                .startsWith("segment starts past the end");
    }

    @Test
    void aTagThatReadsLikeADurationIsNotTakenForTheMediasLength(@TempDir Path out) throws Exception {
        // ffmpeg prints an input's tags before its "Duration:" line; a title "Duration: 00:00:01.00" was taken for
        // the media's length, and the segment at 5 s of this 30-s file failed permanently, "starts past the end"
        Path tagged = media.resolve("tagged.mp3");
        ExternalTools.check(List.of(ExternalTools.requireFfmpeg().toString(), "-v", "error", "-y", "-f", "lavfi",
                "-i", "aevalsrc=0.5*sin(2*PI*440*t):s=44100:d=30", "-c:a", "libmp3lame", "-b:a", "128k", "-metadata",
                "title=Duration: 00:00:01.00, start: 0.000000", tagged.toString()));
        server.serve("taggedtitle.mp3", tagged);
        DownloadSummary summary = run(fastConfig(out, server.url("{id}.mp3")).build(),
                List.of(row(0, "taggedtitle", 5, 15)));
        assertThat(summary.downloaded()).as(readLog(out.resolve("logs/test_errorlogs/errorLog_0.csv")).toString())
                .isEqualTo(1);
    }

    @Test
    void aPasswordInTheUrlTemplateNeverReachesTheLogs(@TempDir Path out) throws Exception {
        // ffmpeg's message names the relay's URL, which was replaced by the media URL without its query but with
        // its user:password: "http://alice:s3cret@127.0.0.1:.../media/...: Server returned 404 Not Found"
        String template = server.url("{id}.m4a").replace("http://", "http://alice:s3cret@");
        DownloadSummary summary = run(fastConfig(out, template).build(), List.of(row(0, "nopassword1", 0, 10)));
        assertThat(summary.failed()).containsEntry(FailureClass.PERMANENT, 1L);
        String message = errors(out).get("nopassword1").get("message");
        assertThat(message).contains("404").contains("***@127.0.0.1").doesNotContain("s3cret");
    }

    @Test
    void aPasswordInTheUrlTemplateIsSentToItsHostOnly(@TempDir Path out) throws Exception {
        // ffmpeg sends a URL's user:password as Basic authorization; the relay dropped it, so a mirror behind a
        // password answered 401 to every clip (permanent failures, exit 0)
        Path source = TestMedia.tone(media, Codec.AAC, 44_100, 12);
        server.serve("authmirror1.m4a", source);
        try (LoopbackMediaServer other = LoopbackMediaServer.start()) {
            other.serve("authredir01.m4a", source);
            server.redirect("authredir01.m4a", other.url("authredir01.m4a"));
            String template = server.url("{id}.m4a").replace("http://", "http://alice:s3cret@");
            DownloadSummary summary = run(fastConfig(out, template).build(),
                    List.of(row(0, "authmirror1", 0, 10), row(1, "authredir01", 0, 10)));
            assertThat(summary.downloaded()).isEqualTo(2);
            String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(
                    "alice:s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(server.requestHeaders()).filteredOn(h -> h.get(":request").contains("/authmirror1.m4a"))
                    .isNotEmpty().allMatch(h -> basic.equals(h.get("authorization")));
            assertThat(other.requestHeaders()).as("never to the host a redirect names").isNotEmpty()
                    .noneMatch(h -> h.containsKey("authorization"));
        }
    }

    /** Downloads the 10-s segment at {@code start} of a 9.99-s tone. */
    private static DownloadSummary runOnAVideoOf999(Codec codec, String id, double start, Path out)
            throws Exception {
        server.serve(id + "." + codec.extension(), TestMedia.tone(media, codec, 48_000, 9.99));
        return run(fastConfig(out, server.url("{id}." + codec.extension())).build(),
                List.of(row(0, id, start, start + 10)));
    }

    static Stream<Arguments> lateEnds() {
        return Stream.of(Arguments.of(Codec.OPUS, "lateendopus"), Arguments.of(Codec.MP3, "lateendmp3x"));
    }

    @Test
    void anIdStartingWithADashWorksThroughTheDirectResolver(@TempDir Path out) throws Exception {
        server.serve("-dashdirect.m4a", TestMedia.tone(media, Codec.AAC, 44_100, 30));
        DownloadSummary summary = run(fastConfig(out, server.url("{id}.m4a")).build(),
                List.of(row(0, "-dashdirect", 0, 10)));
        assertThat(summary.downloaded()).isEqualTo(1);
        assertThat(WavReader.readFormat(out.resolve("test_downloads/test_downloads_0/YT_-dashdirect.wav")).frames())
                .isEqualTo(160_000);
    }

    @Test
    void anIdStartingWithADashWorksThroughYtDlp(@TempDir Path out) throws Exception {
        Path ytDlp = ExternalTools.require("yt-dlp");
        server.serve("-dashytdlp1.m4a", TestMedia.tone(media, Codec.AAC, 44_100, 30));
        DownloadConfig config = fastConfig(out, server.url("{id}.m4a")).resolver(ResolverKind.YT_DLP).ytDlp(ytDlp)
                .socketTimeout(java.time.Duration.ofSeconds(5)).build();
        DownloadSummary summary = run(config, List.of(row(0, "-dashytdlp1", 5, 15)));
        assertThat(summary.downloaded()).as(readLog(out.resolve("logs/test_errorlogs/errorLog_0.csv")).toString())
                .isEqualTo(1);
        assertThat(WavReader.readFormat(out.resolve("test_downloads/test_downloads_0/YT_-dashytdlp1.wav")).frames())
                .isEqualTo(160_000);
    }

    @Test
    void aMediaYtDlpOffersOnlyAsHlsFailsNamingItAndARerunTriesAgain(@TempDir Path out) throws Exception {
        Path ytDlp = ExternalTools.require("yt-dlp");
        Path playlist = Files.writeString(media.resolve("playlist.m3u8"), "#EXTM3U\n#EXT-X-VERSION:3\n"
                + "#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\nseg0.ts\n#EXTINF:10.0,\nseg1.ts\n#EXT-X-ENDLIST\n");
        server.serve("hlsonlyclip.m3u8", playlist);
        DownloadConfig config = fastConfig(out, server.url("{id}.m3u8")).resolver(ResolverKind.YT_DLP).ytDlp(ytDlp)
                .socketTimeout(java.time.Duration.ofSeconds(5)).build();
        DownloadSummary summary = run(config, List.of(row(0, "hlsonlyclip", 0, 10)));
        Map<String, CSVRecord> failed = readLog(out.resolve("logs/test_errorlogs/errorLog_0.csv"));
        assertThat(summary.downloaded()).isZero();
        assertThat(failed.get("hlsonlyclip").get("message")).as(failed.toString())
                .contains("yt-dlp offers hlsonlyclip only as a m3u8");
        assertThat(failed.get("hlsonlyclip").get("class")).isEqualTo("permanent");
        assertThat(AvailabilityReport.permanentFailures(out.resolve("logs"), "test").apply("hlsonlyclip"))
                .as("not settled: a rerun (a newer yt-dlp) asks again").isEmpty();
    }

    @Test
    void aRerunDoesNotRequestClipsThatFailedPermanentlyUnlessAsked(@TempDir Path out) throws Exception {
        Path tone = TestMedia.tone(media, Codec.AAC, 44_100, 30);
        server.serve("goneforgood.m4a", tone).fault("goneforgood.m4a", LoopbackMediaServer.Fault.NOT_FOUND);
        server.serve("flakyclip01.m4a", tone).fault("flakyclip01.m4a", LoopbackMediaServer.Fault.NOT_FOUND, 1);
        List<SegmentRow> rows = List.of(row(0, "goneforgood", 0, 10), row(1, "flakyclip01", 0, 10));
        DownloadConfig.Builder config = fastConfig(out, server.url("{id}.m4a"));
        assertThat(run(config.build(), rows).failed()).containsEntry(FailureClass.PERMANENT, 2L);
        long gone = server.requests("goneforgood.m4a");
        Path log = out.resolve("logs/test_errorlogs/errorLog_0.csv");
        long logRows = Files.readAllLines(log).size();

        // the rerun: counted as failed again, without a request and without another log row; the listener is told
        // how to ask again, in the library's terms as well as the command line's
        List<String> reasons = new CopyOnWriteArrayList<>();
        PipelineListener listener = new PipelineListener() {
            @Override
            public void itemFailed(Stage stage, String item, String reason) {
                reasons.add(item + ": " + reason);
            }
        };
        DownloadSummary again = DownloadStage.builder().config(config.build()).listener(listener).build()
                .run(rows.stream(), Shard.ALL, rows.size());
        assertThat(reasons).contains("goneforgood: permanent: failed permanently in an earlier run (not_found;"
                + " DownloadConfig.Builder.retryPermanent(true), the command line's --retry-permanent, requests it"
                + " again)");
        assertThat(again.failed()).containsEntry(FailureClass.PERMANENT, 2L);
        assertThat(again.complete()).isTrue();
        assertThat(server.requests("goneforgood.m4a")).isEqualTo(gone);
        assertThat(Files.readAllLines(log)).hasSize((int) logRows);

        // asked to retry them: requested again; a clip that came back is fetched, and later runs know it
        DownloadSummary retried = run(config.retryPermanent(true).build(), rows);
        assertThat(server.requests("goneforgood.m4a")).isGreaterThan(gone);
        assertThat(retried.downloaded()).isEqualTo(1);
        assertThat(run(config.retryPermanent(false).build(), rows).skippedExisting()).isEqualTo(1);
    }

    @Test
    void ytDlpFailuresAreClassifiedFromItsMessages(@TempDir Path out) throws Exception {
        Path ytDlp = ExternalTools.require("yt-dlp");
        Path tone = TestMedia.tone(media, Codec.AAC, 44_100, 30);
        server.serve("ytdlp404xxx.m4a", tone).fault("ytdlp404xxx.m4a", LoopbackMediaServer.Fault.NOT_FOUND);
        server.serve("ytdlp429xxx.m4a", tone).fault("ytdlp429xxx.m4a", LoopbackMediaServer.Fault.TOO_MANY_REQUESTS);
        DownloadConfig config = fastConfig(out, server.url("{id}.m4a")).resolver(ResolverKind.YT_DLP).ytDlp(ytDlp)
                .retries(1).socketTimeout(java.time.Duration.ofSeconds(5)).build();

        DownloadSummary summary = run(config, List.of(row(0, "ytdlp404xxx", 0, 10), row(1, "ytdlp429xxx", 0, 10)));

        Map<String, CSVRecord> failed = errors(out);
        assertThat(failed.get("ytdlp404xxx").get("class")).as(failed.toString()).isEqualTo("permanent");
        assertThat(failed.get("ytdlp404xxx").get("message")).contains("404");
        assertThat(failed.get("ytdlp404xxx").get("attempts")).isEqualTo("1");
        assertThat(failed.get("ytdlp429xxx").get("class")).as(failed.toString()).isEqualTo("rate-limited");
        assertThat(failed.get("ytdlp429xxx").get("attempts")).isEqualTo("2");
        assertThat(summary.complete()).isFalse();
    }

    @Test
    void aSecondRunSkipsClipsAlreadyInAnyJobFolderAndFetchesNothing(@TempDir Path out) throws Exception {
        Path source = TestMedia.tone(media, Codec.AAC, 44_100, 30);
        List<SegmentRow> rows = List.of(row(0, "resumeAAAA1", 0, 10), row(1, "resumeAAAA2", 10, 20),
                row(2, "resumeAAAA3", 5, 15));
        for (SegmentRow r : rows) {
            server.serve(r.segment().ytid() + ".m4a", source);
        }
        DownloadConfig config = fastConfig(out, server.url("{id}.m4a")).build();
        assertThat(run(config, rows).downloaded()).isEqualTo(3);
        // move one clip to another job's folder: it still counts as there
        Path other = Files.createDirectories(out.resolve("test_downloads/test_downloads_7"));
        Files.move(out.resolve("test_downloads/test_downloads_0/YT_resumeAAAA2.wav"),
                other.resolve("YT_resumeAAAA2.wav"));
        long before = server.totalRequests();

        DownloadSummary again = run(config, rows);

        assertThat(again.skippedExisting()).isEqualTo(3);
        assertThat(again.downloaded()).isZero();
        assertThat(server.totalRequests()).isEqualTo(before);
        assertThat(again.perLabel().get("/m/09x0r")).isEqualTo(new LabelAvailability(3, 3));
    }

    @Test
    void onlyTemporariesOlderThanTheToolTimeoutAreRemovedAndNotByADryRun(@TempDir Path out) throws Exception {
        Path job = Files.createDirectories(out.resolve("test_downloads/test_downloads_0"));
        // a killed run's files, untouched for longer than the tool timeout (30 s) plus a minute
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofMinutes(5)));
        Path staleDecode = Files.writeString(job.resolve(".YT_staletemp01.decode.tmp"), "partial");
        Path staleWav = Files.writeString(job.resolve(".YT_staletemp02.wav.tmp"), "partial");
        Files.setLastModifiedTime(staleDecode, old);
        Files.setLastModifiedTime(staleWav, old);
        // a live run's file (another job sharing the folder, or another whole-CSV run): just written
        Path live = Files.writeString(job.resolve(".YT_livetemp001.decode.tmp"), "being written");
        // a live process of this host (this one) owns a file untouched for as long: waiting for a rate-limit slot
        Path waiting = Files.writeString(job.resolve(".YT_livetemp002." + io.github.audiosetdl.core.ProcessTag
                .current() + ".1.decode.tmp"), "");
        Files.setLastModifiedTime(waiting, old);
        DownloadConfig.Builder config = fastConfig(out, server.url("{id}.m4a"));

        // a dry run only counts: it removes nothing, not even stale files
        DownloadSummary dry = run(config.dryRun(true).build(), List.of(row(0, "staletemp01", 0, 10)));
        assertThat(dry.pending()).isEqualTo(1);
        assertThat(temporaries(out)).containsExactlyInAnyOrder(staleDecode, staleWav, live, waiting);

        // a real run of the whole CSV (one job, shared folder) removes the stale files, not the live ones
        run(config.dryRun(false).build(), List.of());
        assertThat(temporaries(out)).containsExactlyInAnyOrder(live, waiting);
    }

    @ParameterizedTest
    @ValueSource(strings = {"subset[1]", "subset{a", "subset[b", "sub*set?"})
    void aNameWithGlobCharactersFindsTheOtherJobsClips(String name, @TempDir Path out) throws Exception {
        // the job folders were listed with a glob made of the name: '[1]' matched "1" (another job's clip was
        // fetched again) and an unclosed '{' or '[' ended the run with a PatternSyntaxException
        Path other = out.resolve(name + "_downloads").resolve(name + "_downloads_0");
        Files.createDirectories(other);
        Files.write(other.resolve("YT_globnameid0.wav"), new byte[44]);
        DownloadConfig config = DownloadConfig.builder(out, name).resolver(ResolverKind.DIRECT)
                .urlTemplate(server.url("{id}.m4a")).perJobFolders(true).dryRun(true).build();
        DownloadSummary summary = DownloadStage.builder().config(config).build()
                .run(Stream.of(row(0, "globnameid0", 0, 10)), Shard.of(1, 2), 1);
        assertThat(summary.skippedExisting()).isEqualTo(1);
        assertThat(summary.pending()).isZero();
    }

    @Test
    void anInterruptStopsARunThatRequestsNothingWithoutReadingTheRestOfTheRows(@TempDir Path out) {
        // a dry run (and a rerun whose clips are all on disk) never waits for a worker: it read the whole CSV,
        // millions of rows, after its interrupt (AudioSetPipeline.cancel) and returned a summary
        AtomicLong read = new AtomicLong();
        Stream<SegmentRow> rows = Stream.iterate(0L, i -> i < 1_000_000L, i -> i + 1).map(i -> {
            if (read.incrementAndGet() == 3) {
                Thread.currentThread().interrupt();
            }
            return row(i, String.format("dry%08d", i), 0, 10);
        });
        try {
            assertThatThrownBy(() -> run(fastConfig(out, "http://127.0.0.1:9/{id}.m4a").dryRun(true).build(), rows,
                    1_000_000L)).isInstanceOf(InterruptedIOException.class);
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(read.get()).isLessThan(10);
    }

    @Test
    void aLabelARowNamesTwiceCountsTheRowOnceInTheSummarysPerLabelNumbers(@TempDir Path out) throws Exception {
        DownloadSummary dry = run(fastConfig(out, server.url("{id}.m4a")).dryRun(true).build(),
                List.of(row(0, "twicelabel1", 0, 10, "/m/09x0r", "/m/04rlf", "/m/09x0r")));
        assertThat(dry.perLabel().get("/m/09x0r")).isEqualTo(new LabelAvailability(1, 0));
        assertThat(dry.perLabel().get("/m/04rlf")).isEqualTo(new LabelAvailability(1, 0));
    }

    @Test
    void aRepeatedIdIsFetchedOnceAndEachLaterRowIsAPermanentFailureNamingTheFirst(@TempDir Path out)
            throws Exception {
        Path source = TestMedia.tone(media, Codec.AAC, 44_100, 30);
        // a YouTube-shaped id and a mirror's id of another shape, each twice, with different sections
        server.serve("repeatedidA.m4a", source).serve("mirror-dup1.m4a", source);
        List<SegmentRow> rows = List.of(row(0, "repeatedidA", 0, 10), row(1, "mirror-dup1", 0, 10),
                row(2, "repeatedidA", 10, 20), row(3, "mirror-dup1", 5, 15));
        DownloadConfig.Builder config = fastConfig(out, server.url("{id}.m4a"));

        DownloadSummary dry = run(config.dryRun(true).build(), rows);
        assertThat(dry.pending()).isEqualTo(2);
        assertThat(dry.failed()).containsEntry(FailureClass.PERMANENT, 2L);
        assertThat(out.resolve("logs")).as("a dry run writes no log, not even a header").doesNotExist();
        assertThat(out.resolve("test_downloads")).as("nor a folder").doesNotExist();

        DownloadSummary summary = run(config.dryRun(false).build(), rows);

        assertThat(summary.downloaded()).isEqualTo(2);
        assertThat(summary.failed()).containsEntry(FailureClass.PERMANENT, 2L);
        assertThat(summary.complete()).isTrue();
        assertThat(server.requests("repeatedidA.m4a")).isEqualTo(1);
        Map<String, CSVRecord> failed = errors(out);
        assertThat(failed.get("repeatedidA").get("message")).isEqualTo("duplicate id in the CSV (row 0)");
        assertThat(failed.get("repeatedidA").get("csv_row")).isEqualTo("2");
        assertThat(failed.get("mirror-dup1").get("message")).isEqualTo("duplicate id in the CSV (row 1)");
        assertThat(failed.get("mirror-dup1").get("class")).isEqualTo("permanent");
        Map<String, CSVRecord> good = readLog(out.resolve("logs/test_goodlogs/goodLog_0.csv"));
        assertThat(good.get("repeatedidA").get("csv_row")).isEqualTo("0");
        assertThat(good.get("mirror-dup1").get("csv_row")).isEqualTo("1");
        assertThat(temporaries(out)).isEmpty();

        // a rerun says the same of the later rows (not "already there")
        DownloadSummary again = run(config.build(), rows);
        assertThat(again.skippedExisting()).isEqualTo(2);
        assertThat(again.failed()).containsEntry(FailureClass.PERMANENT, 2L);
    }

    @Test
    void anInterruptedRunStopsItsWorkersAndToolsBeforeItReturnsAndLogsEveryClipOnDisk(@TempDir Path out)
            throws Exception {
        Path source = TestMedia.tone(media, Codec.AAC, 44_100, 30);
        List<SegmentRow> rows = new ArrayList<>();
        try (LoopbackMediaServer slow = LoopbackMediaServer.start()) {
            for (int i = 0; i < 6; i++) {
                String id = "interrupt0" + i;
                slow.serve(id + ".m4a", source);
                // the first clip is quick; the others hang until the server closes
                slow.latency(id + ".m4a", i == 0 ? Duration.ZERO : Duration.ofMinutes(2));
                rows.add(row(i, id, 0, 10));
            }
            // ffmpeg's read timeout far away: the slow clips' ffmpegs wait for the server until stopped
            DownloadStage stage = DownloadStage.builder().config(fastConfig(out, slow.url("{id}.m4a")).threads(3)
                    .socketTimeout(Duration.ofMinutes(1)).build()).build();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<List<String>> busyWorkers = new AtomicReference<>();
            AtomicLong toolsAlive = new AtomicLong(-1);
            Thread runner = new Thread(() -> {
                try {
                    stage.run(rows.stream(), Shard.ALL, rows.size());
                } catch (Throwable t) {
                    // what is still running at the moment run() returns
                    busyWorkers.set(busyWorkers());
                    toolsAlive.set(ffmpegsFor("interrupt0"));
                    thrown.set(t);
                }
            }, "interrupted-download");
            runner.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ((slow.requests("interrupt01.m4a") == 0 || slow.requests("interrupt02.m4a") == 0)
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(slow.requests("interrupt02.m4a")).as("two slow clips in flight").isPositive();

            runner.interrupt();
            runner.join(Duration.ofSeconds(60).toMillis());

            assertThat(runner.isAlive()).isFalse();
            assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class);
            assertThat(busyWorkers.get()).as("workers still downloading when run() returned").isEmpty();
            assertThat(toolsAlive.get()).as("ffmpeg processes alive when run() returned").isZero();
            Map<String, CSVRecord> good = readLog(out.resolve("logs/test_goodlogs/goodLog_0.csv"));
            try (Stream<Path> clips = Files.list(out.resolve("test_downloads/test_downloads_0"))) {
                clips.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".wav"))
                        .forEach(n -> assertThat(good).as("%s is on disk, so logged", n)
                                .containsKey(n.substring(3, n.length() - 4)));
            }
        }
    }

    @Test
    void aClipCancelledOnceFfmpegHasExitedIsNotLoggedAndTheNextRunFetchesIt(@TempDir Path out) throws Exception {
        // a worker interrupted (a cancel) after ffmpeg's exit and before its WAV was read failed to read it
        // (ClosedByInterruptException) and logged a transient "short transfer: unreadable output" row for it
        Path source = TestMedia.tone(media, Codec.AAC, 44_100, 30);
        String id = "cancelread1";
        server.serve(id + ".m4a", source);
        DownloadConfig config = fastConfig(out, server.url("{id}.m4a")).threads(1).retries(0).build();
        CountDownLatch decoded = new CountDownLatch(1);
        ClipDownloader.afterDecode = segment -> {
            decoded.countDown();
            try {
                Thread.sleep(Duration.ofSeconds(60).toMillis()); // until the cancel interrupts the worker
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                run(config, List.of(row(0, id, 0, 10)));
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "cancelled-download");
        try {
            runner.start();
            assertThat(decoded.await(60, TimeUnit.SECONDS)).as("ffmpeg exited").isTrue();
            runner.interrupt();
            runner.join(Duration.ofSeconds(60).toMillis());
        } finally {
            ClipDownloader.afterDecode = segment -> { };
        }

        assertThat(runner.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class);
        assertThat(errors(out)).as("a cancelled clip is no failure").doesNotContainKey(id);
        assertThat(readLog(out.resolve("logs/test_goodlogs/goodLog_0.csv"))).doesNotContainKey(id);
        assertThat(out.resolve("test_downloads/test_downloads_0/YT_" + id + ".wav")).doesNotExist();
        assertThat(temporaries(out)).isEmpty();

        DownloadSummary again = run(config, List.of(row(0, id, 0, 10)));
        assertThat(again.downloaded()).as("the next run fetches it").isEqualTo(1);
    }

    /** @return the download workers whose stack is still inside a clip's download */
    private static List<String> busyWorkers() {
        List<String> busy = new ArrayList<>();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t.getName().startsWith("audioset-download-") && t.isAlive() && Arrays.stream(stack)
                    .anyMatch(f -> f.getClassName().endsWith("ClipDownloader"))) {
                busy.add(t.getName());
            }
        });
        return busy;
    }

    /** @return the live ffmpeg processes of this JVM whose arguments mention {@code marker} */
    private static long ffmpegsFor(String marker) {
        return ProcessHandle.current().descendants().filter(p -> p.isAlive()
                && p.info().arguments().map(a -> Arrays.toString(a).contains(marker)).orElse(false)).count();
    }

    @Test
    void readsOnlyASmallFractionOfALongSource(@TempDir Path out) throws Exception {
        for (Codec codec : List.of(Codec.AAC, Codec.OPUS)) {
            Path source = TestMedia.busy(media, codec, 48_000, 600); // the same size from any ffmpeg
            String name = "longsource" + codec.ordinal() + "." + codec.extension();
            server.serve(name, source);
            DownloadSummary summary = run(fastConfig(out, server.url("{id}." + codec.extension())).build(),
                    List.of(row(0, "longsource" + codec.ordinal(), 300, 310)));
            assertThat(summary.downloaded()).as(errors(out).toString()).isEqualTo(1);
            long size = Files.size(source);
            assertThat(server.bytesServed(name)).as("%s: bytes of %d", codec, size).isLessThan(size / 10);
        }
    }

    static double peak(AudioClip clip) {
        double max = 0;
        for (float v : clip.channel(0)) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    static Map<String, CSVRecord> errors(Path out) throws Exception {
        return readLog(out.resolve("logs/test_errorlogs/errorLog_0.csv"));
    }
}
