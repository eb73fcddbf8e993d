package io.github.audiosetdl.core.download;

import io.github.audiosetdl.core.LineLimitReader;
import io.github.audiosetdl.core.internal.FileErrors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the rows of a download log written by any version: columns are found by the header's names, and
 * a log without a {@code reason} column (written before it existed) gets each failure's reason derived from
 * its message by the same table that classifies tool output. A line longer than {@link #MAX_LINE_CHARS} ends
 * the reading with an error naming the line. A row that does not parse (a line a crash cut short, with the next
 * run's first row after it) is skipped with a warning naming the file and line; the rows after it are read.
 */
final class DownloadLogReader {
    private static final Logger LOG = LoggerFactory.getLogger(DownloadLogReader.class);
    /** The most characters a log line may hold (messages are a tool's last lines: far shorter). */
    static final int MAX_LINE_CHARS = 1 << 20;
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
            .setAllowMissingColumnNames(true).get();

    private DownloadLogReader() {
    }

    /**
     * @param log a good or error log
     * @return its rows, lazily; close the stream
     * @throws IOException if it cannot be opened or its header lacks {@code YTID} or {@code outcome}
     */
    static Stream<LogEntry> stream(Path log) throws IOException {
        if (Files.size(log) == 0) {
            return Stream.empty(); // just created by a task that has not written its header yet
        }
        BufferedReader in;
        try {
            in = Files.newBufferedReader(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw FileErrors.naming(log, e);
        }
        CSVParser parser;
        try {
            parser = FORMAT.parse(new LineLimitReader(in, MAX_LINE_CHARS));
        } catch (IOException | RuntimeException e) { // the header: not text, a folder, a line too long
            in.close();
            throw FileErrors.naming(log, e instanceof UncheckedIOException u ? u.getCause() : e);
        }
        Map<String, Integer> header = parser.getHeaderMap();
        if (header == null || !header.containsKey("YTID") || !header.containsKey("outcome")) {
            parser.close();
            throw new IOException(log + " is not a download log: its header is "
                    + (header == null ? "missing" : header.keySet()));
        }
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(records(parser, log),
                Spliterator.ORDERED | Spliterator.NONNULL), false).map(r -> parsed(r, log))
                .filter(Objects::nonNull).onClose(() -> {
                    try {
                        parser.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /**
     * @return the parser's records, ending with a warning at text that is not CSV (a quote a crash left open
     *     swallows the rest of the file), except for a line longer than {@link #MAX_LINE_CHARS}, an error
     */
    private static Iterator<CSVRecord> records(CSVParser parser, Path log) {
        Iterator<CSVRecord> it = parser.iterator();
        return new Iterator<>() {
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (ended) {
                    return false;
                }
                try {
                    return it.hasNext();
                } catch (UncheckedIOException | IllegalStateException e) {
                    for (Throwable c = e; c != null; c = c.getCause()) {
                        if (c instanceof LineLimitReader.LineTooLongException tooLong) { // not a log at all
                            throw new UncheckedIOException(new IOException(log + " " + tooLong.getMessage(), e));
                        }
                    }
                    ended = true;
                    LOG.warn("{} near line {}: not CSV (cut short by a crash?); the rest of the file is skipped: {}",
                            log, parser.getCurrentLineNumber(), e.getMessage());
                    return false;
                }
            }

            @Override
            public CSVRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return it.next();
            }
        };
    }

    /** @return the row's entry, or null (with a warning) for a row that is not one: too few columns, no id */
    private static LogEntry parsed(CSVRecord r, Path log) {
        if (r.isConsistent() && get(r, "YTID").equals("YTID") && get(r, "outcome").equals("outcome")) {
            return null; // the header again: two tasks that started the log at once (an older version) wrote it
        }
        if (!r.isConsistent() || get(r, "YTID").isEmpty() || get(r, "outcome").isEmpty()) {
            LOG.warn("{} line {}: not a log row (cut short by a crash?), skipped: {}", log, r.getRecordNumber(),
                    shorten(r.toList().toString()));
            return null;
        }
        return entry(r, log);
    }

    private static String shorten(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private static LogEntry entry(CSVRecord r, Path log) {
        String ytid = get(r, "YTID");
        String labels = get(r, "positive_labels");
        List<String> labelIds = labels.isEmpty() ? List.of() : Arrays.asList(labels.split(","));
        String outcome = get(r, "outcome");
        String message = get(r, "message");
        FailureClass failureClass = null;
        FailureReason reason = null;
        if (outcome.equals(ClipStatus.FAILED.label())) {
            String logged = get(r, "class").toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                failureClass = FailureClass.valueOf(logged);
            } catch (IllegalArgumentException e) {
                throw new UncheckedIOException(new IOException(log + " line " + r.getRecordNumber()
                        + ": failure class '" + get(r, "class") + "' is not one of permanent, transient,"
                        + " rate-limited", e));
            }
            reason = FailureReason.ofLabel(get(r, "reason")).orElseGet(() -> FailureClassifier.reason(message));
        }
        long time = 0;
        try {
            time = Instant.parse(get(r, "time")).toEpochMilli();
        } catch (DateTimeException e) {
            // an edited or older row: ordered before every timed one
        }
        return new LogEntry(ytid, labelIds, outcome, failureClass, reason, message, time);
    }

    private static String get(CSVRecord r, String column) {
        return r.isMapped(column) && r.isSet(column) ? r.get(column).strip() : "";
    }
}
