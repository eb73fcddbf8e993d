package io.github.audiosetdl.core.download;

import static io.github.audiosetdl.core.download.DownloadFixtures.fastConfig;
import static io.github.audiosetdl.core.download.DownloadFixtures.row;
import static io.github.audiosetdl.core.download.DownloadFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.core.testing.LoopbackMediaServer.Fault;
import io.github.audiosetdl.core.testing.TestMedia;
import io.github.audiosetdl.core.testing.TestMedia.Codec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The limiter shared by all workers, seen from the server: when requests arrive. */
class RateLimitTest {
    @Test
    void aRateLimitSeenByOneWorkerPausesEveryWorker(@TempDir Path media, @TempDir Path out) throws Exception {
        Path tone = TestMedia.tone(media, Codec.AAC, 44_100, 30);
        try (LoopbackMediaServer server = LoopbackMediaServer.start()) {
            List<SegmentRow> rows = new ArrayList<>();
            for (String id : List.of("limited0000", "inflight001", "afterpause1", "afterpause2", "afterpause3")) {
                server.serve(id + ".m4a", tone);
                rows.add(row(rows.size(), id, 0, 10));
            }
            server.fault("limited0000.m4a", Fault.TOO_MANY_REQUESTS);
            // the other worker is busy with a slow clip while the rate limit is reported; its next
            // request must still wait for the pause (6 s), which it would not without the shared limiter
            server.latency("inflight001.m4a", Duration.ofMillis(1500));
            Duration pause = Duration.ofSeconds(6);
            // retries 0: the limited clip is not retried, so any wait comes from the global pause
            DownloadConfig config = fastConfig(out, server.url("{id}.m4a")).threads(2).retries(0)
                    .retryDelay(pause).maxRetryDelay(pause).socketTimeout(Duration.ofSeconds(5)).build();

            DownloadSummary summary = run(config, rows);

            assertThat(summary.failed()).containsEntry(FailureClass.RATE_LIMITED, 1L);
            assertThat(summary.downloaded()).isEqualTo(4);
            long limitedAt = server.firstRequestNanos("limited0000.m4a");
            for (String id : List.of("afterpause1", "afterpause2", "afterpause3")) {
                assertThat(server.firstRequestNanos(id + ".m4a") - limitedAt).as(id)
                        .isGreaterThanOrEqualTo(pause.minusMillis(300).toNanos());
            }
        }
    }

    @Test
    void theRequestBudgetIsSharedByAllWorkers(@TempDir Path media, @TempDir Path out) throws Exception {
        Path tone = TestMedia.tone(media, Codec.AAC, 44_100, 30);
        try (LoopbackMediaServer server = LoopbackMediaServer.start()) {
            List<SegmentRow> rows = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String id = "budget0000" + i;
                server.serve(id + ".m4a", tone);
                rows.add(row(i, id, 0, 10));
            }
            // 150 per minute: one fetch every 400 ms over all 6 workers
            DownloadConfig config = fastConfig(out, server.url("{id}.m4a")).threads(6).maxRequestsPerMinute(150)
                    .build();

            DownloadSummary summary = run(config, rows);

            assertThat(summary.downloaded()).isEqualTo(6);
            List<Long> starts = rows.stream().map(r -> server.firstRequestNanos(r.segment().ytid() + ".m4a"))
                    .sorted().toList();
            // 5 gaps of 400 ms (ffmpeg's start-up adds jitter to each, not to their sum); 6 free workers
            // would otherwise all ask within a few hundred ms
            assertThat(starts.get(starts.size() - 1) - starts.get(0))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1700).toNanos());
        }
    }
}
