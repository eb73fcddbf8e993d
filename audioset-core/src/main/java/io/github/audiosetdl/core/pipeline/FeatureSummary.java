package io.github.audiosetdl.core.pipeline;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the features stage wrote.
 *
 * @param rows rows computed and written
 * @param files the files committed, main file first
 * @param elapsed wall-clock time
 */
public record FeatureSummary(long rows, List<Path> files, Duration elapsed) {
    /**
     * Validates and copies.
     *
     * @param rows rows computed and written
     * @param files the files committed, copied, main file first
     * @param elapsed the wall-clock time; not null
     */
    public FeatureSummary {
        files = List.copyOf(files);
        requireNonNull(elapsed, "elapsed");
    }

    /** @return rows per second */
    public double rowsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s == 0 ? 0 : rows / s;
    }
}
