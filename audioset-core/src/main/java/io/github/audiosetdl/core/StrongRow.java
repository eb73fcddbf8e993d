package io.github.audiosetdl.core;

import static java.util.Objects.requireNonNull;

/**
 * One line of a temporally-strong label file.
 *
 * @param line the 1-based line number in the file
 * @param ytid the YouTube id (the part of {@code segment_id} before its last {@code _})
 * @param segmentStartMs the segment's start in the video, in milliseconds (the part after it)
 * @param event the MID and its times in seconds from the segment's start
 * @param present {@code false} for a {@code NOT_PRESENT} line of a framed posneg file (the MID was checked and
 *     is absent on that frame); {@code true} otherwise
 */
public record StrongRow(long line, String ytid, long segmentStartMs, StrongEvent event, boolean present) {
    /**
     * Validates.
     *
     * @param line the 1-based line number, {@code >= 1}
     * @param ytid a valid YouTube id ({@link Segment#isValidId(String)})
     * @param segmentStartMs the segment's start in the video, in milliseconds, {@code >= 0}
     * @param event the MID and its times; not null
     * @param present {@code false} for a {@code NOT_PRESENT} line
     * @throws IllegalArgumentException naming the line, id and start
     */
    public StrongRow {
        requireNonNull(ytid, "ytid");
        requireNonNull(event, "event");
        if (!Segment.isValidId(ytid) || segmentStartMs < 0 || line < 1) {
            throw new IllegalArgumentException("bad strong row: line " + line + ", id " + ytid + ", start "
                    + segmentStartMs + " ms");
        }
    }

    /** @return {@code <ytid>_<segmentStartMs>}, the file's {@code segment_id} */
    public String segmentId() {
        return ytid + "_" + segmentStartMs;
    }
}
