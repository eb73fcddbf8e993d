package io.github.audiosetdl.core;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Which rows of a segments CSV to work on: an optional label filter (MIDs or display names, each
 * with all its ontology descendants), then an optional limit, then a shard (job {@code i} of
 * {@code n}) of what is left. Rows keep their file order. The file may also be a temporally-strong label
 * file ({@link StrongCsv}): each segment is then one 10-s row labelled with its events' MIDs that are in the
 * weak label index (so the label filter sees those).
 *
 * <p>A sharded selection reads the file twice: once to count the rows that pass the filters (so the
 * blocks can be balanced), once to stream its block. Immutable and thread-safe; each
 * {@link #stream()} opens the file anew.
 */
public final class SegmentSelection {
    private final Path csv;
    private final SegmentCsvOptions options;
    private final List<String> labelQueries;
    private final Set<String> labelMids;
    private final Shard shard;
    private final long limit;

    private SegmentSelection(Builder b) {
        this.csv = b.csv;
        this.options = b.options;
        this.labelQueries = List.copyOf(b.labels);
        Set<String> mids = new LinkedHashSet<>();
        for (String query : labelQueries) {
            OntologyNode node = b.ontology.resolve(query);
            mids.add(node.id());
            mids.addAll(b.ontology.descendants(node.id()));
        }
        this.labelMids = Set.copyOf(mids);
        this.shard = b.shard;
        this.limit = b.limit;
    }

    private SegmentSelection(SegmentSelection s, Shard shard, SegmentCsvOptions options) {
        this.csv = s.csv;
        this.options = options;
        this.labelQueries = s.labelQueries;
        this.labelMids = s.labelMids;
        this.shard = shard;
        this.limit = s.limit;
    }

    /**
     * @param shard the job of the filtered rows to keep ({@link Shard#ALL}: every job's, as the whole array)
     * @return this selection (same file, options, label filter and limit) with that shard
     */
    public SegmentSelection withShard(Shard shard) {
        return new SegmentSelection(this, requireNonNull(shard, "shard"), options);
    }

    /**
     * @param options how to read the file (e.g. {@link SegmentCsvOptions#reportingEachLineOnce()} of
     *     {@link #options()})
     * @return this selection (same file, label filter, limit and shard) read with those options
     */
    public SegmentSelection withOptions(SegmentCsvOptions options) {
        return new SegmentSelection(this, shard, requireNonNull(options, "options"));
    }

    /**
     * @param csv the segments file
     * @return a builder selecting every row of it
     */
    public static Builder builder(Path csv) {
        return new Builder(csv);
    }

    /** @return the segments file */
    public Path csv() {
        return csv;
    }

    /** @return the reading options */
    public SegmentCsvOptions options() {
        return options;
    }

    /** @return the label filter as given (MIDs or names); empty for no filter */
    public List<String> labelQueries() {
        return labelQueries;
    }

    /** @return the MIDs a row must have one of (the queries and their descendants); empty for no filter */
    public Set<String> labelMids() {
        return labelMids;
    }

    /** @return the shard of the filtered rows this selection keeps */
    public Shard shard() {
        return shard;
    }

    /** @return the maximum number of rows kept before sharding; {@link Long#MAX_VALUE} for none */
    public long limit() {
        return limit;
    }

    /**
     * @param segment a segment
     * @return whether it passes the label filter
     */
    public boolean matchesLabels(Segment segment) {
        return matchesAny(segment.labelIds());
    }

    /**
     * The selected rows, lazily, in file order; close the stream to close the file.
     *
     * @return the rows
     * @throws IOException if the file cannot be opened
     * @throws SegmentFormatException (from the stream) for a bad row under {@link ErrorPolicy#FAIL}
     */
    public Stream<SegmentRow> stream() throws IOException {
        return sharded(this::selected);
    }

    /** A stream of the file, opened on demand with the given options. */
    private interface Opener<T> {
        Stream<T> open(SegmentCsvOptions opts) throws IOException;
    }

    /**
     * The limit and this selection's shard of the filtered rows {@code all} opens. A shard reads the file from its
     * start; under {@link ErrorPolicy#SKIP} it reports only the bad lines after the rows of the shards before it,
     * so that each bad line of the file is reported by one shard. The last shard reads to the end of the file
     * (unless the limit cut it), so that bad lines after the last row are seen as an unsharded selection sees them.
     */
    private <T> Stream<T> sharded(Opener<T> all) throws IOException {
        if (shard.isAll()) {
            return all.open(options).limit(limit);
        }
        long total = countFiltered();
        long start = shard.start(total);
        long end = shard.end(total);
        AtomicLong read = new AtomicLong(); // rows read so far
        SegmentCsvOptions opts = options;
        if (start > 0 && options.errorPolicy() == ErrorPolicy.SKIP) {
            Consumer<SegmentFormatException> listener = options.errorListener();
            opts = options.toBuilder().errorListener(e -> {
                if (read.get() >= start) {
                    listener.accept(e);
                }
            }).build();
        }
        Stream<T> rows = all.open(opts);
        rows = end == total && total < limit ? rows.filter(row -> read.get() < end) : rows.limit(end);
        return rows.map(row -> {
            read.incrementAndGet();
            return row;
        }).skip(start);
    }

    /**
     * As {@link #stream()}, each row with all the labels its file gives it: for a temporally-strong label file,
     * every MID of the segment's present events (also those outside the weak index, which the row's own labels
     * leave out), in first-seen order; for a segment CSV, the row's labels.
     *
     * @return the rows with their labels, lazily, in file order; close the stream to close the file
     * @throws IOException if the file cannot be opened
     * @throws SegmentFormatException (from the stream) for a bad row under {@link ErrorPolicy#FAIL}
     */
    public Stream<LabelledRow> streamWithAllLabels() throws IOException {
        if (StrongCsv.isStrong(csv)) {
            return sharded(opts -> StrongCsv.segmentsWithPresent(csv, opts, this::matchesAny)
                    .map(p -> new LabelledRow(p.row(), List.copyOf(p.mids()))));
        }
        return sharded(opts -> selected(opts).map(r -> new LabelledRow(r, r.segment().labelIds())));
    }

    /**
     * A selected row with all the labels its file gives it.
     *
     * @param row the row (its segment's labels are those in the weak index)
     * @param mids every label MID the file gives the segment, each once: for a strong file, its present events'
     */
    public record LabelledRow(SegmentRow row, List<String> mids) {
        /**
         * Validates and copies.
         *
         * @param row the row; not null
         * @param mids every label MID the file gives the segment, copied; no null element
         */
        public LabelledRow {
            requireNonNull(row, "row");
            mids = List.copyOf(mids);
        }
    }

    /**
     * @return the file's rows that pass the label filter: a segment CSV's, or for a temporally-strong label file
     *     ({@link StrongCsv#isStrong}) one row per segment, labelled with its events' MIDs that are in the weak
     *     index, and filtered on all its events' MIDs (a label only the strong vocabulary has selects too)
     */
    private Stream<SegmentRow> selected(SegmentCsvOptions opts) throws IOException {
        if (StrongCsv.isStrong(csv)) {
            return StrongCsv.segments(csv, opts, this::matchesAny);
        }
        return SegmentCsv.stream(csv, opts).filter(r -> matchesLabels(r.segment()));
    }

    /** @return whether the label filter takes a segment carrying {@code mids} (any of them, or no filter) */
    private boolean matchesAny(Collection<String> mids) {
        if (labelMids.isEmpty()) {
            return true;
        }
        for (String mid : mids) {
            if (labelMids.contains(mid)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Counts the selected rows (reads the file).
     *
     * @return the number of rows {@link #stream()} yields
     * @throws IOException if the file cannot be read
     * @throws InterruptedIOException if the thread is interrupted (checked at each row; the flag is kept)
     */
    public long count() throws IOException {
        return shard.size(countFiltered());
    }

    /** The number of rows passing the label filter, capped at the limit; bad rows are not reported. */
    private long countFiltered() throws IOException {
        if (limit == 0) {
            return 0;
        }
        SegmentCsvOptions quiet = options.toBuilder().errorListener(e -> { }).build();
        if (StrongCsv.isStrong(csv)) {
            // every segment, the filter applied here: an interrupt is seen at each, not only at those kept (a
            // rare label would read on to the next segment that has it, or to the end of the file)
            try (Stream<StrongCsv.Present> segments = StrongCsv.segmentsWithPresent(csv, quiet, mids -> true)) {
                long n = 0;
                for (var it = segments.iterator(); n < limit && it.hasNext();) {
                    StrongCsv.Present segment = it.next();
                    checkInterrupt(segment.row());
                    if (matchesAny(segment.mids())) {
                        n++;
                    }
                }
                return n;
            }
        }
        try (SegmentCsv reader = SegmentCsv.open(csv, quiet)) {
            reader.quietAboutDeclaredCount();
            long n = 0;
            for (SegmentRow row : reader) {
                checkInterrupt(row);
                if (matchesLabels(row.segment()) && ++n >= limit) {
                    break;
                }
            }
            return n;
        }
    }

    /** A count of a large file (millions of rows, minutes on a slow disk) is stopped by an interrupt. */
    private void checkInterrupt(SegmentRow row) throws InterruptedIOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("counting the rows of " + csv + " interrupted at line " + row.line());
        }
    }

    @Override
    public String toString() {
        return "SegmentSelection[" + csv + ", labels=" + labelQueries + ", limit="
                + (limit == Long.MAX_VALUE ? "none" : limit) + ", " + shard + "]";
    }

    /** Builder for {@link SegmentSelection}; not thread-safe. */
    public static final class Builder {
        private final Path csv;
        private SegmentCsvOptions options = SegmentCsvOptions.defaults();
        private Ontology ontology;
        private final List<String> labels = new ArrayList<>();
        private Shard shard = Shard.ALL;
        private long limit = Long.MAX_VALUE;

        private Builder(Path csv) {
            this.csv = requireNonNull(csv, "csv");
        }

        /**
         * @param options how to read the CSV
         * @return this
         */
        public Builder options(SegmentCsvOptions options) {
            this.options = requireNonNull(options, "options");
            return this;
        }

        /**
         * @param ontology the ontology label names and descendants come from (default: AudioSet's)
         * @return this
         */
        public Builder ontology(Ontology ontology) {
            this.ontology = requireNonNull(ontology, "ontology");
            return this;
        }

        /**
         * Keeps rows with this class or any of its descendants; several calls widen the filter.
         *
         * @param midOrName e.g. {@code /m/04rlf} or {@code Music}
         * @return this
         */
        public Builder label(String midOrName) {
            requireNonNull(midOrName, "midOrName");
            if (midOrName.isBlank()) {
                throw new IllegalArgumentException("blank label filter");
            }
            labels.add(midOrName.trim());
            return this;
        }

        /**
         * @param midsOrNames classes to keep, as for {@link #label(String)}
         * @return this
         */
        public Builder labels(Collection<String> midsOrNames) {
            requireNonNull(midsOrNames, "midsOrNames").forEach(this::label);
            return this;
        }

        /**
         * @param shard the job of the filtered rows to keep
         * @return this
         */
        public Builder shard(Shard shard) {
            this.shard = requireNonNull(shard, "shard");
            return this;
        }

        /**
         * @param maxRows keep at most this many filtered rows (before sharding), {@code >= 0}
         * @return this
         */
        public Builder limit(long maxRows) {
            if (maxRows < 0) {
                throw new IllegalArgumentException("limit " + maxRows + " < 0");
            }
            this.limit = maxRows;
            return this;
        }

        /**
         * @return the selection
         * @throws OntologyException if a label filter names no class
         */
        public SegmentSelection build() {
            if (ontology == null) {
                ontology = Ontology.audioSet();
            }
            return new SegmentSelection(this);
        }
    }
}
