package io.github.audiosetdl.examples.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.audiosetdl.core.download.ToolLocator;
import io.github.audiosetdl.core.download.BundledFfmpeg;
import io.github.audiosetdl.core.testing.ExternalTools;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class StaticFfmpegLocatorTest {
    @Test
    void isTheToolLocatorServiceAndOnlyForFfmpeg() {
        assertThat(ServiceLoader.load(ToolLocator.class).stream().map(p -> p.type().getName()).toList())
                .containsExactly(StaticFfmpegLocator.class.getName());
        assertThat(new StaticFfmpegLocator().locate("yt-dlp")).isEmpty();
        assertThat(new StaticFfmpegLocator().locate("ffprobe")).isEmpty();
    }

    @Test
    void providesTheStaticBuildThatRuns() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"),
                "the bundled ffmpeg is built for Linux x86-64 only");
        Optional<Path> ffmpeg = new StaticFfmpegLocator().locate("ffmpeg");
        assertThat(ffmpeg).isPresent().isEqualTo(BundledFfmpeg.locate());
        assertThat(ExternalTools.check(List.of(ffmpeg.get().toString(), "-hide_banner", "-version")))
                .startsWith("ffmpeg version 4.4.1-static");
    }
}
