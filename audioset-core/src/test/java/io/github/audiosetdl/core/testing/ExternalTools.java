package io.github.audiosetdl.core.testing;

import io.github.audiosetdl.core.download.BundledFfmpeg;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the external programs tests run for real (ffmpeg, yt-dlp, h5dump, a Python with h5py). A
 * missing tool skips the test on a developer machine, but fails it under {@code CI=true}: CI installs
 * every tool, so a missing one there is a broken environment, never a silent skip. ffmpeg is never
 * missing on Linux x86-64: without one on {@code PATH} the tests run the statically linked build that the
 * command line bundles ({@link #requireFfmpeg()}).
 */
public final class ExternalTools {
    private ExternalTools() {
    }

    /** @return whether the tests run in CI ({@code CI=true}) */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * @param name an executable name
     * @return its path on {@code PATH}, if any
     */
    public static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * @param name an executable the test needs
     * @return its path
     */
    public static Path require(String name) {
        return onPath(name).orElseGet(() -> missing(name + " is not on PATH"));
    }

    /**
     * @return ffmpeg on {@code PATH}, else the bundled static build ({@link BundledFfmpeg}, a test dependency)
     */
    public static Path requireFfmpeg() {
        Optional<Path> ffmpeg = onPath("ffmpeg");
        if (ffmpeg.isEmpty()) {
            try {
                ffmpeg = BundledFfmpeg.locate();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ffmpeg.orElseGet(() -> missing("ffmpeg is not on PATH and the bundled static build does not run on "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch")));
    }

    /**
     * @return a Python 3 interpreter that can import h5py and numpy: {@code AUDIOSET_PYTHON}, else
     *     {@code python3} on PATH, else {@code /usr/bin/python3}
     */
    public static Path requirePythonWithH5py() {
        List<String> candidates = new ArrayList<>();
        String configured = System.getenv("AUDIOSET_PYTHON");
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        onPath("python3").ifPresent(p -> candidates.add(p.toString()));
        candidates.add("/usr/bin/python3");
        for (String candidate : candidates) {
            if (Files.isExecutable(Path.of(candidate)) && run(List.of(candidate, "-c", "import h5py, numpy")) == 0) {
                return Path.of(candidate);
            }
        }
        return missing("no python3 with h5py and numpy (tried " + candidates + "; install python3-h5py)");
    }

    /**
     * Writes an HDF5 file with h5py ({@link #requirePythonWithH5py}): {@code lines} of Python run with {@code sys},
     * {@code h5py} and {@code numpy as np} imported and {@code f} the file opened for writing, closed after them.
     *
     * @param file the file to write
     * @param lines the Python lines, at the top level
     * @throws IOException if Python cannot start
     * @throws InterruptedException if interrupted
     */
    public static void h5py(Path file, String... lines) throws IOException, InterruptedException {
        List<String> script = new ArrayList<>(List.of("import sys, h5py, numpy as np",
                "f = h5py.File(sys.argv[1], 'w')"));
        script.addAll(List.of(lines));
        script.add("f.close()");
        check(List.of(requirePythonWithH5py().toString(), "-c", String.join("\n", script), file.toString()));
    }

    private static <T> T missing(String what) {
        if (inCi()) {
            throw new AssertionError("CI=true and " + what);
        }
        Assumptions.abort(what + " (skipped outside CI)");
        throw new AssertionError("unreachable");
    }

    /**
     * Runs a command, discarding its output.
     *
     * @param command the command and arguments
     * @return the exit code, or -1 if it could not start or took over 60 s
     */
    public static int run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().transferTo(OutputStream.nullOutputStream());
            return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Runs a command and returns its output, failing the test if it exits non-zero.
     *
     * @param command the command and arguments (never a shell string)
     * @return standard output and error, as UTF-8
     * @throws IOException if it cannot start
     * @throws InterruptedException if interrupted
     */
    public static String check(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("exit " + p.exitValue() + " from " + command + ":\n" + out);
        }
        return out;
    }
}
