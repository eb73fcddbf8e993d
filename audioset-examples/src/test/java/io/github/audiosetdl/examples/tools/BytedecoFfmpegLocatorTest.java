package io.github.audiosetdl.examples.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.audiosetdl.core.download.ToolLocator;
import io.github.audiosetdl.core.testing.ExternalTools;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class BytedecoFfmpegLocatorTest {
    @Test
    void theBundledFfmpegRunsAndIsFoundAsAService() throws Exception {
        Optional<Path> ffmpeg = new BytedecoFfmpegLocator().locate("ffmpeg");
        assertThat(ffmpeg).isPresent();
        assertThat(ExternalTools.check(List.of(ffmpeg.get().toString(), "-hide_banner", "-version")))
                .startsWith("ffmpeg version");
        assertThat(ServiceLoader.load(ToolLocator.class).stream().map(p -> p.type().getName()).toList())
                .contains(BytedecoFfmpegLocator.class.getName());
        assertThat(new BytedecoFfmpegLocator().locate("yt-dlp")).isEmpty();
    }
}
