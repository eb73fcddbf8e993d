package io.github.audiosetdl.core;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A summary of a segments file and of a selection from it, computed by streaming (memory grows
 * with the number of distinct labels, not rows).
 *
 * @param source the file
 * @param header its comment header
 * @param rows the data rows read (all of the file, including skipped bad rows)
 * @param skippedRows rows skipped as bad under {@link ErrorPolicy#SKIP}
 * @param uniqueLabels distinct MIDs over all good rows
 * @param labelOccurrences the sum of label counts over all good rows
 * @param shorterThan10s good rows whose {@code end - start} is under 10 s
 * @param selected rows left after the selection's label filter, limit and shard
 * @param perLabel MID to number of selected rows carrying it, most frequent first
 */
public record SegmentStats(String source, SegmentCsvHeader header, long rows, long skippedRows, int uniqueLabels,
        long labelOccurrences, long shorterThan10s, long selected, Map<String, Long> perLabel) {

    /**
     * Validates and copies (keeping {@code perLabel}'s order).
     *
     * @param source the file; not null
     * @param header its comment header; not null
     * @param rows data rows read, skipped ones included
     * @param skippedRows rows skipped as bad
     * @param uniqueLabels distinct MIDs over the good rows
     * @param labelOccurrences label count summed over the good rows
     * @param shorterThan10s good rows under 10 s
     * @param selected rows left after the selection
     * @param perLabel MID to selected rows carrying it, copied in its iteration order
     */
    public SegmentStats {
        requireNonNull(source, "source");
        requireNonNull(header, "header");
        perLabel = Collections.unmodifiableMap(new LinkedHashMap<>(perLabel));
    }

    /**
     * Reads the selection's file once (twice when the selection is sharded) and summarises it.
     *
     * @param selection the file and the rows of interest
     * @return the summary
     * @throws IOException if the file cannot be read
     * @throws SegmentFormatException for a bad row under {@link ErrorPolicy#FAIL}
     * @throws IllegalArgumentException for a temporally-strong label file ({@link StrongSummary#of} summarises
     *     those)
     */
    public static SegmentStats compute(SegmentSelection selection) throws IOException {
        requireNonNull(selection, "selection");
        if (StrongCsv.isStrong(selection.csv())) {
            throw new IllegalArgumentException(selection.csv() + " is a temporally-strong label file: summarise it"
                    + " with StrongSummary.of");
        }
        Map<String, Long> all = new HashMap<>();
        Map<String, Long> perLabel = new HashMap<>();
        long occurrences = 0;
        long shorter = 0;
        long filtered = 0;
        long limit = selection.limit();
        boolean sharded = !selection.shard().isAll();
        SegmentCsvHeader header;
        long rows;
        long skipped;
        String source;
        try (SegmentCsv csv = SegmentCsv.open(selection.csv(), selection.options())) {
            header = csv.header();
            source = csv.source();
            for (SegmentRow row : csv) {
                Segment s = row.segment();
                List<String> mids = distinct(s);
                for (String mid : mids) {
                    all.merge(mid, 1L, Long::sum);
                }
                occurrences += mids.size();
                if (s.durationMs() < Segment.CLIP_MS) {
                    shorter++;
                }
                if (filtered < limit && selection.matchesLabels(s)) {
                    filtered++;
                    if (!sharded) {
                        count(s, perLabel);
                    }
                }
            }
            rows = csv.rowsRead();
            skipped = csv.rowsSkipped();
        }
        long selected = filtered;
        if (sharded) {
            long from = selection.shard().start(filtered);
            long to = selection.shard().end(filtered);
            selected = to - from;
            SegmentCsvOptions quiet = selection.options().toBuilder().errorListener(e -> { }).build();
            try (SegmentCsv csv = SegmentCsv.open(selection.csv(), quiet)) {
                csv.quietAboutDeclaredCount();
                long index = 0;
                for (SegmentRow row : csv) {
                    if (index >= to) {
                        break;
                    }
                    if (selection.matchesLabels(row.segment())) {
                        if (index >= from) {
                            count(row.segment(), perLabel);
                        }
                        index++;
                    }
                }
            }
        }
        Map<String, Long> ordered = new LinkedHashMap<>();
        perLabel.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return new SegmentStats(source, header, rows, skipped, all.size(), occurrences, shorter, selected, ordered);
    }

    private static void count(Segment segment, Map<String, Long> perLabel) {
        for (String mid : distinct(segment)) {
            perLabel.merge(mid, 1L, Long::sum);
        }
    }

    /** @return the segment's MIDs, each once (a row that names a MID twice still carries it once) */
    private static List<String> distinct(Segment segment) {
        List<String> mids = segment.labelIds();
        return mids.size() < 2 ? mids : mids.stream().distinct().toList();
    }
}
