package io.github.audiosetdl.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code #} comment lines at the top of a segments CSV in Google's original format, e.g.
 * <pre>
 * # Segments csv created Sun Mar  5 10:54:25 2017
 * # num_ytids=20371, num_segs=20371, num_unique_labels=527, num_positive_labels=51804
 * # YTID, start_seconds, end_seconds, positive_labels
 * </pre>
 * Mirrors' re-serialised files have none; then {@link #comments()} and {@link #counts()} are empty.
 *
 * @param comments the comment lines without their {@code #} marker, in order
 * @param counts every {@code key=integer} pair found in the comments, in order
 */
public record SegmentCsvHeader(List<String> comments, Map<String, Long> counts) {
    private static final Pattern COUNT = Pattern.compile("([A-Za-z_]+)\\s*=\\s*(\\d+)");

    /** A header with no comment lines. */
    public static final SegmentCsvHeader EMPTY = new SegmentCsvHeader(List.of(), Map.of());

    /**
     * Copies.
     *
     * @param comments the comment lines without {@code #}, copied in order; no null element
     * @param counts the {@code key=integer} pairs, copied; no null key or value
     */
    public SegmentCsvHeader {
        comments = List.copyOf(comments);
        counts = Map.copyOf(counts);
    }

    /**
     * Parses comment text as commons-csv returns it (lines joined by {@code \n}).
     *
     * @param commentText the comment block, or null for none
     * @return the header
     */
    public static SegmentCsvHeader parse(String commentText) {
        if (commentText == null || commentText.isEmpty()) {
            return EMPTY;
        }
        List<String> lines = List.of(commentText.split("\n", -1));
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher m = COUNT.matcher(line);
            while (m.find()) {
                try {
                    counts.putIfAbsent(m.group(1), Long.parseLong(m.group(2)));
                } catch (NumberFormatException e) {
                    // more digits than a long holds: not a count we can use
                }
            }
        }
        return new SegmentCsvHeader(lines, counts);
    }

    /**
     * @param key e.g. {@code num_segs}
     * @return the declared count, if the header has it
     */
    public OptionalLong count(String key) {
        Long value = counts.get(key);
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /** @return the declared number of segments ({@code num_segs}), if present */
    public OptionalLong numSegs() {
        return count("num_segs");
    }
}
