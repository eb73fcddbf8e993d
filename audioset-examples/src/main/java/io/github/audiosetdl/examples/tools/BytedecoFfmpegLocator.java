package io.github.audiosetdl.examples.tools;

import io.github.audiosetdl.core.download.ToolLocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides {@code ffmpeg} from Maven Central's {@code org.bytedeco:ffmpeg} platform jar when it is on
 * the class path (the command-line jar ships the linux-x86_64 build): JavaCPP extracts the program to
 * its cache ({@code ~/.javacpp/cache}) on first use. Registered as a {@link ToolLocator} service, so
 * the download stage asks it only when ffmpeg is neither given nor on {@code PATH}. Thread-safe.
 */
public final class BytedecoFfmpegLocator implements ToolLocator {
    private static final Logger LOG = LoggerFactory.getLogger(BytedecoFfmpegLocator.class);

    /** Creates the locator (the service loader's constructor). */
    public BytedecoFfmpegLocator() {
    }

    @Override
    public Optional<Path> locate(String tool) {
        if (!"ffmpeg".equals(tool)) {
            return Optional.empty();
        }
        try {
            String path = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
            if (path == null || !Files.isExecutable(Path.of(path))) {
                return Optional.empty();
            }
            LOG.info("using the bundled ffmpeg of org.bytedeco:ffmpeg: {}", path);
            return Optional.of(Path.of(path));
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("no bundled ffmpeg for this platform: {}", e.toString());
            return Optional.empty();
        }
    }
}
