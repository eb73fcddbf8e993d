package io.github.audiosetdl.core.download;

import static io.github.audiosetdl.core.download.DownloadFixtures.fastConfig;
import static io.github.audiosetdl.core.download.DownloadFixtures.readLog;
import static io.github.audiosetdl.core.download.DownloadFixtures.row;
import static io.github.audiosetdl.core.download.DownloadFixtures.run;
import static io.github.audiosetdl.core.download.DownloadFixtures.temporaries;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.core.testing.LoopbackMediaServer.Fault;
import io.github.audiosetdl.core.testing.TestMedia;
import io.github.audiosetdl.core.testing.TestMedia.Codec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every fault of the loopback server, in one run with several workers: each failure gets its class,
 * transient and rate-limited ones are retried (permanent ones are not), a 500 that recovers yields a
 * clip, and no failure leaves a clip or a temporary file.
 */
class FaultMatrixTest {
    private static final int RETRIES = 2;

    /** A case: the id, what the server does, the expected log outcome, class and attempts. */
    private record Case(String id, String outcome, String failureClass, int attempts) {
    }

    @Test
    void everyFaultHasItsClassAndRetryBehaviour(@TempDir Path media, @TempDir Path out) throws Exception {
        Path tone = TestMedia.tone(media, Codec.AAC, 44_100, 40);
        Path junk = LoopbackMediaServer.randomBytes(media.resolve("junk.m4a"), 300_000, 42);
        int refused = LoopbackMediaServer.refusedPort();
        try (LoopbackMediaServer server = LoopbackMediaServer.start()) {
            List<Case> cases = new ArrayList<>();
            cases.add(faulty(server, tone, "notfound404", Fault.NOT_FOUND, "permanent", 1));
            cases.add(faulty(server, tone, "forbidden43", Fault.FORBIDDEN, "permanent", 1));
            cases.add(faulty(server, tone, "gonegone410", Fault.GONE, "permanent", 1));
            cases.add(faulty(server, tone, "toomany4290", Fault.TOO_MANY_REQUESTS, "rate-limited", RETRIES + 1));
            cases.add(faulty(server, tone, "htmlpage001", Fault.HTML, "permanent", 1));
            cases.add(faulty(server, tone, "stalled0001", Fault.STALL, "transient", RETRIES + 1));
            server.serve("recovers500.m4a", tone).fault("recovers500.m4a", Fault.SERVER_ERROR, 2);
            cases.add(new Case("recovers500", "downloaded", "", 3));
            server.serve("cutmidbody1.m4a", tone).cutAt("cutmidbody1.m4a", Files.size(tone) * 45 / 100);
            cases.add(new Case("cutmidbody1", "failed", "transient", RETRIES + 1));
            server.serve("randombytes.m4a", junk);
            cases.add(new Case("randombytes", "failed", "permanent", 1));
            server.serve("pastheend01.m4a", tone);
            cases.add(new Case("pastheend01", "failed", "permanent", 1));
            cases.add(new Case("refused0001", "failed", "transient", RETRIES + 1));

            List<SegmentRow> rows = new ArrayList<>();
            for (Case c : cases) {
                double start = c.id().equals("pastheend01") ? 50 : 12.5;
                rows.add(row(rows.size(), c.id(), start, start + 10));
            }
            // the refused id goes to a port nothing listens on, through a template of its own
            DownloadConfig config = fastConfig(out, server.url("{id}.m4a")).retries(RETRIES).threads(6)
                    .toolTimeout(Duration.ofSeconds(4)).build();
            DownloadSummary summary = run(config, rows.stream().filter(r -> !r.segment().ytid().startsWith("refused")),
                    rows.size() - 1);
            DownloadConfig refusedConfig = fastConfig(out, "http://127.0.0.1:" + refused + "/media/{id}.m4a")
                    .retries(RETRIES).build();
            DownloadSummary refusedSummary = run(refusedConfig,
                    rows.stream().filter(r -> r.segment().ytid().startsWith("refused")), 1);

            Map<String, CSVRecord> good = readLog(out.resolve("logs/test_goodlogs/goodLog_0.csv"));
            Map<String, CSVRecord> bad = readLog(out.resolve("logs/test_errorlogs/errorLog_0.csv"));
            Path job = out.resolve("test_downloads/test_downloads_0");
            for (Case c : cases) {
                CSVRecord rec = c.outcome().equals("downloaded") ? good.get(c.id()) : bad.get(c.id());
                assertThat(rec).as(c.id() + " logged; errors: " + bad).isNotNull();
                assertThat(rec.get("outcome")).as(c.id() + ": " + rec.get("message")).isEqualTo(c.outcome());
                assertThat(rec.get("class")).as(c.id() + ": " + rec.get("message")).isEqualTo(c.failureClass());
                assertThat(Integer.parseInt(rec.get("attempts"))).as(c.id() + ": " + rec.get("message"))
                        .isEqualTo(c.attempts());
                assertThat(Files.exists(job.resolve("YT_" + c.id() + ".wav"))).as(c.id())
                        .isEqualTo(c.outcome().equals("downloaded"));
            }
            assertThat(summary.downloaded()).isEqualTo(1);
            assertThat(summary.failed()).containsEntry(FailureClass.PERMANENT, 6L)
                    .containsEntry(FailureClass.TRANSIENT, 2L).containsEntry(FailureClass.RATE_LIMITED, 1L);
            assertThat(summary.complete()).isFalse();
            assertThat(refusedSummary.failed()).containsEntry(FailureClass.TRANSIENT, 1L);
            // permanent failures are asked for once; a 404 page is not retried
            assertThat(server.requests("notfound404.m4a")).isEqualTo(1);
            assertThat(server.requests("toomany4290.m4a")).isEqualTo(RETRIES + 1);
            assertThat(temporaries(out)).isEmpty();
            try (var files = Files.list(job)) {
                assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("YT_recovers500.wav");
            }
        }
    }

