package io.github.audiosetdl.core.pack;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the pack stage did.
 *
 * @param rowsWritten clips written as rows (N = the file's {@code size})
 * @param wavFilesFound {@code YT_<id>.wav} files found under the downloads folder
 * @param skipped files not written, counted by reason (e.g. {@code unreadable WAV}, {@code not in the
 *     segments CSV}, {@code duplicate id}); each one was also reported to the listener's
 *     {@code itemFailed} with its details
 * @param files the files committed, main file first
 * @param elapsed wall-clock time
 */
public record PackSummary(long rowsWritten, long wavFilesFound, Map<String, Long> skipped, List<Path> files,
        Duration elapsed) {
    /** Skipped: the WAV could not be read or prepared. */
    public static final String UNREADABLE = "unreadable WAV";
    /** Skipped: the file's id is not in the segments CSV. */
    public static final String NOT_IN_CSV = "not in the segments CSV";
    /** Skipped: a second file with an id already found in another folder. */
    public static final String DUPLICATE = "duplicate id";

    /**
     * Validates and copies.
     *
     * @param rowsWritten clips written as rows
     * @param wavFilesFound WAV files found
     * @param skipped files not written per reason, copied
     * @param files the files committed, copied, main file first
     * @param elapsed the wall-clock time; not null
     */
    public PackSummary {
        skipped = Map.copyOf(skipped);
        files = List.copyOf(files);
        requireNonNull(elapsed, "elapsed");
    }

    /** @return the number of files skipped, for every reason */
    public long skippedTotal() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** @return clips written per second */
    public double clipsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s == 0 ? 0 : rowsWritten / s;
    }
}
