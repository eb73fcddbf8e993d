package io.github.audiosetdl.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.SegmentCsvOptions;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.StrongCsv;
import io.github.audiosetdl.core.StrongRow;
import io.github.audiosetdl.core.StrongSummary;
import io.github.audiosetdl.core.StrongVocabulary;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * What {@code audioset segments} prints for a temporally-strong label file: the file's totals, and the present
 * events per MID of the selected segments (as a weak CSV's {@code per_label} counts its selected rows).
 */
final class StrongSegmentsReport {
    private StrongSegmentsReport() {
    }

    /**
     * @param out where to print
     * @param sel the selection (its file is a strong file)
     * @param json one JSON object instead of a table
     * @param top labels in the table, 0 for all
     * @return the segments selected
     * @throws IOException if the file cannot be read
     */
    static long print(PrintWriter out, SegmentSelection sel, boolean json, int top) throws IOException {
        StrongVocabulary vocabulary = StrongVocabulary.audioSet();
        LabelIndex weak = sel.options().labelIndex();
        AtomicLong skipped = new AtomicLong(); // bad lines under --on-error skip, reported by the selection's stream
        StrongSummary s;
        try (Stream<StrongRow> lines = StrongCsv.stream(sel.csv(), quiet(sel, skipped))) {
            s = StrongSummary.of(lines, sel.csv().toString(), vocabulary, weak);
        }
        Selected chosen = selected(sel);
        long selected = chosen.segments();
        Map<String, Long> perLabel = chosen.perLabel();
        Map<String, String> names = new LinkedHashMap<>();
        for (String mid : perLabel.keySet()) {
            names.put(mid, vocabulary.displayName(mid).or(() -> weak.byMid(mid).map(l -> l.displayName()))
                    .orElse(""));
        }
        long outsideWeakEvents = s.outsideWeakIndex().values().stream().mapToLong(Long::longValue).sum();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("format", "strong");
            doc.put("csv", sel.csv().toString());
            doc.put("events", s.events());
            doc.put("not_present", s.notPresent());
            doc.put("skipped_lines", skipped.get());
            doc.put("segments", s.segments());
            doc.put("unique_labels", s.uniqueLabels());
            doc.put("job_index", sel.shard().index());
            doc.put("jobs", sel.shard().count());
            doc.put("label_filter", sel.labelQueries());
            doc.put("limit", sel.limit() == Long.MAX_VALUE ? null : sel.limit());
            doc.put("selected", selected);
            doc.put("per_label", perLabel);
            doc.put("label_names", names);
            doc.put("strong_vocabulary", Map.of("mids", vocabulary.size(), "outside_weak_index",
                    vocabulary.countOutside(weak)));
            doc.put("outside_strong_vocabulary", s.outsideVocabulary());
            doc.put("outside_weak_index", Map.of("mids", s.outsideWeakIndex().size(), "events", outsideWeakEvents,
                    "per_label", s.outsideWeakIndex()));
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
            return selected;
        }
        out.printf("file               %s (temporally-strong labels)%n", sel.csv());
        out.printf("events             %,d%s%n", s.events(), s.notPresent() > 0
                ? "   (and " + String.format("%,d", s.notPresent()) + " NOT_PRESENT frames)" : "");
        if (skipped.get() > 0) {
            out.printf("skipped bad lines  %,d%n", skipped.get());
        }
        out.printf("segments           %,d%n", s.segments());
        out.printf("unique labels      %,d%n", s.uniqueLabels());
        out.printf("outside the %d-MID strong vocabulary: %,d MIDs%n", vocabulary.size(), s.outsideVocabulary().size());
        out.printf("outside the %d-class weak index: %,d MIDs, %,d events (not in /labels; kept in /strong)%n",
                weak.size(), s.outsideWeakIndex().size(), outsideWeakEvents);
        out.printf("selection          %s%s%s%n", sel.shard(), sel.labelQueries().isEmpty() ? ""
                : ", labels " + String.join(" | ", sel.labelQueries()) + " (with descendants)",
                sel.limit() == Long.MAX_VALUE ? "" : ", limit " + sel.limit());
        out.printf("selected segments  %,d%n%n", selected);
        List<Map.Entry<String, Long>> rows = perLabel.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .limit(top <= 0 ? Long.MAX_VALUE : top).toList();
        out.printf("%7s  %-14s %s%n", "events", "MID", "label");
        for (Map.Entry<String, Long> e : rows) {
            out.printf("%,7d  %-14s %s%n", e.getValue(), e.getKey(), names.get(e.getKey()));
        }
        if (rows.size() < perLabel.size()) {
            out.printf("... %d more labels (--top 0 shows all)%n", perLabel.size() - rows.size());
        }
        return selected;
    }

    /**
     * @param sel a selection
     * @param skipped counts the bad lines skipped
     * @return its reading options, with a listener that only counts (the selection's own stream reports each)
     */
    private static SegmentCsvOptions quiet(SegmentSelection sel, AtomicLong skipped) {
        return sel.options().toBuilder().errorListener(e -> skipped.incrementAndGet()).build();
    }

    /**
     * The selected segments.
     *
     * @param segments how many
     * @param perLabel their present events per MID, sorted by MID
     */
    private record Selected(long segments, Map<String, Long> perLabel) {
    }

    /**
     * @param sel the selection (its file is a strong file, already read whole under its error policy)
     * @return the selected segments and their present events per MID: the file's lines and the selected segments
     *     walked together in file order, bad lines skipped alike under {@code --on-error skip} (a segment is a run
     *     of lines with one {@code segment_id}, numbered as {@link SegmentRow#row()} numbers them)
     * @throws IOException if the file cannot be read
     */
    private static Selected selected(SegmentSelection sel) throws IOException {
        Map<String, Long> perLabel = new TreeMap<>();
        long count = 0;
        try (Stream<SegmentRow> selected = sel.stream();
                Stream<StrongRow> lines = StrongCsv.stream(sel.csv(), quiet(sel, new AtomicLong()))) {
            Iterator<SegmentRow> wanted = selected.iterator();
            long want = -1;
            if (wanted.hasNext()) {
                want = wanted.next().row();
                count++;
            }
            long segment = -1;
            String last = null;
            for (Iterator<StrongRow> it = lines.iterator(); want >= 0 && it.hasNext();) {
                StrongRow r = it.next();
                if (!r.segmentId().equals(last)) {
                    last = r.segmentId();
                    segment++;
                    while (want >= 0 && want < segment) {
                        want = -1;
                        if (wanted.hasNext()) {
                            want = wanted.next().row();
                            count++;
                        }
                    }
                }
                if (segment == want && r.present()) {
                    perLabel.merge(r.event().mid(), 1L, Long::sum);
                }
            }
            for (; wanted.hasNext(); wanted.next()) {
                count++; // none should be left: every selected segment has lines
            }
        }
        return new Selected(count, perLabel);
    }
}
