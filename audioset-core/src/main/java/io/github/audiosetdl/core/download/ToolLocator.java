package io.github.audiosetdl.core.download;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A service ({@link java.util.ServiceLoader}) that can provide an external program when it is
 * neither given explicitly nor on {@code PATH}; e.g. the examples module provides the ffmpeg binary
 * of Maven Central's {@code ws.schild:jave-nativebin-linux64}, so core never depends on it.
 *
 * <p>Implementations need a public no-argument constructor and must be thread-safe.
 */
public interface ToolLocator {
    /**
     * @param tool the program's name, e.g. {@code ffmpeg}
     * @return an executable file for it, or empty if this locator has none
     */
    Optional<Path> locate(String tool);

    /**
     * Finds a program as the download stage does: the given path, else {@code PATH}, else a
     * {@link ToolLocator} service (e.g. the bundled ffmpeg of {@code audioset-examples}).
     *
     * @param tool the program's name, e.g. {@code ffmpeg}
     * @param given a path the user gave, if any
     * @return the executable
     * @throws io.github.audiosetdl.core.ToolNotFoundException naming the tool, if none is found
     */
    static Path find(String tool, Optional<Path> given) {
        return Tools.find(requireNonNull(tool, "tool"), requireNonNull(given, "given"), ToolLocator::fromServices);
    }

    /**
     * @param tool the program's name, e.g. {@code ffmpeg}
     * @return the first executable a {@link ToolLocator} service on the class path has for it, if any
     */
    private static Optional<Path> fromServices(String tool) {
        requireNonNull(tool, "tool");
        for (ToolLocator locator : ServiceLoader.load(ToolLocator.class)) {
            Optional<Path> located = locator.locate(tool);
            if (located.isPresent()) {
                return located;
            }
        }
        return Optional.empty();
    }

    /**
     * @param tool the program's name, e.g. {@code yt-dlp}
     * @return its first executable occurrence on {@code PATH}, if any
     */
    static Optional<Path> onPath(String tool) {
        return Tools.onPath(requireNonNull(tool, "tool"), System.getenv("PATH"));
    }
}
