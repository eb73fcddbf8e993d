package io.github.audiosetdl.core.download;

import io.github.audiosetdl.core.SegmentSelection;
import java.nio.file.Path;

/** A download run in a JVM of its own, for the kill -9 test: {@code DownloadChild OUT TEMPLATE CSV}. */
final class DownloadChild {
    private DownloadChild() {
    }

    public static void main(String[] args) throws Exception {
        DownloadConfig config = DownloadFixtures.fastConfig(Path.of(args[0]), args[1]).threads(2).build();
        DownloadStage.builder().config(config).build().run(SegmentSelection.builder(Path.of(args[2])).build());
    }
}
