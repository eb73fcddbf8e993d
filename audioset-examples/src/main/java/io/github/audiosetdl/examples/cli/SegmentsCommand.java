package io.github.audiosetdl.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.SegmentStats;
import io.github.audiosetdl.core.StrongCsv;
import java.io.IOException;
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
            "A selection that holds no row (a --label no row of the file has, --limit 0, a job whose share is"
                + " empty) is summarised as any other, 0 selected, with a warning on standard error naming the file"
                + " and what selected nothing; the exit code is 0. A --label that no ontology class has (a typo) is"
                + " an error naming it (exit code 1).", "",
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
        PrintWriter out = spec.commandLine().getOut();
        long selected;
        if (StrongCsv.isStrong(sel.csv())) {
            selected = StrongSegmentsReport.print(out, sel, json, top);
        } else {
            SegmentStats stats = SegmentStats.compute(sel);
            LabelIndex labels = sel.options().labelIndex();
            if (json) {
                printJson(out, sel, stats, labels);
            } else {
                printTable(out, sel, stats, labels);
            }
            selected = stats.selected();
        }
        out.flush();
        if (selected == 0) {
            spec.commandLine().getErr().println("warning: " + noneSelected(sel));
        }
        return 0;
    }

    /**
     * @param sel a selection that holds no row
     * @return why, naming the CSV and the filters: those of {@link SelectionOptions#noneSelected}, or this job's
     *     share, empty while the other jobs' are not
     */
    private static String noneSelected(SegmentSelection sel) throws IOException {
        return SelectionOptions.noneSelected(sel).orElseGet(() -> sel.csv() + ": no segment selected for "
                + sel.shard() + " (its share is empty: the selection's rows all go to the other jobs)");
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
