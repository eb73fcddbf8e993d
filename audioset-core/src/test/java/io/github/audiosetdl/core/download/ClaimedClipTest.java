package io.github.audiosetdl.core.download;

import static io.github.audiosetdl.core.download.DownloadFixtures.fastConfig;
import static io.github.audiosetdl.core.download.DownloadFixtures.readLog;
import static io.github.audiosetdl.core.download.DownloadFixtures.row;
import static io.github.audiosetdl.core.download.DownloadFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.ProcessTag;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.Shard;
import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.core.testing.TestMedia;
import io.github.audiosetdl.core.testing.TestMedia.Codec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stage with a claim another host holds: the clip is not requested while the claim is young (a transient
 * failure the next run retries, the other host's claim left alone) and is fetched once the claim is older than the
 * bound, which empties the claims folder.
 */
class ClaimedClipTest {
    private static final String HELD = "claimedClp0";
    private static final String FREE = "claimedClp4";

    @Test
    void anotherHostsClaimDefersTheClipUntilItIsOld(@TempDir Path media, @TempDir Path out) throws Exception {
        Path tone = TestMedia.tone(media, Codec.AAC, 44_100, 12);
        try (LoopbackMediaServer server = LoopbackMediaServer.start()) {
            server.serve(HELD + ".m4a", tone).serve(FREE + ".m4a", tone);
            DownloadConfig config = fastConfig(out, server.url("{id}.m4a")).build();
            Path claims = Files.createDirectories(out.resolve("test_downloads").resolve(ClaimFolder.FOLDER));
            String owner = new ProcessTag("other-node-7", 31337, 1_760_000_000_000L).toString();
            Path claim = Files.writeString(claims.resolve(HELD + ClaimFolder.SUFFIX), owner + " 9a\n");
            List<SegmentRow> rows = List.of(row(0, HELD, 0, 10), row(1, FREE, 0, 10));

            DownloadSummary first = run(config, rows);

            assertThat(first.downloaded()).isEqualTo(1);
            assertThat(first.failed()).containsEntry(FailureClass.TRANSIENT, 1L);
            assertThat(first.complete()).as("a later run retries the claimed clip").isFalse();
            assertThat(server.requests(HELD + ".m4a")).isZero();
            CSVRecord logged = readLog(out.resolve("logs/test_errorlogs/errorLog_" + Shard.ALL.index() + ".csv"))
                    .get(HELD);
            assertThat(logged.get("class")).isEqualTo("transient");
            assertThat(logged.get("reason")).isEqualTo("other");
            assertThat(logged.get("message")).startsWith("claimed by another task (" + owner + ")");
            assertThat(claim).as("another host's live claim is left alone").exists();

            Files.setLastModifiedTime(claim, FileTime.from(Instant.now().minus(ClaimFolder.foreignBound(config))
                    .minusSeconds(5)));
            DownloadSummary second = run(config, rows);

            assertThat(second.downloaded()).isEqualTo(1);
            assertThat(second.skippedExisting()).isEqualTo(1);
            assertThat(second.complete()).isTrue();
            assertThat(server.requests(FREE + ".m4a")).as("fetched once").isEqualTo(server.requests(HELD + ".m4a"));
            try (var left = Files.list(claims)) {
                assertThat(left).isEmpty();
            }
        }
    }
}
