package io.github.audiosetdl.core.download;

import static io.github.audiosetdl.core.download.DownloadFixtures.fastConfig;
import static io.github.audiosetdl.core.download.DownloadFixtures.readLog;
import static io.github.audiosetdl.core.download.DownloadFixtures.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.testing.LoopbackMediaServer;
import io.github.audiosetdl.core.testing.TestMedia;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A segment longer than AudioSet's clips given through the library API, not a CSV (issue 14, item 4): it
 * fails permanently, naming its length, before any request is made or memory is spent on it.
 */
@Timeout(120)
class HostileSegmentTest {
    @Test
    void aSegmentLongerThanTenSecondsIsRefusedWithoutARequest(@TempDir Path media, @TempDir Path out)
            throws Exception {
        try (LoopbackMediaServer server = LoopbackMediaServer.start()) {
            server.serve("longsegment.m4a", TestMedia.tone(media, TestMedia.Codec.AAC, 16_000, 12));
            server.serve("okaysegment.m4a", TestMedia.tone(media, TestMedia.Codec.AAC, 16_000, 12));
            DownloadConfig config = fastConfig(out, server.url("{id}.m4a")).build();
            DownloadSummary summary = DownloadFixtures.run(config, List.of(row(0, "longsegment", 0, 100_000),
                    row(1, "okaysegment", 1, 11)));
            assertThat(summary.failed().get(FailureClass.PERMANENT)).isEqualTo(1);
            assertThat(summary.downloaded()).isEqualTo(1);
            assertThat(server.requests("longsegment.m4a")).isZero();
            assertThat(readLog(DownloadStage.builder().config(config).build()
                    .errorLog(io.github.audiosetdl.core.Shard.ALL)).get("longsegment").get("message"))
                    .contains("100000.000 s long", "10.1 s");
        }
    }
}
