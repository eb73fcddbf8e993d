package io.github.audiosetdl.core.download;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A service ({@link java.util.ServiceLoader}) that can provide an external program when it is
 * neither given explicitly nor on {@code PATH}; e.g. the examples module provides the ffmpeg binary
 * of Maven Central's {@code org.bytedeco:ffmpeg}, so core never depends on it.
 *
 * <p>Implementations need a public no-argument constructor and must be thread-safe.
 */
public interface ToolLocator {
    /**
     * @param tool the program's name, e.g. {@code ffmpeg}
     * @return an executable file for it, or empty if this locator has none
     */
    Optional<Path> locate(String tool);
}
