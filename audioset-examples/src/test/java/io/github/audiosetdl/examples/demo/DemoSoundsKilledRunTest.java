package io.github.audiosetdl.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.ProcessTag;
import io.github.audiosetdl.core.Segment;
import io.github.audiosetdl.core.testing.ExternalTools;
import io.github.audiosetdl.core.testing.KilledRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A demo killed (SIGKILL: no shutdown hook runs) while ffmpeg synthesised a stand-in video left its temporary file
 * in {@code media/}; the next demo renders the same video again and removes it.
 */
class DemoSoundsKilledRunTest {
    /**
     * Before, the temporary files had no owner in their names ({@code .<file>.<random>.part}), so none could be
     * told from a live run's and every one a killed demo left stayed for good (2 of 2 SIGKILLs during synthesis).
     */
    @Test
    void renderingRemovesTheTemporaryFileOfAKilledDemoAndKeepsLiveOnes(@TempDir Path dir) throws Exception {
        Path ffmpeg = ExternalTools.requireFfmpeg();
        Path file = dir.resolve("-0CamVQdP_Y.m4a");
        String prefix = "." + file.getFileName() + ".";
        Path killed = Files.writeString(dir.resolve(prefix + KilledRuns.endedTag() + ".123" + DemoSounds.PART),
                "partial");
        Path live = Files.writeString(dir.resolve(prefix + ProcessTag.current() + ".456" + DemoSounds.PART),
                "partial");
        Path otherHost = Files.writeString(dir.resolve(prefix
                + new ProcessTag("some-other-node", 4242, 1_700_000_000_000L) + ".789" + DemoSounds.PART), "partial");

        DemoSounds.render(ffmpeg, new Segment("-0CamVQdP_Y", 0, 1000, List.of("/m/09x0r")), 1.0, file);

        assertThat(file).isNotEmptyFile();
        assertThat(killed).doesNotExist();
        assertThat(live).exists();
        assertThat(otherHost).exists();
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(DemoSounds.PART)))
                    .as("no temporary file of this render left").containsExactlyInAnyOrder(live, otherHost);
        }
    }
}
