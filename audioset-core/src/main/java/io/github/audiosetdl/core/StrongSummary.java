package io.github.audiosetdl.core;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a strong label file holds, read in one streaming pass: counts of lines, events and segments, events
 * per MID, and the vocabulary difference made explicit (how many MIDs and events fall outside the strong
 * vocabulary, and outside the weak label index).
 *
 * @param events present events (lines, less {@code NOT_PRESENT} ones)
 * @param notPresent {@code NOT_PRESENT} lines (framed posneg files only)
 * @param segments segments (runs of lines with one {@code segment_id})
 * @param perLabel present events per MID, sorted by MID
 * @param outsideVocabulary present events per MID not in the strong vocabulary
 * @param outsideWeakIndex present events per MID not in the weak label index (for Google's files, the
 *     strong-only classes)
 */
public record StrongSummary(long events, long notPresent, long segments, Map<String, Long> perLabel,
        Map<String, Long> outsideVocabulary, Map<String, Long> outsideWeakIndex) {
    /** The most distinct MIDs counted. */
    public static final int MAX_LABELS = 100_000;

    /**
     * Validates and copies; the maps are sorted by MID.
     *
     * @param events present events, {@code >= 0}
     * @param notPresent {@code NOT_PRESENT} lines, {@code >= 0}
     * @param segments segments, {@code >= 0}
     * @param perLabel present events per MID, copied
     * @param outsideVocabulary present events per MID outside the strong vocabulary, copied
     * @param outsideWeakIndex present events per MID outside the weak label index, copied
     */
    public StrongSummary {
        if (events < 0 || notPresent < 0 || segments < 0) {
            throw new IllegalArgumentException("negative counts");
        }
        perLabel = Collections.unmodifiableMap(new TreeMap<>(perLabel));
        outsideVocabulary = Collections.unmodifiableMap(new TreeMap<>(outsideVocabulary));
        outsideWeakIndex = Collections.unmodifiableMap(new TreeMap<>(outsideWeakIndex));
    }

    /** @return the number of distinct MIDs with a present event */
    public int uniqueLabels() {
        return perLabel.size();
    }

    /**
     * Reads a strong file.
     *
     * @param file the file
     * @param vocabulary the strong vocabulary
     * @param weak the weak label index
     * @return its summary
     * @throws IOException if it cannot be read
     * @throws SegmentFormatException for a bad line, or more than {@link #MAX_LABELS} distinct MIDs
     */
    public static StrongSummary of(Path file, StrongVocabulary vocabulary, LabelIndex weak) throws IOException {
        try (Stream<StrongRow> rows = StrongCsv.stream(file)) {
            return of(rows, file.toString(), vocabulary, weak);
        }
    }

    /**
     * Summarises rows (in file order).
     *
     * @param rows the rows, consumed (not closed)
     * @param source their file, for messages
     * @param vocabulary the strong vocabulary
     * @param weak the weak label index
     * @return their summary
     * @throws SegmentFormatException for a bad line, or more than {@link #MAX_LABELS} distinct MIDs
     */
    public static StrongSummary of(Stream<StrongRow> rows, String source, StrongVocabulary vocabulary,
            LabelIndex weak) {
        requireNonNull(rows, "rows");
        requireNonNull(source, "source");
        requireNonNull(vocabulary, "vocabulary");
        requireNonNull(weak, "weak");
        Map<String, Long> perLabel = new TreeMap<>();
        Map<String, Long> outsideVocabulary = new TreeMap<>();
        Map<String, Long> outsideWeak = new TreeMap<>();
        long events = 0;
        long notPresent = 0;
        long segments = 0;
        String last = null;
        for (var it = rows.iterator(); it.hasNext();) {
            StrongRow r = it.next();
            String id = r.segmentId();
            if (!id.equals(last)) {
                segments++;
                last = id;
            }
            if (!r.present()) {
                notPresent++;
                continue;
            }
            events++;
            String mid = r.event().mid();
            if (perLabel.size() == MAX_LABELS && !perLabel.containsKey(mid)) {
                throw new SegmentFormatException(source, r.line(), "more than " + MAX_LABELS
                        + " distinct MIDs", mid);
            }
            perLabel.merge(mid, 1L, Long::sum);
            if (vocabulary.indexOf(mid) < 0) {
                outsideVocabulary.merge(mid, 1L, Long::sum);
            }
            if (!weak.contains(mid)) {
                outsideWeak.merge(mid, 1L, Long::sum);
            }
        }
        return new StrongSummary(events, notPresent, segments, perLabel, outsideVocabulary, outsideWeak);
    }
}
