package io.github.audiosetdl.core;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lazy reader of AudioSet segment CSVs, in bounded memory whatever the file's size.
 *
 * <p>Reads Google's original format (three {@code #} comment lines, comma + space separators,
 * quoted label lists) and the re-serialised variants found in mirrors (no comments, a
 * {@code YTID,start_seconds,end_seconds,positive_labels} header row, no spaces). Each data row becomes
 * a {@link SegmentRow}; a bad row throws a {@link SegmentFormatException} naming the file, line
 * and value, or is skipped and reported, as {@link SegmentCsvOptions#errorPolicy()} says.
 *
 * <pre>{@code
 * try (Stream<SegmentRow> rows = SegmentCsv.stream(Path.of("eval_segments.csv"))) {
 *     rows.forEach(r -> System.out.println(r.segment().ytid()));
 * }
 * }</pre>
 *
 * <p>When the whole file has been read and the header's {@code num_segs} differs from the number of
 * data rows, a warning is logged (normal for subsets made with {@code head}), once per file and count in a JVM:
 * a pipeline reads its CSV several times.
 *
 * <p>Not thread-safe: one thread iterates. Closing the reader (or the stream it made) closes the file.
 */
public final class SegmentCsv implements Iterable<SegmentRow>, Closeable {
    /** The commons-csv format: comments on {@code #}, surrounding spaces ignored (private: commons-csv is not API). */
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setCommentMarker('#')
            .setIgnoreSurroundingSpaces(true)
            .get();

    private static final Logger LOG = LoggerFactory.getLogger(SegmentCsv.class);
    private static final String FIELDS = "YTID, start_seconds, end_seconds, positive_labels";
    private static final long MAX_SECONDS = 1L << 40;
    /** The longest line read, in characters (a real row is under 200); a longer one is refused, naming it. */
    static final int MAX_LINE_CHARS = 64 * 1024;
    /** Most digits before or after the decimal point of a time. */
    private static final int MAX_DIGITS = 18;
    /** A time: bounded digits, an optional exponent of at most three digits. */
    private static final Pattern NUMBER = Pattern.compile("\\+?(?:[0-9]{1," + MAX_DIGITS + "}(?:\\.[0-9]{0,"
            + MAX_DIGITS + "})?|\\.[0-9]{1," + MAX_DIGITS + "})(?:[eE][+-]?[0-9]{1,3})?");

    /** How many distinct count warnings are remembered (the oldest is forgotten first). */
    private static final int WARNED_COUNTS_KEPT = 256;
    /**
     * The count warnings already given in this JVM ({@code source, declared, rows}): a run reads its CSV several
     * times (to count, to download, to pack, to report), and the user needs to hear it once.
     */
    private static final Map<String, Boolean> WARNED_COUNTS = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > WARNED_COUNTS_KEPT;
        }
    };

    private final String source;
    private final SegmentCsvOptions options;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private SegmentCsvHeader header;
    private CSVRecord pending;
    private long pendingLine;
    private boolean started;
    private SegmentRow next;
    private boolean exhausted;
    private long dataRows;
    private long skippedRows;
    private boolean iteratorTaken;
    private boolean warnDeclaredCount = true;

    private SegmentCsv(Reader reader, String source, SegmentCsvOptions options) throws IOException {
        this.source = source;
        this.options = options;
        this.parser = FORMAT.parse(new LineLimitReader(skipByteOrderMark(reader), MAX_LINE_CHARS));
        this.records = parser.iterator();
    }

    /** Skips a leading U+FEFF (a byte order mark, as Excel and pandas' {@code utf-8-sig} write). */
    static Reader skipByteOrderMark(Reader reader) throws IOException {
        Reader r = reader.markSupported() ? reader : new BufferedReader(reader);
        r.mark(1);
        if (r.read() != '\uFEFF') {
            r.reset();
        }
        return r;
    }

    /**
     * Opens a segments file with the default options (AudioSet labels, fail on the first bad row).
     *
     * @param csv the file
     * @return the reader, which the caller closes
     * @throws IOException if the file cannot be opened
     */
    public static SegmentCsv open(Path csv) throws IOException {
        return open(csv, SegmentCsvOptions.defaults());
    }

    /**
     * @param file a UTF-8 text file
     * @return a reader of it in which bytes that are not UTF-8 become U+FFFD, so that the line holding them is
     *     reported with its number and value (a strict decoder fails a whole 8 kB buffer ahead of the line,
     *     without one)
     * @throws IOException if it cannot be opened
     * @throws SegmentFormatException if it is gzip-compressed (its bytes would be a line of binary noise): the
     *     segments CSV, the label index, a strong label file or vocabulary as downloaded ({@code .csv.gz})
     */
    static BufferedReader replacingReader(Path file) throws IOException {
        if (isGzip(file)) {
            throw new SegmentFormatException(file.toString(), 1, gzipProblem(file), (Throwable) null);
        }
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)));
    }

    /**
     * Opens a segments file.
     *
     * @param csv the file (UTF-8, with or without a byte order mark; bytes that are not UTF-8 make their
     *     row a {@link SegmentFormatException})
     * @param options how to read it
     * @return the reader, which the caller closes
     * @throws IOException if the file cannot be opened
     */
    public static SegmentCsv open(Path csv, SegmentCsvOptions options) throws IOException {
        requireNonNull(csv, "csv");
        requireNonNull(options, "options");
        Reader reader = replacingReader(csv); // a gzip-compressed file is refused
        try {
            return new SegmentCsv(reader, csv.toString(), options);
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /**
     * @param file a file
     * @return whether it starts with gzip's magic bytes {@code 1f 8b}
     * @throws IOException if it cannot be opened
     */
    static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** @return what is wrong with a gzip-compressed {@code file} given as text, and what to do */
    static String gzipProblem(Path file) {
        return "a gzip-compressed file (it starts with the bytes 1f 8b): decompress it first, e.g. gunzip -k " + file;
    }

    /**
     * Reads segments from a reader; closing the returned object closes the reader.
     *
     * @param reader the CSV text
     * @param source the name used in error messages
     * @param options how to read it
     * @return the reader
     * @throws IOException if reading fails
     */
    public static SegmentCsv open(Reader reader, String source, SegmentCsvOptions options) throws IOException {
        requireNonNull(reader, "reader");
        requireNonNull(source, "source");
        requireNonNull(options, "options");
        return new SegmentCsv(reader, source, options);
    }

    /**
     * A lazy stream of a file's rows with the default options; close it to close the file.
     *
     * @param csv the file
     * @return the rows in file order
     * @throws IOException if the file cannot be opened
     */
    public static Stream<SegmentRow> stream(Path csv) throws IOException {
        return open(csv).stream();
    }

    /**
     * A lazy stream of a file's rows; close it to close the file.
     *
     * @param csv the file
     * @param options how to read it
     * @return the rows in file order
     * @throws IOException if the file cannot be opened
     */
    public static Stream<SegmentRow> stream(Path csv, SegmentCsvOptions options) throws IOException {
        return open(csv, options).stream();
    }

    /** @return the name used in error messages (the path for files) */
    public String source() {
        return source;
    }

    /**
     * The comment header of the file; reading it looks at the first record but consumes no row.
     *
     * @return the header ({@link SegmentCsvHeader#EMPTY} for files without comments)
     */
    public SegmentCsvHeader header() {
        if (header == null) {
            readFirstRecord();
        }
        return header;
    }

    /**
     * @return the number of data rows read so far, including rows that failed to parse; after
     *     the end, the file's data row count
     */
    public long rowsRead() {
        return dataRows;
    }

    /** @return the number of rows skipped so far under {@link ErrorPolicy#SKIP} */
    public long rowsSkipped() {
        return skippedRows;
    }

    /** Used by a counting pass, so that a mismatch is reported once, by the pass that does the work. */
    void quietAboutDeclaredCount() {
        warnDeclaredCount = false;
    }

    /** @return whether every row has been read */
    public boolean isExhausted() {
        return exhausted;
    }

    /**
     * The rows, lazily; may be called once.
     *
     * @return an iterator whose {@code next()} may throw {@link SegmentFormatException} or
     *     {@link UncheckedIOException}
     */
    @Override
    public Iterator<SegmentRow> iterator() {
        if (iteratorTaken) {
            throw new IllegalStateException("SegmentCsv can be iterated only once: " + source);
        }
        iteratorTaken = true;
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return next != null || advance();
            }

            @Override
            public SegmentRow next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                SegmentRow row = next;
                next = null;
                return row;
            }
        };
    }

    /**
     * The rows as a sequential, ordered stream; closing the stream closes this reader.
     *
     * @return the stream
     */
    public Stream<SegmentRow> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(this::closeUnchecked);
    }

    private void readFirstRecord() {
        started = true;
        if (hasNextRecord()) {
            pending = nextRecord();
            pendingLine = parser.getCurrentLineNumber();
            header = SegmentCsvHeader.parse(pending.getComment());
            if (isHeaderRow(pending)) {
                pending = null;
            }
        } else { // a file of comments only (a header without rows): commons-csv keeps them as the trailer
            header = SegmentCsvHeader.parse(parser.getTrailerComment());
        }
    }

    /** commons-csv reports a broken quote or a read failure as an unchecked exception, without the file. */
    private boolean hasNextRecord() {
        try {
            return records.hasNext();
        } catch (UncheckedIOException e) {
            throw malformed(e);
        }
    }

    private CSVRecord nextRecord() {
        try {
            return records.next();
        } catch (UncheckedIOException e) {
            throw malformed(e);
        }
    }

    private RuntimeException malformed(UncheckedIOException e) {
        IOException cause = e.getCause();
        if (cause instanceof LineLimitReader.LineTooLongException tooLong) {
            String problem = tooLong.getMessage();
            return new SegmentFormatException(source, tooLong.line(), problem.substring(problem.indexOf(": ") + 2),
                    e);
        }
        if (!(cause instanceof CSVException)) {
            return new UncheckedIOException("cannot read " + source + ": " + cause.getMessage(), cause);
        }
        return new SegmentFormatException(source, parser.getCurrentLineNumber(),
                "malformed CSV (" + cause.getMessage() + ")", e);
    }

    private static boolean isHeaderRow(CSVRecord record) {
        return record.size() > 0 && "YTID".equalsIgnoreCase(record.get(0));
    }

    private boolean advance() {
        if (exhausted) {
            return false;
        }
        if (!started) {
            readFirstRecord();
        }
        while (true) {
            CSVRecord record;
            long line;
            if (pending != null) {
                record = pending;
                line = pendingLine;
                pending = null;
            } else if (hasNextRecord()) {
                record = nextRecord();
                line = parser.getCurrentLineNumber();
            } else {
                finish();
                return false;
            }
            if (record.size() == 1 && record.get(0).isEmpty()) {
                continue; // a line of spaces
            }
            long row = dataRows++;
            try {
                next = new SegmentRow(row, line, toSegment(record, line));
                return true;
            } catch (SegmentFormatException e) {
                if (options.errorPolicy() == ErrorPolicy.FAIL) {
                    throw e;
                }
                skippedRows++;
                try {
                    options.errorListener().accept(e);
                } catch (RuntimeException listenerFailure) {
                    LOG.warn("error listener threw while reporting {}", e.getMessage(), listenerFailure);
                }
            }
        }
    }

    private void finish() {
        exhausted = true;
        OptionalLong declared = header == null ? OptionalLong.empty() : header.numSegs();
        if (warnDeclaredCount && declared.isPresent() && declared.getAsLong() != dataRows
                && firstCountWarning(source, declared.getAsLong(), dataRows)) {
            LOG.warn("{}: header declares num_segs={} but the file has {} data rows (normal for a subset made with"
                    + " head)", source, declared.getAsLong(), dataRows);
        }
    }

    /** @return whether this count warning about {@code source} was not given before in this JVM */
    private static boolean firstCountWarning(String source, long declared, long rows) {
        String key = source + '\n' + declared + '\n' + rows;
        synchronized (WARNED_COUNTS) {
            return WARNED_COUNTS.put(key, Boolean.TRUE) == null;
        }
    }

    private Segment toSegment(CSVRecord record, long line) {
        if (record.size() != 4) {
            throw new SegmentFormatException(source, line, "expected 4 fields (" + FIELDS + "), got "
                    + record.size(), String.join(",", record.toList()));
        }
        for (String field : record) {
            if (field.indexOf('\uFFFD') >= 0) {
                throw new SegmentFormatException(source, line, "bytes that are not UTF-8 text (shown as \uFFFD)",
                        String.join(",", record.toList()));
            }
        }
        String ytid = record.get(0);
        if (!Segment.isValidId(ytid)) {
            throw new SegmentFormatException(source, line, "invalid YouTube id (expected 11 characters of"
                    + " [A-Za-z0-9_-])", ytid);
        }
        long startMs = parseMillis(record.get(1), "start_seconds", line);
        long endMs = parseMillis(record.get(2), "end_seconds", line);
        if (endMs <= startMs) {
            throw new SegmentFormatException(source, line, "end_seconds is not after start_seconds "
                    + record.get(1), record.get(2));
        }
        if (endMs - startMs > Segment.MAX_DURATION_MS) {
            throw new SegmentFormatException(source, line, String.format(Locale.ROOT, "segment is %.3f s long,"
                    + " more than the %.1f s allowed (AudioSet clips are at most 10 s)", (endMs - startMs) / 1000.0,
                    Segment.MAX_DURATION_MS / 1000.0), record.get(1) + ", " + record.get(2));
        }
        return new Segment(ytid, startMs, endMs, parseLabels(record.get(3), line));
    }

    private List<String> parseLabels(String field, long line) {
        List<String> mids = new ArrayList<>(4);
        int from = 0;
        int length = field.length();
        while (from <= length) {
            int comma = field.indexOf(',', from);
            int to = comma < 0 ? length : comma;
            String mid = field.substring(from, to).trim();
            if (mid.isEmpty()) {
                throw new SegmentFormatException(source, line, "empty label in positive_labels", field);
            }
            if (options.checkLabels() && !options.labelIndex().contains(mid)) {
                throw new SegmentFormatException(source, line, "label MID is not in the label index "
                        + options.labelIndex().source(), mid);
            }
            mids.add(mid);
            from = to + 1;
        }
        return mids;
    }

    /**
     * Seconds as written in a CSV ({@code 30.000}, {@code 30}, {@code 3e1}) to whole milliseconds,
     * rounding half up beyond the third decimal. Only {@link #NUMBER} is accepted (bounded digits and
     * exponent), so that no value can make the decimal arithmetic slow or large.
     */
    private long parseMillis(String text, String field, long line) {
        long fast = parseMillisFast(text);
        if (fast >= 0) {
            return fast;
        }
        if (text.startsWith("-") && NUMBER.matcher(text.substring(1)).matches()) {
            throw new SegmentFormatException(source, line, field + " is negative", text);
        }
        if (!NUMBER.matcher(text).matches()) {
            throw new SegmentFormatException(source, line, field + " is not a number (at most " + MAX_DIGITS
                    + " digits on either side of the point and an exponent of at most 3 digits)", text);
        }
        BigDecimal seconds = new BigDecimal(text);
        if (seconds.compareTo(BigDecimal.valueOf(MAX_SECONDS)) > 0) {
            throw new SegmentFormatException(source, line, field + " is too large", text);
        }
        return seconds.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** Plain {@code digits[.digits]} with at most three decimals; -1 for anything else. */
    private static long parseMillisFast(String text) {
        int length = text.length();
        if (length == 0 || length > 15) {
            return -1;
        }
        long whole = 0;
        int i = 0;
        while (i < length && text.charAt(i) != '.') {
            char c = text.charAt(i++);
            if (c < '0' || c > '9') {
                return -1;
            }
            whole = whole * 10 + (c - '0');
        }
        if (i == 0 || whole >= MAX_SECONDS) {
            return -1; // the slow path says what is wrong
        }
        long millis = whole * 1000;
        if (i < length) {
            i++; // '.'
            int decimals = length - i;
            if (decimals == 0 || decimals > 3) {
                return -1;
            }
            long fraction = 0;
            for (int d = 0; d < 3; d++) {
                int digit = 0;
                if (i < length) {
                    char c = text.charAt(i++);
                    if (c < '0' || c > '9') {
                        return -1;
                    }
                    digit = c - '0';
                }
                fraction = fraction * 10 + digit;
            }
            millis += fraction;
        }
        return millis;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }

    private void closeUnchecked() {
        try {
            close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + source, e);
        }
    }
}
