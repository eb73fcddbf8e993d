package io.github.audiosetdl.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the project's reference data in {@code ../shared} (beside the repository root), for tests
 * of every module. A missing file fails the test with a message saying where it was looked for; it
 * never skips.
 */
public final class SharedData {
    private SharedData() {
    }

    /**
     * The {@code shared} folder: the system property {@code audioset.shared} or the environment
     * variable {@code AUDIOSET_SHARED} if set, else the first {@code shared} folder (holding
     * {@code golden/}) found beside the working directory or one of its parents.
     *
     * @return the folder
     * @throws AssertionError if it cannot be found
     */
    public static Path root() {
        String configured = System.getProperty("audioset.shared", System.getenv("AUDIOSET_SHARED"));
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured).toAbsolutePath().normalize();
            if (!Files.isDirectory(p)) {
                throw new AssertionError("audioset.shared / AUDIOSET_SHARED points to " + p + ", not a folder");
            }
            return p;
        }
        Path start = Path.of("").toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared");
            if (Files.isDirectory(candidate.resolve("golden"))) {
                return candidate;
            }
        }
        throw new AssertionError("reference data not found: no shared/golden beside " + start
                + " or its parents (clone the project next to ../shared, or set AUDIOSET_SHARED)");
    }

    /**
     * @param relative a path inside {@code shared}, e.g. {@code audioset/eval_segments.csv}
     * @return the existing file
     * @throws AssertionError if it does not exist
     */
    public static Path file(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            throw new AssertionError("reference file missing: " + p);
        }
        return p;
    }

    /** @return {@code shared/audioset/eval_segments.csv} */
    public static Path evalSegments() {
        return file("audioset/eval_segments.csv");
    }
}
