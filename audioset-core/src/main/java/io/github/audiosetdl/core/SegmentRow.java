package io.github.audiosetdl.core;

import static java.util.Objects.requireNonNull;

/**
 * A segment with its position in the CSV it came from.
 *
 * @param row the 0-based index of the data row among all data rows of the file, in file order
 *     (comment lines, blank lines and a mirror's header row are not counted; rows that failed to
 *     parse are); this is what {@code /meta/csv_row} records
 * @param line the 1-based physical line number in the file
 * @param segment the parsed segment
 */
public record SegmentRow(long row, long line, Segment segment) {
    /**
     * Validates.
     *
     * @param row the 0-based data row, {@code >= 0}
     * @param line the 1-based physical line, {@code >= 1}
     * @param segment the segment; not null
     */
    public SegmentRow {
        requireNonNull(segment, "segment");
        if (row < 0) {
            throw new IllegalArgumentException("row " + row + " < 0");
        }
        if (line < 1) {
            throw new IllegalArgumentException("line " + line + " < 1");
        }
    }
}
