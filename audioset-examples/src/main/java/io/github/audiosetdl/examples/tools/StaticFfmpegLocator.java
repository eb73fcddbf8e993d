package io.github.audiosetdl.examples.tools;

import io.github.audiosetdl.core.download.ToolLocator;
import io.github.audiosetdl.core.download.BundledFfmpeg;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides {@code ffmpeg} on Linux x86-64 from the statically linked build (ffmpeg 4.4.1, GPL-3) of Maven Central's
 * {@code ws.schild:jave-nativebin-linux64}, which the command-line jar bundles: it needs no shared library, so it
 * runs on servers and in containers that have none of ffmpeg's. It is copied once to
 * {@code ~/.cache/audioset-java/} ({@code $XDG_CACHE_HOME/audioset-java/} when set) and run from there.
 * Registered as a {@link ToolLocator} service, so the download stage asks it only when ffmpeg is neither given nor
 * on {@code PATH}. Thread-safe.
 */
public final class StaticFfmpegLocator implements ToolLocator {
    private static final Logger LOG = LoggerFactory.getLogger(StaticFfmpegLocator.class);

    /** Creates the locator (the service loader's constructor). */
    public StaticFfmpegLocator() {
    }

    @Override
    public Optional<Path> locate(String tool) {
        if (!"ffmpeg".equals(tool)) {
            return Optional.empty();
        }
        try {
            Optional<Path> ffmpeg = BundledFfmpeg.locate();
            if (ffmpeg.isPresent()) {
                LOG.info("ffmpeg is not on PATH: using the bundled static build {}", ffmpeg.get());
            } else {
                LOG.debug("no bundled ffmpeg for {} {}", System.getProperty("os.name"), System.getProperty("os.arch"));
            }
            return ffmpeg;
        } catch (IOException e) {
            LOG.warn("the bundled ffmpeg cannot be used: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
