package io.github.audiosetdl.core.download;

import io.github.audiosetdl.core.SegmentSelection;
import java.nio.file.Path;

/**
 * A download run in a JVM of its own, for the kill -9 tests: {@code DownloadChild OUT TEMPLATE CSV [YT_DLP COOKIES]}
 * (with the last two, the yt-dlp resolver with that program and cookies file).
 */
final class DownloadChild {
    private DownloadChild() {
    }

    public static void main(String[] args) throws Exception {
        DownloadConfig.Builder b = DownloadFixtures.fastConfig(Path.of(args[0]), args[1]).threads(2);
        if (args.length > 3) {
            b.resolver(ResolverKind.YT_DLP).ytDlp(Path.of(args[3])).cookies(Path.of(args[4]));
        }
        DownloadConfig config = b.build();
        DownloadStage.builder().config(config).build().run(SegmentSelection.builder(Path.of(args[2])).build());
    }
}
