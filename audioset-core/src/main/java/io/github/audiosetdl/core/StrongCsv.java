package io.github.audiosetdl.core;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A lazy reader of AudioSet's temporally-strong label files, in bounded memory whatever their size:
 * {@code audioset_train_strong.tsv} and {@code audioset_eval_strong.tsv} (header
 * {@code segment_id start_time_seconds end_time_seconds label}, tab-separated) and
 * {@code audioset_eval_strong_framed_posneg.tsv} (a fifth column {@code present}: {@code PRESENT} or
 * {@code NOT_PRESENT}). {@code segment_id} is {@code <YouTube id>_<segment start in ms>}; the times are
 * seconds from the segment's start. A bad line throws a {@link SegmentFormatException} naming the file, the
 * line and the value.
 *
 * <pre>{@code
 * try (Stream<StrongRow> rows = StrongCsv.stream(Path.of("audioset_eval_strong.tsv"))) {
 *     rows.forEach(r -> System.out.println(r.segmentId() + " " + r.event()));
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one thread iterates a stream.
 */
public final class StrongCsv {
    /** The first column of every strong file's header, by which {@link #isStrong(Path)} recognises one. */
    public static final String FIRST_COLUMN = "segment_id";
    /** The most characters a line may hold (a real line has under 60). */
    static final int MAX_LINE_CHARS = 4096;
    /** The latest segment start accepted, in ms (one day; AudioSet videos are far shorter). */
    public static final long MAX_SEGMENT_START_MS = 86_400_000L;
    /** The latest event time accepted, in seconds from the segment's start (a segment lasts at most this). */
    public static final double MAX_EVENT_SECONDS = Segment.MAX_DURATION_MS / 1000.0;
    /** The length of a segment fetched for a strong file's {@code segment_id}, in ms. */
    public static final long SEGMENT_MS = Segment.CLIP_MS;

    private static final List<String> HEADER = List.of(FIRST_COLUMN, "start_time_seconds", "end_time_seconds",
            "label");
    private static final Pattern SEGMENT_ID = Pattern.compile("([A-Za-z0-9_-]{11})_([0-9]{1,9})");
    private static final Pattern SECONDS = Pattern.compile("[0-9]{1,6}(?:\\.[0-9]{1,9})?");
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private StrongCsv() {
    }

    /**
     * @param file any file
     * @return whether its first line starts with {@code segment_id} followed by a tab (a strong label file), after
     *     a byte order mark if there is one; only these first bytes are read (the rest may be any bytes)
     * @throws IOException if it cannot be read
     */
    public static boolean isStrong(Path file) throws IOException {
        requireNonNull(file, "file");
        byte[] want = (FIRST_COLUMN + "\t").getBytes(StandardCharsets.US_ASCII);
        byte[] head = new byte[BOM.length + want.length];
        int n = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int r; n < head.length && (r = in.read(head, n, head.length - n)) > 0;) {
                n += r;
            }
        }
        int from = n >= BOM.length && Arrays.equals(head, 0, BOM.length, BOM, 0, BOM.length) ? BOM.length : 0;
        return n - from >= want.length && Arrays.equals(head, from, from + want.length, want, 0, want.length);
    }

    /**
     * Streams a strong file's lines.
     *
     * @param file the file
     * @return its rows, lazily, in file order; close the stream to close the file
     * @throws IOException if it cannot be opened or read
     * @throws SegmentFormatException for a bad header (at once) or a bad line (from the stream)
     */
    public static Stream<StrongRow> stream(Path file) throws IOException {
        return stream(file, ErrorPolicy.FAIL, e -> { });
    }

    /**
     * Streams a strong file's lines under {@code options}' error policy: a bad line ends the stream with its error
     * ({@link ErrorPolicy#FAIL}), or is skipped and given to {@code options}' error listener
     * ({@link ErrorPolicy#SKIP}), as {@link #segments(Path, SegmentCsvOptions, Predicate)} does.
     *
     * @param file the file
     * @param options the error policy and listener (the label index is not used)
     * @return its rows, lazily, in file order; close the stream to close the file
     * @throws IOException if it cannot be opened or read
     * @throws SegmentFormatException for a bad header (at once), or a bad line (from the stream) under
     *     {@link ErrorPolicy#FAIL}
     */
    public static Stream<StrongRow> stream(Path file, SegmentCsvOptions options) throws IOException {
        requireNonNull(options, "options");
        return stream(file, options.errorPolicy(), options.errorListener());
    }

    /**
     * @param policy what a bad line does: end the stream with its error, or be skipped and reported
     * @param skipped receives each skipped line's error under {@link ErrorPolicy#SKIP}
     */
    private static Stream<StrongRow> stream(Path file, ErrorPolicy policy, Consumer<SegmentFormatException> skipped)
            throws IOException {
        requireNonNull(file, "file");
        BufferedReader in = SegmentCsv.replacingReader(file); // a bad byte is named by its line
        try {
            return rows(in, file.toString(), policy, skipped).onClose(() -> {
                try {
                    in.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Streams strong-file text; closing the stream does not close the reader.
     *
     * @param reader the text
     * @param source its name, for messages
     * @return its rows, lazily
     * @throws IOException if it cannot be read
     * @throws SegmentFormatException for a bad header (at once) or a bad line (from the stream)
     */
    public static Stream<StrongRow> stream(Reader reader, String source) throws IOException {
        requireNonNull(reader, "reader");
        requireNonNull(source, "source");
        return rows(reader, source, ErrorPolicy.FAIL, e -> { });
    }

    private static Stream<StrongRow> rows(Reader reader, String source, ErrorPolicy policy,
            Consumer<SegmentFormatException> skipped) throws IOException {
        Lines lines = new Lines(new BufferedReader(new LineLimitReader(reader, MAX_LINE_CHARS)), source, policy,
                skipped);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(lines, Spliterator.ORDERED
                | Spliterator.NONNULL), false);
    }

    /**
     * Streams a strong file's segments, one per run of consecutive lines with the same {@code segment_id}
     * (Google's files list a segment's events together): each a {@link SegmentRow} of {@link #SEGMENT_MS} from
     * the segment's start, labelled with the MIDs of its present events that are in {@code weak}, in first-seen
     * order; the others are left out of the label list (they stay in the strong file, for {@code /strong}).
     * The row number counts segments from 0; the line is the segment's first line. A segment that reappears
     * later in the file becomes a second row with the same id (the download stage reports it as a duplicate).
     *
     * @param file the file
     * @param weak the weak label index the labels are checked against
     * @return the segments, lazily; close the stream to close the file
     * @throws IOException if it cannot be opened or read
     * @throws SegmentFormatException for a bad header or line
     */
    public static Stream<SegmentRow> segments(Path file, LabelIndex weak) throws IOException {
        return segments(file, SegmentCsvOptions.builder().labelIndex(weak).build(), mids -> true);
    }

    /**
     * As {@link #segments(Path, LabelIndex)}, with the weak index, the error policy and its listener of
     * {@code options} (a bad line is skipped and reported under {@link ErrorPolicy#SKIP}), keeping only the
     * segments whose present events' MIDs, all of them, in or out of the weak index, {@code keep} accepts (a label
     * filter sees the strong-only MIDs, which the rows' labels leave out).
     *
     * @param file the file
     * @param options the weak index, the error policy and listener
     * @param keep given each segment's present MIDs
     * @return the segments kept, lazily, numbered among all the file's segments; close the stream
     * @throws IOException if it cannot be opened or read
     * @throws SegmentFormatException for a bad header, or a bad line under {@link ErrorPolicy#FAIL}
     */
    public static Stream<SegmentRow> segments(Path file, SegmentCsvOptions options, Predicate<Set<String>> keep)
            throws IOException {
        return segmentsWithPresent(file, options, keep).map(Present::row);
    }

    /**
     * A segment of a strong file with all its present MIDs.
     *
     * @param row the segment, labelled with the present MIDs that are in the weak index
     * @param mids every MID of its present events, in or out of the weak index, in first-seen order
     */
    record Present(SegmentRow row, Set<String> mids) {
    }

    /** As {@link #segments(Path, SegmentCsvOptions, Predicate)}, each segment with all its present MIDs. */
    static Stream<Present> segmentsWithPresent(Path file, SegmentCsvOptions options, Predicate<Set<String>> keep)
            throws IOException {
        requireNonNull(options, "options");
        requireNonNull(keep, "keep");
        LabelIndex weak = options.labelIndex();
        Stream<StrongRow> rows = stream(file, options.errorPolicy(), options.errorListener());
        Iterator<StrongRow> it = rows.iterator();
        Iterator<Present> segments = new Iterator<>() {
            private StrongRow next = it.hasNext() ? it.next() : null;
            private Present kept;
            private long row;

            @Override
            public boolean hasNext() {
                while (kept == null && next != null) {
                    StrongRow first = next;
                    Set<String> mids = new LinkedHashSet<>();
                    Set<String> present = new LinkedHashSet<>();
                    StrongRow r = first;
                    while (true) {
                        if (r.present()) {
                            present.add(r.event().mid());
                            if (weak.contains(r.event().mid())) {
                                mids.add(r.event().mid());
                            }
                        }
                        next = it.hasNext() ? it.next() : null;
                        if (next == null || !next.ytid().equals(first.ytid())
                                || next.segmentStartMs() != first.segmentStartMs()) {
                            break;
                        }
                        r = next;
                    }
                    Segment s = new Segment(first.ytid(), first.segmentStartMs(),
                            first.segmentStartMs() + SEGMENT_MS, new ArrayList<>(mids));
                    long number = row++;
                    if (keep.test(present)) {
                        kept = new Present(new SegmentRow(number, first.line(), s), Collections.unmodifiableSet(
                                present));
                    }
                }
                return kept != null;
            }

            @Override
            public Present next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Present out = kept;
                kept = null;
                return out;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(segments, Spliterator.ORDERED
                | Spliterator.NONNULL), false).onClose(rows::close);
    }

    /** The line iterator: one look-ahead line. */
    private static final class Lines implements Iterator<StrongRow> {
        private final BufferedReader in;
        private final String source;
        private final boolean posneg;
        private final ErrorPolicy policy;
        private final Consumer<SegmentFormatException> skipped;
        private long line;
        private StrongRow pending;

        Lines(BufferedReader in, String source, ErrorPolicy policy, Consumer<SegmentFormatException> skipped)
                throws IOException {
            this.in = in;
            this.source = source;
            this.policy = policy;
            this.skipped = skipped;
            String header = read();
            if (header == null) {
                throw new SegmentFormatException(source, 1, "empty file: expected the header "
                        + String.join("<TAB>", HEADER), "");
            }
            if (header.startsWith("\uFEFF")) {
                header = header.substring(1);
            }
            List<String> names = List.of(header.strip().split("\t", -1));
            boolean four = names.equals(HEADER);
            boolean five = names.size() == 5 && names.subList(0, 4).equals(HEADER) && names.get(4).equals("present");
            if (!four && !five) {
                throw new SegmentFormatException(source, line, "expected the header " + String.join("<TAB>", HEADER)
                        + " [<TAB>present]", header);
            }
            this.posneg = five;
        }

        private String read() throws IOException {
            try {
                String text = in.readLine();
                if (text != null) {
                    line++;
                }
                return text;
            } catch (LineLimitReader.LineTooLongException e) {
                throw new SegmentFormatException(source, e.line(), "line longer than " + MAX_LINE_CHARS
                        + " characters", e);
            }
        }

        @Override
        public boolean hasNext() {
            if (pending != null) {
                return true;
            }
            try {
                for (String text; (text = read()) != null;) {
                    if (!text.isBlank()) {
                        try {
                            pending = parse(text);
                            return true;
                        } catch (SegmentFormatException e) {
                            if (policy == ErrorPolicy.FAIL) {
                                throw e;
                            }
                            skipped.accept(e);
                        }
                    }
                }
                return false;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + source, e);
            }
        }

        @Override
        public StrongRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            StrongRow r = pending;
            pending = null;
            return r;
        }

        private StrongRow parse(String text) {
            if (text.indexOf('\uFFFD') >= 0) {
                throw new SegmentFormatException(source, line, "bytes that are not UTF-8 text (shown as \uFFFD)",
                        text);
            }
            String[] f = text.split("\t", -1);
            int expected = posneg ? 5 : 4;
            if (f.length != expected) {
                throw new SegmentFormatException(source, line, "expected " + expected + " tab-separated fields, found "
                        + f.length, text);
            }
            Matcher id = SEGMENT_ID.matcher(f[0].strip());
            if (!id.matches()) {
                throw new SegmentFormatException(source, line, "segment_id is not <11-character YouTube id>_<start ms>",
                        f[0]);
            }
            long startMs = Long.parseLong(id.group(2));
            if (startMs > MAX_SEGMENT_START_MS) {
                throw new SegmentFormatException(source, line, "segment start is later than " + MAX_SEGMENT_START_MS
                        + " ms", f[0]);
            }
            double start = seconds(f[1], "start_time_seconds");
            double end = seconds(f[2], "end_time_seconds");
            if (end < start) {
                throw new SegmentFormatException(source, line, "end_time_seconds is before start_time_seconds",
                        f[1] + ", " + f[2]);
            }
            String mid = f[3].strip();
            if (!StrongVocabulary.MID.matcher(mid).matches()) {
                throw new SegmentFormatException(source, line, "label is not a MID (like /m/09x0r)", f[3]);
            }
            boolean present = true;
            if (posneg) {
                String p = f[4].strip();
                if (!p.equals("PRESENT") && !p.equals("NOT_PRESENT")) {
                    throw new SegmentFormatException(source, line, "present is neither PRESENT nor NOT_PRESENT", f[4]);
                }
                present = p.equals("PRESENT");
            }
            return new StrongRow(line, id.group(1), startMs, new StrongEvent(mid, start, end), present);
        }

        private double seconds(String field, String name) {
            String t = field.strip();
            if (!SECONDS.matcher(t).matches()) {
                throw new SegmentFormatException(source, line, name + " is not a number of seconds", field);
            }
            double s = Double.parseDouble(t);
            if (s > MAX_EVENT_SECONDS) {
                throw new SegmentFormatException(source, line, name + " is after the segment's end ("
                        + MAX_EVENT_SECONDS + " s)", field);
            }
            return s;
        }
    }
}
