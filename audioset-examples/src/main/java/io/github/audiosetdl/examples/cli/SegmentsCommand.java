package io.github.audiosetdl.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.SegmentStats;
import io.github.audiosetdl.core.StrongCsv;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code audioset segments}: summarises a segments CSV and a selection from it. */
@Command(name = "segments", mixinStandardHelpOptions = true,
        description = {"Summarise a segments CSV: rows, labels, short clips, and the rows a shard and label"
                + " filter select. A temporally-strong label file (header segment_id...) is summarised by events,"
                + " segments and labels.", "",
            "Example:", "  audioset segments --csv eval_segments.csv --label Dog \\",
            "      --jobs 4 --job-index 0 --json"})
final class SegmentsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private SelectionOptions selection;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    private boolean json;

    @Option(names = "--top", paramLabel = "K", defaultValue = "25",
            description = "Labels shown in the table, most frequent first; 0 for all (default: ${DEFAULT-VALUE}).")
    private int top;

    @Override
    public Integer call() throws Exception {
        if (top < 0) {
            throw new ParameterException(spec.commandLine(), "--top " + top + " must be 0 (all labels) or more");
        }
        SegmentSelection sel = AudioSetCli.fromOptions(spec, () -> selection.selection(System.getenv()));
        FileChecks.inputFile(sel.csv());
        if (StrongCsv.isStrong(sel.csv())) {
            StrongSegmentsReport.print(spec.commandLine().getOut(), sel, json, top);
            spec.commandLine().getOut().flush();
            return 0;
        }
        SegmentStats stats = SegmentStats.compute(sel);
        LabelIndex labels = sel.options().labelIndex();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            printJson(out, sel, stats, labels);
        } else {
            printTable(out, sel, stats, labels);
        }
        out.flush();
        return 0;
    }

    private static void printJson(PrintWriter out, SegmentSelection sel, SegmentStats stats, LabelIndex labels)
            throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("csv", stats.source());
        doc.put("rows", stats.rows());
        doc.put("skipped_rows", stats.skippedRows());
        doc.put("declared_num_segs", stats.header().numSegs().isPresent() ? stats.header().numSegs().getAsLong()
                : null);
        doc.put("unique_labels", stats.uniqueLabels());
        doc.put("label_occurrences", stats.labelOccurrences());
        doc.put("shorter_than_10s", stats.shorterThan10s());
        doc.put("job_index", sel.shard().index());
        doc.put("jobs", sel.shard().count());
        doc.put("label_filter", sel.labelQueries());
        doc.put("limit", sel.limit() == Long.MAX_VALUE ? null : sel.limit());
        doc.put("selected", stats.selected());
        doc.put("per_label", stats.perLabel());
        Map<String, String> names = new LinkedHashMap<>();
        for (String mid : stats.perLabel().keySet()) {
            names.put(mid, labels.byMid(mid).map(l -> l.displayName()).orElse(""));
        }
        doc.put("label_names", names);
        out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
    }

    private void printTable(PrintWriter out, SegmentSelection sel, SegmentStats stats, LabelIndex labels) {
        out.printf("file               %s%n", stats.source());
        out.printf("rows               %,d%s%n", stats.rows(), stats.header().numSegs().isPresent()
                ? "   (header: num_segs=" + String.format("%,d", stats.header().numSegs().getAsLong()) + ")" : "");
        if (stats.skippedRows() > 0) {
            out.printf("skipped bad rows   %,d%n", stats.skippedRows());
        }
        out.printf("unique labels      %,d%n", stats.uniqueLabels());
        out.printf("label occurrences  %,d%n", stats.labelOccurrences());
        out.printf("shorter than 10 s  %,d%n", stats.shorterThan10s());
        out.printf("selection          %s%s%s%n", sel.shard(),
                sel.labelQueries().isEmpty() ? "" : ", labels " + String.join(" | ", sel.labelQueries())
                        + " (with descendants)",
                sel.limit() == Long.MAX_VALUE ? "" : ", limit " + sel.limit());
        out.printf("selected rows      %,d%n%n", stats.selected());
        List<Map.Entry<String, Long>> rows = stats.perLabel().entrySet().stream()
                .limit(top == 0 ? Long.MAX_VALUE : top).toList();
        out.printf("%7s  %-14s %s%n", "rows", "MID", "label");
        for (Map.Entry<String, Long> e : rows) {
            out.printf("%,7d  %-14s %s%n", e.getValue(), e.getKey(),
                    labels.byMid(e.getKey()).map(l -> l.displayName()).orElse("?"));
        }
        if (rows.size() < stats.perLabel().size()) {
            out.printf("... %d more labels (--top 0 shows all)%n", stats.perLabel().size() - rows.size());
        }
    }
}
