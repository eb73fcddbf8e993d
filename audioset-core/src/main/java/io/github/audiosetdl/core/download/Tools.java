package io.github.audiosetdl.core.download;

import io.github.audiosetdl.core.AudioSetException;
import io.github.audiosetdl.core.ToolNotFoundException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Finds the external programs (given path, then {@code PATH}, then a fallback such as a bundled copy). */
final class Tools {
    /** How long a program may take to print its version, in seconds. */
    private static final int VERSION_TIMEOUT_SECONDS = 30;

    private Tools() {
    }

    /**
     * @param name an executable name
     * @param path the value of {@code PATH}, may be null
     * @return its first executable occurrence on the path
     */
    public static Optional<Path> onPath(String name, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * @param name the tool, e.g. {@code ffmpeg}
     * @param given the path the user gave, if any
     * @param fallback asked when the tool is not on {@code PATH} (e.g. the {@code ToolLocator} services), or
     *     null for none
     * @return the executable
     * @throws ToolNotFoundException naming the tool and where it was looked for, if none is found
     */
    public static Path find(String name, Optional<Path> given, Function<String, Optional<Path>> fallback) {
        if (given.isPresent()) {
            return given.get();
        }
        Optional<Path> found = onPath(name, System.getenv("PATH"));
        if (found.isPresent()) {
            return found.get();
        }
        if (fallback != null) {
            Optional<Path> located = fallback.apply(name);
            if (located.isPresent()) {
                return located.get();
            }
        }
        throw new ToolNotFoundException(name, name + " was not found: it is not on PATH" + (fallback != null
                ? " and no bundled copy is available" : "") + "; install it or give its path");
    }

    /**
     * @param executable a program that prints its version with {@code flag}
     * @param flag e.g. {@code -version}
     * @return the first line of its output, or a note that it could not be run
     */
    public static String version(Path executable, String flag) {
        Path out = null;
        Process p = null;
        try {
            // output to a file read after the exit: a pipe read first would let the program block past the limit
            out = Files.createTempFile("audioset-version-", ".out");
            p = new ProcessBuilder(List.of(executable.toString(), flag)).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                return "(no answer to " + flag + " within " + VERSION_TIMEOUT_SECONDS + " s)";
            }
            String text;
            try (InputStream in = Files.newInputStream(out)) {
                text = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            }
            String first = text.lines().findFirst().orElse("").trim();
            return first.isEmpty() ? "(no version printed)" : first;
        } catch (IOException e) {
            throw new AudioSetException("cannot run " + executable + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        } finally {
            if (p != null) {
                Children.kill(p);
            }
            ClipDownloader.deleteQuietly(out);
        }
    }
}