    @Test
    void theWallClockLimitKillsAStuckFfmpeg(@TempDir Path media, @TempDir Path out) throws Exception {
        Path tone = TestMedia.tone(media, Codec.AAC, 44_100, 40);
        try (LoopbackMediaServer server = LoopbackMediaServer.start()) {
            server.serve("stuckstuck1.m4a", tone).fault("stuckstuck1.m4a", Fault.STALL);
            // ffmpeg's own read timeout is far away: only the wall-clock limit can end it
            DownloadConfig config = fastConfig(out, server.url("{id}.m4a")).retries(0)
                    .socketTimeout(Duration.ofMinutes(5)).toolTimeout(Duration.ofSeconds(2)).build();
            long start = System.nanoTime();
            DownloadSummary summary = run(config, List.of(row(0, "stuckstuck1", 0, 10)));
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(summary.failed()).containsEntry(FailureClass.TRANSIENT, 1L);
            assertThat(seconds).isLessThan(20);
            CSVRecord rec = readLog(out.resolve("logs/test_errorlogs/errorLog_0.csv")).get("stuckstuck1");
            assertThat(rec.get("message")).contains("killed after 2 s");
            String ffmpeg = ExternalTools.requireFfmpeg().toString();
            // ffmpeg's arguments name no media (it reads a loopback relay): no ffmpeg of this JVM may be left
            assertThat(ProcessHandle.current().descendants().filter(p -> p.isAlive()
                    && p.info().command().map(ffmpeg::equals).orElse(false)).count()).isZero();
            assertThat(temporaries(out)).isEmpty();
        }
    }

    private static Case faulty(LoopbackMediaServer server, Path tone, String id, Fault fault, String cls,
            int attempts) {
        server.serve(id + ".m4a", tone).fault(id + ".m4a", fault);
        return new Case(id, "failed", cls, attempts);
    }
}
