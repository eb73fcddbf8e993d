package io.github.audiosetdl.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What a standard stream is connected to, read from its file descriptor's link in {@code /proc/self/fd} (Linux). */
final class StreamLinks {
    /** Standard output's file descriptor, on Linux. */
    static final Path STANDARD_OUTPUT = Path.of("/proc/self/fd/1");
    /** Standard error's file descriptor, on Linux. */
    static final Path STANDARD_ERROR = Path.of("/proc/self/fd/2");

    private StreamLinks() {
    }

    /**
     * @param stream a file descriptor's link, e.g. {@link #STANDARD_OUTPUT}
     * @return what it names ({@code pipe:[123]}, {@code socket:[45]}, {@code /dev/pts/0}, a file's path); empty
     *     where the link cannot be read (no {@code /proc}, as on macOS)
     */
    static Optional<String> target(Path stream) {
        try {
            return Optional.of(Files.readSymbolicLink(stream).toString());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }
}
