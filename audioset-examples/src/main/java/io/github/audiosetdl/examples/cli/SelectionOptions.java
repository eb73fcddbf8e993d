package io.github.audiosetdl.examples.cli;

import io.github.audiosetdl.core.ErrorPolicy;
import io.github.audiosetdl.core.LabelIndex;
import io.github.audiosetdl.core.Ontology;
import io.github.audiosetdl.core.SegmentCsvOptions;
import io.github.audiosetdl.core.SegmentRow;
import io.github.audiosetdl.core.SegmentSelection;
import io.github.audiosetdl.core.Shard;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that select rows of a segments CSV, shared by several commands. */
final class SelectionOptions {
    @Option(names = {"--csv", "-a"}, required = true, paramLabel = "FILE",
            description = "Segments CSV (Google's format or a mirror's).")
    Path csv;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "class_labels_indices.csv to check MIDs against (default: the bundled AudioSet one).")
    Path labelsFile;

    @Option(names = "--ontology", paramLabel = "FILE",
            description = "ontology.json for --label (default: the bundled AudioSet ontology).")
    Path ontologyFile;

    /** {@code --jobs} and {@code --job-index}. */
    @Mixin
    ShardOptions sharding = new ShardOptions();

    @Option(names = "--label", paramLabel = "NAME_OR_MID",
            description = "Keep rows with this class or any ontology descendant (repeatable).")
    List<String> labelFilters = new ArrayList<>();

    @Option(names = "--limit", paramLabel = "N", description = "Keep at most N rows (before sharding).")
    Long limit;

    @Option(names = "--on-error", paramLabel = "fail|skip", defaultValue = "fail",
            description = "A bad CSV row: fail at once, or skip it and report each (default: ${DEFAULT-VALUE}).")
    String onError;

    /**
     * @param onError an {@code --on-error} value
     * @return its policy
     * @throws IllegalArgumentException if it is neither {@code fail} nor {@code skip}
     */
    static ErrorPolicy policy(String onError) {
        return switch (onError) {
            case "fail" -> ErrorPolicy.FAIL;
            case "skip" -> ErrorPolicy.SKIP;
            default -> throw new IllegalArgumentException("--on-error must be fail or skip, not '" + onError + "'");
        };
    }

    /** @return the CSV reading options these flags describe */
    SegmentCsvOptions csvOptions() throws IOException {
        return csvOptions(labelsFile, onError);
    }

    /**
     * @param labelsFile {@code --labels}, or null for the bundled AudioSet labels
     * @param onError {@code --on-error}
     * @return the CSV reading options these flags describe; under {@code --on-error skip} each bad line is logged
     *     once, however many times the command reads the file (to check, download, pack, report availability)
     */
    static SegmentCsvOptions csvOptions(Path labelsFile, String onError) throws IOException {
        SegmentCsvOptions.Builder b = SegmentCsvOptions.builder().errorPolicy(policy(onError));
        if (labelsFile != null) {
            b.labelIndex(LabelIndex.read(labelsFile));
        }
        return b.build().reportingEachLineOnce();
    }

    /**
     * @param env the environment (for SLURM's variables)
     * @return the shard ({@link ShardOptions#shard(Map)})
     */
    Shard shard(Map<String, String> env) {
        return sharding.shard(env);
    }

    /**
     * @param env the environment (for SLURM's variables)
     * @return the selection these flags describe
     */
    SegmentSelection selection(Map<String, String> env) throws IOException {
        return selection(csv, csvOptions(), labelFilters, ontologyFile, limit).shard(shard(env)).build();
    }

    /**
     * Refuses a selection that holds no segment, as {@code slurm} refuses a CSV without one: a download of it exited
     * 0 with an availability report of "0 of 0". Reads the file up to its first selected row (to its end only when
     * none is); a job of an array whose share is empty while the whole selection is not passes.
     *
     * @param sel the selection, of any shard
     * @throws IOException naming the CSV and what selected nothing, if the whole selection holds no row
     */
    static void requireSegments(SegmentSelection sel) throws IOException {
        Optional<String> none = noneSelected(sel);
        if (none.isPresent()) {
            throw new IOException(none.get());
        }
    }

    /**
     * @param sel the selection, of any shard
     * @return why the whole selection (of every shard) holds no row, naming the CSV and what selected nothing, as
     *     {@link #requireSegments} refuses it; empty if it holds one
     */
    static Optional<String> noneSelected(SegmentSelection sel) throws IOException {
        if (sel.limit() > 0 && any(sel.withShard(Shard.ALL))) {
            return Optional.empty();
        }
        String why;
        if (!any(SegmentSelection.builder(sel.csv()).options(sel.options()).build())) { // at most one row read
            why = sel.options().errorPolicy() == ErrorPolicy.SKIP
                    ? "every line is bad, skipped under --on-error skip" : "it has no line after the header";
        } else if (sel.limit() == 0) {
            why = "--limit 0 selects none of its rows";
        } else {
            why = "--label '" + String.join("' --label '", sel.labelQueries()) + "' selects none of its rows";
        }
        return Optional.of(sel.csv() + ": no segment selected (" + why + ")");
    }

    private static boolean any(SegmentSelection sel) throws IOException {
        try (Stream<SegmentRow> rows = sel.stream()) {
            return rows.findFirst().isPresent();
        }
    }

    /**
     * The selection of {@code --label}, {@code --ontology} and {@code --limit} (any shard is the caller's).
     *
     * @param csv the segments file
     * @param options how to read it
     * @param labelFilters {@code --label} values, possibly none
     * @param ontologyFile {@code --ontology}, or null for the bundled ontology
     * @param limit {@code --limit}, or null
     * @return the builder, to which a shard may still be given
     * @throws IllegalArgumentException if the limit is negative
     */
    static SegmentSelection.Builder selection(Path csv, SegmentCsvOptions options, List<String> labelFilters,
            Path ontologyFile, Long limit) throws IOException {
        SegmentSelection.Builder b = SegmentSelection.builder(csv).options(options).labels(labelFilters);
        if (ontologyFile != null) {
            b.ontology(Ontology.read(ontologyFile));
        }
        if (limit != null) {
            if (limit < 0) {
                throw new IllegalArgumentException("--limit " + limit + " must be 0 or more");
            }
            b.limit(limit);
        }
        return b;
    }
}
